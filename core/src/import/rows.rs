//! Every row of a file checked into a member to import, or the problems
//! found in it; and what the rows would bring in. Pure: the store gives the
//! facts it needs (members already there, programs, tiers, today).

use super::columns::{Field, Mapping};
use super::table::Table;
use crate::error::{Error, Result};
use crate::member::{NewMember, ValidMember};
use crate::money::{Currency, MAX_AMOUNT_MINOR};
use chrono::NaiveDate;
use serde::Serialize;
use std::collections::{HashMap, HashSet};

/// The most stamps or purchases a row may bring for one member, and the
/// most points: beyond them the cell is taken as a typing mistake.
pub const MAX_IMPORTED_COUNT: i64 = 100_000;
pub const MAX_IMPORTED_POINTS: i64 = 1_000_000_000;

/// What the shop already has that a row is checked against.
#[derive(Debug, Clone, Default)]
pub struct Facts {
    pub currency: Option<Currency>,
    /// The shop's stamp programs still running: id and name.
    pub programs: Vec<(i64, String)>,
    pub tiers: Vec<String>,
    /// Phone digits, card codes and old member numbers already used, with
    /// the member number that uses each.
    pub phones: HashMap<String, String>,
    pub card_codes: HashMap<String, String>,
    pub old_member_nos: HashMap<String, String>,
    /// The shop's day today: a purchase or a joining after it is impossible.
    pub today: Option<NaiveDate>,
}

/// A member's purchases before this till, as the old system summed them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct HistorySummary {
    pub first_purchase_on: NaiveDate,
    pub last_purchase_on: NaiveDate,
    pub purchases: i64,
    pub spend_minor: i64,
}

/// A row that passed every check, ready to be written.
#[derive(Debug, Clone)]
pub struct ImportRow {
    pub line: usize,
    pub member: ValidMember,
    pub old_member_no: Option<String>,
    pub paid_minor: i64,
    pub bonus_minor: i64,
    pub points: i64,
    /// Program id, name and stamps (only programs with stamps).
    pub stamps: Vec<(i64, String, i64)>,
    pub tier: Option<String>,
    pub joined_on: Option<NaiveDate>,
    pub history: Option<HistorySummary>,
}

/// One problem: the row (as a spreadsheet numbers it), the column's
/// heading, the value found, and the error's code and words.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ImportProblem {
    pub row: u32,
    pub column: String,
    pub value: String,
    pub code: String,
    pub message: String,
}

/// What a file brings in.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ImportTotals {
    /// Rows read (headings apart).
    pub rows: u32,
    pub members: u32,
    /// Stored value held: the paid and the bonus parts.
    pub paid_minor: i64,
    pub bonus_minor: i64,
    pub stamps: i64,
    pub points: i64,
    /// Purchases before this till, and their spend.
    pub purchases: i64,
    pub spend_minor: i64,
}

impl ImportTotals {
    pub fn stored_value_minor(&self) -> i64 {
        self.paid_minor + self.bonus_minor
    }
}

/// A file checked: the rows to write, every problem, and the totals of
/// the rows that passed.
#[derive(Debug, Clone)]
pub struct ImportPlan {
    pub rows: Vec<ImportRow>,
    pub problems: Vec<ImportProblem>,
    pub totals: ImportTotals,
}

struct RowReader<'a> {
    line: usize,
    cells: &'a [String],
    mapping: &'a Mapping,
    headers: &'a [String],
    problems: &'a mut Vec<ImportProblem>,
}

