//! Outreach text from templates, and CSV that Excel opens correctly.

use crate::error::{Error, Result};
use crate::language::ReceiptLanguage;
use chrono::DateTime;
use chrono_tz::Tz;

/// The placeholders a message template may use.
pub const PLACEHOLDERS: &[&str] =
    &["name", "balance", "stamps", "memberNo", "lastVisit", "tier", "shop", "points", "coupon", "couponExpiry"];

/// The values for one member's message (already formatted for people).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TemplateValues {
    pub name: String,
    pub balance: String,
    /// No stored value held: `{balance}` still reads "NT$0", but an
    /// optional `[…]` part that uses it is left out.
    pub balance_is_zero: bool,
    pub stamps: String,
    /// No stamp card started (`{stamps}` reads "0").
    pub stamps_are_zero: bool,
    pub member_no: String,
    pub last_visit: String,
    pub tier: String,
    pub shop: String,
    /// Points that can be redeemed now; "0" when none (or the shop gives none).
    pub points: String,
    pub points_are_zero: bool,
    /// The code of the member's usable coupon that runs out first, and its
    /// last day (`YYYY-MM-DD`); empty when they hold none.
    pub coupon: String,
    pub coupon_expiry: String,
}

impl TemplateValues {
    fn get(&self, key: &str) -> Option<&str> {
        Some(match key {
            "name" => &self.name,
            "balance" => &self.balance,
            "stamps" => &self.stamps,
            "memberNo" => &self.member_no,
            "lastVisit" => &self.last_visit,
            "tier" => &self.tier,
            "shop" => &self.shop,
            "points" => &self.points,
            "coupon" => &self.coupon,
            "couponExpiry" => &self.coupon_expiry,
            _ => return None,
        })
    }

    /// Whether `key` has nothing worth saying for this member: no stored
    /// value, no stamps, no tier, never visited.
    fn is_blank(&self, key: &str) -> bool {
        match key {
            "balance" => self.balance_is_zero,
            "stamps" => self.stamps_are_zero,
            "points" => self.points_are_zero,
            _ => self.get(key).is_none_or(|v| v.trim().is_empty()),
        }
    }
}

/// A template piece: literal text, a `{placeholder}`, or an optional part
/// `[…]` holding at least one placeholder.
#[derive(Debug, PartialEq, Eq)]
enum Piece<'a> {
    Text(&'a str),
    Key(&'a str),
    Optional(Vec<Piece<'a>>),
}

/// Splits a template into pieces. An optional part is `[` … `]` around text
/// with at least one placeholder (no nesting); brackets around plain text,
/// or without a partner, stay literal: "[限時]" is just text.
fn parse(template: &str) -> Vec<Piece<'_>> {
    let mut out = Vec::new();
    let mut rest = template;
    while let Some(open) = rest.find('[') {
        let inner_and_rest = &rest[open + 1..];
        let Some(close) = inner_and_rest.find(']') else { break };
        let inner = &inner_and_rest[..close];
        let inner_pieces: Vec<Piece<'_>> = pieces(inner)
            .into_iter()
            .map(|(is_key, text)| if is_key { Piece::Key(text) } else { Piece::Text(text) })
            .collect();
        if inner.contains('[') || !inner_pieces.iter().any(|p| matches!(p, Piece::Key(_))) {
            // Not an optional part: keep the `[` as text and look further on.
            push_plain(&mut out, &rest[..=open]);
            rest = inner_and_rest;
            continue;
        }
        push_plain(&mut out, &rest[..open]);
        out.push(Piece::Optional(inner_pieces));
        rest = &inner_and_rest[close + 1..];
    }
    push_plain(&mut out, rest);
    out
}

fn push_plain<'a>(out: &mut Vec<Piece<'a>>, text: &'a str) {
    out.extend(pieces(text).into_iter().map(|(is_key, t)| if is_key { Piece::Key(t) } else { Piece::Text(t) }));
}

/// Splits a template into literal text and `{placeholder}` names. Braces
/// around anything that is not a word stay literal text.
fn pieces(template: &str) -> Vec<(bool, &str)> {
    let mut out = Vec::new();
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        let after = &rest[open + 1..];
        match after.find('}') {
            Some(close) if close > 0 && after[..close].chars().all(|c| c.is_ascii_alphanumeric() || c == '_') => {
                out.push((false, &rest[..open]));
                out.push((true, &after[..close]));
                rest = &after[close + 1..];
            }
            _ => {
                out.push((false, &rest[..=open]));
                rest = after;
            }
        }
    }
    out.push((false, rest));
    out
}

