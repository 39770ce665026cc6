//! The `regulars` CLI run as an owner or a support person would run it:
//! a shop's whole day, and bad input that must change nothing.

use serde_json::Value;
use std::process::Command;

use crate::common::CliShop as Shop;

impl Shop {
    /// Everything a user could see of the shop's state.
    fn snapshot(&self) -> Value {
        let members: Vec<Value> = (1..=3)
            .filter_map(|i| {
                let out = self.run(&["member", "show", &format!("M{i:06}"), "--json"]);
                out.status.success().then(|| serde_json::from_slice(&out.stdout).expect("json"))
            })
            .collect();
        serde_json::json!({
            "history": self.json(&["history", "--limit", "1000"]),
            "members": members,
            "audit": self.json(&["audit"]),
        })
    }
}

fn wallet(card: &Value) -> (i64, i64) {
    (card["wallet"]["paidMinor"].as_i64().unwrap(), card["wallet"]["bonusMinor"].as_i64().unwrap())
}

fn stamps(card: &Value) -> i64 {
    card["stampCards"][0]["stamps"].as_i64().unwrap()
}

fn set_up_tea_shop(shop: &Shop) {
    shop.ok(&["bonus", "set", "--min", "1000", "--bonus", "100"]);
    shop.ok(&["program", "add", "--name", "飲料卡", "--stamps", "10", "--reward", "任選飲品一杯", "--earn", "item"]);
    shop.ok(&[
        "member",
        "add",
        "--name",
        "王小明",
        "--phone",
        "0912-345-678",
        "--birthday",
        "03-15",
        "--request-id",
        "reg-1",
    ]);
}

#[test]
fn a_shops_day_through_the_cli_keeps_balances_and_receipts_right() {
    let shop = Shop::new();
    set_up_tea_shop(&shop);

    let topup = shop.json(&["topup", "0912345678", "1000", "--request-id", "t-1"]);
    assert_eq!(topup["number"], 1);
    assert_eq!(topup["bonusMinor"], 100);
    assert_eq!(wallet(&shop.json(&["member", "show", "M000001"])), (1000, 100));

    // Found by the last four digits of the phone; pays with stored value.
    let sale = shop.json(&[
        "sale",
        "5678",
        "--item",
        "珍珠奶茶:2:60",
        "--item",
        "蛋糕:1:30:nostamp",
        "--pay",
        "stored_value:150",
        "--request-id",
        "s-1",
    ]);
    assert_eq!(sale["number"], 2);
    assert_eq!(sale["totalMinor"], 150);
    assert_eq!(sale["stamps"][0]["earned"], 2, "two drinks earn two stamps, the cake none");
    let card = shop.json(&["member", "show", "M000001"]);
    assert_eq!(wallet(&card), (850, 100), "a spend draws the paid part first");
    assert_eq!(stamps(&card), 2);

    // The till is double-clicked: the same request id debits once.
    let again = shop.json(&[
        "sale",
        "5678",
        "--item",
        "珍珠奶茶:2:60",
        "--item",
        "蛋糕:1:30:nostamp",
        "--pay",
        "stored_value:150",
        "--request-id",
        "s-1",
    ]);
    assert_eq!(again["number"], 2);
    assert_eq!(wallet(&shop.json(&["member", "show", "M000001"])), (850, 100));

    // Eight more drinks fill the card; the reward is redeemed; extra stamps roll over.
    shop.json(&["sale", "M000001", "--item", "四季春:9:35", "--pay", "cash:315", "--request-id", "s-2"]);
    assert_eq!(stamps(&shop.json(&["member", "show", "M000001"])), 11);
    let redeem = shop.json(&["redeem", "M000001", "--program", "1", "--request-id", "r-1"]);
    assert_eq!(redeem["stamps"][0]["stampsAfter"], 1);
    let err = shop.fails(&["redeem", "M000001", "--program", "1", "--request-id", "r-2"]);
    assert!(err.contains("not full"), "{err}");

    // The sale's stamps went into that reward, so its void is refused until
    // the redemption itself is voided; then the sale's void restores the
    // wallet and takes back its two stamps, once.
    let err = shop.fails(&["void", "2", "--reason", "wrong member", "--request-id", "v-0"]);
    assert!(err.contains("redeemed since, on receipt 4: void receipt 4 first"), "{err}");
    let void_redeem = shop.json(&["void", "4", "--reason", "reward not given", "--request-id", "v-1"]);
    assert_eq!(void_redeem["stamps"][0]["stampsAfter"], 11);
    let void = shop.json(&["void", "2", "--reason", "wrong member", "--request-id", "v-2"]);
    assert_eq!(void["voidsNumber"], 2);
    let card = shop.json(&["member", "show", "M000001"]);
    assert_eq!(wallet(&card), (1000, 100));
    assert_eq!(stamps(&card), 9);
    let err = shop.fails(&["void", "2", "--reason", "again", "--request-id", "v-3"]);
    assert!(err.contains("already been voided"), "{err}");

    // The day's float balances, and every receipt can be shown again.
    let float = shop.json(&["report", "float"]);
    assert_eq!(float["topUps"]["paidMinor"], 1000);
    assert_eq!(float["topUps"]["bonusMinor"], 100);
    assert_eq!(float["closing"]["paidMinor"], 1000);
    assert_eq!(float["closing"]["bonusMinor"], 100);
    // Closing the till: two sales, one voided; the cash drawer holds the
    // cash sale and the top-up; the stored-value sale and its void cancel.
    let day = shop.json(&["report", "day"]);
    assert_eq!((day["sales"]["count"].as_i64(), day["sales"]["amountMinor"].as_i64()), (Some(2), Some(465)));
    assert_eq!(day["voidedSales"]["amountMinor"], 150);
    assert_eq!(day["topUps"]["amountMinor"], 1000);
    assert_eq!((day["stampsGiven"].as_i64(), day["rewardsRedeemed"].as_i64()), (Some(9), Some(0)));
    assert_eq!(day["methods"][0]["method"], "cash");
    assert_eq!(day["methods"][0]["netMinor"], 1315);
    assert_eq!(day["methods"][1]["method"], "storedValue");
    assert_eq!(day["methods"][1]["netMinor"], 0);
    assert!(shop.ok(&["report", "day"]).contains("Day close for"));
    let history = shop.json(&["history", "M000001"]);
    let numbers: Vec<i64> = history.as_array().unwrap().iter().map(|r| r["number"].as_i64().unwrap()).collect();
    assert_eq!(numbers, vec![6, 5, 4, 3, 2, 1]);
    assert!(shop.ok(&["receipt", "show", "2"]).contains("voided by receipt #6"));
    assert!(shop.ok(&["audit"]).starts_with("ok"));
}

