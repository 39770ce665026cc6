//! PDF receipts as a shop would check them: the text reads right in
//! Chinese and in order, the font is embedded and subset, the paper is the
//! right width, the layout matches reviewed reference images, and bad
//! cases fail clearly. Uses poppler-utils (pdftotext, pdffonts, pdfinfo,
//! pdftoppm) and the fonts-noto-cjk font, as installed by scripts/setup.sh.
#![allow(clippy::disallowed_methods)] // REGULARS_UPDATE_REFERENCES in the environment rewrites the reference images.

use chrono::{DateTime, Utc};
use regulars::settings::{PaperSize, SettingsPatch};
use regulars::ReceiptLanguage;
use regulars::{
    AdjustRequest, EarnRule, LineInput, NewMember, NewStampProgram, PaymentInput, PaymentMethod, RedeemRequest,
    RefundRequest, SaleRequest, Store, TopUpRequest, VoidRequest,
};
use std::path::{Path, PathBuf};
use std::process::Command;

fn at(text: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(text).unwrap().with_timezone(&Utc)
}

struct Shop {
    dir: tempfile::TempDir,
    store: Store,
    member: i64,
    program: i64,
}

/// A tea shop with one member, a 5-stamp drink card and a bonus rule.
fn shop(currency: &str) -> Shop {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(&dir.path().join("shop.db")).unwrap();
    let t = at("2026-03-01T02:00:00Z");
    store
        .update_settings(
            &SettingsPatch {
                name: Some("阿明茶飲".into()),
                address: Some("台北市大安區復興南路一段 100 號".into()),
                phone: Some("02-2700-1234".into()),
                currency: Some(currency.into()),
                time_zone: Some("Asia/Taipei".into()),
                receipt_footer: Some("謝謝光臨，歡迎再來！".into()),
                ..Default::default()
            },
            t,
        )
        .unwrap();
    store
        .set_bonus_rule(
            if currency == "TWD" { 1000 } else { 100_000 },
            if currency == "TWD" { 100 } else { 10_000 },
            0,
            t,
        )
        .unwrap();
    let program = store
        .add_program(
            &NewStampProgram {
                name: "飲料卡".into(),
                stamps_needed: 5,
                reward_text: "任選飲品一杯".into(),
                earn_rule: EarnRule::PerItem,
                expiry_days: None,
            },
            t,
        )
        .unwrap()
        .id;
    let member = store
        .add_member(
            &NewMember { name: "王小明".into(), phone: Some("0912-345-678".into()), ..Default::default() },
            "reg",
            t,
        )
        .unwrap()
        .id;
    Shop { dir, store, member, program }
}

fn sale(
    s: &mut Shop,
    id: &str,
    lines: &[(&str, i64, i64)],
    payments: &[(PaymentMethod, i64)],
    redeem: Vec<i64>,
    t: &str,
) -> i64 {
    let lines: Vec<LineInput> = lines
        .iter()
        .map(|(d, q, p)| LineInput {
            product_id: None,
            description: (*d).into(),
            quantity: *q,
            unit_price_minor: *p,
            earns_stamps: true,
        })
        .collect();
    let total = lines.iter().map(|l| l.quantity * l.unit_price_minor).sum();
    s.store
        .record_sale(
            &SaleRequest {
                request_id: id.into(),
                member_id: s.member,
                total_minor: total,
                lines,
                payments: payments.iter().map(|(m, a)| PaymentInput::new(*m, *a)).collect(),
                stamp_items: None,
                redeem_program_ids: redeem,
                coupon_codes: Vec::new(),
                redeem_points: 0,
                cashier: "小美".into(),
                note: String::new(),
            },
            at(t),
        )
        .unwrap()
        .number
}

fn top_up(s: &mut Shop, id: &str, paid: i64, t: &str) -> i64 {
    s.store
        .top_up(
            &TopUpRequest {
                request_id: id.into(),
                member_id: s.member,
                paid_minor: paid,
                method: PaymentMethod::Cash,
                method_id: None,
                cashier: "小美".into(),
                note: String::new(),
            },
            at(t),
        )
        .unwrap()
        .number
}