/// Refuses a template with an unknown `{placeholder}` (a typo would
/// otherwise go out to every customer).
pub fn check_template(template: &str) -> Result<()> {
    for (is_key, text) in pieces(template) {
        if is_key && !PLACEHOLDERS.contains(&text) {
            return Err(Error::UnknownPlaceholder {
                name: text.to_string(),
                known: PLACEHOLDERS.iter().map(|p| format!("{{{p}}}")).collect::<Vec<_>>().join(" "),
            });
        }
    }
    Ok(())
}

/// The personalised text (the template must have passed [`check_template`];
/// unknown placeholders are left as written). An optional part `[…]` is
/// written without its brackets, or left out when any placeholder in it is
/// blank for this member: "[還有儲值餘額 {balance}，]" says nothing to a
/// member who holds no stored value.
pub fn render(template: &str, values: &TemplateValues) -> String {
    let mut out = String::with_capacity(template.len() + 32);
    write_pieces(&mut out, &parse(template), values);
    out
}

/// A Han character (or CJK punctuation): next to Latin text in a filled-in
/// value, such a character gets a space between, as Chinese typesetting
/// does: "Ivy Yang 您好", "您在 Regulars Tea 還有".
fn is_cjk(c: char) -> bool {
    matches!(c, '\u{4e00}'..='\u{9fff}' | '\u{3400}'..='\u{4dbf}')
}

/// Appends `text`, putting a space where Latin letters or digits meet Han
/// characters across the seam between a value and the template's text.
fn push_spaced(out: &mut String, text: &str) {
    if let (Some(before), Some(after)) = (out.chars().last(), text.chars().next()) {
        if (before.is_ascii_alphanumeric() && is_cjk(after)) || (is_cjk(before) && after.is_ascii_alphanumeric()) {
            out.push(' ');
        }
    }
    out.push_str(text);
}

fn write_pieces(out: &mut String, pieces: &[Piece<'_>], values: &TemplateValues) {
    for piece in pieces {
        match piece {
            Piece::Text(text) => push_spaced(out, text),
            Piece::Key(key) => match values.get(key) {
                Some(v) => push_spaced(out, v),
                None => {
                    out.push('{');
                    out.push_str(key);
                    out.push('}');
                }
            },
            Piece::Optional(inner) => {
                let blank = inner.iter().any(|p| matches!(p, Piece::Key(k) if values.is_blank(k)));
                if !blank {
                    write_pieces(out, inner, values);
                }
            }
        }
    }
}

/// One CSV cell.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Cell {
    Text(String),
    Int(i64),
    /// Minor units, written as a plain decimal (`1200`, `12.50`) that
    /// spreadsheets read as a number.
    Money(i64),
    /// A fixed code (segment, channel, outcome): written as is for scripts,
    /// as its name in the language of a labelled export.
    Code(&'static str),
    /// An instant (UTC ms): RFC 3339 in UTC for scripts, the shop's local
    /// date and time in a labelled export.
    Time(i64),
    /// A phone number as entered: as is for scripts; in a labelled export a
    /// bare Taiwan number is grouped (`0912-345-678`) so a spreadsheet keeps
    /// it as text with its leading 0.
    Phone(String),
    Empty,
}

impl Cell {
    pub fn opt_text(v: Option<impl ToString>) -> Cell {
        v.map_or(Cell::Empty, |v| Cell::Text(v.to_string()))
    }

    pub fn opt_int(v: Option<i64>) -> Cell {
        v.map_or(Cell::Empty, Cell::Int)
    }
}

/// A plain decimal of minor units: `decimal(1250, 2)` is `12.50`.
pub fn decimal(minor: i64, digits: u8) -> String {
    if digits == 0 {
        return minor.to_string();
    }
    let scale = 10u64.pow(u32::from(digits));
    let sign = if minor < 0 { "-" } else { "" };
    let abs = minor.unsigned_abs();
    format!("{sign}{}.{:0width$}", abs / scale, abs % scale, width = usize::from(digits))
}

/// Text a spreadsheet would run as a formula (`=`, `+`, `-`, `@` first),
/// prefixed with an apostrophe.
fn defused(text: String) -> String {
    if text.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{text}")
    } else {
        text
    }
}

