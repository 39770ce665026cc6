//! Moving a shop in (`regulars import members`): files in every encoding a
//! Chinese shop's spreadsheet leaves, and Excel workbooks, bring in the
//! same members; a bad row stops the whole file and is named; opening
//! balances start auditable ledgers; purchase summaries feed the owner's
//! view; the same file is not imported twice.

use crate::common::*;
use chrono::{DateTime, NaiveDate, Utc};
use regulars::analytics::segments::Nes;
use regulars::store::import::{ImportFile, ImportPreview};
use regulars::store::owner::ListFilter;
use regulars::Store;

const HEADINGS: [&str; 13] = [
    "會員編號",
    "姓名",
    "手機",
    "生日",
    "儲值金",
    "贈送",
    "積分",
    "集點",
    "最後消費日",
    "消費次數",
    "累計消費",
    "備註",
    "首次消費日",
];

/// Three regulars whose names are written alike in traditional and
/// simplified Chinese, so Big5 and GBK files both hold them.
fn regulars_rows() -> Vec<Vec<String>> {
    [
        [
            "A001",
            "王小明",
            "0912-345-678",
            "1990/07/08",
            "1,000",
            "100",
            "50",
            "3",
            "2026-02-20",
            "12",
            "24000",
            "常客",
            "2025-03-01",
        ],
        ["A002", "林美玲", "+886 922 000 111", "", "500", "0", "0", "0", "2025-06-01", "3", "1500", "", "2024-06-01"],
        ["A003", "周大年", "９５５６６６７７７", "03-15", "0", "", "", "5", "", "", "", "喜歡甜點", ""],
    ]
    .iter()
    .map(|r| r.iter().map(|c| c.to_string()).collect())
    .collect()
}

fn text_of(rows: &[Vec<String>], delimiter: &str) -> String {
    let mut out = HEADINGS.join(delimiter) + "\r\n";
    for r in rows {
        let cells: Vec<String> =
            r.iter().map(|c| if c.contains(delimiter) { format!("\"{c}\"") } else { c.clone() }).collect();
        out += &(cells.join(delimiter) + "\r\n");
    }
    out
}

/// `text` in Big5: what `encoding_rs` encodes, and the HKSCS characters
/// it decodes only (Big5-HKSCS's own area) found by decoding every pair.
fn big5(text: &str) -> Vec<u8> {
    let mut out = Vec::new();
    for ch in text.chars() {
        let s = ch.to_string();
        let (bytes, _, unmappable) = encoding_rs::BIG5.encode(&s);
        if !unmappable {
            out.extend_from_slice(&bytes);
            continue;
        }
        let pair = (0x81u8..=0xFE)
            .flat_map(|lead| (0x40u8..=0xFE).map(move |trail| [lead, trail]))
            .find(|p| encoding_rs::BIG5.decode_without_bom_handling_and_without_replacement(p).as_deref() == Some(&s))
            .unwrap_or_else(|| panic!("{ch} is not in Big5-HKSCS"));
        out.extend_from_slice(&pair);
    }
    out
}

fn utf16le_with_bom(text: &str) -> Vec<u8> {
    let mut out = vec![0xFF, 0xFE];
    for unit in text.encode_utf16() {
        out.extend(unit.to_le_bytes());
    }
    out
}

fn xlsx_of(rows: &[Vec<String>]) -> Vec<u8> {
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    for (c, h) in HEADINGS.iter().enumerate() {
        sheet.write_string(0, c as u16, *h).unwrap();
    }
    for (r, row) in rows.iter().enumerate() {
        for (c, cell) in row.iter().enumerate() {
            let (r, c) = (r as u32 + 1, c as u16);
            // Amounts and counts as numbers, dates as Excel dates, the rest as text.
            if let Ok(n) = cell.replace(',', "").parse::<f64>() {
                if (4..=10).contains(&c) {
                    sheet.write_number(r, c, n).unwrap();
                    continue;
                }
            }
            if (c == 8 || c == 12) && !cell.is_empty() {
                let d = rust_xlsxwriter::ExcelDateTime::parse_from_str(cell).unwrap();
                let format = rust_xlsxwriter::Format::new().set_num_format("yyyy-mm-dd");
                sheet.write_datetime_with_format(r, c, &d, &format).unwrap();
                continue;
            }
            sheet.write_string(r, c, cell).unwrap();
        }
    }
    book.save_to_buffer().unwrap()
}

