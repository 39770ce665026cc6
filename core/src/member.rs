//! Members: validation of what a cashier types, before it reaches the store.

use crate::error::{check_len, Error, Reason, Result};
use crate::input::truncate_for_message;
use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

pub const MAX_NAME_CHARS: usize = 100;
pub const MAX_NOTES_CHARS: usize = 2000;
pub const MAX_TAGS: usize = 20;
pub const MAX_TAG_CHARS: usize = 30;
pub const MAX_EMAIL_CHARS: usize = 254;
pub const MAX_CARD_CODE_CHARS: usize = 64;

/// A member as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct Member {
    pub id: i64,
    pub member_no: String,
    pub name: String,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub birthday: Option<Birthday>,
    pub notes: String,
    pub tags: Vec<String>,
    pub card_code: String,
    pub referred_by: Option<i64>,
    pub joined_at: i64,
    pub archived: bool,
    pub tier: Option<String>,
    /// When the member's details were erased on their request (UTC ms):
    /// the row stays for its receipts, and is neither restored nor edited.
    pub erased_at: Option<i64>,
}

/// What a cashier enters to register a member. Text is validated by
/// [`NewMember::validate`]; the store checks uniqueness.
#[derive(Debug, Clone, Default, Deserialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct NewMember {
    pub name: String,
    pub phone: Option<String>,
    pub email: Option<String>,
    /// `MM-DD` or `YYYY-MM-DD`.
    pub birthday: Option<String>,
    #[serde(default)]
    pub notes: String,
    #[serde(default)]
    pub tags: Vec<String>,
    /// A code printed on a physical card; generated when absent.
    pub card_code: Option<String>,
    /// Member number of the member who referred this one.
    pub referred_by: Option<String>,
}

/// A change to a member's details; `None` leaves a field as it is, and
/// `Some("")` clears an optional field.
#[derive(Debug, Clone, Default, Deserialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct MemberPatch {
    pub name: Option<String>,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub birthday: Option<String>,
    pub notes: Option<String>,
    pub tags: Option<Vec<String>>,
    pub card_code: Option<String>,
}

/// The validated form of a member's details.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidMember {
    pub name: String,
    pub phone: Option<String>,
    pub phone_digits: Option<String>,
    pub email: Option<String>,
    pub birthday: Option<Birthday>,
    pub notes: String,
    pub tags: Vec<String>,
    pub card_code: Option<String>,
}

impl NewMember {
    pub fn validate(&self) -> Result<ValidMember> {
        let name = valid_name(&self.name)?;
        let (phone, phone_digits) = valid_phone(self.phone.as_deref())?;
        Ok(ValidMember {
            name,
            phone,
            phone_digits,
            email: valid_email(self.email.as_deref())?,
            birthday: valid_birthday(self.birthday.as_deref())?,
            notes: valid_notes(&self.notes)?,
            tags: valid_tags(&self.tags)?,
            card_code: valid_card_code(self.card_code.as_deref())?,
        })
    }
}

impl MemberPatch {
    /// Applies the patch onto an existing member's details and validates the result.
    pub fn apply(&self, current: &Member) -> Result<ValidMember> {
        let name = valid_name(self.name.as_deref().unwrap_or(&current.name))?;
        let phone_in = match &self.phone {
            Some(p) => Some(p.as_str()),
            None => current.phone.as_deref(),
        };
        let (phone, phone_digits) = valid_phone(phone_in)?;
        let email = match &self.email {
            Some(e) => valid_email(Some(e))?,
            None => current.email.clone(),
        };
        let birthday = match &self.birthday {
            Some(b) => valid_birthday(Some(b))?,
            None => current.birthday,
        };
        let notes = valid_notes(self.notes.as_deref().unwrap_or(&current.notes))?;
        let tags = valid_tags(self.tags.as_ref().unwrap_or(&current.tags))?;
        let card_code = match &self.card_code {
            Some(c) => valid_card_code(Some(c))?.or_else(|| Some(current.card_code.clone())),
            None => Some(current.card_code.clone()),
        };
        Ok(ValidMember { name, phone, phone_digits, email, birthday, notes, tags, card_code })
    }
}

fn valid_name(name: &str) -> Result<String> {
    let name = name.trim();
    if name.is_empty() {
        return Err(Error::EmptyField { field: "name" });
    }
    check_len("name", name, MAX_NAME_CHARS)?;
    if name.chars().any(char::is_control) {
        return Err(Error::InvalidInput { field: "name", reason: Reason::ControlCharacters });
    }
    Ok(name.to_string())
}

fn valid_phone(phone: Option<&str>) -> Result<(Option<String>, Option<String>)> {
    match phone.map(str::trim).filter(|p| !p.is_empty()) {
        None => Ok((None, None)),
        Some(p) => {
            check_len("phone", p, 40).map_err(|_| Error::InvalidPhone(truncate_for_message(p)))?;
            let digits = crate::phone::normalize_phone(p)?;
            Ok((Some(crate::input::fold_width(p)), Some(digits)))
        }
    }
}

fn valid_email(email: Option<&str>) -> Result<Option<String>> {
    match email.map(str::trim).filter(|e| !e.is_empty()) {
        None => Ok(None),
        Some(e) => {
            check_len("email", e, MAX_EMAIL_CHARS)?;
            let ok = match e.split_once('@') {
                Some((local, domain)) => {
                    !local.is_empty() && domain.contains('.') && !domain.starts_with('.') && !domain.ends_with('.')
                }
                None => false,
            };
            if !ok || e.chars().any(|c| c.is_whitespace() || c.is_control()) {
                return Err(Error::InvalidEmail(truncate_for_message(e)));
            }
            Ok(Some(e.to_string()))
        }
    }
}

