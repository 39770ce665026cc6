//! `regulars report …`: the owner's reports.

use crate::print;
use chrono::{DateTime, NaiveDate, Utc};
use clap::{Args, Subcommand};
use regulars::analytics::export::{to_csv, CsvRow};
use regulars::analytics::rfm::RfmSegment;
use regulars::analytics::segments::{Nes, OwnerSettingsPatch, TierBasis};
use regulars::analytics::tiers::TierInput;
use regulars::store::owner::{
    BirthdayWindow, ContactChannel, ContactOutcome, ContactRequest, DueFilter, ListFilter, MemberRow, MessageTemplate,
    Page,
};
use regulars::{Error, Store};
use serde::Serialize;
use std::io::Write;

#[derive(Subcommand)]
pub(crate) enum ReportCommand {
    /// Stored value held for customers over a day: opening, movements, closing.
    Float {
        /// YYYY-MM-DD in the shop's time zone (default: today).
        #[arg(long)]
        date: Option<String>,
    },
    /// Closing the till: the day's sales, top-ups, refunds and voids, money
    /// per payment method, stamps, new members and stored value held.
    Day {
        /// YYYY-MM-DD in the shop's time zone (default: today).
        #[arg(long)]
        date: Option<String>,
        /// Also write the day close slip as PDF to this file.
        #[arg(long)]
        pdf: Option<std::path::PathBuf>,
        /// Paper of the PDF: 58, 80, a4 or a5 (default: the shop's setting).
        #[arg(long)]
        paper: Option<String>,
        /// Labels of the PDF in zh-TW, zh-CN or en.
        #[arg(long, default_value = "zh-TW")]
        lang: String,
    },
    /// NES segments (N new, E0 active, S1–S3 sleeping): counts and members.
    Nes(ListArgs),
    /// The win-back list: members past their sleeping threshold, most valuable first.
    Lapsed(ListArgs),
    /// Members by the spend their tier is measured on, highest first.
    Vip(ListArgs),
    /// RFM scores and named segments (champions … lost).
    Rfm {
        /// Only these RFM segments (e.g. atRisk, cannotLose); repeatable.
        #[arg(long = "rfm-segment")]
        rfm_segments: Vec<String>,
        #[command(flatten)]
        list: ListArgs,
    },
    /// Birthdays today, this week or this month, with a greeting.
    Birthdays {
        /// today, week or month.
        #[arg(long, default_value = "today")]
        window: String,
        #[command(flatten)]
        list: ListArgs,
    },
    /// Members due back within the next days (own interval, or a product's cycle).
    Due {
        #[arg(long, default_value_t = 7)]
        days: i64,
        /// A catalogue product id: by that product's repurchase cycle.
        #[arg(long)]
        product: Option<i64>,
        #[command(flatten)]
        list: ListArgs,
    },
    /// 80/20: the top 20 % of customers' share of revenue, and the curve.
    Pareto(ListArgs),
    /// Members by segment, weekly new members and visits, revenue, stored value, tiers.
    Dashboard,
    /// Mark a member as contacted (win-back follow-up; appended to the log).
    Contacted {
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
    },
    /// Win-back rate: of members first contacted in a period, who came back.
    Winback {
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
    },
    /// Tiers: list, set, review, history.
    #[command(subcommand)]
    Tiers(TierCommand),
    /// Show or change the owner's thresholds (NES, tiers' window, birthday greeting).
    Thresholds(ThresholdArgs),
    /// Saved message templates: list, or save one (`--name N --body "…{name}…"`).
    Templates {
        #[arg(long)]
        name: Option<String>,
        #[arg(long)]
        body: Option<String>,
    },
}

/// What narrows and shapes any owner's list.
#[derive(Args, Default)]
pub(crate) struct ListArgs {
    /// Only members with this tag (repeat for any of several).
    #[arg(long = "tag")]
    tags: Vec<String>,
    /// Only members of this tier (repeatable).
    #[arg(long = "tier")]
    tiers: Vec<String>,
    /// Only this NES segment: N, E0, S1, S2, S3, none (repeatable).
    #[arg(long = "segment")]
    segments: Vec<String>,
    #[arg(long)]
    limit: Option<u32>,
    #[arg(long, default_value_t = 0)]
    offset: u32,
    /// CSV (UTF-8 with BOM, for Excel) instead of a table.
    #[arg(long)]
    csv: bool,
    /// Print each member's personalised message from this template
    /// ({name} {balance} {stamps} {memberNo} {lastVisit} {tier} {shop}),
    /// or the saved template of this name.
    #[arg(long)]
    template: Option<String>,
}

