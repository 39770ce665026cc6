//! The shop's settings: name and contact for receipts, currency, time zone.

use crate::error::{check_len, Error, Reason, Result};
use crate::money::Currency;
use crate::receipt::PaymentMethod;
use chrono::{DateTime, NaiveDate, Utc};
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ShopSettings {
    pub name: String,
    pub address: String,
    pub phone: String,
    pub currency: Currency,
    pub time_zone: String,
    pub receipt_footer: String,
    /// The paper receipts are printed on.
    pub receipt_paper: PaperSize,
    /// Print the receipt after each checkout without asking.
    pub auto_print: bool,
    /// The system printer for receipts ('' = the default printer).
    pub printer_name: String,
    /// A CJK-capable font file for receipts ('' = find one on the system).
    pub receipt_font_path: String,
}

/// Paper sizes receipts print on: thermal rolls 58 and 80 mm wide (the page
/// as long as the receipt), or A4 / A5 sheets for invoices kept on file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub enum PaperSize {
    Mm58,
    Mm80,
    A4,
    A5,
}

impl PaperSize {
    pub fn as_db(self) -> &'static str {
        match self {
            PaperSize::Mm58 => "mm58",
            PaperSize::Mm80 => "mm80",
            PaperSize::A4 => "a4",
            PaperSize::A5 => "a5",
        }
    }

    /// Reads the stored value; the schema's CHECK allows nothing else.
    pub fn from_db(s: &str) -> PaperSize {
        match s {
            "mm58" => PaperSize::Mm58,
            "a4" => PaperSize::A4,
            "a5" => PaperSize::A5,
            _ => PaperSize::Mm80,
        }
    }

    /// Parses what a person types: `58`, `80`, `a4`, `a5` (also `58mm`).
    pub fn parse(s: &str) -> Result<PaperSize> {
        match s.trim().to_ascii_lowercase().trim_end_matches("mm").trim_start_matches("mm") {
            "58" => Ok(PaperSize::Mm58),
            "80" => Ok(PaperSize::Mm80),
            "a4" => Ok(PaperSize::A4),
            "a5" => Ok(PaperSize::A5),
            _ => Err(Error::InvalidInput { field: "paper", reason: format!("{s:?}: use 58, 80, a4 or a5").into() }),
        }
    }

    /// Page width in millimetres.
    pub fn width_mm(self) -> f32 {
        match self {
            PaperSize::Mm58 => 58.0,
            PaperSize::Mm80 => 80.0,
            PaperSize::A4 => 210.0,
            PaperSize::A5 => 148.0,
        }
    }
}

/// A change to the settings; `None` leaves a field as it is.
#[derive(Debug, Clone, Default, Deserialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct SettingsPatch {
    pub name: Option<String>,
    pub address: Option<String>,
    pub phone: Option<String>,
    pub currency: Option<String>,
    pub time_zone: Option<String>,
    pub receipt_footer: Option<String>,
    pub receipt_paper: Option<PaperSize>,
    pub auto_print: Option<bool>,
    pub printer_name: Option<String>,
    pub receipt_font_path: Option<String>,
}

impl ShopSettings {
    pub fn tz(&self) -> Tz {
        parse_time_zone(&self.time_zone).unwrap_or(chrono_tz::Asia::Taipei)
    }

    /// The calendar date at `now` in the shop's time zone.
    pub fn local_date(&self, now: DateTime<Utc>) -> NaiveDate {
        now.with_timezone(&self.tz()).date_naive()
    }

    /// The UTC instants (ms) at which `date` starts and ends in the shop's zone.
    pub fn day_bounds_ms(&self, date: NaiveDate) -> (i64, i64) {
        let tz = self.tz();
        let start = |d: NaiveDate| {
            let naive = d.and_hms_opt(0, 0, 0).expect("midnight exists as a naive time");
            // A zone may skip midnight (DST): take the earliest valid instant after it.
            (0..4)
                .find_map(|h| {
                    naive
                        .checked_add_signed(chrono::Duration::hours(h))
                        .and_then(|n| n.and_local_timezone(tz).earliest())
                })
                .map(|t| t.with_timezone(&Utc).timestamp_millis())
                .unwrap_or_else(|| naive.and_utc().timestamp_millis())
        };
        let next = date.succ_opt().unwrap_or(date);
        (start(date), start(next))
    }
}