fn today() -> DateTime<Utc> {
    at("2026-03-10T04:00:00Z")
}

fn file(name: &str, bytes: Vec<u8>) -> ImportFile {
    ImportFile { name: name.into(), bytes, encoding: None }
}

fn shop_with_a_card() -> Shop {
    let mut shop = new_shop();
    shop.store
        .add_program(
            &regulars::NewStampProgram {
                name: "咖啡集點卡".into(),
                stamps_needed: 10,
                reward_text: "咖啡一杯".into(),
                earn_rule: regulars::EarnRule::PerVisit,
                expiry_days: None,
            },
            today(),
        )
        .unwrap();
    shop
}

fn dry_run(store: &Store, f: &ImportFile) -> ImportPreview {
    store.check_member_import(f, None, today()).unwrap()
}

/// Each member as found by phone: name, wallet (paid, bonus), stamps, points.
fn found(store: &Store, phone: &str) -> (String, (i64, i64), i64, i64) {
    let m = store.resolve_member(phone).unwrap();
    let card = store.member_card(m.id, today()).unwrap();
    let stamps = card.stamp_cards.iter().map(|c| c.stamps).sum();
    let points = store.member_points(m.id, today()).unwrap().points;
    (m.name, (card.wallet.paid_minor, card.wallet.bonus_minor), stamps, points)
}

#[test]
fn the_same_members_come_in_from_every_encoding_and_from_excel() {
    let rows = regulars_rows();
    let csv = text_of(&rows, ",");
    let files = [
        file("members-utf8.csv", csv.clone().into_bytes()),
        file("members-utf8-bom.csv", [b"\xEF\xBB\xBF".as_slice(), csv.as_bytes()].concat()),
        file("members-unicode.txt", utf16le_with_bom(&text_of(&rows, "\t"))),
        file("members-big5.csv", big5(&csv)),
        file("members-gbk.csv", encoding_rs::GBK.encode(&csv).0.into_owned()),
        file("members.xlsx", xlsx_of(&rows)),
    ];
    let expected_encodings = ["UTF-8", "UTF-8", "UTF-16LE", "Big5", "GBK", "xlsx"];
    for (f, encoding) in files.iter().zip(expected_encodings) {
        let mut shop = shop_with_a_card();
        let preview = dry_run(&shop.store, f);
        assert_eq!(preview.encoding, encoding, "{}", f.name);
        assert_eq!(preview.problems, [], "{}", f.name);
        assert_eq!((preview.totals.members, preview.totals.paid_minor, preview.totals.bonus_minor), (3, 1400, 100));
        shop.store.import_member_file(f, None, &format!("import-{}", f.name), "老闆", today()).unwrap();
        assert_eq!(found(&shop.store, "0912345678"), ("王小明".into(), (900, 100), 3, 50), "{}", f.name);
        assert_eq!(found(&shop.store, "0922000111"), ("林美玲".into(), (500, 0), 0, 0), "{}", f.name);
        assert_eq!(found(&shop.store, "0955666777"), ("周大年".into(), (0, 0), 5, 0), "{}", f.name);
        let m = shop.store.resolve_member("0912345678").unwrap();
        assert_eq!(m.birthday.map(|b| (b.year, b.month, b.day)), Some((Some(1990), 7, 8)), "{}", f.name);
        check_invariants(&shop.store);
    }
}

#[test]
fn big5_and_gb18030_files_keep_hkscs_characters_in_names() {
    let text = "姓名,電話\r\n陳𡃁仔,0912345678\r\n林㗎㗎,0922000111\r\n";
    let big5_bytes = big5(text);
    assert_eq!(encoding_rs::BIG5.decode_without_bom_handling(&big5_bytes).0, text, "round trip through big5");
    for f in [
        ImportFile { name: "hk.csv".into(), bytes: big5_bytes, encoding: Some("cp950".into()) },
        ImportFile {
            name: "cn.csv".into(),
            bytes: encoding_rs::GB18030.encode(text).0.into_owned(),
            encoding: Some("gb18030".into()),
        },
    ] {
        let mut shop = new_shop();
        assert_eq!(dry_run(&shop.store, &f).problems, []);
        shop.store.import_member_file(&f, None, "hk", "老闆", today()).unwrap();
        assert_eq!(shop.store.resolve_member("0912345678").unwrap().name, "陳𡃁仔");
        assert_eq!(shop.store.resolve_member("0922000111").unwrap().name, "林㗎㗎");
    }
}

