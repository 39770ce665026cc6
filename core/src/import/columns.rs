//! Which field each column of a file holds: guessed from its heading
//! (Chinese as typed in Taiwan, Hong Kong and mainland China, or English),
//! or given by a mapping file.

use crate::error::{Error, Result};
use crate::input::fold_width;
use serde::{Deserialize, Serialize};

/// A field a member row can carry.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Field {
    Name,
    Phone,
    Birthday,
    Email,
    Notes,
    Tags,
    /// The member number the old system gave.
    MemberNo,
    /// The code printed on the member's card.
    CardCode,
    /// Stored value held, taken as paid.
    StoredValue,
    /// The paid part of the stored value.
    Paid,
    /// The bonus part of the stored value.
    Bonus,
    Points,
    /// Stamps on a program, by its name; `None`: the shop's one program.
    Stamps(Option<String>),
    Tier,
    JoinedOn,
    FirstPurchase,
    LastPurchase,
    Purchases,
    TotalSpent,
}

impl Field {
    /// The field's name in a mapping file (`name`, `phone`, `stamps:咖啡卡` …).
    pub fn key(&self) -> String {
        match self {
            Field::Name => "name".into(),
            Field::Phone => "phone".into(),
            Field::Birthday => "birthday".into(),
            Field::Email => "email".into(),
            Field::Notes => "notes".into(),
            Field::Tags => "tags".into(),
            Field::MemberNo => "memberNo".into(),
            Field::CardCode => "cardCode".into(),
            Field::StoredValue => "storedValue".into(),
            Field::Paid => "paid".into(),
            Field::Bonus => "bonus".into(),
            Field::Points => "points".into(),
            Field::Stamps(None) => "stamps".into(),
            Field::Stamps(Some(p)) => format!("stamps:{p}"),
            Field::Tier => "tier".into(),
            Field::JoinedOn => "joinedOn".into(),
            Field::FirstPurchase => "firstPurchase".into(),
            Field::LastPurchase => "lastPurchase".into(),
            Field::Purchases => "purchases".into(),
            Field::TotalSpent => "totalSpent".into(),
        }
    }

    /// Reads a mapping file's field name; `ignore` (or empty) is `None`.
    pub fn from_key(key: &str) -> Result<Option<Field>> {
        let key = key.trim();
        if let Some(program) = key.strip_prefix("stamps:") {
            return Ok(Some(Field::Stamps(Some(program.trim().to_string()))));
        }
        Ok(Some(match key {
            "" | "ignore" => return Ok(None),
            "name" => Field::Name,
            "phone" => Field::Phone,
            "birthday" => Field::Birthday,
            "email" => Field::Email,
            "notes" => Field::Notes,
            "tags" => Field::Tags,
            "memberNo" => Field::MemberNo,
            "cardCode" => Field::CardCode,
            "storedValue" => Field::StoredValue,
            "paid" => Field::Paid,
            "bonus" => Field::Bonus,
            "points" => Field::Points,
            "stamps" => Field::Stamps(None),
            "tier" => Field::Tier,
            "joinedOn" => Field::JoinedOn,
            "firstPurchase" => Field::FirstPurchase,
            "lastPurchase" => Field::LastPurchase,
            "purchases" => Field::Purchases,
            "totalSpent" => Field::TotalSpent,
            other => {
                return Err(Error::InvalidInput { field: "mapping", reason: format!("unknown field {other}").into() })
            }
        }))
    }
}

/// Words in a heading that say which field it is, checked in this order
/// (so 最後消費日 is the last purchase, not a spend, and 顧客電話 a phone).
/// Words that name a field, and the field.
type Guess = (&'static [&'static str], fn() -> Field);

const GUESSES: &[Guess] = &[
    (&["贈送", "赠送", "bonus", "gift"], || Field::Bonus),
    (&["實付", "实付", "paid"], || Field::Paid),
    (
        &["最後消費", "最后消费", "最近消費", "最近消费", "最後來店", "last purchase", "last visit", "last order"],
        || Field::LastPurchase,
    ),
    (&["首次消費", "首次消费", "第一次消費", "first purchase", "first visit", "first order"], || {
        Field::FirstPurchase
    }),
    (
        &["消費次數", "消费次数", "來店次數", "来店次数", "次數", "visits", "purchases", "orders", "times"],
        || Field::Purchases,
    ),
    (
        &[
            "累計消費",
            "累计消费",
            "消費總額",
            "消费总额",
            "消費金額",
            "total spent",
            "total spend",
            "spent",
            "lifetime",
        ],
        || Field::TotalSpent,
    ),
    (&["入會", "入会", "加入日", "開卡", "开卡", "joined", "join date", "member since", "since"], || {
        Field::JoinedOn
    }),
    (&["生日", "出生", "birthday", "birth", "dob"], || Field::Birthday),
    (
        &[
            "會員編號",
            "会员编号",
            "會員號",
            "会员号",
            "編號",
            "编号",
            "member no",
            "member number",
            "member id",
            "memberno",
        ],
        || Field::MemberNo,
    ),
    (&["卡號", "卡号", "card"], || Field::CardCode),
    (&["手機", "手机", "電話", "电话", "行動", "mobile", "phone", "tel", "cell"], || Field::Phone),
    (&["email", "e-mail", "電郵", "电邮", "郵件", "邮件", "信箱", "邮箱"], || Field::Email),
    (&["集點", "集点", "印花", "蓋章", "盖章", "stamp"], || Field::Stamps(None)),
    (&["點數", "点数", "積分", "积分", "紅利", "红利", "point"], || Field::Points),
    (&["儲值", "储值", "餘額", "余额", "balance", "stored value", "wallet", "prepaid"], || Field::StoredValue),
    (&["等級", "等级", "級別", "级别", "tier", "level"], || Field::Tier),
    (&["標籤", "标签", "分類", "分类", "tag", "group", "category"], || Field::Tags),
    (&["備註", "备注", "note", "remark", "memo", "comment"], || Field::Notes),
    (&["姓名", "名字", "顧客", "顾客", "客戶", "客户", "name", "customer"], || Field::Name),
];

