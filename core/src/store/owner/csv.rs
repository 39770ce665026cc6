//! Any owner's list as a file the owner opens in a spreadsheet: the same
//! rows the screen shows (all of them, not one page), or each member's
//! personalised message, as CSV with translated column headings.

use super::*;
use crate::analytics::export::to_csv_labelled;
use crate::language::ReceiptLanguage;
use crate::store::Store;

// ---------------------------------------------------------------------------
// CSV rows

pub(super) fn member_header() -> Vec<&'static str> {
    vec![
        "member_no",
        "name",
        "phone",
        "tier",
        "tags",
        "segment",
        "visits",
        "spend",
        "window_spend",
        "last_visit",
        "days_since_last_visit",
        "typical_gap_days",
        "stored_value",
    ]
}

pub(super) fn member_cells(m: &MemberRow) -> Vec<Cell> {
    vec![
        Cell::Text(m.member_no.clone()),
        Cell::Text(m.name.clone()),
        m.phone.clone().map_or(Cell::Empty, Cell::Phone),
        Cell::opt_text(m.tier.as_ref()),
        Cell::Text(m.tags.join(";")),
        Cell::Code(m.segment.code()),
        Cell::Int(m.visits),
        Cell::Money(m.spend_minor),
        Cell::Money(m.window_spend_minor),
        Cell::opt_text(m.last_visit_date),
        Cell::opt_int(m.days_since_last_visit),
        Cell::opt_int(m.typical_gap_days),
        Cell::Money(m.stored_value_minor),
    ]
}

impl CsvRow for MemberRow {
    fn csv_header() -> Vec<&'static str> {
        member_header()
    }
    fn csv_cells(&self) -> Vec<Cell> {
        member_cells(self)
    }
}

impl CsvRow for LapsedRow {
    fn csv_header() -> Vec<&'static str> {
        let mut h = member_header();
        h.extend(["last_contact_at", "last_contact_channel", "last_contact_outcome", "last_contact_note"]);
        h
    }
    fn csv_cells(&self) -> Vec<Cell> {
        let mut c = member_cells(&self.member);
        let lc = self.last_contact.as_ref();
        c.push(lc.map_or(Cell::Empty, |c| Cell::Time(c.contacted_at)));
        c.push(lc.map_or(Cell::Empty, |c| Cell::Code(c.channel.as_db())));
        c.push(lc.map_or(Cell::Empty, |c| Cell::Code(c.outcome.as_db())));
        c.push(lc.map_or(Cell::Empty, |c| Cell::Text(c.note.clone())));
        c
    }
}

impl CsvRow for RfmRow {
    fn csv_header() -> Vec<&'static str> {
        let mut h = member_header();
        h.extend(["r", "f", "m", "rfm_segment"]);
        h
    }
    fn csv_cells(&self) -> Vec<Cell> {
        let mut c = member_cells(&self.member);
        c.extend([
            Cell::Int(self.rfm.r.into()),
            Cell::Int(self.rfm.f.into()),
            Cell::Int(self.rfm.m.into()),
            Cell::Code(self.rfm.segment.code()),
        ]);
        c
    }
}

impl CsvRow for BirthdayRow {
    fn csv_header() -> Vec<&'static str> {
        let mut h = member_header();
        h.extend(["birthday_date", "turning", "greeting"]);
        h
    }
    fn csv_cells(&self) -> Vec<Cell> {
        let mut c = member_cells(&self.member);
        c.extend([
            Cell::Text(self.birthday_date.to_string()),
            Cell::opt_int(self.turning.map(i64::from)),
            Cell::Text(self.greeting.clone()),
        ]);
        c
    }
}

impl CsvRow for DueRow {
    fn csv_header() -> Vec<&'static str> {
        let mut h = member_header();
        h.extend(["predicted_date", "days_until", "cycle_days", "product"]);
        h
    }
    fn csv_cells(&self) -> Vec<Cell> {
        let mut c = member_cells(&self.member);
        c.extend([
            Cell::Text(self.predicted_date.to_string()),
            Cell::Int(self.days_until),
            Cell::Int(self.cycle_days),
            Cell::opt_text(self.product_name.as_ref()),
        ]);
        c
    }
}

