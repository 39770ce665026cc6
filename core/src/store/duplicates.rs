//! Members who are probably one person twice, for the owner to look at
//! before merging (the merge itself is still to come): the same phone once
//! both are read by today's rules (a number typed before +852 or Excel's
//! lost 0 were understood), the same name and birthday, or names that
//! differ only in width, case or spaces.

use super::Store;
use crate::error::Result;
use crate::staff::Act;
use serde::Serialize;
use std::collections::HashMap;

/// Why members look like one person.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub enum DuplicateReason {
    SamePhone,
    SameNameAndBirthday,
    SameNameWritten,
}

/// One member of a group, with what helps the owner choose which to keep.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct DuplicateMember {
    pub member_id: i64,
    pub member_no: String,
    pub name: String,
    pub phone: Option<String>,
    pub joined_at: i64,
    pub visits: i64,
    pub stored_value_minor: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct DuplicateGroup {
    pub reason: DuplicateReason,
    /// Oldest member first.
    pub members: Vec<DuplicateMember>,
}

/// A name as people mean it: widths folded, case and spaces ignored.
fn name_key(name: &str) -> String {
    crate::input::fold_width(name).chars().filter(|c| !c.is_whitespace()).flat_map(char::to_lowercase).collect()
}

impl Store {
    /// The groups of members (not archived) who look like one person: by
    /// phone, then by name and birthday, then by name written differently;
    /// a member is in the first group that takes them. A manager's or the
    /// owner's read, as the lists.
    pub fn duplicate_members(&self) -> Result<Vec<DuplicateGroup>> {
        self.require_read(Act::OwnerLists)?;
        let mut stmt = self.conn().prepare(
            "SELECT id, member_no, name, phone, joined_at, visit_count, wallet_paid_minor + wallet_bonus_minor,
                    birthday_month, birthday_day, birthday_year
             FROM members WHERE archived = 0 ORDER BY id",
        )?;
        type Row = (DuplicateMember, Option<(u32, u32, Option<i32>)>);
        let rows: Vec<Row> = stmt
            .query_map([], |r| {
                let month: Option<u32> = r.get(7)?;
                let day: Option<u32> = r.get(8)?;
                Ok((
                    DuplicateMember {
                        member_id: r.get(0)?,
                        member_no: r.get(1)?,
                        name: r.get(2)?,
                        phone: r.get(3)?,
                        joined_at: r.get(4)?,
                        visits: r.get(5)?,
                        stored_value_minor: r.get(6)?,
                    },
                    month.zip(day).map(|(m, d)| (m, d, r.get(9).ok().flatten())),
                ))
            })?
            .collect::<rusqlite::Result<_>>()?;
        let mut taken = vec![false; rows.len()];
        let mut groups = Vec::new();
        let mut gather = |reason: DuplicateReason, key: &dyn Fn(&Row) -> Option<String>, taken: &mut Vec<bool>| {
            let mut by_key: HashMap<String, Vec<usize>> = HashMap::new();
            for (i, row) in rows.iter().enumerate() {
                if !taken[i] {
                    if let Some(k) = key(row) {
                        by_key.entry(k).or_default().push(i);
                    }
                }
            }
            let mut found: Vec<Vec<usize>> = by_key.into_values().filter(|v| v.len() > 1).collect();
            found.sort();
            for indexes in found {
                // Names written differently: only when they are not all written the same.
                if reason == DuplicateReason::SameNameWritten
                    && indexes.iter().all(|i| rows[*i].0.name == rows[indexes[0]].0.name)
                {
                    continue;
                }
                for i in &indexes {
                    taken[*i] = true;
                }
                groups.push(DuplicateGroup { reason, members: indexes.iter().map(|i| rows[*i].0.clone()).collect() });
            }
        };
        gather(
            DuplicateReason::SamePhone,
            &|(m, _)| m.phone.as_deref().and_then(|p| crate::phone::normalize_phone(p).ok()),
            &mut taken,
        );
        gather(
            DuplicateReason::SameNameAndBirthday,
            &|(m, birthday)| birthday.map(|(mo, d, y)| format!("{}|{mo}-{d}|{}", name_key(&m.name), y.unwrap_or(0))),
            &mut taken,
        );
        gather(DuplicateReason::SameNameWritten, &|(m, _)| Some(name_key(&m.name)), &mut taken);
        Ok(groups)
    }
}

#[cfg(test)]
mod tests {
    use super::name_key;

    #[test]
    fn names_are_compared_without_width_case_or_spaces() {
        assert_eq!(name_key("Ａｌｉｃｅ Chen "), name_key("alice chen"));
        assert_eq!(name_key("陳 怡君"), name_key("陳怡君"));
        assert_ne!(name_key("陳怡君"), name_key("陳宜君"));
    }
}