fn write_pdf(s: &Shop, number: i64, paper: PaperSize, lang: ReceiptLanguage) -> PathBuf {
    let pdf = s.store.receipt_pdf(number, Some(paper), lang).unwrap();
    let path = s.dir.path().join(format!("r{number}-{}.pdf", paper.as_db()));
    std::fs::write(&path, &pdf.bytes).unwrap();
    path
}

fn tool(name: &str, args: &[&str]) -> String {
    let out =
        Command::new(name).args(args).output().unwrap_or_else(|e| panic!("{name} (poppler-utils) is needed: {e}"));
    assert!(out.status.success(), "{name} {args:?}: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap()
}

fn pdf_text(path: &Path) -> String {
    tool("pdftotext", &["-layout", path.to_str().unwrap(), "-"])
}

/// Asserts that each expected piece appears in the text, in this order.
fn assert_in_order(text: &str, expected: &[&str]) {
    let mut from = 0;
    for piece in expected {
        match text[from..].find(piece) {
            Some(i) => from += i + piece.len(),
            None => panic!("{piece:?} missing (or out of order) after byte {from} in:\n{text}"),
        }
    }
}

#[test]
fn a_sale_paid_with_stored_value_reads_in_order_in_chinese_with_whole_dollars() {
    let mut s = shop("TWD");
    top_up(&mut s, "t1", 1000, "2026-03-01T03:00:00Z");
    let n = sale(
        &mut s,
        "s1",
        &[("珍珠奶茶", 2, 60), ("四季春青茶", 1, 35)],
        &[(PaymentMethod::StoredValue, 155)],
        vec![],
        "2026-03-01T15:30:00Z",
    );
    let text = pdf_text(&write_pdf(&s, n, PaperSize::Mm80, ReceiptLanguage::ZhTw));
    assert_in_order(
        &text,
        &[
            "阿明茶飲",
            "台北市大安區復興南路一段 100 號",
            "02-2700-1234",
            "消費明細",
            "單號 000002",
            "2026-03-01 23:30", // 15:30 UTC is 23:30 in Taipei
            "收銀 小美",
            "會員 王小明",
            "M000001",
            "0912-***-678",
            "珍珠奶茶",
            "NT$120",
            "2 × NT$60",
            "四季春青茶",
            "NT$35",
            "合計",
            "NT$155",
            "儲值金",
            "NT$155",
            "儲值餘額",
            "NT$1,100 → NT$945",
            "實付 NT$845 + 贈送 NT$100",
            "集點 飲料卡",
            "0 → 3/5",
            "本次 +3",
            "謝謝光臨，歡迎再來！",
            "R000002",
        ],
    );
    assert!(!text.contains("NT$155.00"), "TWD has no decimals");
}

#[test]
fn a_top_up_shows_the_bonus_apart_in_hong_kong_dollars_with_cents() {
    let mut s = shop("HKD");
    let n = top_up(&mut s, "t1", 100_050, "2026-03-01T03:00:00Z");
    let text = pdf_text(&write_pdf(&s, n, PaperSize::Mm58, ReceiptLanguage::ZhTw));
    assert_in_order(
        &text,
        &[
            "儲值收據",
            "單號 000001",
            "合計",
            "HK$1,000.50",
            "現金",
            "HK$1,000.50",
            "儲值餘額",
            "HK$0.00 → HK$1,100.50",
            "贈送",
            "HK$100.00",
        ],
    );
}

#[test]
fn a_full_refund_says_the_bonus_lapses_with_it() {
    let mut s = shop("TWD");
    top_up(&mut s, "t1", 1000, "2026-03-01T03:00:00Z");
    let refund = |s: &mut Shop, id: &str, amount: i64| {
        let req = RefundRequest {
            request_id: id.into(),
            member_id: s.member,
            amount_minor: amount,
            method: PaymentMethod::Cash,
            method_id: None,
            cashier: "小美".into(),
            note: "搬家".into(),
        };
        s.store.refund_stored_value(&req, at("2026-03-02T03:00:00Z")).unwrap().number
    };
    let part = refund(&mut s, "r1", 400);
    let text = pdf_text(&write_pdf(&s, part, PaperSize::Mm80, ReceiptLanguage::ZhTw));
    assert_in_order(&text, &["退款收據", "合計", "-NT$400", "現金", "-NT$400", "NT$1,100 → NT$700", "備註", "搬家"]);
    assert!(!text.contains("贈送失效"), "{text}");
    let rest = refund(&mut s, "r2", 600);
    let text = pdf_text(&write_pdf(&s, rest, PaperSize::Mm80, ReceiptLanguage::ZhTw));
    assert_in_order(&text, &["退款收據", "-NT$600", "NT$700 → NT$0", "贈送失效", "-NT$100", "顧客簽收"]);
    let english = pdf_text(&write_pdf(&s, rest, PaperSize::Mm80, ReceiptLanguage::En));
    assert_in_order(&english, &["NT$700 → NT$0", "bonus forfeited", "-NT$100"]);
}

#[test]
fn a_correction_shows_the_net_then_each_part() {
    let mut s = shop("TWD");
    top_up(&mut s, "t1", 1000, "2026-03-01T03:00:00Z");
    let fix = AdjustRequest {
        request_id: "a1".into(),
        member_id: s.member,
        paid_delta_minor: -100,
        bonus_delta_minor: 50,
        reason: "多記了".into(),
        cashier: "小美".into(),
    };
    let n = s.store.adjust_stored_value(&fix, at("2026-03-02T03:00:00Z")).unwrap().number;
    let text = pdf_text(&write_pdf(&s, n, PaperSize::Mm80, ReceiptLanguage::ZhTw));
    assert_in_order(
        &text,
        &["合計", "-NT$50", "實付", "-NT$100", "贈送", "NT$50", "NT$1,100 → NT$1,050", "原因", "多記了"],
    );
}

#[test]
fn a_redemption_and_its_void_show_the_card_and_the_reversal() {
    let mut s = shop("TWD");
    sale(&mut s, "s1", &[("珍珠奶茶", 6, 60)], &[(PaymentMethod::Cash, 360)], vec![], "2026-03-01T03:00:00Z");
    let program = s.program;
    let redeem = s
        .store
        .redeem_reward(
            &RedeemRequest {
                request_id: "r1".into(),
                member_id: s.member,
                program_id: program,
                cashier: "小美".into(),
                note: String::new(),
            },
            at("2026-03-02T03:00:00Z"),
        )
        .unwrap()
        .number;
    let text = pdf_text(&write_pdf(&s, redeem, PaperSize::Mm80, ReceiptLanguage::ZhTw));
    assert_in_order(&text, &["兌換收據", "單號 000002", "集點 飲料卡", "6 → 1/5", "兌換 1 × 任選飲品一杯"]);
    assert!(!text.contains("合計"), "a redemption moves no money");

    let void = s
        .store
        .void_receipt(
            &VoidRequest {
                request_id: "v1".into(),
                receipt_number: redeem,
                reason: "按錯了".into(),
                cashier: "店長".into(),
            },
            at("2026-03-02T03:05:00Z"),
        )
        .unwrap()
        .number;
    let text = pdf_text(&write_pdf(&s, void, PaperSize::Mm80, ReceiptLanguage::ZhTw));
    assert_in_order(
        &text,
        &[
            "作廢 VOID",
            "作廢 #2 的收據",
            "單號 000003",
            "沖銷收據 單號 000002",
            "集點 飲料卡",
            "1 → 6/5",
            "取消兌換 1 × 任選飲品一杯",
            "原因：按錯了",
        ],
    );
    assert!(!text.contains("兌換 -1"), "a void gives the reward back, it does not redeem -1: {text}");
    let english = pdf_text(&write_pdf(&s, void, PaperSize::Mm80, ReceiptLanguage::En));
    assert_in_order(&english, &["VOID", "Void of receipt #2", "reward returned 1 ×"]);
    // The original, printed again, says it was voided and by which receipt.
    let text = pdf_text(&write_pdf(&s, redeem, PaperSize::Mm80, ReceiptLanguage::ZhTw));
    assert_in_order(&text, &["已作廢 VOIDED", "兌換收據", "本收據已作廢，見 單號 000003"]);
}

#[test]
fn labels_follow_the_chosen_language() {
    let mut s = shop("TWD");
    let n = top_up(&mut s, "t1", 1000, "2026-03-01T03:00:00Z");
    let en = pdf_text(&write_pdf(&s, n, PaperSize::A4, ReceiptLanguage::En));
    assert_in_order(
        &en,
        &["Top-up", "No. 000001", "Cashier 小美", "Member 王小明", "Total", "NT$1,000", "Cash", "Stored value"],
    );
    let cn = pdf_text(&write_pdf(&s, n, PaperSize::A5, ReceiptLanguage::ZhCn));
    assert_in_order(&cn, &["储值小票", "单号 000001", "会员 王小明", "合计"]);
}

#[test]
fn the_font_is_an_embedded_cjk_subset_and_the_page_is_the_paper_width() {
    let mut s = shop("TWD");
    let n = top_up(&mut s, "t1", 1000, "2026-03-01T03:00:00Z");
    for (paper, width_pt, height_pt) in [
        (PaperSize::Mm58, 164.41, None),
        (PaperSize::Mm80, 226.77, None),
        (PaperSize::A5, 419.53, Some(595.28)),
        (PaperSize::A4, 595.28, Some(841.89)),
    ] {
        let path = write_pdf(&s, n, paper, ReceiptLanguage::ZhTw);
        let fonts = tool("pdffonts", &[path.to_str().unwrap()]);
        let font_line = fonts.lines().nth(2).unwrap_or_else(|| panic!("no font in {fonts}"));
        assert!(font_line.contains("CJK"), "{font_line}");
        assert!(font_line.split_whitespace().next().unwrap().contains('+'), "subset fonts carry a tag: {font_line}");
        let cols: Vec<&str> = font_line.split_whitespace().collect();
        assert_eq!(
            &cols[cols.len() - 5..cols.len() - 2],
            &["yes", "yes", "yes"],
            "embedded, subset, unicode: {font_line}"
        );
        let info = tool("pdfinfo", &[path.to_str().unwrap()]);
        let size = info.lines().find(|l| l.starts_with("Page size:")).unwrap();
        let nums: Vec<f64> = size.split_whitespace().filter_map(|w| w.parse().ok()).collect();
        assert!((nums[0] - width_pt).abs() < 0.05, "{paper:?}: {size}");
        match height_pt {
            Some(h) => assert!((nums[1] - h).abs() < 0.05, "{paper:?}: {size}"),
            None => assert!(nums[1] > 200.0 && nums[1] < 700.0, "a roll is as long as the receipt: {size}"),
        }
        let bytes = std::fs::metadata(&path).unwrap().len();
        assert!(bytes < 60_000, "{paper:?} receipt is {bytes} bytes: the font must be subset");
    }
}

#[test]
fn two_hundred_lines_make_several_a4_pages_and_one_long_roll() {
    let mut s = shop("TWD");
    let items: Vec<(String, i64, i64)> = (1..=200).map(|i| (format!("第 {i} 號商品 item"), 1, 10)).collect();
    let refs: Vec<(&str, i64, i64)> = items.iter().map(|(d, q, p)| (d.as_str(), *q, *p)).collect();
    let n = sale(&mut s, "big", &refs, &[(PaymentMethod::Cash, 2000)], vec![], "2026-03-01T03:00:00Z");
    let a4 = s.store.receipt_pdf(n, Some(PaperSize::A4), ReceiptLanguage::ZhTw).unwrap();
    assert!(a4.pages >= 3, "200 lines on A4 take several pages, got {}", a4.pages);
    let roll = s.store.receipt_pdf(n, Some(PaperSize::Mm80), ReceiptLanguage::ZhTw).unwrap();
    assert_eq!(roll.pages, 1);
    assert!(roll.height_mm > 500.0, "a long roll: {} mm", roll.height_mm);
    let path = write_pdf(&s, n, PaperSize::A4, ReceiptLanguage::ZhTw);
    assert_in_order(
        &pdf_text(&path),
        &["第 1 號商品 item", "第 100 號商品 item", "第 200 號商品 item", "合計", "NT$2,000"],
    );
}

#[test]
fn very_long_names_are_cut_with_an_ellipsis_not_spilled_off_the_paper() {
    let mut s = shop("TWD");
    let long = "超級無敵霹靂珍珠鮮奶茶加椰果加布丁加仙草加芋圓加紅豆加綠豆加粉粿加愛玉加檸檬加蘆薈加寒天加QQ加小芋圓";
    let n = sale(&mut s, "s1", &[(long, 1, 95)], &[(PaymentMethod::Cash, 95)], vec![], "2026-03-01T03:00:00Z");
    let text = pdf_text(&write_pdf(&s, n, PaperSize::Mm58, ReceiptLanguage::ZhTw));
    assert!(text.contains('…'), "{text}");
    assert!(text.contains("NT$95"), "the amount column stays on the paper: {text}");
}

#[test]
fn an_unknown_receipt_and_a_missing_font_fail_clearly() {
    let mut s = shop("TWD");
    let err = s.store.receipt_pdf(999, None, ReceiptLanguage::ZhTw).unwrap_err();
    assert_eq!(err.code(), "ReceiptNotFound");
    let n = top_up(&mut s, "t1", 1000, "2026-03-01T03:00:00Z");
    s.store
        .update_settings(
            &SettingsPatch { receipt_font_path: Some("/nowhere/NoSuchFont.ttc".into()), ..Default::default() },
            at("2026-03-01T03:00:00Z"),
        )
        .unwrap();
    let err = s.store.receipt_pdf(n, None, ReceiptLanguage::ZhTw).unwrap_err();
    assert_eq!(err.code(), "FontUnavailable");
    assert!(err.to_string().contains("fonts-noto-cjk"), "the message names what to install: {err}");
    // A file that is not a font at all is refused the same way, never an empty PDF.
    let not_a_font = s.dir.path().join("notes.txt");
    std::fs::write(&not_a_font, "hello").unwrap();
    s.store
        .update_settings(
            &SettingsPatch { receipt_font_path: Some(not_a_font.display().to_string()), ..Default::default() },
            at("2026-03-01T03:00:00Z"),
        )
        .unwrap();
    assert_eq!(s.store.receipt_pdf(n, None, ReceiptLanguage::ZhTw).unwrap_err().code(), "FontUnavailable");
}

// ---- rendering check against reviewed reference images ----

fn render_gray(pdf: &Path, out_prefix: &Path) -> PathBuf {
    tool(
        "pdftoppm",
        &["-r", "100", "-gray", "-png", "-singlefile", pdf.to_str().unwrap(), out_prefix.to_str().unwrap()],
    );
    out_prefix.with_extension("png")
}

fn read_gray_png(path: &Path) -> (u32, u32, Vec<u8>) {
    let decoder = png::Decoder::new(std::io::BufReader::new(std::fs::File::open(path).unwrap()));
    let mut reader = decoder.read_info().unwrap();
    let mut buf = vec![0; reader.output_buffer_size().unwrap()];
    let info = reader.next_frame(&mut buf).unwrap();
    buf.truncate(info.buffer_size());
    let gray = match info.color_type {
        png::ColorType::Grayscale => buf,
        png::ColorType::Rgb => buf.chunks(3).map(|c| c[1]).collect(),
        png::ColorType::Rgba => buf.chunks(4).map(|c| c[1]).collect(),
        png::ColorType::GrayscaleAlpha => buf.chunks(2).map(|c| c[0]).collect(),
        other => panic!("unexpected PNG colour type {other:?}"),
    };
    (info.width, info.height, gray)
}

/// Renders receipt `number` and compares it with `core/tests/reference/NAME.png`
/// (reviewed by a person). `REGULARS_UPDATE_REFERENCES=1` writes the images
/// instead, for review after an intended layout change.
fn check_against_reference(s: &Shop, number: i64, paper: PaperSize, name: &str) {
    let pdf = write_pdf(s, number, paper, ReceiptLanguage::ZhTw);
    let rendered = render_gray(&pdf, &s.dir.path().join(name));
    let reference = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/reference").join(format!("{name}.png"));
    if std::env::var_os("REGULARS_UPDATE_REFERENCES").is_some() {
        std::fs::copy(&rendered, &reference).unwrap();
        return;
    }
    let (w, h, got) = read_gray_png(&rendered);
    let (rw, rh, want) = read_gray_png(&reference);
    assert_eq!((w, h), (rw, rh), "{name}: page size changed ({w}x{h} vs reference {rw}x{rh})");
    let differing = got.iter().zip(&want).filter(|(a, b)| (i32::from(**a) - i32::from(**b)).abs() > 96).count();
    // At most 0.5 % of pixels may differ noticeably (integer arithmetic).
    assert!(
        differing * 200 < got.len(),
        "{name}: {differing} of {} pixels differ from the reviewed reference",
        got.len()
    );
}

#[test]
fn receipts_look_like_the_reviewed_reference_images() {
    let mut s = shop("TWD");
    top_up(&mut s, "t1", 1000, "2026-03-01T03:00:00Z");
    let n = sale(
        &mut s,
        "s1",
        &[("珍珠奶茶", 2, 60), ("四季春青茶", 1, 35)],
        &[(PaymentMethod::StoredValue, 155)],
        vec![],
        "2026-03-01T15:30:00Z",
    );
    check_against_reference(&s, n, PaperSize::Mm80, "sale-80mm");
    check_against_reference(&s, n, PaperSize::Mm58, "sale-58mm");
    check_against_reference(&s, n, PaperSize::A4, "sale-a4");
}

#[test]
fn the_day_close_slip_reads_in_order_with_the_drawer_and_the_float_on_the_shops_day() {
    let mut s = shop("TWD");
    // 1 March in Taipei: a top-up at 11:00, a cash sale at 23:30 (15:30 UTC).
    top_up(&mut s, "t1", 1000, "2026-03-01T03:00:00Z");
    sale(&mut s, "s1", &[("珍珠奶茶", 2, 60)], &[(PaymentMethod::Cash, 120)], vec![], "2026-03-01T15:30:00Z");
    // 2 March in Taipei (still 1 March in UTC): not on the slip.
    sale(&mut s, "s2", &[("四季春青茶", 1, 35)], &[(PaymentMethod::StoredValue, 35)], vec![], "2026-03-01T16:30:00Z");
    let day = chrono::NaiveDate::from_ymd_opt(2026, 3, 1).unwrap();
    let printed = at("2026-03-01T14:05:00Z");
    let pdf = s.store.day_close_pdf(day, Some(PaperSize::Mm80), ReceiptLanguage::ZhTw, printed).unwrap();
    assert!((pdf.width_mm - 80.0).abs() < 0.01, "the roll's width");
    let path = s.dir.path().join("day.pdf");
    std::fs::write(&path, &pdf.bytes).unwrap();
    let text = pdf_text(&path);
    assert_in_order(
        &text,
        &[
            "阿明茶飲",
            "日結單",
            "營業日",
            "2026-03-01",
            "列印",
            "2026-03-01 22:05",
            "現金",
            "NT$1,120",
            "消費",
            "NT$120",
            "儲值",
            "NT$1,000",
            "現金抽屜應多",
            "NT$1,120",
            "消費",
            "1 筆 NT$120",
            "儲值",
            "1 筆 NT$1,000",
            "另贈",
            "NT$100",
            "送出點數",
            "2",
            "開始",
            "NT$0",
            "結束",
            "NT$1,100",
            "帳平",
            "點收簽名",
        ],
    );
    assert!(!text.contains("NT$35"), "the next shop day's sale is not on the slip:\n{text}");
    assert!(!text.contains("儲值金"), "no stored-value payment this day");
    let english = s.store.day_close_pdf(day, Some(PaperSize::A4), ReceiptLanguage::En, printed).unwrap();
    std::fs::write(&path, &english.bytes).unwrap();
    assert_in_order(&pdf_text(&path), &["Day close", "Shop day", "Cash", "Cash drawer: more by", "Balanced"]);
}