impl SettingsPatch {
    pub fn apply(&self, current: &ShopSettings) -> Result<ShopSettings> {
        let text = |field: &'static str, v: &Option<String>, cur: &str, max: usize| -> Result<String> {
            let s = v.as_deref().unwrap_or(cur).trim().to_string();
            check_len(field, &s, max)?;
            Ok(s)
        };
        let name = text("shop name", &self.name, &current.name, 80)?;
        if name.is_empty() {
            return Err(Error::EmptyField { field: "shop name" });
        }
        let currency = match &self.currency {
            Some(c) => Currency::from_code(c)?,
            None => current.currency.clone(),
        };
        let time_zone = match &self.time_zone {
            Some(z) => parse_time_zone(z)?.name().to_string(),
            None => current.time_zone.clone(),
        };
        Ok(ShopSettings {
            name,
            address: text("address", &self.address, &current.address, 200)?,
            phone: text("shop phone", &self.phone, &current.phone, 40)?,
            currency,
            time_zone,
            receipt_footer: text("receipt footer", &self.receipt_footer, &current.receipt_footer, 500)?,
            receipt_paper: self.receipt_paper.unwrap_or(current.receipt_paper),
            auto_print: self.auto_print.unwrap_or(current.auto_print),
            printer_name: text("printer", &self.printer_name, &current.printer_name, 200)?,
            receipt_font_path: text("receipt font", &self.receipt_font_path, &current.receipt_font_path, 1000)?,
        })
    }
}

/// One of the shop's payment methods: a name the owner gives (empty: the
/// kind's own word, 現金 / 现金 / Cash, in the reader's language), a kind,
/// its place in the checkout's row, and whether the checkout offers it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ShopPaymentMethod {
    pub id: i64,
    pub kind: PaymentMethod,
    pub name: String,
    pub sort_order: i64,
    pub active: bool,
    /// Receipts were paid with it: it can be turned off, never removed.
    pub used: bool,
}

/// A payment method to add (`id` none) or to change: its name, kind and
/// whether it is on. A method receipts use keeps its kind.
#[derive(Debug, Clone, Deserialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct PaymentMethodInput {
    #[serde(default)]
    pub id: Option<i64>,
    pub kind: PaymentMethod,
    pub name: String,
    pub active: bool,
}

pub const MAX_PAYMENT_METHOD_NAME: usize = 30;
pub const MAX_PAYMENT_METHODS: usize = 30;

impl PaymentMethodInput {
    /// The kind and the cleaned name; stored value is no method of the shop's.
    pub fn validate(&self) -> Result<(PaymentMethod, String)> {
        if !PaymentMethod::SHOP_KINDS.contains(&self.kind) {
            return Err(Error::UnknownPaymentMethod(self.kind.as_db().to_string()));
        }
        let name = self.name.trim().to_string();
        check_len("payment method name", &name, MAX_PAYMENT_METHOD_NAME)?;
        if name.chars().any(char::is_control) {
            return Err(Error::InvalidInput { field: "payment method name", reason: Reason::ControlCharacters });
        }
        Ok((self.kind, name))
    }
}

/// A payment method Settings offers to add in one click.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct SuggestedPaymentMethod {
    pub kind: PaymentMethod,
    pub name: String,
}

/// Payment methods shops that take this currency commonly offer beside
/// cash and cards, named as their customers know them, less those the
/// shop already has by that name.
pub fn suggestions_for(currency_code: &str, have: &[ShopPaymentMethod]) -> Vec<SuggestedPaymentMethod> {
    suggested_payment_methods(currency_code)
        .into_iter()
        .filter(|(_, name)| !have.iter().any(|m| m.name == *name))
        .map(|(kind, name)| SuggestedPaymentMethod { kind, name: name.to_string() })
        .collect()
}

/// Payment methods shops that take this currency commonly offer beside
/// cash and cards, named as their customers know them.
pub fn suggested_payment_methods(currency_code: &str) -> Vec<(PaymentMethod, &'static str)> {
    use PaymentMethod::{Card, EWallet, Transfer};
    match currency_code {
        "TWD" => vec![
            (EWallet, "LINE Pay"),
            (EWallet, "街口支付"),
            (Card, "悠遊卡/一卡通"),
            (EWallet, "台灣Pay"),
            (Transfer, "銀行轉帳"),
        ],
        "HKD" => vec![
            (Card, "八達通"),
            (EWallet, "Alipay HK"),
            (EWallet, "WeChat Pay HK"),
            (EWallet, "PayMe"),
            (Transfer, "轉數快 FPS"),
        ],
        "MOP" => vec![(EWallet, "MPay"), (Card, "澳門通"), (EWallet, "支付寶"), (EWallet, "微信支付")],
        "CNY" => vec![(EWallet, "微信支付"), (EWallet, "支付宝"), (Card, "银联"), (Transfer, "银行转账")],
        _ => vec![(EWallet, "Alipay"), (EWallet, "WeChat Pay"), (Transfer, "Bank transfer")],
    }
}

