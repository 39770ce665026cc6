//! `regulars report …`: the owner's reports.

use crate::print;
use chrono::{DateTime, NaiveDate, Utc};
use clap::Subcommand;
use regulars::{Error, Store};

#[derive(Subcommand)]
pub(crate) enum ReportCommand {
    /// Stored value held for customers over a day: opening, movements, closing.
    Float {
        /// YYYY-MM-DD in the shop's time zone (default: today).
        #[arg(long)]
        date: Option<String>,
    },
}

pub(crate) fn run(store: &Store, cmd: ReportCommand, json: bool, now: DateTime<Utc>) -> Result<(), Error> {
    match cmd {
        ReportCommand::Float { date } => float(store, date, json, now),
    }
}

fn float(store: &Store, date: Option<String>, json: bool, now: DateTime<Utc>) -> Result<(), Error> {
    let settings = store.settings()?;
    let date = match date {
        Some(d) => NaiveDate::parse_from_str(d.trim(), "%Y-%m-%d").map_err(|_| Error::InvalidDate(d.clone()))?,
        None => settings.local_date(now),
    };
    let r = store.float_report(date)?;
    print(json, &r, |r| {
        let c = &r.currency;
        let row = |label: &str, p: &regulars::store::reports::FloatParts| {
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
            row("= closing", &r.closing),
            if r.balances() { "balanced: opening + movements = closing".into() } else { "NOT BALANCED".into() },
        ]
        .join("\n")
    });
    Ok(())
}
