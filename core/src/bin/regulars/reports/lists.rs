//! `regulars report nes|lapsed|vip|rfm|birthdays|due|pareto|dashboard`: the
//! owner's lists as tables, CSV or personalised messages.

use super::follow_up::{date_of, ContactText};
use super::ListArgs;
use crate::print;
use chrono::{DateTime, Utc};
use regulars::analytics::export::{to_csv, CsvRow};
use regulars::analytics::rfm::RfmSegment;
use regulars::money::Currency;
use regulars::store::owner::{BirthdayWindow, DueFilter, MemberRow, Page};
use regulars::{Error, Store};
use std::io::Write;

pub(super) fn nes(s: &Store, list: ListArgs, json: bool, now: DateTime<Utc>, currency: &Currency) -> Result<(), Error> {
    let money = |m: i64| currency.format(m);
    let r = s.nes_report(&list.filter()?, now)?;
    if list.csv || list.template.is_some() {
        return member_list(s, &list, &r.members, json, now, |r| r);
    }
    print(json, &r, |r| {
        let counts: Vec<String> = r
            .counts
            .iter()
            .map(|c| format!("{:<5} {:>7} members {:>14}", c.segment.code(), c.members, money(c.spend_minor)))
            .collect();
        format!("NES segments on {}\n{}\n\n{}", r.as_of, counts.join("\n"), member_table(&r.members, &money))
    });
    Ok(())
}

pub(super) fn lapsed(
    s: &Store,
    list: ListArgs,
    json: bool,
    now: DateTime<Utc>,
    currency: &Currency,
) -> Result<(), Error> {
    let money = |m: i64| currency.format(m);
    let p = s.lapsed(&list.filter()?, now)?;
    if list.csv || list.template.is_some() {
        return member_list(s, &list, &p, json, now, |r| &r.member);
    }
    print(json, &p, |p| {
        let mut lines = vec![format!("{} members to win back", p.total)];
        for r in &p.rows {
            let m = &r.member;
            let contact = r
                .last_contact
                .as_ref()
                .map_or(String::new(), |c| format!("  contacted {} ({})", date_of(c.contacted_at), c.outcome_text()));
            lines.push(format!(
                "{} {:<12} {:<4} {:>12} {:>4} visits  last {}  usual {}  held {}  {}{contact}",
                m.member_no,
                m.name,
                m.segment.code(),
                money(m.spend_minor),
                m.visits,
                m.last_visit_date.map_or("-".into(), |d| d.to_string()),
                m.typical_gap_days.map_or("-".into(), |g| format!("{g}d")),
                money(m.stored_value_minor),
                m.phone.as_deref().unwrap_or("")
            ));
        }
        lines.join("\n")
    });
    Ok(())
}

pub(super) fn vip(s: &Store, list: ListArgs, json: bool, now: DateTime<Utc>, currency: &Currency) -> Result<(), Error> {
    let money = |m: i64| currency.format(m);
    let p = s.vip(&list.filter()?, now)?;
    if list.csv || list.template.is_some() {
        return member_list(s, &list, &p, json, now, |r| r);
    }
    print(json, &p, |p| member_table(p, &money));
    Ok(())
}

pub(super) fn rfm(
    s: &Store,
    rfm_segments: Vec<String>,
    list: ListArgs,
    json: bool,
    now: DateTime<Utc>,
    currency: &Currency,
) -> Result<(), Error> {
    let money = |m: i64| currency.format(m);
    let segments = rfm_segments.iter().map(|x| RfmSegment::parse(x)).collect::<Result<Vec<_>, _>>()?;
    let r = s.rfm(&list.filter()?, &segments, now)?;
    if list.csv || list.template.is_some() {
        return member_list(s, &list, &r.members, json, now, |r| &r.member);
    }
    print(json, &r, |r| {
        let mut lines = vec![format!("RFM on {} (share of revenue)", r.as_of)];
        for c in &r.segments {
            lines.push(format!(
                "{:<18} {:>7} members {:>14} {:>4}.{:02}%",
                c.segment.code(),
                c.members,
                money(c.revenue_minor),
                c.revenue_share_bp / 100,
                c.revenue_share_bp % 100
            ));
        }
        lines.push(String::new());
        for x in &r.members.rows {
            lines.push(format!(
                "{} {:<12} R{} F{} M{} {:<18} {:>12}",
                x.member.member_no,
                x.member.name,
                x.rfm.r,
                x.rfm.f,
                x.rfm.m,
                x.rfm.segment.code(),
                money(x.member.spend_minor)
            ));
        }
        lines.join("\n")
    });
    Ok(())
}

pub(super) fn birthdays(
    s: &Store,
    window: String,
    list: ListArgs,
    json: bool,
    now: DateTime<Utc>,
    currency: &Currency,
) -> Result<(), Error> {
    let window = match window.trim().to_ascii_lowercase().as_str() {
        "today" => BirthdayWindow::Today,
        "week" | "this-week" => BirthdayWindow::ThisWeek,
        "month" | "this-month" => BirthdayWindow::ThisMonth,
        other => {
            return Err(Error::InvalidInput {
                field: "window",
                reason: format!("{other:?}: use today, week or month").into(),
            })
        }
    };
    let template = list.template.as_deref().map(|t| saved_or_literal(s, t)).transpose()?;
    let p = s.birthdays(window, template.as_deref(), list.language()?, &list.filter()?, now)?;
    if list.csv {
        return write_csv(&p.rows, currency.minor_digits);
    }
    print(json, &p, |p| {
        let mut lines = vec![format!("{} birthdays", p.total)];
        for r in &p.rows {
            lines.push(format!(
                "{} {} {:<12} {}  {}",
                r.birthday_date,
                r.member.member_no,
                r.member.name,
                r.member.phone.as_deref().unwrap_or(""),
                r.greeting
            ));
        }
        lines.join("\n")
    });
    Ok(())
}