pub fn parse_time_zone(name: &str) -> Result<Tz> {
    name.trim().parse::<Tz>().map_err(|_| Error::UnknownTimeZone(name.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn settings(tz: &str) -> ShopSettings {
        ShopSettings {
            name: "s".into(),
            address: String::new(),
            phone: String::new(),
            currency: Currency::from_code("TWD").unwrap(),
            time_zone: tz.into(),
            receipt_footer: String::new(),
            receipt_paper: PaperSize::Mm80,
            auto_print: false,
            printer_name: String::new(),
            receipt_font_path: String::new(),
        }
    }

    #[test]
    fn the_shop_day_follows_its_time_zone() {
        let s = settings("Asia/Taipei");
        // 2026-11-26 17:30 UTC is already 01:30 on the 27th in Taipei.
        let now = DateTime::parse_from_rfc3339("2026-11-26T17:30:00Z").unwrap().with_timezone(&Utc);
        assert_eq!(s.local_date(now), NaiveDate::from_ymd_opt(2026, 11, 27).unwrap());
        let (start, end) = s.day_bounds_ms(NaiveDate::from_ymd_opt(2026, 11, 27).unwrap());
        assert_eq!(end - start, 24 * 3600 * 1000);
        assert_eq!(start, DateTime::parse_from_rfc3339("2026-11-26T16:00:00Z").unwrap().timestamp_millis());
    }

    #[test]
    fn daylight_saving_days_are_23_or_25_hours() {
        let s = settings("America/New_York");
        let (a, b) = s.day_bounds_ms(NaiveDate::from_ymd_opt(2026, 3, 8).unwrap());
        assert_eq!(b - a, 23 * 3600 * 1000);
        let (a, b) = s.day_bounds_ms(NaiveDate::from_ymd_opt(2026, 11, 1).unwrap());
        assert_eq!(b - a, 25 * 3600 * 1000);
    }

    #[test]
    fn a_payment_method_is_a_shop_kind_with_a_short_clean_name() {
        let input = |kind, name: &str| PaymentMethodInput { id: None, kind, name: name.into(), active: true };
        assert_eq!(
            input(PaymentMethod::EWallet, "  LINE Pay ").validate().unwrap(),
            (PaymentMethod::EWallet, "LINE Pay".into())
        );
        assert_eq!(input(PaymentMethod::StoredValue, "儲值").validate().unwrap_err().code(), "UnknownPaymentMethod");
        assert_eq!(input(PaymentMethod::Card, &"卡".repeat(31)).validate().unwrap_err().code(), "TextTooLong");
        assert_eq!(input(PaymentMethod::Card, "a\tb").validate().unwrap_err().code(), "InvalidInput");
    }

    #[test]
    fn suggested_methods_follow_the_currency() {
        let names = |c| suggested_payment_methods(c).into_iter().map(|(_, n)| n).collect::<Vec<_>>();
        assert!(names("TWD").contains(&"LINE Pay") && names("TWD").contains(&"街口支付"));
        assert!(names("HKD").contains(&"八達通") && names("HKD").contains(&"Alipay HK"));
        assert!(names("CNY").contains(&"微信支付") && names("CNY").contains(&"支付宝"));
        assert!(suggested_payment_methods("TWD").iter().all(|(k, _)| PaymentMethod::SHOP_KINDS.contains(k)));
    }

    #[test]
    fn unknown_zones_and_currencies_are_refused() {
        let s = settings("Asia/Taipei");
        let bad_tz = SettingsPatch { time_zone: Some("Mars/Olympus".into()), ..Default::default() };
        assert_eq!(bad_tz.apply(&s).unwrap_err().code(), "UnknownTimeZone");
        let bad_cur = SettingsPatch { currency: Some("ABC".into()), ..Default::default() };
        assert_eq!(bad_cur.apply(&s).unwrap_err().code(), "UnknownCurrency");
    }
}
