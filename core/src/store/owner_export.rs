//! Any owner's list as a file the owner opens in a spreadsheet: the same
//! rows the screen shows (all of them, not one page), or each member's
//! personalised message, as CSV with translated column headings.

use super::owner::{BirthdayWindow, DueFilter, ListFilter};
use super::Store;
use crate::analytics::export::{to_csv_labelled, CsvRow};
use crate::analytics::rfm::RfmSegment;
use crate::error::{check_len, Result};
use crate::language::ReceiptLanguage;
use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use serde::Deserialize;

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
                self.rows_or_messages(&self.birthdays(*window, None, &all, now)?.rows, &how)?
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
        Ok(CsvExport { file_name: format!("{}{suffix}-{today}.csv", list.title(language)), rows, bytes })
    }

    /// The rows as CSV, or with a template each row's member's message.
    fn rows_or_messages<T: CsvRow + MemberOf>(&self, rows: &[T], how: &How<'_>) -> Result<(usize, Vec<u8>)> {
        match how.template {
            None => Ok((rows.len(), to_csv_labelled(rows, how.digits, how.language, how.zone))),
            Some(t) => {
                let ids: Vec<i64> = rows.iter().map(MemberOf::member_id).collect();
                let messages = self.outreach_messages(&ids, t, how.now)?;
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
    super::owner::MemberRow => |r| r.member_id,
    super::owner::LapsedRow => |r| r.member.member_id,
    super::owner::RfmRow => |r| r.member.member_id,
    super::owner::BirthdayRow => |r| r.member.member_id,
    super::owner::DueRow => |r| r.member.member_id,
}