#[test]
fn bad_input_gets_a_one_line_error_and_changes_nothing() {
    let shop = Shop::new();
    set_up_tea_shop(&shop);
    shop.ok(&["topup", "M000001", "500", "--request-id", "t-1"]);
    let before = shop.snapshot();

    let cases: Vec<(Vec<&str>, &str)> = vec![
        (vec!["topup", "M000001", "-500"], "malformed amount"),
        (vec!["topup", "M000001", "0"], "must be a positive amount"),
        (vec!["topup", "M000001", "99999999999999999999"], "malformed amount"),
        (vec!["topup", "M000001", "100000000001"], "too large"),
        (vec!["topup", "M000001", "12.5"], "malformed amount"),
        (vec!["topup", "M999999", "100"], "member not found"),
        (vec!["sale", "M000001", "--total", "600", "--pay", "stored_value:600"], "insufficient stored value"),
        (vec!["sale", "M000001", "--total", "100", "--pay", "cash:-100"], "malformed amount"),
        (vec!["sale", "M000001", "--total", "100", "--pay", "cash:50"], "add up to 50"),
        (vec!["sale", "M000001", "--total", "0"], "must be a positive amount"),
        (vec!["refund", "M000001", "501"], "insufficient stored value"),
        (vec!["adjust", "M000001", "--paid", "-501", "--reason", "typo"], "insufficient stored value"),
        (vec!["adjust", "M000001", "--paid", "10", "--reason", " "], "reason must not be empty"),
        (vec!["void", "99", "--reason", "x"], "receipt not found"),
        (vec!["member", "add", "--name", "阿華", "--phone", "0912-abc"], "malformed phone"),
        (vec!["member", "add", "--name", "阿華", "--phone", "+886 912 345 678"], "already belongs to member M000001"),
        (vec!["member", "add", "--name", "阿華", "--birthday", "02-30"], "no such day"),
        (vec!["member", "add", "--name", "阿華", "--birthday", "1990-13-01"], "malformed date"),
        (vec!["member", "add", "--name", ""], "name must not be empty"),
        (vec!["settings", "set", "--currency", "HKD"], "cannot change once money"),
        (vec!["settings", "set", "--time-zone", "Asia/Nowhere"], "unknown time zone"),
    ];
    for (args, expected) in cases {
        let err = shop.fails(&args);
        assert!(err.contains(expected), "regulars {args:?}: expected {expected:?} in {err:?}");
        assert_eq!(shop.snapshot(), before, "regulars {args:?} changed the shop");
    }

    // A 1 MB name cannot come in through a command line; it can through an import.
    let csv = shop.dir.path().join("big.csv");
    std::fs::write(&csv, format!("name,phone\n{},0922000111\n", "名".repeat(1 << 20))).unwrap();
    let err = shop.fails(&["import", "members", csv.to_str().unwrap()]);
    assert!(err.contains("too long"), "{err}");
    assert_eq!(shop.snapshot(), before);
}