/// The field a heading names, if it says one. A stamps heading may name its
/// program after a colon or in brackets: `集點:咖啡卡`, `印花（咖啡卡）`.
pub fn guess_field(heading: &str) -> Option<Field> {
    let folded = fold_width(heading);
    let lower = folded.trim().to_lowercase();
    let field = GUESSES.iter().find(|(words, _)| words.iter().any(|w| lower.contains(w))).map(|(_, f)| f())?;
    if field == Field::Stamps(None) {
        let program = folded
            .split_once(':')
            .map(|(_, p)| p)
            .or_else(|| folded.split_once('(').map(|(_, p)| p.trim_end_matches(')')))
            .map(str::trim)
            .filter(|p| !p.is_empty());
        return Some(Field::Stamps(program.map(str::to_string)));
    }
    Some(field)
}

/// A mapping file: headings to fields, `{"columns": {"姓名": "name",
/// "集點": "stamps:咖啡卡", "其他": "ignore"}}`. Headings not listed are
/// guessed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct MappingFile {
    pub columns: std::collections::BTreeMap<String, String>,
}

/// Which field each column holds (`None`: not imported).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mapping {
    pub columns: Vec<Option<Field>>,
}

impl Mapping {
    /// The guesses for `headers`, with `file`'s choices over them. A field
    /// is taken by its first column; a second column guessed as the same
    /// field is left out (a mapping file may say otherwise: then it is an
    /// error).
    pub fn for_headers(headers: &[String], file: Option<&MappingFile>) -> Result<Mapping> {
        let mut columns: Vec<Option<Field>> = Vec::with_capacity(headers.len());
        for heading in headers {
            let given = file.and_then(|f| f.columns.get(heading.trim()));
            let field = match given {
                Some(key) => Field::from_key(key)?,
                None => guess_field(heading),
            };
            if let Some(f) = &field {
                if columns.iter().flatten().any(|c| c == f) {
                    if given.is_some() {
                        return Err(Error::InvalidInput {
                            field: "mapping",
                            reason: format!("two columns are mapped to {}", f.key()).into(),
                        });
                    }
                    columns.push(None);
                    continue;
                }
            }
            columns.push(field);
        }
        Ok(Mapping { columns })
    }

    /// The mapping as a file would say it (every heading, `ignore` for
    /// columns left out), to save for the next file of the same layout.
    pub fn to_file(&self, headers: &[String]) -> MappingFile {
        MappingFile {
            columns: headers
                .iter()
                .zip(&self.columns)
                .map(|(h, f)| (h.trim().to_string(), f.as_ref().map_or_else(|| "ignore".to_string(), Field::key)))
                .collect(),
        }
    }

    pub fn column_of(&self, field: &Field) -> Option<usize> {
        self.columns.iter().position(|c| c.as_ref() == Some(field))
    }
}

/// A layout's signature: its headings, trimmed, in order. Files of the same
/// layout reuse the mapping saved for it.
pub fn header_signature(headers: &[String]) -> String {
    headers.iter().map(|h| fold_width(h.trim())).collect::<Vec<_>>().join("\u{1F}")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(heading: &str, expected: Option<Field>) {
        assert_eq!(guess_field(heading), expected, "{heading}");
    }

    #[test]
    fn chinese_and_english_headings_are_guessed() {
        check("姓名", Some(Field::Name));
        check("顧客名字", Some(Field::Name));
        check("顧客電話", Some(Field::Phone));
        check("行動電話", Some(Field::Phone));
        check("出生日期", Some(Field::Birthday));
        check("儲值金", Some(Field::StoredValue));
        check("儲值贈送", Some(Field::Bonus));
        check("積分", Some(Field::Points));
        check("集點:咖啡卡", Some(Field::Stamps(Some("咖啡卡".into()))));
        check("印花（咖啡卡）", Some(Field::Stamps(Some("咖啡卡".into()))));
        check("印花", Some(Field::Stamps(None)));
        check("會員編號", Some(Field::MemberNo));
        check("卡號", Some(Field::CardCode));
        check("入會日期", Some(Field::JoinedOn));
        check("最後消費日", Some(Field::LastPurchase));
        check("消費次數", Some(Field::Purchases));
        check("累計消費", Some(Field::TotalSpent));
        check("標籤", Some(Field::Tags));
        check("備註", Some(Field::Notes));
        check("Mobile Phone", Some(Field::Phone));
        check("Last visit", Some(Field::LastPurchase));
        check("Total spent", Some(Field::TotalSpent));
        check("Customer name", Some(Field::Name));
        check("something else", None);
    }

    #[test]
    fn a_mapping_file_overrides_the_guesses() {
        let headers: Vec<String> = ["姓名", "電話", "舊卡"].iter().map(|s| s.to_string()).collect();
        let file: MappingFile = serde_json::from_str(r#"{"columns": {"電話": "ignore", "舊卡": "cardCode"}}"#).unwrap();
        let m = Mapping::for_headers(&headers, Some(&file)).unwrap();
        assert_eq!(m.columns, [Some(Field::Name), None, Some(Field::CardCode)]);
        assert_eq!(Mapping::for_headers(&headers, Some(&m.to_file(&headers))).unwrap(), m);
    }
}