pub(super) fn due(
    s: &Store,
    days: i64,
    product: Option<i64>,
    list: ListArgs,
    json: bool,
    now: DateTime<Utc>,
) -> Result<(), Error> {
    let p = s.due_back(&DueFilter { within_days: days, product_id: product }, &list.filter()?, now)?;
    if list.csv || list.template.is_some() {
        return member_list(s, &list, &p, json, now, |r| &r.member);
    }
    print(json, &p, |p| {
        let mut lines = vec![format!("{} members due back within {days} days", p.total)];
        for r in &p.rows {
            lines.push(format!(
                "{} (in {}d) {} {:<12} every {}d {} {}",
                r.predicted_date,
                r.days_until,
                r.member.member_no,
                r.member.name,
                r.cycle_days,
                r.product_name.as_deref().unwrap_or(""),
                r.member.phone.as_deref().unwrap_or("")
            ));
        }
        lines.join("\n")
    });
    Ok(())
}

pub(super) fn pareto(
    s: &Store,
    list: ListArgs,
    json: bool,
    now: DateTime<Utc>,
    currency: &Currency,
) -> Result<(), Error> {
    let money = |m: i64| currency.format(m);
    let p = s.pareto(&list.filter()?, now)?;
    print(json, &p, |p| {
        format!(
            "{} customers, revenue {}; the top {} (20 %) brought {} = {}.{:02}%",
            p.customers,
            money(p.revenue_minor),
            p.top_customers,
            money(p.top_revenue_minor),
            p.top_share_bp / 100,
            p.top_share_bp % 100
        )
    });
    Ok(())
}

pub(super) fn dashboard(s: &Store, json: bool, now: DateTime<Utc>, currency: &Currency) -> Result<(), Error> {
    let money = |m: i64| currency.format(m);
    let d = s.dashboard(now)?;
    print(json, &d, |d| {
        let mut lines = vec![format!("{} members on {}", d.members, d.as_of)];
        lines.push(
            d.segments.iter().map(|c| format!("{} {}", c.segment.code(), c.members)).collect::<Vec<_>>().join("  "),
        );
        lines.push(
            d.tiers
                .iter()
                .map(|t| format!("{} {}", t.tier.as_deref().unwrap_or("(no tier)"), t.members))
                .collect::<Vec<_>>()
                .join("  "),
        );
        lines.push(format!("{:<12} {:>6} {:>7} {:>14}", "week of", "new", "visits", "revenue"));
        for w in &d.weeks {
            lines.push(format!(
                "{:<12} {:>6} {:>7} {:>14}",
                w.week_start.to_string(),
                w.new_members,
                w.visits,
                money(w.revenue_minor)
            ));
        }
        lines.push(format!(
            "revenue: 12 weeks {}, all time {}; stored value held {} (paid {}, bonus {})",
            money(d.revenue_12_weeks_minor),
            money(d.revenue_total_minor),
            money(d.stored_value.total()),
            money(d.stored_value.paid_minor),
            money(d.stored_value.bonus_minor)
        ));
        lines.join("\n")
    });
    Ok(())
}

/// A saved template by name, or the text itself.
fn saved_or_literal(s: &Store, t: &str) -> Result<String, Error> {
    Ok(s.message_templates()?.into_iter().find(|x| x.name == t.trim()).map_or_else(|| t.to_string(), |x| x.body))
}

/// A member list as CSV, or as personalised messages (`--template`).
fn member_list<R: CsvRow + ts_rs::TS>(
    s: &Store,
    list: &ListArgs,
    page: &Page<R>,
    json: bool,
    now: DateTime<Utc>,
    member: impl Fn(&R) -> &MemberRow,
) -> Result<(), Error> {
    let digits = s.settings()?.currency.minor_digits;
    if let Some(t) = &list.template {
        let template = saved_or_literal(s, t)?;
        let ids: Vec<i64> = page.rows.iter().map(|r| member(r).member_id).collect();
        let messages = s.outreach_messages(&ids, &template, list.language()?, now)?;
        if list.csv {
            return write_csv(&messages, digits);
        }
        print(json, &messages, |m| {
            m.iter()
                .map(|m| format!("{} {} {}\n{}\n", m.member_no, m.name, m.phone.as_deref().unwrap_or(""), m.text))
                .collect::<Vec<_>>()
                .join("\n")
        });
        return Ok(());
    }
    write_csv(&page.rows, digits)
}

pub(super) fn write_csv<R: CsvRow>(rows: &[R], minor_digits: u8) -> Result<(), Error> {
    let bytes = to_csv(rows, minor_digits);
    // A closed pipe is not an error worth reporting.
    let _ = std::io::stdout().write_all(&bytes);
    Ok(())
}

fn member_table(p: &Page<MemberRow>, money: &dyn Fn(i64) -> String) -> String {
    let mut lines = vec![format!("{} members", p.total)];
    for m in &p.rows {
        lines.push(format!(
            "{} {:<12} {:<4} {:<6} {:>12} (window {:>12}) {:>4} visits  last {}",
            m.member_no,
            m.name,
            m.segment.code(),
            m.tier.as_deref().unwrap_or("-"),
            money(m.spend_minor),
            money(m.window_spend_minor),
            m.visits,
            m.last_visit_date.map_or("-".into(), |d| d.to_string())
        ));
    }
    lines.join("\n")
}