impl RowReader<'_> {
    fn column(&self, field: &Field) -> Option<usize> {
        self.mapping.column_of(field)
    }

    fn text(&self, field: &Field) -> Option<String> {
        let c = self.column(field)?;
        self.cells.get(c).map(|s| s.trim().to_string()).filter(|s| !s.is_empty())
    }

    fn problem_at(&mut self, column: usize, value: &str, e: &Error) {
        self.problems.push(ImportProblem {
            row: u32::try_from(self.line).unwrap_or(u32::MAX),
            column: self.headers.get(column).cloned().unwrap_or_default(),
            value: value.chars().take(60).collect(),
            code: e.code().to_string(),
            message: e.to_string(),
        });
    }

    fn problem(&mut self, field: &Field, value: &str, e: &Error) {
        let column = self.column(field).unwrap_or(usize::MAX);
        self.problem_at(column, value, e);
    }

    /// A member's detail checked on its own, so a problem names its column.
    fn detail(&mut self, field: Field, new: &NewMember) -> bool {
        match new.validate() {
            Ok(_) => true,
            Err(e) => {
                let value = self.text(&field).unwrap_or_default();
                self.problem(&field, &value, &e);
                false
            }
        }
    }

    fn amount(&mut self, field: &Field, currency: &Currency) -> Option<i64> {
        let text = self.text(field)?;
        match read_amount(&text, currency) {
            Ok(v) => Some(v),
            Err(e) => {
                self.problem(field, &text, &e);
                None
            }
        }
    }

    fn count(&mut self, field: &Field, max: i64) -> Option<i64> {
        let text = self.text(field)?;
        let folded = crate::input::fold_width(&text).replace(',', "");
        let folded = folded.trim().strip_suffix(".0").unwrap_or(folded.trim()).to_string();
        match folded.parse::<i64>() {
            Ok(n) if (0..=max).contains(&n) => Some(n),
            _ => {
                let e = Error::InvalidInput { field: "count", reason: crate::error::Reason::Range { min: 0, max } };
                self.problem(field, &text, &e);
                None
            }
        }
    }

    fn date(&mut self, field: &Field, today: Option<NaiveDate>) -> Option<NaiveDate> {
        let text = self.text(field)?;
        let date = crate::input::parse_date(&text).and_then(|t| {
            let d = t.to_date().ok_or_else(|| Error::InvalidDate(text.clone()))?;
            match today {
                Some(today) if d > today => Err(Error::InvalidDate(format!("{text} is after today"))),
                _ => Ok(d),
            }
        });
        match date {
            Ok(d) => Some(d),
            Err(e) => {
                self.problem(field, &text, &e);
                None
            }
        }
    }
}

/// An amount as an old system or a person wrote it: `1,000`, `NT$1000`,
/// `HK$12.50`, `500元`, full-width digits; never negative, at most
/// [`MAX_AMOUNT_MINOR`].
pub fn read_amount(text: &str, currency: &Currency) -> Result<i64> {
    let folded = crate::input::fold_width(text);
    let t = folded.trim();
    let t = ["NT$", "HK$", "MOP$", "RMB", "US$", "$", "¥", "￥"]
        .iter()
        .find_map(|p| t.strip_prefix(p))
        .unwrap_or(t)
        .trim_end_matches(['元', '圓', '块'])
        .trim();
    let minor = currency.parse(t).map_err(|_| Error::InvalidAmount(text.to_string()))?;
    if minor > MAX_AMOUNT_MINOR {
        return Err(Error::InvalidAmount(text.to_string()));
    }
    Ok(minor)
}

fn split_tags(text: &str) -> Vec<String> {
    text.split([',', '，', '、', ';', '；', '/', '|'])
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .map(str::to_string)
        .collect()
}