#[test]
fn one_bad_row_in_a_thousand_imports_nothing_and_is_named() {
    let mut shop = new_shop();
    let mut csv = String::from("姓名,手機,儲值\n");
    for i in 0..1000 {
        let phone = if i == 600 { "0912-abc-678".to_string() } else { format!("09{:08}", i) };
        csv += &format!("會員{i},{phone},100\n");
    }
    let f = file("big.csv", csv.into_bytes());
    let preview = dry_run(&shop.store, &f);
    assert_eq!(preview.totals.rows, 1000);
    assert_eq!(preview.problems.len(), 1, "{:?}", preview.problems);
    let p = &preview.problems[0];
    assert_eq!(
        (p.row, p.column.as_str(), p.value.as_str(), p.code.as_str()),
        (602, "手機", "0912-abc-678", "InvalidPhone")
    );
    let err = shop.store.import_member_file(&f, None, "big", "老闆", today()).unwrap_err();
    assert!(err.to_string().contains("row 602, column 手機"), "{err}");
    assert_eq!(shop.store.find_members("會員1", 5).unwrap().hits.len(), 0, "nothing was imported");
    assert!(all_receipts(&shop.store).is_empty());
}

#[test]
fn every_kind_of_problem_is_listed_with_its_row_column_and_value() {
    let mut shop = shop_with_a_card();
    register(&mut shop.store, "老客人", Some("0933000000"), today());
    let csv = "姓名,手機,生日,儲值,集點:奶茶卡,最後消費日\n\
               阿一,0911000001,1990-02-30,100,,\n\
               阿二,0911000001,,100,,\n\
               阿三,0933000000,,abc,,\n\
               阿四,0911000004,,,2,\n\
               阿五,0911000005,,999999999999,,2027-01-01\n";
    let long_name = "名".repeat(101);
    let csv = format!("{csv}{long_name},0911000006,,,,\n");
    let preview = dry_run(&shop.store, &file("bad.csv", csv.into_bytes()));
    let got: Vec<(u32, &str, &str)> =
        preview.problems.iter().map(|p| (p.row, p.column.as_str(), p.code.as_str())).collect();
    assert_eq!(
        got,
        [
            (2, "生日", "NoSuchDay"),
            (3, "手機", "DuplicatePhone"),
            (4, "手機", "DuplicatePhone"),
            (4, "儲值", "InvalidAmount"),
            (5, "集點:奶茶卡", "ProgramNotFound"),
            (6, "儲值", "InvalidAmount"),
            (6, "最後消費日", "InvalidDate"),
            (7, "姓名", "TextTooLong"),
        ]
    );
    assert_eq!(preview.totals.members, 0);
}

#[test]
fn opening_balances_leave_audit_clean_and_are_brought_in_not_taken() {
    let mut shop = shop_with_a_card();
    let f = file("members.csv", text_of(&regulars_rows(), ",").into_bytes());
    let report = shop.store.import_member_file(&f, None, "open", "老闆", today()).unwrap();
    assert_eq!(
        (report.members, report.paid_minor, report.bonus_minor, report.stamps, report.points),
        (3, 1400, 100, 8, 50)
    );
    check_invariants(&shop.store);
    for phone in ["0912345678", "0922000111", "0955666777"] {
        let m = shop.store.resolve_member(phone).unwrap();
        assert_eq!(wallet(&shop.store, m.id, today()), found(&shop.store, phone).1);
    }
    let receipts = all_receipts(&shop.store);
    assert_eq!(receipts.len(), 3, "one opening receipt per member bringing something");
    assert!(receipts.iter().all(|r| r.kind == regulars::ReceiptKind::Opening));
    let dashboard = shop.store.dashboard(today()).unwrap();
    assert_eq!(dashboard.stored_value.paid_minor + dashboard.stored_value.bonus_minor, 1500);
    let day: NaiveDate = "2026-03-10".parse().unwrap();
    let float = shop.store.float_report(day).unwrap();
    assert_eq!((float.brought_in.paid_minor, float.brought_in.bonus_minor), (1400, 100));
    assert!(float.balances());
    let close = shop.store.day_close(day).unwrap();
    assert_eq!((close.opening_balances.count, close.opening_balances.amount_minor), (3, 1500));
    assert_eq!((close.cash_minor, close.top_ups.amount_minor, close.sales.amount_minor), (0, 0, 0));
    assert!(close.methods.iter().all(|m| m.net_minor == 0), "no payment method took money");
    assert_eq!(close.stamps_given, 0, "stamps brought in were not given today");
    // An opening balance is corrected, never voided.
    let void = regulars::VoidRequest {
        request_id: "void-opening".into(),
        receipt_number: receipts[0].number,
        reason: "typo".into(),
        cashier: "老闆".into(),
    };
    assert!(shop.store.void_receipt(&void, today()).is_err());
}