#[test]
fn odd_names_are_kept_literally_and_found_again() {
    let shop = Shop::new();
    for (i, name) in ["Robert'); DROP TABLE members;--", "珍珠🧋奶茶控", "%_\\*\"quoted\""].iter().enumerate() {
        let m = shop.json(&["member", "add", "--name", name, "--request-id", &format!("odd-{i}")]);
        assert_eq!(m["name"].as_str(), Some(*name));
        let found = shop.json(&["member", "find", name]);
        assert_eq!(found["hits"][0]["name"].as_str(), Some(*name), "searching {name:?}");
    }
    let found = shop.json(&["member", "find", "%"]);
    assert_eq!(found["hits"].as_array().unwrap().len(), 1, "% is a literal, not a wildcard");
    assert_eq!(found["matched"].as_i64(), Some(1));
    assert!(shop.ok(&["audit"]).starts_with("ok"));
}

#[test]
fn errors_come_as_json_with_a_stable_code_when_asked() {
    let shop = Shop::new();
    let out = shop.run(&["member", "show", "M000042", "--json"]);
    assert!(!out.status.success());
    let err: Value = serde_json::from_slice(&out.stderr).expect("JSON error on stderr");
    assert_eq!(err["error"]["code"], "MemberNotFound");
}

#[test]
fn a_receipt_can_be_written_as_pdf_for_each_paper_and_an_unknown_one_is_refused() {
    let shop = Shop::new();
    set_up_tea_shop(&shop);
    shop.ok(&["topup", "M000001", "1000", "--request-id", "t-1"]);
    for width in ["58", "80", "a4"] {
        let out = shop.dir.path().join(format!("r1-{width}.pdf"));
        let summary = shop.json(&["receipt", "pdf", "1", "--width", width, "-o", out.to_str().unwrap()]);
        let bytes = std::fs::read(&out).unwrap();
        assert!(bytes.starts_with(b"%PDF-"), "{width}: not a PDF");
        assert_eq!(summary["bytes"].as_u64(), Some(bytes.len() as u64));
        assert_eq!(summary["pages"], 1);
    }
    let out = shop.dir.path().join("nope.pdf");
    let err = shop.fails(&["receipt", "pdf", "42", "-o", out.to_str().unwrap()]);
    assert!(err.contains("receipt not found"), "{err}");
    assert!(!out.exists(), "no file for an unknown receipt");
    let err = shop.fails(&["receipt", "pdf", "1", "--width", "57", "-o", out.to_str().unwrap()]);
    assert!(err.contains("use 58, 80, a4 or a5"), "{err}");
}

