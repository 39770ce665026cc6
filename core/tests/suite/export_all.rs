//! Everything the shop holds, exported for the accountant or a move: a
//! CSV file per table (UTF-8 with a BOM) or one workbook, whose ledgers add
//! up to the balances; one member's data alone on their request.

use crate::common::*;
use regulars::PaymentMethod;

fn shop_with_history() -> (Shop, i64, i64) {
    let mut shop = new_shop();
    let s = &mut shop.store;
    let now = noon();
    let amy = register(s, "陳怡君", Some("0912-345-678"), now).id;
    let ben = register(s, "林小美", Some("0922-111-222"), now).id;
    s.top_up(&top_up_req("t-1", amy, 1_000), now).unwrap();
    s.record_sale(&sale_req("s-1", amy, &[(PaymentMethod::StoredValue, 120)]), now).unwrap();
    s.record_sale(&sale_req("s-2", ben, &[(PaymentMethod::Cash, 80)]), now).unwrap();
    (shop, amy, ben)
}

fn read_csv(path: &std::path::Path) -> (Vec<String>, Vec<Vec<String>>) {
    let bytes = std::fs::read(path).unwrap();
    assert!(bytes.starts_with("\u{feff}".as_bytes()), "{} starts with a BOM for Excel", path.display());
    let mut r = csv::Reader::from_reader(&bytes[3..]);
    let header = r.headers().unwrap().iter().map(String::from).collect();
    let rows = r.records().map(|x| x.unwrap().iter().map(String::from).collect()).collect();
    (header, rows)
}

fn column(header: &[String], name: &str) -> usize {
    header.iter().position(|h| h == name).unwrap_or_else(|| panic!("no column {name}"))
}

#[test]
fn everything_comes_out_as_csv_files_whose_ledgers_add_up_to_the_balances() {
    let (shop, amy, _) = shop_with_history();
    let dir = shop.dir.path().join("export");
    let files = regulars::exports::write_csv_folder(&shop.store, &dir, None, noon()).unwrap();
    let names: Vec<String> = files.iter().map(|f| f.file_name().unwrap().to_string_lossy().into_owned()).collect();
    for expected in
        ["about.csv", "members.csv", "receipts.csv", "receipt_payments.csv", "wallet_ledger.csv", "audit_log.csv"]
    {
        assert!(names.contains(&expected.to_string()), "{expected} in {names:?}");
    }
    let (h, members) = read_csv(&dir.join("members.csv"));
    assert_eq!(members.iter().map(|m| m[column(&h, "name")].as_str()).collect::<Vec<_>>(), ["陳怡君", "林小美"]);
    let amy_row = members.iter().find(|m| m[column(&h, "id")] == amy.to_string()).unwrap();
    assert_eq!(amy_row[column(&h, "wallet_paid_minor")], "880");
    // Times are the shop's local time: noon in Taipei.
    assert_eq!(amy_row[column(&h, "joined_at")], "2026-03-10 12:00:00");
    let (h, ledger) = read_csv(&dir.join("wallet_ledger.csv"));
    let sum: i64 = ledger
        .iter()
        .filter(|r| r[column(&h, "member_id")] == amy.to_string())
        .map(|r| r[column(&h, "paid_delta_minor")].parse::<i64>().unwrap())
        .sum();
    assert_eq!(sum, 880, "the ledger adds up to the balance");
    let (h, receipts) = read_csv(&dir.join("receipts.csv"));
    assert_eq!(receipts.len(), 3);
    assert_eq!(receipts[2][column(&h, "total_minor")], "80");
    // The export is in the audit log.
    assert!(shop.store.audit_log(&regulars::AuditFilter::default()).unwrap().iter().any(|e| e.kind == "export"));
}

#[test]
fn one_members_data_holds_theirs_alone() {
    let (shop, amy, ben) = shop_with_history();
    let dir = shop.dir.path().join("amy");
    regulars::exports::write_csv_folder(&shop.store, &dir, Some(amy), noon()).unwrap();
    let (h, members) = read_csv(&dir.join("members.csv"));
    assert_eq!(members.len(), 1);
    assert_eq!(members[0][column(&h, "name")], "陳怡君");
    let (h, receipts) = read_csv(&dir.join("receipts.csv"));
    assert_eq!(receipts.len(), 2, "her top-up and sale");
    assert!(receipts.iter().all(|r| r[column(&h, "member_id")] == amy.to_string()));
    let (_, payments) = read_csv(&dir.join("receipt_payments.csv"));
    assert_eq!(payments.len(), 2);
    assert!(!dir.join("products.csv").exists(), "the shop's own tables are not hers");
    assert!(shop.store.member(ben).is_ok());
}

#[test]
fn the_workbook_has_a_sheet_per_table_and_a_long_table_goes_on_in_more_sheets() {
    let (shop, _, _) = shop_with_history();
    let sheets = |bytes: &[u8]| bytes.windows(19).filter(|w| w == b"xl/worksheets/sheet").count();
    let whole = regulars::exports::workbook(&shop.store, None, noon()).unwrap();
    assert!(whole.starts_with(b"PK"), "an .xlsx is a zip file");
    // Each sheet's name appears twice in a zip (its local header and the directory).
    let tables = sheets(&whole) / 2;
    assert_eq!(tables, 19, "about and the 18 tables");
    // At two rows a sheet, the three receipts take two sheets.
    let split = regulars::exports::workbook_with_limit(&shop.store, None, noon(), 2).unwrap();
    assert!(sheets(&split) / 2 > tables);
}

#[test]
fn the_cli_writes_a_folder_of_csv_files_or_one_workbook() {
    let shop = CliShop::new();
    shop.ok(&["member", "add", "--name", "陳怡君", "--phone", "0912345678"]);
    shop.ok(&["sale", "0912345678", "--total", "100"]);
    let dir = shop.dir.path().join("csv");
    let out = shop.json(&["export", "all", "--csv", dir.to_str().unwrap()]);
    assert!(out["files"].as_array().unwrap().len() >= 10);
    let book = shop.dir.path().join("all.xlsx");
    let out = shop.json(&["export", "member", "0912345678", "--xlsx", book.to_str().unwrap()]);
    assert!(out["bytes"].as_u64().unwrap() > 1000);
    assert!(std::fs::read(&book).unwrap().starts_with(b"PK"));
}