#[test]
fn imported_purchase_summaries_give_the_owner_the_figures_the_file_says() {
    let mut shop = shop_with_a_card();
    let f = file("members.csv", text_of(&regulars_rows(), ",").into_bytes());
    shop.store.import_member_file(&f, None, "summary", "老闆", today()).unwrap();
    let vip = shop.store.vip(&ListFilter::default(), today()).unwrap();
    let row = |no: &str| {
        let id = shop.store.resolve_member(no).unwrap().id;
        vip.rows.iter().find(|r| r.member_id == id).cloned().unwrap()
    };
    let wang = row("A001");
    assert_eq!((wang.visits, wang.spend_minor), (12, 24000));
    assert_eq!(wang.last_visit_date, Some("2026-02-20".parse().unwrap()));
    assert_eq!(wang.segment, Nes::Active);
    assert_eq!(wang.typical_gap_days, Some(32), "356 days over 11 gaps");
    let lin = row("A002");
    assert_eq!((lin.visits, lin.spend_minor, lin.last_visit_date), (3, 1500, Some("2025-06-01".parse().unwrap())));
    assert_eq!(lin.days_since_last_visit, Some(282));
    assert_eq!(vip.total, 2, "周大年 brought no purchases");
    assert_eq!(shop.store.owner_aggregate_mismatches().unwrap(), []);
    // A sale after the import counts on top of the summary.
    let wang_id = wang.member_id;
    shop.store.record_sale(&sale_req("after", wang_id, &[(regulars::PaymentMethod::Cash, 100)]), today()).unwrap();
    let vip = shop.store.vip(&ListFilter::default(), today()).unwrap();
    let wang = vip.rows.iter().find(|r| r.member_id == wang_id).unwrap();
    assert_eq!((wang.visits, wang.spend_minor, wang.last_visit_date), (13, 24100, Some("2026-03-10".parse().unwrap())));
    assert_eq!(shop.store.owner_aggregate_mismatches().unwrap(), []);
    check_invariants(&shop.store);
}

#[test]
fn the_same_file_is_not_imported_twice_and_old_numbers_still_find_members() {
    let mut shop = shop_with_a_card();
    let f = file("members.csv", text_of(&regulars_rows(), ",").into_bytes());
    shop.store.import_member_file(&f, None, "first", "老闆", today()).unwrap();
    let again = dry_run(&shop.store, &f);
    assert!(again.already_imported.is_some());
    let err = shop.store.import_member_file(&f, None, "second", "老闆", today()).unwrap_err();
    assert!(err.to_string().contains("members.csv"), "{err}");
    assert_eq!(shop.store.resolve_member("a001").unwrap().name, "王小明");
    assert_eq!(shop.store.find_members("A002", 5).unwrap().hits[0].name, "林美玲");
    assert_eq!(shop.store.find_members("912345678", 5).unwrap().hits[0].name, "王小明", "Excel's lost 0");
    assert_eq!(shop.store.find_members("０９２２０００１１１", 5).unwrap().hits[0].name, "林美玲");
    let log = shop.store.audit_log(&regulars::AuditFilter::default()).unwrap();
    assert!(log.iter().any(|e| e.kind == "importMembers"), "the import is in the audit log");
}