/// Checks every row of `table` under `mapping` against `facts`. A row with
/// a problem is left out of the plan's rows and totals; the problems name
/// each (row, column, value).
pub fn check_rows(table: &Table, mapping: &Mapping, facts: &Facts) -> Result<ImportPlan> {
    if mapping.column_of(&Field::Name).is_none() {
        return Err(Error::InvalidInput { field: "mapping", reason: "no column holds the members' names".into() });
    }
    let currency = facts.currency.clone().unwrap_or(Currency { code: "TWD".into(), minor_digits: 0 });
    let mut problems = Vec::new();
    let mut rows = Vec::new();
    let mut totals = ImportTotals::default();
    let mut seen_phones: HashMap<String, usize> = HashMap::new();
    let mut seen_cards: HashMap<String, usize> = HashMap::new();
    let mut seen_nos: HashMap<String, usize> = HashMap::new();
    let programs_by_name: HashMap<String, (i64, String)> =
        facts.programs.iter().map(|(id, name)| (name.trim().to_lowercase(), (*id, name.clone()))).collect();
    let tiers: HashSet<String> = facts.tiers.iter().map(|t| t.trim().to_lowercase()).collect();
    for (line, cells) in &table.rows {
        totals.rows += 1;
        let before = problems.len();
        let mut r = RowReader { line: *line, cells, mapping, headers: &table.headers, problems: &mut problems };
        let name = r.text(&Field::Name).unwrap_or_default();
        let new = NewMember {
            name: name.clone(),
            phone: r.text(&Field::Phone),
            email: r.text(&Field::Email),
            birthday: r.text(&Field::Birthday),
            notes: r.text(&Field::Notes).unwrap_or_default(),
            tags: r.text(&Field::Tags).map(|t| split_tags(&t)).unwrap_or_default(),
            card_code: r.text(&Field::CardCode),
            referred_by: None,
        };
        let only = |f: &dyn Fn(&mut NewMember)| {
            let mut n = NewMember { name: "-".into(), ..NewMember::default() };
            f(&mut n);
            n
        };
        r.detail(Field::Name, &NewMember { name: name.clone(), ..NewMember::default() });
        r.detail(Field::Phone, &only(&|n| n.phone = new.phone.clone()));
        r.detail(Field::Email, &only(&|n| n.email = new.email.clone()));
        r.detail(Field::Birthday, &only(&|n| n.birthday = new.birthday.clone()));
        r.detail(Field::Notes, &only(&|n| n.notes = new.notes.clone()));
        r.detail(Field::Tags, &only(&|n| n.tags = new.tags.clone()));
        r.detail(Field::CardCode, &only(&|n| n.card_code = new.card_code.clone()));
        let valid = new.validate().ok();
        // Duplicates are looked for whatever else is wrong with the row, so
        // the dry run names them all at once.
        let phone_text = r.text(&Field::Phone);
        if let Some(digits) = phone_text.as_deref().and_then(|p| crate::phone::normalize_phone(p).ok()) {
            let phone = phone_text.clone().unwrap_or_default();
            if let Some(no) = facts.phones.get(&digits) {
                r.problem(&Field::Phone, &phone, &Error::DuplicatePhone(digits.clone(), no.clone()));
            } else if let Some(first) = seen_phones.get(&digits) {
                r.problem(&Field::Phone, &phone, &Error::DuplicatePhone(digits.clone(), format!("row {first}")));
            } else {
                seen_phones.insert(digits, *line);
            }
        }
        let card = only(&|n| n.card_code = new.card_code.clone()).validate().ok().and_then(|v| v.card_code);
        if let Some(code) = card {
            if let Some(no) = facts.card_codes.get(&code) {
                r.problem(&Field::CardCode, &code, &Error::DuplicateCardCode(code.clone(), no.clone()));
            } else if let Some(first) = seen_cards.get(&code) {
                r.problem(&Field::CardCode, &code, &Error::DuplicateCardCode(code.clone(), format!("row {first}")));
            } else {
                seen_cards.insert(code, *line);
            }
        }
        let old_no = r.text(&Field::MemberNo).map(|n| crate::input::fold_width(&n).to_ascii_uppercase());
        if let Some(no) = &old_no {
            let taken = facts.old_member_nos.get(no).cloned().or_else(|| seen_nos.get(no).map(|l| format!("row {l}")));
            if let Some(by) = taken {
                let e = Error::InvalidInput {
                    field: "member number",
                    reason: crate::error::Reason::Taken { value: format!("{no} ({by})") },
                };
                r.problem(&Field::MemberNo, no, &e);
            } else if no.chars().count() > 40 || no.chars().any(char::is_control) {
                r.problem(
                    &Field::MemberNo,
                    no,
                    &Error::InvalidInput { field: "member number", reason: "too long".into() },
                );
            } else {
                seen_nos.insert(no.clone(), *line);
            }
        }
        // Stored value: 儲值 is the total held, 贈送 the bonus part of it; a
        // paid column, when there is one, is the paid part.
        let total = r.amount(&Field::StoredValue, &currency);
        let bonus = r.amount(&Field::Bonus, &currency).unwrap_or(0);
        let paid = match (r.amount(&Field::Paid, &currency), total) {
            (Some(p), _) => p,
            (None, Some(t)) if t >= bonus => t - bonus,
            (None, Some(t)) => {
                let e =
                    Error::InvalidInput { field: "bonus", reason: "the bonus is more than the stored value".into() };
                r.problem(&Field::Bonus, &bonus.to_string(), &e);
                t
            }
            (None, None) => 0,
        };
        if paid.checked_add(bonus).is_none_or(|t| t > MAX_AMOUNT_MINOR) {
            r.problem(
                &Field::StoredValue,
                &format!("{paid}+{bonus}"),
                &Error::InvalidAmount(format!("{paid}+{bonus}")),
            );
        }
        let points = r.count(&Field::Points, MAX_IMPORTED_POINTS).unwrap_or(0);
        let mut stamps = Vec::new();
        let stamp_columns: Vec<(usize, Option<String>)> = mapping
            .columns
            .iter()
            .enumerate()
            .filter_map(|(i, f)| match f {
                Some(Field::Stamps(p)) => Some((i, p.clone())),
                _ => None,
            })
            .collect();
        for (column, program) in stamp_columns {
            let field = Field::Stamps(program.clone());
            let Some(n) = r.count(&field, MAX_IMPORTED_COUNT) else { continue };
            if n == 0 {
                continue;
            }
            let found = match &program {
                Some(p) => programs_by_name.get(&p.trim().to_lowercase()).cloned(),
                None if facts.programs.len() == 1 => facts.programs.first().cloned(),
                None => None,
            };
            match found {
                Some((id, name)) => stamps.push((id, name, n)),
                None => {
                    let heading = table.headers.get(column).cloned().unwrap_or_default();
                    r.problem_at(column, &n.to_string(), &Error::ProgramNotFound(program.unwrap_or(heading)));
                }
            }
        }
        let tier = r.text(&Field::Tier);
        if let Some(t) = &tier {
            if !tiers.contains(&t.to_lowercase()) {
                let e = Error::InvalidInput { field: "tier", reason: format!("no tier is named {t}").into() };
                r.problem(&Field::Tier, t, &e);
            }
        }
        let joined_on = r.date(&Field::JoinedOn, facts.today);
        let history = read_history(&mut r, &currency, facts.today);
        if problems.len() > before {
            continue;
        }
        let Some(member) = valid else { continue };
        totals.members += 1;
        totals.paid_minor += paid;
        totals.bonus_minor += bonus;
        totals.points += points;
        totals.stamps += stamps.iter().map(|s| s.2).sum::<i64>();
        if let Some(h) = &history {
            totals.purchases += h.purchases;
            totals.spend_minor += h.spend_minor;
        }
        rows.push(ImportRow {
            line: *line,
            member,
            old_member_no: old_no,
            paid_minor: paid,
            bonus_minor: bonus,
            points,
            stamps,
            tier: tier.and_then(|t| facts.tiers.iter().find(|x| x.trim().eq_ignore_ascii_case(t.trim())).cloned()),
            joined_on,
            history,
        });
    }
    Ok(ImportPlan { rows, problems, totals })
}

