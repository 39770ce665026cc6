//! `regulars report day` (the day close, and its slip as a PDF) and
//! `regulars report float` (the stored value held over a day).

use super::parse_date;
use crate::print;
use chrono::{DateTime, NaiveDate, Utc};
use regulars::day_close::{FloatParts, KindTotal};
use regulars::documents;
use regulars::settings::PaperSize;
use regulars::{Error, ReceiptLanguage, Store};
use std::path::PathBuf;

/// `regulars report day`: the day close, and with `--pdf` its slip written to that file first.
pub(super) fn day(
    s: &Store,
    date: Option<String>,
    pdf: Option<PathBuf>,
    paper: Option<String>,
    lang: String,
    json: bool,
    now: DateTime<Utc>,
) -> Result<(), Error> {
    if let Some(output) = pdf {
        let settings = s.settings()?;
        let day = shop_date(&settings, date.clone(), now)?;
        let paper = paper.as_deref().map(PaperSize::parse).transpose()?;
        let slip = documents::day_close(s, day, paper, ReceiptLanguage::parse(&lang)?, now)?;
        slip.write_to(&output)?;
        eprintln!("wrote {} ({} KB)", output.display(), slip.rendered.bytes.len().div_ceil(1024));
    }
    day_close(s, date, json, now)
}

/// A `--date` in the shop's time zone, or the shop's today.
fn shop_date(settings: &regulars::ShopSettings, date: Option<String>, now: DateTime<Utc>) -> Result<NaiveDate, Error> {
    match date {
        Some(d) => parse_date(&d),
        None => Ok(settings.local_date(now)),
    }
}

fn day_close(store: &Store, date: Option<String>, json: bool, now: DateTime<Utc>) -> Result<(), Error> {
    let settings = store.settings()?;
    let r = store.day_close(shop_date(&settings, date, now)?)?;
    print(json, &r, |r| {
        let c = &r.currency;
        let kind = |label: &str, k: &KindTotal| format!("{label:<16} {:>5} {:>14}", k.count, c.format(k.amount_minor));
        let mut out = vec![
            format!("Day close for {} ({})", r.date, settings.time_zone),
            kind("sales", &r.sales),
            kind("top-ups", &r.top_ups),
            format!("{:<16} {:>5} {:>14}", "  bonus given", "", c.format(r.bonus_given_minor)),
            kind("refunds", &r.refunds),
            kind("voided sales", &r.voided_sales),
            kind("voided top-ups", &r.voided_top_ups),
            kind("adjustments", &r.adjustments),
        ];
        if r.opening_balances.count != 0 {
            // Brought in by an import: held from now on, not money taken.
            out.push(kind("brought in", &r.opening_balances));
        }
        out.extend([
            format!(
                "stamps given {}, rewards redeemed {}, new members {}",
                r.stamps_given, r.rewards_redeemed, r.new_members
            ),
            format!(
                "{:<14} {:>12} {:>12} {:>12} {:>12} {:>12}",
                "method", "sales", "top-ups", "refunds", "voids", "net"
            ),
        ]);
        for m in &r.methods {
            out.push(format!(
                "{:<14} {:>12} {:>12} {:>12} {:>12} {:>12}",
                crate::till::method_text(m.method, &m.name),
                c.format(m.sales_minor),
                c.format(m.top_ups_minor),
                c.format(m.refunds_minor),
                c.format(m.voids_minor),
                c.format(m.net_minor)
            ));
        }
        if r.by_staff.len() > 1 {
            out.push("by staff member".into());
            for person in &r.by_staff {
                let methods: Vec<String> = person
                    .methods
                    .iter()
                    .map(|m| format!("{} {}", crate::till::method_text(m.method, &m.name), c.format(m.net_minor)))
                    .collect();
                out.push(format!(
                    "  {:<12} {:>12}  ({})",
                    person.staff,
                    c.format(person.net_minor),
                    methods.join(", ")
                ));
            }
        }
        out.push(match &r.drawer {
            Some(d) => {
                let mut line = crate::till::drawer_text(d, c);
                if r.drawer_counts > 1 {
                    line.push_str(&format!(" (count {} of the day)", r.drawer_counts));
                }
                if r.drawer_outdated {
                    line.push_str("; cash moved since: count again");
                }
                line
            }
            None => format!("drawer not counted (cash taken {})", c.format(r.cash_minor)),
        });
        out.push(format!(
            "stored value held: {} at opening, {} at closing",
            c.format(r.float.opening.total()),
            c.format(r.float.closing.total())
        ));
        out.join("\n")
    });
    Ok(())
}

pub(super) fn float(store: &Store, date: Option<String>, json: bool, now: DateTime<Utc>) -> Result<(), Error> {
    let settings = store.settings()?;
    let date = shop_date(&settings, date, now)?;
    let r = store.float_report(date)?;
    print(json, &r, |r| {
        let c = &r.currency;
        let row = |label: &str, p: &FloatParts| {
            format!(
                "{label:<12} {:>14} {:>14} {:>14}",
                c.format(p.paid_minor),
                c.format(p.bonus_minor),
                c.format(p.total())
            )
        };
        [
            format!("Stored value held for customers on {} ({})", r.date, settings.time_zone),
            format!("{:<12} {:>14} {:>14} {:>14}", "", "paid", "bonus", "total"),
            row("opening", &r.opening),
            row("+ top-ups", &r.top_ups),
            row("- spends", &r.spends),
            row("- refunds", &r.refunds),
            row("- forfeits", &r.forfeits),
            row("± adjust", &r.adjustments),
            row("± voids", &r.voids),
            row("+ brought in", &r.brought_in),
            row("= closing", &r.closing),
            if r.balances() { "balanced: opening + movements = closing".into() } else { "NOT BALANCED".into() },
        ]
        .join("\n")
    });
    Ok(())
}