#[test]
fn the_cli_checks_with_dry_run_then_imports() {
    let shop = CliShop::new();
    shop.ok(&["program", "add", "--name", "咖啡集點卡", "--stamps", "10", "--reward", "咖啡一杯"]);
    let path = shop.dir.path().join("舊系統.csv");
    std::fs::write(&path, big5(&text_of(&regulars_rows(), ","))).unwrap();
    let file = path.to_str().unwrap();
    let preview = shop.json(&["import", "members", file, "--dry-run"]);
    assert_eq!(preview["encoding"], "Big5");
    assert_eq!(preview["problems"].as_array().unwrap().len(), 0);
    assert_eq!(preview["totals"]["members"], 3);
    assert_eq!(preview["totals"]["paidMinor"], 1400);
    assert!(shop.fails(&["member", "show", "0912345678"]).contains("not found"), "a dry run writes nothing");
    let text = shop.ok(&["import", "members", file]);
    assert!(text.contains("imported 3 members"), "{text}");
    let m = shop.json(&["member", "show", "0912345678"]);
    assert_eq!(m["member"]["name"], "王小明", "{m}");
    assert!(shop.fails(&["import", "members", file]).contains("already used"));
}

#[test]
fn card_codes_tiers_tags_and_joining_days_come_in_and_the_mapping_is_kept_for_the_next_file() {
    let mut shop = new_shop();
    shop.store
        .set_tiers(
            &[regulars::analytics::tiers::TierInput {
                name: "金卡".into(),
                min_spend_minor: 10_000,
                points_multiplier_pct: 100,
            }],
            today(),
        )
        .unwrap();
    let csv = "客戶名稱,行動電話,舊卡,Email,分類,等級,入會日期\n\
               Amy Chan,+852 9123 4567,CARD-0001,amy@example.com,熟客、外送,金卡,民國110年5月1日\n";
    let mapping: regulars::import::columns::MappingFile =
        serde_json::from_str(r#"{"columns": {"舊卡": "cardCode"}}"#).unwrap();
    let f = file("one.csv", csv.as_bytes().to_vec());
    shop.store.import_member_file(&f, Some(&mapping), "one", "老闆", today()).unwrap();
    let m = shop.store.resolve_member("card-0001").unwrap();
    assert_eq!(
        (m.name.as_str(), m.phone.as_deref(), m.email.as_deref()),
        ("Amy Chan", Some("+852 9123 4567"), Some("amy@example.com"))
    );
    assert_eq!(shop.store.resolve_member("91234567").unwrap().id, m.id);
    assert_eq!(m.tags, ["外送", "熟客"]);
    assert_eq!(m.tier.as_deref(), Some("金卡"));
    let joined = DateTime::from_timestamp_millis(m.joined_at).unwrap();
    assert_eq!(joined, at("2021-04-30T16:00:00Z"), "the first of May 2021 in Taipei");
    assert!(all_receipts(&shop.store).is_empty(), "nothing brought in, no opening receipt");
    // The next file of this layout is read with the mapping used before.
    let next = file("two.csv", csv.replace("Amy Chan", "Bo").replace("9123 4567", "9876 5432").into_bytes());
    let preview = dry_run(&shop.store, &next);
    let card_column = preview.columns.iter().find(|c| c.heading == "舊卡").unwrap();
    assert_eq!(card_column.field.as_deref(), Some("cardCode"));
    assert_eq!(preview.problems[0].code, "DuplicateCardCode", "{:?}", preview.problems);
}

#[test]
fn points_brought_in_lapse_by_the_shops_rule_counted_from_the_import_day() {
    let mut shop = new_shop();
    let rules = regulars::points::PointsSettings {
        earn_per_minor: 100,
        point_value_minor: 1,
        expiry_months: Some(12),
        max_redeem_percent: 100,
        birthday_multiplier_pct: 100,
    };
    shop.store.set_points_settings(&rules, today()).unwrap();
    let f = file("points.csv", "姓名,手機,積分\n王小明,0912345678,300\n".as_bytes().to_vec());
    shop.store.import_member_file(&f, None, "points", "老闆", today()).unwrap();
    let id = shop.store.resolve_member("0912345678").unwrap().id;
    let points = shop.store.member_points(id, today()).unwrap();
    assert_eq!(points.points, 300);
    let next = points.next_expiry.unwrap();
    assert_eq!((next.points, next.last_day), (300, "2027-03-31".parse::<NaiveDate>().unwrap()));
    check_invariants(&shop.store);
}