fn valid_birthday(b: Option<&str>) -> Result<Option<Birthday>> {
    match b.map(str::trim).filter(|b| !b.is_empty()) {
        None => Ok(None),
        Some(b) => Birthday::parse(b).map(Some),
    }
}

fn valid_notes(notes: &str) -> Result<String> {
    check_len("notes", notes, MAX_NOTES_CHARS)?;
    Ok(notes.trim().to_string())
}

fn valid_tags(tags: &[String]) -> Result<Vec<String>> {
    let mut out: Vec<String> = Vec::new();
    for t in tags {
        let t = t.trim();
        if t.is_empty() {
            continue;
        }
        check_len("tag", t, MAX_TAG_CHARS)?;
        if !out.iter().any(|o| o == t) {
            out.push(t.to_string());
        }
    }
    if out.len() > MAX_TAGS {
        return Err(Error::InvalidInput { field: "tags", reason: Reason::TooMany { max: MAX_TAGS as i64 } });
    }
    Ok(out)
}

fn valid_card_code(code: Option<&str>) -> Result<Option<String>> {
    match code.map(str::trim).filter(|c| !c.is_empty()) {
        None => Ok(None),
        Some(c) => {
            let c = &crate::input::fold_width(c);
            check_len("card code", c, MAX_CARD_CODE_CHARS)?;
            if !c.chars().all(|ch| ch.is_ascii_alphanumeric() || ch == '-') {
                return Err(Error::InvalidInput { field: "card code", reason: Reason::LettersDigitsDashes });
            }
            Ok(Some(c.to_ascii_uppercase()))
        }
    }
}

/// A birthday: month and day, the year when the member gave it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct Birthday {
    pub month: u8,
    pub day: u8,
    pub year: Option<i32>,
}

impl Birthday {
    /// Parses a birthday in any notation [`crate::input::parse_date`]
    /// reads (`03-15`, `1990/07/08`, `民國79年3月15日`, `0315`, full-width
    /// digits); a year, when given, lies between 1900 and 2100.
    pub fn parse(text: &str) -> Result<Birthday> {
        let date = crate::input::parse_date(text)?;
        if let Some(y) = date.year {
            if !(1900..=2100).contains(&y) {
                return Err(Error::InvalidDate(truncate_for_message(text.trim())));
            }
        }
        Ok(Birthday { month: date.month as u8, day: date.day as u8, year: date.year })
    }

    /// Whether `today` (a date in the shop's time zone) is this birthday.
    /// Feb 29 birthdays are celebrated on Feb 28 in common years.
    pub fn is_on(&self, today: NaiveDate) -> bool {
        let (m, d) = self.observed_in(today.year());
        today.month() == m && today.day() == d
    }

    /// The (month, day) on which the birthday falls in `year`.
    pub fn observed_in(&self, year: i32) -> (u32, u32) {
        let (m, d) = (u32::from(self.month), u32::from(self.day));
        if m == 2 && d == 29 && NaiveDate::from_ymd_opt(year, 2, 29).is_none() {
            (2, 28)
        } else {
            (m, d)
        }
    }

    pub fn to_text(&self) -> String {
        match self.year {
            Some(y) => format!("{y:04}-{:02}-{:02}", self.month, self.day),
            None => format!("{:02}-{:02}", self.month, self.day),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn birthdays_parse_with_or_without_year() {
        assert_eq!(Birthday::parse("03-15").unwrap(), Birthday { month: 3, day: 15, year: None });
        assert_eq!(Birthday::parse("1990-3-5").unwrap(), Birthday { month: 3, day: 5, year: Some(1990) });
        assert!(Birthday::parse("02-29").is_ok());
        assert_eq!(Birthday::parse("2023-02-29").unwrap_err().code(), "NoSuchDay");
        assert_eq!(Birthday::parse("02-30").unwrap_err().code(), "NoSuchDay");
        for bad in ["13-01", "00-10", "04-31", "tomorrow", "1990-02", "", "1-2-3-4", "1850-01-01"] {
            assert!(Birthday::parse(bad).is_err(), "{bad}");
        }
        // As Taiwanese shops write them: ROC years, full width, no separators.
        let born = Birthday { month: 3, day: 15, year: Some(1990) };
        for typed in ["民國79年3月15日", "79/03/15", "79.03.15", "１９９０／０３／１５", "19900315"] {
            assert_eq!(Birthday::parse(typed).unwrap(), born, "{typed}");
        }
        assert_eq!(Birthday::parse("０３１５").unwrap(), Birthday { month: 3, day: 15, year: None });
    }

    #[test]
    fn leap_day_birthdays_are_celebrated_on_feb_28_in_common_years() {
        let b = Birthday::parse("02-29").unwrap();
        assert!(b.is_on(NaiveDate::from_ymd_opt(2027, 2, 28).unwrap()));
        assert!(!b.is_on(NaiveDate::from_ymd_opt(2028, 2, 28).unwrap()));
        assert!(b.is_on(NaiveDate::from_ymd_opt(2028, 2, 29).unwrap()));
    }

    #[test]
    fn names_are_required_and_bounded() {
        let mut m = NewMember { name: "  ".into(), ..Default::default() };
        assert_eq!(m.validate().unwrap_err().code(), "EmptyField");
        m.name = "王".repeat(MAX_NAME_CHARS + 1);
        assert_eq!(m.validate().unwrap_err().code(), "TextTooLong");
        m.name = "王小明 🧋".into();
        assert_eq!(m.validate().unwrap().name, "王小明 🧋");
    }
}