impl CsvRow for OutreachMessage {
    fn csv_header() -> Vec<&'static str> {
        vec!["member_no", "name", "phone", "text"]
    }
    fn csv_cells(&self) -> Vec<Cell> {
        vec![
            Cell::Text(self.member_no.clone()),
            Cell::Text(self.name.clone()),
            self.phone.clone().map_or(Cell::Empty, Cell::Phone),
            Cell::Text(self.text.clone()),
        ]
    }
}

impl CsvRow for TierChange {
    fn csv_header() -> Vec<&'static str> {
        vec!["member_no", "name", "from_tier", "to_tier", "spend", "reason"]
    }
    fn csv_cells(&self) -> Vec<Cell> {
        vec![
            Cell::Text(self.member_no.clone()),
            Cell::Text(self.name.clone()),
            Cell::opt_text(self.from_tier.as_ref()),
            Cell::opt_text(self.to_tier.as_ref()),
            Cell::Money(self.spend_minor),
            Cell::Text(self.reason.clone()),
        ]
    }
}

impl CsvRow for WinBackRow {
    fn csv_header() -> Vec<&'static str> {
        vec!["member_no", "name", "contacted_at", "channel", "outcome", "returned_at", "visits_since", "spend_since"]
    }
    fn csv_cells(&self) -> Vec<Cell> {
        vec![
            Cell::Text(self.member_no.clone()),
            Cell::Text(self.name.clone()),
            Cell::Time(self.contacted_at),
            Cell::Code(self.channel.as_db()),
            Cell::Code(self.outcome.as_db()),
            self.returned_at.map_or(Cell::Empty, Cell::Time),
            Cell::Int(self.visits_since),
            Cell::Money(self.spend_since_minor),
        ]
    }
}

/// Which of the owner's lists.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, ts_rs::TS)]
#[serde(tag = "kind", rename_all = "camelCase")]
#[ts(export)]
pub enum OwnerList {
    Nes,
    Lapsed,
    Vip,
    #[serde(rename_all = "camelCase")]
    Rfm {
        #[serde(default)]
        rfm_segments: Vec<RfmSegment>,
    },
    Birthdays {
        window: BirthdayWindow,
    },
    Due {
        due: DueFilter,
    },
}

impl OwnerList {
    /// The list's name as its tab shows it, for the file's name: what the
    /// owner sees in their folder (`流失預警-2026-11-26.csv`).
    pub fn title(&self, language: ReceiptLanguage) -> &'static str {
        let [tw, cn, en] = match self {
            OwnerList::Nes => ["全部分群", "全部分群", "all-segments"],
            OwnerList::Lapsed => ["流失預警", "流失预警", "slipping-away"],
            OwnerList::Vip => ["VIP", "VIP", "vip"],
            OwnerList::Rfm { .. } => ["RFM", "RFM", "rfm"],
            OwnerList::Birthdays { .. } => ["生日", "生日", "birthdays"],
            OwnerList::Due { .. } => ["即將回購", "即将回购", "due-back"],
        };
        match language {
            ReceiptLanguage::ZhTw => tw,
            ReceiptLanguage::ZhCn => cn,
            ReceiptLanguage::En => en,
        }
    }
}

/// A list written out as CSV.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CsvExport {
    /// A file name for it: the list's title and the shop day, e.g. `流失預警-2026-11-26.csv`.
    pub file_name: String,
    pub rows: usize,
    /// UTF-8 with a byte-order mark, CRLF line ends.
    pub bytes: Vec<u8>,
}

