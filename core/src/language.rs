//! The language a shop works in: it picks the words printed on receipts and
//! the day close slip, the names of the files and folders the app saves, the
//! owner's CSV headings and the demo shop's names. A domain word of its own,
//! so the store, the owner's rules and the renderer share it without
//! depending on one another.

use crate::error::{Error, Result};
use serde::{Deserialize, Serialize};

/// The language of a receipt's labels (names and items print as entered).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub enum ReceiptLanguage {
    #[default]
    ZhTw,
    ZhCn,
    En,
}

impl ReceiptLanguage {
    pub fn parse(s: &str) -> Result<ReceiptLanguage> {
        match s.trim().to_ascii_lowercase().as_str() {
            "zh-tw" | "zh_tw" | "zh-hant" | "tw" => Ok(ReceiptLanguage::ZhTw),
            "zh-cn" | "zh_cn" | "zh-hans" | "cn" => Ok(ReceiptLanguage::ZhCn),
            "en" | "en-us" | "en-gb" => Ok(ReceiptLanguage::En),
            _ => {
                Err(Error::InvalidInput { field: "language", reason: format!("{s:?}: use zh-TW, zh-CN or en").into() })
            }
        }
    }

    /// The name an erased member shows under their member number.
    pub fn erased_member(self) -> &'static str {
        match self {
            ReceiptLanguage::ZhTw => "已刪除會員",
            ReceiptLanguage::ZhCn => "已删除会员",
            ReceiptLanguage::En => "Erased member",
        }
    }

    /// The reason on the correction that forfeits an erased member's stored value.
    pub fn erased_forfeit_reason(self) -> &'static str {
        match self {
            ReceiptLanguage::ZhTw => "會員要求刪除資料，儲值餘額放棄",
            ReceiptLanguage::ZhCn => "会员要求删除资料，储值余额放弃",
            ReceiptLanguage::En => "Erased on the member's request: stored value forfeited",
        }
    }
}