impl ListArgs {
    fn filter(&self) -> Result<ListFilter, Error> {
        Ok(ListFilter {
            tags: self.tags.clone(),
            tiers: self.tiers.clone(),
            segments: self.segments.iter().map(|s| Nes::parse(s)).collect::<Result<_, _>>()?,
            limit: self.limit,
            offset: self.offset,
        })
    }
}

#[derive(Subcommand)]
pub(crate) enum TierCommand {
    /// The tiers and how spend is measured.
    List,
    /// Replace the tiers: `NAME:MIN_SPEND …`, e.g. `會員:0 銀卡:3000 金卡:10000`.
    Set {
        #[arg(required = true)]
        tiers: Vec<String>,
        /// rolling (the window of months) or total.
        #[arg(long)]
        basis: Option<String>,
        /// Months in the rolling window (1–24).
        #[arg(long)]
        months: Option<i64>,
    },
    /// Who would move tier now (up or down); `--apply` moves them.
    Review {
        #[arg(long)]
        apply: bool,
        #[arg(long)]
        csv: bool,
    },
    /// Tier changes, newest first (of one member, or of the shop).
    History {
        member: Option<String>,
        #[arg(long, default_value_t = 50)]
        limit: u32,
    },
}

#[derive(Args)]
pub(crate) struct ThresholdArgs {
    #[arg(long)]
    new_days: Option<i64>,
    #[arg(long)]
    s1_days: Option<i64>,
    #[arg(long)]
    s2_days: Option<i64>,
    #[arg(long)]
    s3_days: Option<i64>,
    #[arg(long)]
    s1_pct: Option<i64>,
    #[arg(long)]
    s2_pct: Option<i64>,
    #[arg(long)]
    s3_pct: Option<i64>,
    #[arg(long)]
    min_gap_days: Option<i64>,
    #[arg(long)]
    min_history_visits: Option<i64>,
    #[arg(long)]
    birthday_template: Option<String>,
}

/// The store as the command was given it: writes need `&mut Store`.
/// (`main.rs` passes `&store` or `&mut store`; with `&store` the few
/// writing subcommands report that they cannot run.)
pub(crate) trait StoreAccess {
    fn read(&self) -> &Store;
    fn write(&mut self) -> Result<&mut Store, Error>;
}

impl StoreAccess for &Store {
    fn read(&self) -> &Store {
        self
    }
    fn write(&mut self) -> Result<&mut Store, Error> {
        Err(Error::InvalidInput { field: "command", reason: "this build opens reports read-only".into() })
    }
}

impl StoreAccess for &mut Store {
    fn read(&self) -> &Store {
        self
    }
    fn write(&mut self) -> Result<&mut Store, Error> {
        Ok(&mut **self)
    }
}