/// The purchase summary of a row: the last purchase day is needed; one
/// purchase when the count is not given; the first purchase is the last
/// when not given.
fn read_history(r: &mut RowReader<'_>, currency: &Currency, today: Option<NaiveDate>) -> Option<HistorySummary> {
    let first = r.date(&Field::FirstPurchase, today);
    let last = r.date(&Field::LastPurchase, today);
    let purchases = r.count(&Field::Purchases, MAX_IMPORTED_COUNT);
    let spend = r.amount(&Field::TotalSpent, currency);
    let any = [Field::FirstPurchase, Field::LastPurchase, Field::Purchases, Field::TotalSpent]
        .iter()
        .any(|f| r.text(f).is_some());
    if !any {
        return None;
    }
    let Some(last) = last else {
        if r.text(&Field::LastPurchase).is_none() {
            let e = Error::EmptyField { field: "last purchase" };
            let field = if r.column(&Field::LastPurchase).is_some() { Field::LastPurchase } else { Field::Purchases };
            r.problem(&field, "", &e);
        }
        return None;
    };
    let first = first.unwrap_or(last);
    if first > last {
        r.problem(
            &Field::FirstPurchase,
            &first.to_string(),
            &Error::InvalidInput { field: "first purchase", reason: crate::error::Reason::EndsBeforeStart },
        );
        return None;
    }
    let purchases = purchases.unwrap_or(1).max(1);
    Some(HistorySummary {
        first_purchase_on: first,
        last_purchase_on: last,
        purchases,
        spend_minor: spend.unwrap_or(0),
    })
}