/// A phone number a spreadsheet will not read as a number: bare Taiwan
/// mobile and landline numbers are grouped as they are written
/// (`0912-345-678`, `02-2700-1234`); anything else (already grouped, or
/// another country's) is left as entered.
pub fn spreadsheet_phone(phone: &str) -> String {
    let digits = phone.trim();
    if digits.len() != 10 || !digits.starts_with('0') || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return phone.to_string();
    }
    if digits.starts_with("09") {
        format!("{}-{}-{}", &digits[..4], &digits[4..7], &digits[7..])
    } else {
        format!("{}-{}-{}", &digits[..2], &digits[2..6], &digits[6..])
    }
}

/// Rows a list can be exported as.
pub trait CsvRow {
    fn csv_header() -> Vec<&'static str>;
    fn csv_cells(&self) -> Vec<Cell>;
}

/// CSV of `rows`: UTF-8 with a byte-order mark (so Excel reads Chinese
/// correctly), CRLF line ends, fields quoted when needed, and text that a
/// spreadsheet would run as a formula (`=`, `+`, `-`, `@` first) prefixed
/// with an apostrophe.
pub fn to_csv<R: CsvRow>(rows: &[R], minor_digits: u8) -> Vec<u8> {
    write_csv(&R::csv_header(), rows, minor_digits, None)
}

fn write_csv<R: CsvRow>(
    header: &[&str],
    rows: &[R],
    minor_digits: u8,
    people: Option<(ReceiptLanguage, Tz)>,
) -> Vec<u8> {
    let mut out = Vec::from("\u{feff}".as_bytes());
    {
        let mut w = csv::WriterBuilder::new().terminator(csv::Terminator::CRLF).from_writer(&mut out);
        // Writing to a Vec cannot fail.
        let _ = w.write_record(header);
        for r in rows {
            let cells: Vec<String> = r
                .csv_cells()
                .into_iter()
                .map(|c| match c {
                    Cell::Text(t) => defused(t),
                    Cell::Int(i) => i.to_string(),
                    Cell::Money(m) => decimal(m, minor_digits),
                    Cell::Code(code) => people.map_or(code, |(l, _)| code_name(code, l)).to_string(),
                    Cell::Time(ms) => match (DateTime::from_timestamp_millis(ms), people) {
                        (Some(t), Some((_, zone))) => t.with_timezone(&zone).format("%Y-%m-%d %H:%M").to_string(),
                        (Some(t), None) => t.to_rfc3339(),
                        (None, _) => String::new(),
                    },
                    Cell::Phone(p) if people.is_some() => defused(spreadsheet_phone(&p)),
                    Cell::Phone(p) => defused(p),
                    Cell::Empty => String::new(),
                })
                .collect();
            let _ = w.write_record(&cells);
        }
        let _ = w.flush();
    }
    out
}

/// Column headings in each language, by column key: (key, zh-TW, zh-CN, en).
const HEADINGS: &[(&str, &str, &str, &str)] = &[
    ("member_no", "會員編號", "会员编号", "Member no."),
    ("name", "姓名", "姓名", "Name"),
    ("phone", "電話", "电话", "Phone"),
    ("tier", "等級", "等级", "Tier"),
    ("tags", "標籤", "标签", "Tags"),
    ("segment", "回購分群", "回购分群", "Visit segment"),
    ("visits", "消費次數", "消费次数", "Visits"),
    ("spend", "累計消費", "累计消费", "Spend"),
    ("window_spend", "期間消費", "期间消费", "Spend in tier window"),
    ("last_visit", "最近消費日", "最近消费日", "Last visit"),
    ("days_since_last_visit", "未回購天數", "未回购天数", "Days away"),
    ("typical_gap_days", "平常回購週期（天）", "平常回购周期（天）", "Usual interval (days)"),
    ("stored_value", "儲值餘額", "储值余额", "Stored value"),
    ("last_contact_at", "最近聯繫時間", "最近联系时间", "Last contacted"),
    ("last_contact_channel", "聯繫方式", "联系方式", "Contact channel"),
    ("last_contact_outcome", "聯繫結果", "联系结果", "Contact outcome"),
    ("last_contact_note", "聯繫備註", "联系备注", "Contact note"),
    ("r", "R", "R", "R"),
    ("f", "F", "F", "F"),
    ("m", "M", "M", "M"),
    ("rfm_segment", "RFM 分群", "RFM 分群", "RFM segment"),
    ("birthday_date", "生日", "生日", "Birthday"),
    ("turning", "歲數", "岁数", "Turning"),
    ("greeting", "祝福訊息", "祝福消息", "Greeting"),
    ("predicted_date", "預計回購日", "预计回购日", "Expected back"),
    ("days_until", "距今天數", "距今天数", "In days"),
    ("cycle_days", "回購週期（天）", "回购周期（天）", "Cycle (days)"),
    ("product", "商品", "商品", "Product"),
    ("text", "訊息", "消息", "Message"),
    ("from_tier", "原等級", "原等级", "From tier"),
    ("to_tier", "新等級", "新等级", "To tier"),
    ("reason", "原因", "原因", "Reason"),
    ("contacted_at", "聯繫時間", "联系时间", "Contacted"),
    ("channel", "聯繫方式", "联系方式", "Channel"),
    ("outcome", "聯繫結果", "联系结果", "Outcome"),
    ("returned_at", "回來消費時間", "回来消费时间", "Came back"),
    ("visits_since", "之後消費次數", "之后消费次数", "Visits since"),
    ("spend_since", "之後消費金額", "之后消费金额", "Spend since"),
];