pub(crate) fn run(
    mut store: impl StoreAccess,
    cmd: ReportCommand,
    json: bool,
    now: DateTime<Utc>,
) -> Result<(), Error> {
    let s = store.read();
    let currency = s.settings()?.currency;
    let money = |m: i64| currency.format(m);
    match cmd {
        ReportCommand::Float { date } => float(s, date, json, now),
        ReportCommand::Day { date, pdf, paper, lang } => {
            if let Some(output) = pdf {
                let settings = s.settings()?;
                let day = shop_date(&settings, date.clone(), now)?;
                let paper = paper.as_deref().map(regulars::settings::PaperSize::parse).transpose()?;
                let rendered = s.day_close_pdf(day, paper, regulars::ReceiptLanguage::parse(&lang)?, now)?;
                std::fs::write(&output, &rendered.bytes)?;
                eprintln!("wrote {} ({} KB)", output.display(), rendered.bytes.len().div_ceil(1024));
            }
            day_close(s, date, json, now)
        }
        ReportCommand::Nes(list) => {
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
        ReportCommand::Lapsed(list) => {
            let p = s.lapsed(&list.filter()?, now)?;
            if list.csv || list.template.is_some() {
                return member_list(s, &list, &p, json, now, |r| &r.member);
            }
            print(json, &p, |p| {
                let mut lines = vec![format!("{} members to win back", p.total)];
                for r in &p.rows {
                    let m = &r.member;
                    let contact = r.last_contact.as_ref().map_or(String::new(), |c| {
                        format!("  contacted {} ({})", date_of(c.contacted_at), c.outcome_text())
                    });
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
        ReportCommand::Vip(list) => {
            let p = s.vip(&list.filter()?, now)?;
            if list.csv || list.template.is_some() {
                return member_list(s, &list, &p, json, now, |r| r);
            }
            print(json, &p, |p| member_table(p, &money));
            Ok(())
        }
        ReportCommand::Rfm { rfm_segments, list } => {
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
        ReportCommand::Birthdays { window, list } => {
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
            let p = s.birthdays(window, template.as_deref(), &list.filter()?, now)?;
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
        ReportCommand::Due { days, product, list } => {
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
        ReportCommand::Pareto(list) => {
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
        ReportCommand::Dashboard => {
            let d = s.dashboard(now)?;
            print(json, &d, |d| {
                let mut lines = vec![format!("{} members on {}", d.members, d.as_of)];
                lines.push(
                    d.segments
                        .iter()
                        .map(|c| format!("{} {}", c.segment.code(), c.members))
                        .collect::<Vec<_>>()
                        .join("  "),
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
        ReportCommand::Contacted { member, channel, outcome, note, by, request_id } => {
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
        ReportCommand::Winback { from, to, days, csv } => {
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
        ReportCommand::Tiers(cmd) => tiers(store, cmd, json, now, &currency),
        ReportCommand::Thresholds(a) => {
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
        ReportCommand::Templates { name, body } => {
            if let (Some(name), Some(body)) = (&name, &body) {
                store
                    .write()?
                    .set_message_template(&MessageTemplate { name: name.clone(), body: body.clone() }, now)?;
            } else if name.is_some() || body.is_some() {
                return Err(Error::InvalidInput { field: "template", reason: "give both --name and --body".into() });
            }
            let all = store.read().message_templates()?;
            print(json, &all, |all| {
                all.iter().map(|t| format!("{}: {}", t.name, t.body)).collect::<Vec<_>>().join("\n")
            });
            Ok(())
        }
    }
}

fn tiers(
    mut store: impl StoreAccess,
    cmd: TierCommand,
    json: bool,
    now: DateTime<Utc>,
    currency: &regulars::Currency,
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
                    let (name, min) = t.rsplit_once(':').ok_or_else(|| Error::InvalidInput {
                        field: "tier",
                        reason: format!("{t:?}: use NAME:MIN_SPEND").into(),
                    })?;
                    Ok(TierInput { name: name.to_string(), min_spend_minor: currency.parse(min)? })
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
            w.set_tiers(&input)?;
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
            lines.push(format!("{} from {}", tier.name, money(tier.min_spend_minor)));
        }
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
        let messages = s.outreach_messages(&ids, &template, now)?;
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

fn write_csv<R: CsvRow>(rows: &[R], minor_digits: u8) -> Result<(), Error> {
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

fn parse_date(d: &str) -> Result<NaiveDate, Error> {
    regulars::input::parse_full_date(d)
}

fn date_of(ms: i64) -> String {
    DateTime::from_timestamp_millis(ms).map_or_else(String::new, |t| t.date_naive().to_string())
}

trait ContactText {
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
        let kind = |label: &str, k: &regulars::day_close::KindTotal| {
            format!("{label:<16} {:>5} {:>14}", k.count, c.format(k.amount_minor))
        };
        let mut out = vec![
            format!("Day close for {} ({})", r.date, settings.time_zone),
            kind("sales", &r.sales),
            kind("top-ups", &r.top_ups),
            format!("{:<16} {:>5} {:>14}", "  bonus given", "", c.format(r.bonus_given_minor)),
            kind("refunds", &r.refunds),
            kind("voided sales", &r.voided_sales),
            kind("voided top-ups", &r.voided_top_ups),
            kind("adjustments", &r.adjustments),
            format!(
                "stamps given {}, rewards redeemed {}, new members {}",
                r.stamps_given, r.rewards_redeemed, r.new_members
            ),
            format!(
                "{:<14} {:>12} {:>12} {:>12} {:>12} {:>12}",
                "method", "sales", "top-ups", "refunds", "voids", "net"
            ),
        ];
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

fn float(store: &Store, date: Option<String>, json: bool, now: DateTime<Utc>) -> Result<(), Error> {
    let settings = store.settings()?;
    let date = shop_date(&settings, date, now)?;
    let r = store.float_report(date)?;
    print(json, &r, |r| {
        let c = &r.currency;
        let row = |label: &str, p: &regulars::day_close::FloatParts| {
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