#[test]
fn a_backup_is_made_listed_and_restored_and_a_non_backup_refused() {
    let shop = Shop::new();
    shop.ok(&["member", "add", "--name", "林小美", "--phone", "0912345678"]);
    shop.ok(&["topup", "M000001", "1000", "--request-id", "t-1"]);
    let dir = shop.db.with_file_name("backups");
    let dir_arg = dir.to_str().unwrap();
    let made = shop.json(&["backup", "--dir", dir_arg]);
    assert_eq!((made["members"].as_i64(), made["receipts"].as_i64()), (Some(1), Some(1)));
    shop.ok(&["topup", "M000001", "500", "--request-id", "t-2"]);
    let listed = shop.json(&["backup", "--dir", dir_arg, "--list"]);
    assert_eq!(listed.as_array().map(Vec::len), Some(1));

    let restored = shop.json(&["restore", made["path"].as_str().unwrap(), "--dir", dir_arg]);
    assert_eq!(restored["restored"]["receipts"].as_i64(), Some(1));
    let balance = shop.json(&["member", "show", "M000001"]);
    assert_eq!(balance["wallet"]["totalMinor"].as_i64(), Some(1000), "{balance}");
    // The 500 top-up is kept in the copy the restore saved first.
    let listed = shop.json(&["backup", "--dir", dir_arg, "--list"]);
    let saved = listed.as_array().unwrap().iter().find(|b| b["fileName"].as_str().unwrap().contains("before-restore"));
    assert_eq!(saved.and_then(|b| b["receipts"].as_i64()), Some(2), "{listed}");

    let err = shop.fails(&["restore", shop.db.to_str().unwrap().replace("shop.db", "nothing.db").as_str()]);
    assert!(err.contains("not a usable Regulars backup"), "{err}");
    assert_eq!(shop.json(&["member", "show", "M000001"])["wallet"]["totalMinor"].as_i64(), Some(1000));
}

#[test]
fn the_owner_names_payment_methods_and_the_day_report_counts_them_and_the_drawer() {
    let shop = Shop::new();
    shop.ok(&["member", "add", "--name", "林小姐", "--phone", "0912-345-678"]);
    shop.ok(&["program", "add", "--name", "飲料卡", "--stamps", "10", "--reward", "飲料一杯", "--earn", "item"]);
    let listed = shop.ok(&["methods", "add", "--kind", "e_wallet", "--name", "LINE Pay"]);
    assert!(listed.contains("LINE Pay") && listed.contains("e_wallet"), "{listed}");
    let receipt = shop.ok(&[
        "sale",
        "0912345678",
        "--total",
        "150",
        "--pay",
        "LINE Pay:100",
        "--pay",
        "cash:50",
        "--tendered",
        "100",
    ]);
    assert!(receipt.contains("paid by LINE Pay: NT$100"), "{receipt}");
    assert!(receipt.contains("tendered NT$100, change NT$50"), "{receipt}");
    assert!(shop
        .fails(&["sale", "0912345678", "--total", "80", "--pay", "街口支付:80"])
        .contains("unknown payment method"));
    // A typed total earns a per-item card's stamp at once, as the checkout does.
    assert!(shop.ok(&["member", "show", "M000001"]).contains("飲料卡: 1/10"));

    let count = shop.ok(&["drawer", "count", "--float", "1000", "--counted", "1030"]);
    assert!(count.contains("expected NT$1,050") && count.contains("short by NT$20"), "{count}");
    assert!(shop.fails(&["drawer", "count", "--counted", "-5"]).contains("cannot be negative"));

    let day = shop.ok(&["report", "day"]);
    let line_pay = day.lines().find(|l| l.starts_with("LINE Pay")).unwrap_or_else(|| panic!("{day}"));
    assert!(line_pay.ends_with("NT$100"), "{line_pay}");
    assert!(day.contains("short by NT$20"), "{day}");
    let json = shop.json(&["report", "day"]);
    assert_eq!(json["drawer"]["overShortMinor"], -20);
    assert_eq!(json["drawerCounts"], 1);
}

#[test]
fn a_shop_initialised_from_the_command_line_is_set_up_and_the_app_skips_its_welcome() {
    let shop = Shop::new();
    assert!(regulars::Store::open(&shop.db).unwrap().is_set_up().unwrap());
    // A bare `settings set` on a new database is not a setup.
    let dir = tempfile::tempdir().unwrap();
    let other = dir.path().join("other.db");
    let out = Command::new(env!("CARGO_BIN_EXE_regulars"))
        .arg("--db")
        .arg(&other)
        .args(["settings", "set", "--name", "新店"])
        .env_remove("REGULARS_DB")
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(!regulars::Store::open(&other).unwrap().is_set_up().unwrap());
}