impl Store {
    /// The whole of `list` (the filter's tags, tiers and segments apply, its
    /// paging does not) as CSV with headings in `language`; with `template`,
    /// each member's personalised message instead of the figures.
    pub fn owner_list_csv(
        &self,
        list: &OwnerList,
        filter: &ListFilter,
        template: Option<&str>,
        language: ReceiptLanguage,
        now: DateTime<Utc>,
    ) -> Result<CsvExport> {
        if let Some(t) = template {
            check_len("template", t, 1000)?;
        }
        self.require_read(Act::Export)?;
        let all = ListFilter { limit: None, offset: 0, ..filter.clone() };
        let settings = self.settings()?;
        let how = How { template, digits: settings.currency.minor_digits, language, zone: settings.tz(), now };
        let (rows, bytes) = match list {
            OwnerList::Nes => self.rows_or_messages(&self.nes_report(&all, now)?.members.rows, &how)?,
            OwnerList::Lapsed => self.rows_or_messages(&self.lapsed(&all, now)?.rows, &how)?,
            OwnerList::Vip => self.rows_or_messages(&self.vip(&all, now)?.rows, &how)?,
            OwnerList::Rfm { rfm_segments } => {
                self.rows_or_messages(&self.rfm(&all, rfm_segments, now)?.members.rows, &how)?
            }
            OwnerList::Birthdays { window } => {
                self.rows_or_messages(&self.birthdays(*window, None, how.language, &all, now)?.rows, &how)?
            }
            OwnerList::Due { due } => self.rows_or_messages(&self.due_back(due, &all, now)?.rows, &how)?,
        };
        let suffix = match (template.is_some(), language) {
            (false, _) => "",
            (true, ReceiptLanguage::ZhTw) => "-訊息",
            (true, ReceiptLanguage::ZhCn) => "-消息",
            (true, ReceiptLanguage::En) => "-messages",
        };
        let today = settings.local_date(now);
        let title = list.title(ReceiptLanguage::En);
        self.log_event(Act::Export, false, now, serde_json::json!({ "list": title, "rows": rows }))?;
        Ok(CsvExport { file_name: format!("{}{suffix}-{today}.csv", list.title(language)), rows, bytes })
    }

    /// Every member of `list` (the filter's tags, tiers and segments apply,
    /// its paging does not), in the list's order: whom a campaign of coupons
    /// to the list shown goes to.
    pub fn owner_list_member_ids(&self, list: &OwnerList, filter: &ListFilter, now: DateTime<Utc>) -> Result<Vec<i64>> {
        let all = ListFilter { limit: None, offset: 0, ..filter.clone() };
        fn ids<T: MemberOf>(rows: &[T]) -> Vec<i64> {
            rows.iter().map(MemberOf::member_id).collect()
        }
        Ok(match list {
            OwnerList::Nes => ids(&self.nes_report(&all, now)?.members.rows),
            OwnerList::Lapsed => ids(&self.lapsed(&all, now)?.rows),
            OwnerList::Vip => ids(&self.vip(&all, now)?.rows),
            OwnerList::Rfm { rfm_segments } => ids(&self.rfm(&all, rfm_segments, now)?.members.rows),
            OwnerList::Birthdays { window } => {
                ids(&self.birthdays(*window, None, ReceiptLanguage::ZhTw, &all, now)?.rows)
            }
            OwnerList::Due { due } => ids(&self.due_back(due, &all, now)?.rows),
        })
    }

    /// The rows as CSV, or with a template each row's member's message.
    fn rows_or_messages<T: CsvRow + MemberOf>(&self, rows: &[T], how: &How<'_>) -> Result<(usize, Vec<u8>)> {
        match how.template {
            None => Ok((rows.len(), to_csv_labelled(rows, how.digits, how.language, how.zone))),
            Some(t) => {
                let ids: Vec<i64> = rows.iter().map(MemberOf::member_id).collect();
                let messages = self.outreach_messages(&ids, t, how.language, how.now)?;
                Ok((messages.len(), to_csv_labelled(&messages, how.digits, how.language, how.zone)))
            }
        }
    }
}

struct How<'a> {
    template: Option<&'a str>,
    digits: u8,
    language: ReceiptLanguage,
    zone: Tz,
    now: DateTime<Utc>,
}

/// A list row that is about one member.
trait MemberOf {
    fn member_id(&self) -> i64;
}

macro_rules! member_of {
    ($($t:ty => |$r:ident| $e:expr),* $(,)?) => {
        $(impl MemberOf for $t {
            fn member_id(&self) -> i64 {
                let $r = self;
                $e
            }
        })*
    };
}

member_of! {
    super::MemberRow => |r| r.member_id,
    super::LapsedRow => |r| r.member.member_id,
    super::RfmRow => |r| r.member.member_id,
    super::BirthdayRow => |r| r.member.member_id,
    super::DueRow => |r| r.member.member_id,
}
