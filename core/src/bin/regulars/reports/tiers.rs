//! `regulars report tiers …` and `regulars report thresholds`: the tiers and
//! the owner's thresholds (NES, the tiers' window, the birthday greeting).

use super::{lists::write_csv, StoreAccess, ThresholdArgs, TierCommand};
use crate::print;
use chrono::{DateTime, Utc};
use regulars::analytics::segments::{OwnerSettingsPatch, TierBasis};
use regulars::analytics::tiers::TierInput;
use regulars::{Currency, Error};
use serde::Serialize;

pub(super) fn tiers(
    mut store: impl StoreAccess,
    cmd: TierCommand,
    json: bool,
    now: DateTime<Utc>,
    currency: &Currency,
) -> Result<(), Error> {
    let money = |m: i64| currency.format(m);
    let changes_text = |changes: &Vec<regulars::store::owner::TierChange>| {
        let mut lines = vec![format!("{} tier changes", changes.len())];
        for c in changes {
            lines.push(format!(
                "{} {:<12} {} → {} (spend {}, {})",
                c.member_no,
                c.name,
                c.from_tier.as_deref().unwrap_or("-"),
                c.to_tier.as_deref().unwrap_or("-"),
                money(c.spend_minor),
                c.reason
            ));
        }
        lines.join("\n")
    };
    match cmd {
        TierCommand::List => {}
        TierCommand::Set { tiers, basis, months } => {
            let input = tiers
                .iter()
                .map(|t| {
                    // NAME:MIN_SPEND, or NAME:MIN_SPEND:×POINTS_MULTIPLIER.
                    let bad = || Error::InvalidInput {
                        field: "tier",
                        reason: format!("{t:?}: use NAME:MIN_SPEND or NAME:MIN_SPEND:×2").into(),
                    };
                    let (head, last) = t.rsplit_once(':').ok_or_else(bad)?;
                    let (name, min, multiplier) = match head.rsplit_once(':') {
                        Some((name, min)) if currency.parse(min).is_ok() => {
                            (name, min, regulars::points::parse_multiplier("tier points multiplier", last)?)
                        }
                        _ => (head, last, 100),
                    };
                    Ok(TierInput {
                        name: name.to_string(),
                        min_spend_minor: currency.parse(min)?,
                        points_multiplier_pct: multiplier,
                    })
                })
                .collect::<Result<Vec<_>, Error>>()?;
            let basis = match basis.as_deref().map(str::trim) {
                None => None,
                Some("rolling") => Some(TierBasis::Rolling),
                Some("total") => Some(TierBasis::Total),
                Some(other) => {
                    return Err(Error::InvalidInput {
                        field: "basis",
                        reason: format!("{other:?}: rolling or total").into(),
                    })
                }
            };
            let w = store.write()?;
            if basis.is_some() || months.is_some() {
                let patch = OwnerSettingsPatch { tier_basis: basis, tier_window_months: months, ..Default::default() };
                w.update_owner_settings(&patch, now)?;
            }
            w.set_tiers(&input, now)?;
        }
        TierCommand::Review { apply, csv } => {
            let changes = if apply { store.write()?.apply_tier_review(now)? } else { store.read().tier_review(now)? };
            if csv {
                return write_csv(&changes, currency.minor_digits);
            }
            print(json, &changes, changes_text);
            return Ok(());
        }
        TierCommand::History { member, limit } => {
            let s = store.read();
            let id = member.map(|m| s.owner_resolve_member(&m)).transpose()?;
            let changes = s.tier_history(id, limit)?;
            print(json, &changes, changes_text);
            return Ok(());
        }
    }
    let s = store.read();
    let (tiers, o) = (s.tiers()?, s.owner_settings()?);
    #[derive(Serialize)]
    #[serde(rename_all = "camelCase")]
    struct Tiers {
        basis: TierBasis,
        window_months: i64,
        tiers: Vec<regulars::analytics::tiers::Tier>,
    }
    let out = Tiers { basis: o.tier_basis, window_months: o.tier_window_months, tiers };
    print(json, &out, |t| {
        let mut lines = vec![format!("tiers by {} spend ({} months)", t.basis.as_db(), t.window_months)];
        for tier in &t.tiers {
            let points = if tier.points_multiplier_pct == 100 {
                String::new()
            } else {
                format!(", points ×{}", regulars::points::multiplier_text(tier.points_multiplier_pct))
            };
            lines.push(format!("{} from {}{points}", tier.name, money(tier.min_spend_minor)));
        }
        lines.join("\n")
    });
    Ok(())
}

pub(super) fn thresholds(
    mut store: impl StoreAccess,
    a: ThresholdArgs,
    json: bool,
    now: DateTime<Utc>,
) -> Result<(), Error> {
    let s = store.read();
    let patch = OwnerSettingsPatch {
        new_days: a.new_days,
        s1_days: a.s1_days,
        s2_days: a.s2_days,
        s3_days: a.s3_days,
        s1_pct: a.s1_pct,
        s2_pct: a.s2_pct,
        s3_pct: a.s3_pct,
        min_gap_days: a.min_gap_days,
        min_history_visits: a.min_history_visits,
        birthday_template: a.birthday_template,
        ..Default::default()
    };
    let changes = patch.new_days.is_some()
        || patch.s1_days.is_some()
        || patch.s2_days.is_some()
        || patch.s3_days.is_some()
        || patch.s1_pct.is_some()
        || patch.s2_pct.is_some()
        || patch.s3_pct.is_some()
        || patch.min_gap_days.is_some()
        || patch.min_history_visits.is_some()
        || patch.birthday_template.is_some();
    let o = if changes { store.write()?.update_owner_settings(&patch, now)? } else { s.owner_settings()? };
    print(json, &o, |o| {
        format!(
            "new: first visit within {} days\nsleeping without history: S1 > {} days, S2 > {}, S3 > {}\n\
                 with {}+ visit days: S1 > {}%, S2 > {}%, S3 > {}% of the usual gap (at least {} days)\n\
                 tiers by {} spend ({} months)\nbirthday greeting: {}",
            o.new_days,
            o.s1_days,
            o.s2_days,
            o.s3_days,
            o.min_history_visits,
            o.s1_pct,
            o.s2_pct,
            o.s3_pct,
            o.min_gap_days,
            o.tier_basis.as_db(),
            o.tier_window_months,
            o.birthday_template
        )
    });
    Ok(())
}