/// The heading of column `key` in `language` (the key itself when unknown).
pub fn heading(key: &'static str, language: ReceiptLanguage) -> &'static str {
    HEADINGS.iter().find(|h| h.0 == key).map_or(key, |h| match language {
        ReceiptLanguage::ZhTw => h.1,
        ReceiptLanguage::ZhCn => h.2,
        ReceiptLanguage::En => h.3,
    })
}

/// [`to_csv`] for people: headings and codes in `language` instead of the
/// keys, times in the shop's `zone` (scripts use the keys, codes and UTC).
pub fn to_csv_labelled<R: CsvRow>(rows: &[R], minor_digits: u8, language: ReceiptLanguage, zone: Tz) -> Vec<u8> {
    let header: Vec<&str> = R::csv_header().into_iter().map(|k| heading(k, language)).collect();
    write_csv(&header, rows, minor_digits, Some((language, zone)))
}

/// Names of the codes a list writes, by code: (code, zh-TW, zh-CN, en).
const CODE_NAMES: &[(&str, &str, &str, &str)] = &[
    ("N", "新客", "新客", "New"),
    ("E0", "活躍", "活跃", "Active"),
    ("S1", "瞌睡", "瞌睡", "Drowsy"),
    ("S2", "半睡", "半睡", "Half asleep"),
    ("S3", "沉睡", "沉睡", "Asleep"),
    ("none", "未消費", "未消费", "No visit yet"),
    ("champions", "最佳顧客", "最佳顾客", "Champions"),
    ("loyal", "忠誠顧客", "忠诚顾客", "Loyal"),
    ("potentialLoyalist", "潛力忠誠", "潜力忠诚", "Potential loyalist"),
    ("new", "新顧客", "新顾客", "New customer"),
    ("promising", "有潛力", "有潜力", "Promising"),
    ("needAttention", "需要關注", "需要关注", "Needs attention"),
    ("aboutToSleep", "快要流失", "快要流失", "About to sleep"),
    ("atRisk", "有流失風險", "有流失风险", "At risk"),
    ("cannotLose", "不能失去", "不能失去", "Can't lose"),
    ("hibernating", "冬眠", "冬眠", "Hibernating"),
    ("lost", "已流失", "已流失", "Lost"),
    ("phone", "電話", "电话", "Phone"),
    ("sms", "簡訊", "短信", "SMS"),
    ("line", "LINE", "LINE", "LINE"),
    ("email", "電子郵件", "电子邮件", "Email"),
    ("in_person", "當面", "当面", "In person"),
    ("no_answer", "沒接", "没接", "No answer"),
    ("reached", "已聯絡上", "已联系上", "Reached"),
    ("promised_visit", "答應會來", "答应会来", "Promised to visit"),
    ("declined", "婉拒", "婉拒", "Declined"),
    ("wrong_number", "號碼錯誤", "号码错误", "Wrong number"),
    ("other", "其他", "其他", "Other"),
];

/// The name of `code` in `language` (the code itself when unknown).
pub fn code_name(code: &'static str, language: ReceiptLanguage) -> &'static str {
    CODE_NAMES.iter().find(|c| c.0 == code).map_or(code, |c| match language {
        ReceiptLanguage::ZhTw => c.1,
        ReceiptLanguage::ZhCn => c.2,
        ReceiptLanguage::En => c.3,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_are_filled_and_typos_refused() {
        let v = TemplateValues { name: "王小明".into(), balance: "NT$1,100".into(), ..Default::default() };
        assert_eq!(render("{name} 您好，儲值餘額 {balance}。{ 不是 }", &v), "王小明 您好，儲值餘額 NT$1,100。{ 不是 }");
        assert!(check_template("{name}{balance}{stamps}{memberNo}{lastVisit}{tier}{shop} {} {x y}").is_ok());
        assert_eq!(check_template("Hi {nmae}").unwrap_err().code(), "UnknownPlaceholder");
    }

    #[test]
    fn an_optional_part_is_left_out_when_its_value_is_blank() {
        let template = "{name} 您好！[您還有儲值餘額 {balance}，][集點 {stamps}，]期待再見。";
        let rich = TemplateValues {
            name: "王小明".into(),
            balance: "NT$1,100".into(),
            stamps: "咖啡卡 3/10".into(),
            ..Default::default()
        };
        assert_eq!(render(template, &rich), "王小明 您好！您還有儲值餘額 NT$1,100，集點 咖啡卡 3/10，期待再見。");
        let none = TemplateValues {
            name: "林美".into(),
            balance: "NT$0".into(),
            balance_is_zero: true,
            stamps: "0".into(),
            stamps_are_zero: true,
            ..Default::default()
        };
        assert_eq!(render(template, &none), "林美 您好！期待再見。");
        // Outside brackets a zero is still written: the owner asked for it.
        assert_eq!(render("餘額 {balance}", &none), "餘額 NT$0");
        // An empty tier drops its part; brackets around plain text, nested
        // or unpaired brackets stay as written.
        assert_eq!(render("[{tier} 會員 ]{name}", &none), "林美");
        assert_eq!(render("[限時] {name} [", &none), "[限時] 林美 [");
        assert_eq!(render("[a [{name}] b]", &none), "[a 林美 b]");
    }

    #[test]
    fn latin_and_han_get_a_space_where_a_value_meets_the_text() {
        let v = TemplateValues { name: "Ivy Yang".into(), shop: "Regulars Tea".into(), ..Default::default() };
        assert_eq!(render("{name}您好，您在{shop}還有", &v), "Ivy Yang 您好，您在 Regulars Tea 還有");
        let zh = TemplateValues { name: "林美".into(), balance: "NT$100".into(), ..Default::default() };
        // Han beside Han, punctuation or an existing space: as written.
        assert_eq!(render("{name}您好，餘額 {balance}。", &zh), "林美您好，餘額 NT$100。");
        assert_eq!(render("Hi {name}!", &zh), "Hi 林美!");
    }

    struct Row(&'static str, i64);
    impl CsvRow for Row {
        fn csv_header() -> Vec<&'static str> {
            vec!["name", "spend"]
        }
        fn csv_cells(&self) -> Vec<Cell> {
            vec![Cell::Text(self.0.into()), Cell::Money(self.1)]
        }
    }

    #[test]
    fn csv_has_a_bom_quotes_and_no_formulas() {
        let bytes = to_csv(&[Row("陳, \"阿\"明", 1250), Row("=HYPERLINK(\"x\")", -5)], 2);
        assert_eq!(&bytes[..3], b"\xef\xbb\xbf");
        let text = String::from_utf8(bytes[3..].to_vec()).unwrap();
        assert_eq!(text, "name,spend\r\n\"陳, \"\"阿\"\"明\",12.50\r\n\"'=HYPERLINK(\"\"x\"\")\",-0.05\r\n");
    }

    #[test]
    fn bare_taiwan_phones_keep_their_leading_zero_in_a_spreadsheet() {
        assert_eq!(spreadsheet_phone("0912345678"), "0912-345-678");
        assert_eq!(spreadsheet_phone("0227001234"), "02-2700-1234");
        assert_eq!(spreadsheet_phone("0912-345-678"), "0912-345-678");
        assert_eq!(spreadsheet_phone("+886 912 345 678"), "+886 912 345 678");
        assert_eq!(spreadsheet_phone("91234567"), "91234567");
    }
}
