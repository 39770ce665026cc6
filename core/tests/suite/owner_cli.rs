//! `regulars report …` for the owner's view, as an owner's script runs it.

use serde_json::Value;

use crate::common::CliShop as Shop;

#[test]
fn the_owners_reports_come_as_tables_json_and_csv() {
    let shop = Shop::new();
    shop.ok(&[
        "member",
        "add",
        "--name",
        "王小明",
        "--phone",
        "0912345678",
        "--birthday",
        "02-29",
        "--request-id",
        "m1",
    ]);
    shop.ok(&["member", "add", "--name", "陳, \"阿\"華", "--phone", "0922000111", "--request-id", "m2"]);
    shop.ok(&["sale", "M000001", "--total", "120", "--pay", "cash:120", "--request-id", "s1"]);
    shop.ok(&["topup", "M000002", "500", "--request-id", "t1"]);

    let nes = shop.json(&["report", "nes"]);
    let count = |code: &str| {
        nes["counts"].as_array().unwrap().iter().find(|c| c["segment"] == code).unwrap()["members"].clone()
    };
    assert_eq!((count("N"), count("none")), (Value::from(1), Value::from(1)));
    let vip = shop.json(&["report", "vip"]);
    assert_eq!((vip["total"].as_i64(), vip["rows"][0]["memberNo"].as_str()), (Some(1), Some("M000001")));
    let dash = shop.json(&["report", "dashboard"]);
    assert_eq!(dash["storedValue"]["paidMinor"], 500);
    assert_eq!(dash["weeks"].as_array().unwrap().len(), 12);
    let pareto = shop.json(&["report", "pareto"]);
    assert_eq!(pareto["topShareBp"], 10_000);
    assert!(shop.json(&["report", "rfm"])["segments"].as_array().unwrap().len() == 11);
    assert!(shop.json(&["report", "lapsed"])["rows"].as_array().unwrap().is_empty());
    assert!(shop.json(&["report", "due"])["rows"].as_array().unwrap().is_empty());
    shop.json(&["report", "birthdays", "--window", "month"]);
    shop.json(&["report", "winback"]);
    shop.json(&["report", "tiers", "list"]);
    shop.json(&["report", "tiers", "review"]);
    shop.json(&["report", "thresholds"]);

    let csv = shop.ok_bytes(&["report", "nes", "--csv"]);
    assert_eq!(&csv[..3], b"\xef\xbb\xbf", "a BOM so Excel reads UTF-8");
    let text = String::from_utf8(csv[3..].to_vec()).unwrap();
    assert!(text.contains("\"陳, \"\"阿\"\"華\""), "quoted: {text}");
    let messages = shop.json(&["report", "nes", "--template", "{name}，您的儲值餘額 {balance}"]);
    let texts: Vec<&str> = messages.as_array().unwrap().iter().map(|m| m["text"].as_str().unwrap()).collect();
    assert!(texts.contains(&"陳, \"阿\"華，您的儲值餘額 NT$500"), "{texts:?}");

    let err = String::from_utf8(shop.run(&["report", "nes", "--segment", "S9"]).stderr).unwrap();
    assert!(err.contains("use N, E0, S1, S2, S3 or none"), "{err}");
    let err = String::from_utf8(shop.run(&["report", "nes", "--template", "{nmae}"]).stderr).unwrap();
    assert!(err.contains("unknown placeholder"), "{err}");
}
