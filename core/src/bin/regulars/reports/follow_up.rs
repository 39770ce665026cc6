//! `regulars report contacted|winback|templates`: following up members the
//! shop wants back, and the saved message templates.

use super::{lists::write_csv, parse_date, StoreAccess};
use crate::print;
use chrono::{DateTime, Utc};
use clap::Args;
use regulars::money::Currency;
use regulars::store::owner::{ContactChannel, ContactOutcome, ContactRequest, MessageTemplate};
use regulars::{Error, Store};

#[derive(Args)]
pub(crate) struct ContactedArgs {
    /// Member number, phone or card code.
    member: String,
    /// phone, sms, line, email, in_person or other.
    #[arg(long)]
    channel: String,
    /// no_answer, reached, promised_visit, declined, wrong_number or other.
    #[arg(long)]
    outcome: String,
    #[arg(long, default_value = "")]
    note: String,
    /// Who made the contact.
    #[arg(long, default_value = "owner")]
    by: String,
    /// Idempotency key: repeating it returns the first result.
    #[arg(long)]
    request_id: Option<String>,
}

#[derive(Args)]
pub(crate) struct WinbackArgs {
    /// YYYY-MM-DD (default: 30 days ago).
    #[arg(long)]
    from: Option<String>,
    /// YYYY-MM-DD (default: today).
    #[arg(long)]
    to: Option<String>,
    /// Days after the contact a sale counts as coming back.
    #[arg(long, default_value_t = 30)]
    days: i64,
    #[arg(long)]
    csv: bool,
}

pub(super) fn contacted(
    mut store: impl StoreAccess,
    args: ContactedArgs,
    json: bool,
    now: DateTime<Utc>,
) -> Result<(), Error> {
    let ContactedArgs { member, channel, outcome, note, by, request_id } = args;
    let s = store.read();
    let member_id = s.owner_resolve_member(&member)?;
    let req = ContactRequest {
        request_id: request_id.unwrap_or_else(|| {
            format!("cli-contact-{}-{}", now.timestamp_nanos_opt().unwrap_or_default(), std::process::id())
        }),
        member_id,
        channel: ContactChannel::parse(&channel)?,
        outcome: ContactOutcome::parse(&outcome)?,
        note,
        cashier: by,
    };
    let c = store.write()?.record_contact(&req, now)?;
    print(json, &c, |c| format!("contacted {member} by {} ({})", c.channel_text(), c.outcome_text()));
    Ok(())
}

pub(super) fn winback(
    s: &Store,
    args: WinbackArgs,
    json: bool,
    now: DateTime<Utc>,
    currency: &Currency,
) -> Result<(), Error> {
    let WinbackArgs { from, to, days, csv } = args;
    let money = |m: i64| currency.format(m);
    let today = s.settings()?.local_date(now);
    let to = to.map(|d| parse_date(&d)).transpose()?.unwrap_or(today);
    let from = from.map(|d| parse_date(&d)).transpose()?.unwrap_or(to - chrono::Duration::days(30));
    let r = s.win_back(from, to, days)?;
    if csv {
        return write_csv(&r.rows, currency.minor_digits);
    }
    print(json, &r, |r| {
        format!(
            "{} to {}: {} contacted, {} came back within {} days ({}.{:02}%), spending {}",
            r.from,
            r.to,
            r.contacted,
            r.came_back,
            r.within_days,
            r.rate_bp / 100,
            r.rate_bp % 100,
            money(r.revenue_minor)
        )
    });
    Ok(())
}

pub(super) fn templates(
    mut store: impl StoreAccess,
    name: Option<String>,
    body: Option<String>,
    json: bool,
    now: DateTime<Utc>,
) -> Result<(), Error> {
    if let (Some(name), Some(body)) = (&name, &body) {
        store.write()?.set_message_template(&MessageTemplate { name: name.clone(), body: body.clone() }, now)?;
    } else if name.is_some() || body.is_some() {
        return Err(Error::InvalidInput { field: "template", reason: "give both --name and --body".into() });
    }
    let all = store.read().message_templates()?;
    print(json, &all, |all| all.iter().map(|t| format!("{}: {}", t.name, t.body)).collect::<Vec<_>>().join("\n"));
    Ok(())
}

pub(super) fn date_of(ms: i64) -> String {
    DateTime::from_timestamp_millis(ms).map_or_else(String::new, |t| t.date_naive().to_string())
}

pub(super) trait ContactText {
    fn channel_text(&self) -> &'static str;
    fn outcome_text(&self) -> &'static str;
}

impl ContactText for regulars::store::owner::Contact {
    fn channel_text(&self) -> &'static str {
        self.channel.as_db()
    }
    fn outcome_text(&self) -> &'static str {
        self.outcome.as_db()
    }
}
