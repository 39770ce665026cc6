//! `regulars coupon offer add|edit|list|pause|resume`, `coupon issue` (one member,
//! or a campaign to one of the owner's lists, with `--dry-run` for its
//! preview), `coupon show CODE`, `coupon slip CODE` (the coupon's slip as
//! a PDF file or printed), `coupon auto list|set|run` (the coupons the shop
//! issues by itself); `regulars points settings|show`.

use crate::{print, RequestArgs};
use chrono::{DateTime, Utc};
use clap::{Args, Subcommand};
use regulars::auto_coupon::{AutoCouponKind, AutoCouponRule};
use regulars::coupon::{OfferInput, OfferKind};
use regulars::documents;
use regulars::input::parse_full_date;
use regulars::referral::{ReferralRewardKind, ReferralSettings};
use regulars::settings::PaperSize;
use regulars::store::coupons::{CampaignRequest, CouponOffer, CouponView, IssueCouponRequest};
use regulars::store::owner::{BirthdayWindow, ListFilter};
use regulars::{Error, ReceiptLanguage, Store};
use std::path::PathBuf;

#[derive(Subcommand)]
pub(crate) enum CouponCommand {
    /// The owner's offers.
    #[command(subcommand)]
    Offer(OfferCommand),
    /// Issue a coupon to a member, or to a list as a named campaign.
    Issue(IssueArgs),
    /// Show a coupon by its code.
    Show { code: String },
    /// A member's coupons.
    List { member: String },
    /// The coupons the shop issues by itself (birthday, welcome, win-back).
    #[command(subcommand)]
    Auto(AutoCommand),
    /// A coupon's slip to hand to the member: the offer, the days, the code
    /// large and as a QR code. Written to a PDF file or printed.
    Slip(SlipArgs),
}

#[derive(Subcommand)]
pub(crate) enum AutoCommand {
    /// Each kind's rule.
    List,
    /// Set a kind's rule: birthday, welcome or win-back.
    Set {
        kind: String,
        /// The offer its coupons are of.
        #[arg(long)]
        offer: Option<i64>,
        /// Birthday coupons: this many days before the birthday (0–60).
        #[arg(long)]
        days_before: Option<i64>,
        /// Turn it on.
        #[arg(long, conflicts_with = "off")]
        on: bool,
        /// Turn it off.
        #[arg(long)]
        off: bool,
    },
    /// Issue the birthday and win-back coupons due today (the app does this at start and every hour).
    Run,
}

#[derive(Args)]
#[command(group(clap::ArgGroup::new("to").required(true).args(["output", "print"])))]
pub(crate) struct SlipArgs {
    /// The coupon's code (any case; spaces and dashes are ignored).
    code: String,
    /// Paper: 58, 80, a4 or a5 (default: the shop's receipt paper).
    #[arg(long, alias = "width")]
    paper: Option<String>,
    /// Words in zh-TW, zh-CN or en.
    #[arg(long, default_value = "zh-TW")]
    lang: String,
    /// Write the PDF to this file.
    #[arg(short, long)]
    output: Option<PathBuf>,
    /// Print it on the shop's printer (or --printer).
    #[arg(long)]
    print: bool,
    /// Printer name (default: the shop's setting, else the system default).
    #[arg(long, requires = "print")]
    printer: Option<String>,
}

#[derive(Subcommand)]
pub(crate) enum OfferCommand {
    /// Add an offer.
    Add(Box<OfferArgs>),
    /// Replace an offer's terms (it keeps its id; coupons issued keep their days).
    Edit {
        id: i64,
        #[command(flatten)]
        terms: Box<OfferArgs>,
    },
    /// List the offers.
    List,
    /// Pause an offer: no new coupons of it (those issued stay good).
    Pause { id: i64 },
    /// Start a paused offer again.
    Resume { id: i64 },
}

#[derive(Args)]
pub(crate) struct OfferArgs {
    #[arg(long)]
    name: String,
    /// amount_off, percent_off, free_item or extra_stamps.
    #[arg(long)]
    kind: String,
    /// Amount off (amount_off), e.g. 50.
    #[arg(long)]
    amount: Option<String>,
    /// Whole percent off (percent_off), 1–100; rounded down.
    #[arg(long)]
    percent: Option<i64>,
    /// The most a percent-off coupon takes off.
    #[arg(long)]
    cap: Option<String>,
    /// The free product's id (free_item).
    #[arg(long)]
    product: Option<i64>,
    /// The stamp program's id (extra_stamps).
    #[arg(long)]
    program: Option<i64>,
    /// Extra stamps (extra_stamps).
    #[arg(long)]
    stamps: Option<i64>,
    /// The items' total a sale needs.
    #[arg(long, default_value = "0")]
    min_spend: String,
    /// Valid this many days from issue (the day of issue included).
    #[arg(long)]
    days: Option<i64>,
    /// Or valid from this day …
    #[arg(long)]
    from: Option<String>,
    /// … to this day (shop time zone, both included).
    #[arg(long)]
    until: Option<String>,
    /// Whether it may be used with other coupons on one sale.
    #[arg(long)]
    combinable: bool,
}

#[derive(Args)]
pub(crate) struct IssueArgs {
    /// Member number, phone or card code (one coupon to one member).
    member: Option<String>,
    #[arg(long)]
    offer: i64,
    /// A campaign to one of the owner's lists: lapsed, birthdays or vip.
    #[arg(long)]
    list: Option<String>,
    /// The campaign's name (with --list).
    #[arg(long)]
    campaign: Option<String>,
    /// Birthdays: today, week or month.
    #[arg(long, default_value = "month")]
    window: String,
    /// At most this many members of the list.
    #[arg(long)]
    limit: Option<u32>,
    /// Show how many coupons and the most they can cost; issue nothing.
    #[arg(long)]
    dry_run: bool,
    #[command(flatten)]
    req: RequestArgs,
}

/// An offer's terms as typed on the command line.
fn offer_input(a: OfferArgs, currency: &regulars::money::Currency) -> Result<OfferInput, Error> {
    let money = |s: &Option<String>| s.as_deref().map(|t| currency.parse(t)).transpose();
    let date = |s: &Option<String>| s.as_deref().map(parse_full_date).transpose();
    Ok(OfferInput {
        kind: OfferKind::parse(&a.kind)?,
        amount_off_minor: money(&a.amount)?,
        percent_off: a.percent,
        cap_minor: money(&a.cap)?,
        product_id: a.product,
        program_id: a.program,
        extra_stamps: a.stamps,
        min_spend_minor: currency.parse(&a.min_spend)?,
        valid_days: a.days,
        valid_from: date(&a.from)?,
        valid_until: date(&a.until)?,
        combinable: a.combinable,
        name: a.name,
    })
}

fn auto_line(r: &AutoCouponRule) -> String {
    format!(
        "{:<9} {}{}{}",
        r.kind.as_db(),
        if r.enabled { "on " } else { "off" },
        r.offer_id.map(|o| format!("  offer {o}")).unwrap_or_default(),
        if r.kind == AutoCouponKind::Birthday { format!("  {} days before", r.days_before) } else { String::new() }
    )
}

fn run_auto(store: &mut Store, cmd: AutoCommand, json: bool, now: DateTime<Utc>) -> Result<(), Error> {
    match cmd {
        AutoCommand::List => {
            let rules = store.auto_coupon_rules()?;
            print(json, &rules, |rules| rules.iter().map(auto_line).collect::<Vec<_>>().join("\n"));
        }
        AutoCommand::Set { kind, offer, days_before, on, off } => {
            let kind = AutoCouponKind::parse(&kind)?;
            let mut rule = store
                .auto_coupon_rules()?
                .into_iter()
                .find(|r| r.kind == kind)
                .ok_or(Error::InvalidInput { field: "automatic coupon", reason: "schema 15 needed".into() })?;
            if offer.is_some() {
                rule.offer_id = offer;
            }
            if let Some(d) = days_before {
                rule.days_before = d;
            }
            if on || off {
                rule.enabled = on;
            }
            let rule = store.set_auto_coupon_rule(&rule, now)?;
            print(json, &rule, auto_line);
        }
        AutoCommand::Run => {
            let run = store.issue_automatic_coupons(now)?;
            print(json, &run, |r| format!("{} birthday coupons, {} win-back coupons issued", r.birthday, r.win_back));
        }
    }
    Ok(())
}

pub(crate) fn run(store: &mut Store, cmd: CouponCommand, json: bool, now: DateTime<Utc>) -> Result<(), Error> {
    let currency = store.settings()?.currency;
    let show = |c: &CouponView| {
        format!(
            "{}  {:?}  {} ({})  {} {}  {} to {}{}",
            c.code,
            c.status,
            c.offer_name,
            c.offer_id,
            c.member_no,
            c.member_name,
            c.valid_from,
            c.valid_until,
            c.redeemed_on.map(|n| format!("  used on #{n}")).unwrap_or_default()
        )
    };
    match cmd {
        CouponCommand::Offer(OfferCommand::Add(a)) => {
            let offer = store.add_offer(&offer_input(*a, &currency)?, now)?;
            print(json, &offer, offer_line);
        }
        CouponCommand::Offer(OfferCommand::Edit { id, terms }) => {
            let offer = store.edit_offer(id, &offer_input(*terms, &currency)?, now)?;
            print(json, &offer, offer_line);
        }
        CouponCommand::Offer(OfferCommand::List) => {
            let offers = store.offers()?;
            print(json, &offers, |o| o.iter().map(offer_line).collect::<Vec<_>>().join("\n"));
        }
        CouponCommand::Offer(OfferCommand::Pause { id }) => {
            let offer = store.pause_offer(id, now)?;
            print(json, &offer, offer_line);
        }
        CouponCommand::Offer(OfferCommand::Resume { id }) => {
            let offer = store.resume_offer(id, now)?;
            print(json, &offer, offer_line);
        }
        CouponCommand::Issue(a) => match (&a.member, &a.list) {
            (Some(member), None) => {
                let m = store.resolve_member(member)?;
                let c = store.issue_coupon(
                    &IssueCouponRequest { request_id: a.req.id(), member_id: m.id, offer_id: a.offer },
                    now,
                )?;
                print(json, &c, show);
            }
            (None, Some(list)) => {
                let members = list_members(store, list, &a.window, a.limit, now)?;
                if a.dry_run {
                    let preview = store.campaign_preview(a.offer, &members)?;
                    print(json, &preview, |p| {
                        format!(
                            "{} coupons; at most {} off{}",
                            p.members,
                            currency.format(p.most_cost_minor),
                            if p.most_stamps > 0 { format!(", {} stamps", p.most_stamps) } else { String::new() }
                        )
                    });
                } else {
                    let name = a.campaign.clone().ok_or(Error::EmptyField { field: "campaign name" })?;
                    let issued = store.issue_campaign(
                        &CampaignRequest {
                            request_id: a.req.id(),
                            name,
                            offer_id: a.offer,
                            member_ids: members,
                            list_name: list.trim().to_string(),
                        },
                        now,
                    )?;
                    print(json, &issued, |i| {
                        format!("campaign {} ({}): {} coupons issued", i.name, i.campaign_id, i.issued)
                    });
                }
            }
            _ => {
                return Err(Error::InvalidInput {
                    field: "coupon issue",
                    reason: "name one member, or a --list with --campaign".into(),
                })
            }
        },
        CouponCommand::Show { code } => {
            let c = store.coupon(&code, now)?;
            print(json, &c, show);
        }
        CouponCommand::List { member } => {
            let m = store.resolve_member(&member)?;
            let all = store.member_coupons(m.id, now)?;
            print(json, &all, |all| all.iter().map(show).collect::<Vec<_>>().join("\n"));
        }
        CouponCommand::Auto(cmd) => run_auto(store, cmd, json, now)?,
        CouponCommand::Slip(a) => slip(store, a, json, now)?,
    }
    Ok(())
}

/// `coupon slip CODE`: the slip written to `--output`, or printed.
fn slip(store: &Store, a: SlipArgs, json: bool, now: DateTime<Utc>) -> Result<(), Error> {
    let paper = a.paper.as_deref().map(PaperSize::parse).transpose()?;
    let doc = documents::coupon_slip(store, &a.code, paper, ReceiptLanguage::parse(&a.lang)?, now)?;
    let pdf = &doc.rendered;
    if let Some(output) = &a.output {
        doc.write_to(output)?;
        let summary = serde_json::json!({
            "file": output.display().to_string(), "bytes": pdf.bytes.len(),
            "widthMm": pdf.width_mm, "heightMm": pdf.height_mm, "pages": pdf.pages,
        });
        print(json, &summary, |_| format!("wrote {} ({} KB)", output.display(), pdf.bytes.len().div_ceil(1024)));
    } else {
        doc.print_on(a.printer.as_deref().unwrap_or(&doc.printer))?;
        print(json, &serde_json::json!({ "printed": a.code }), |_| "sent the coupon's slip to the printer".to_string());
    }
    Ok(())
}

fn offer_line(o: &CouponOffer) -> String {
    format!(
        "{}\t{}\t{}\t{}\t{}",
        o.id,
        o.terms.name,
        o.terms.kind.code(),
        if o.active { "active" } else { "paused" },
        if o.terms.combinable { "combines" } else { "alone" }
    )
}

/// The members of one of the owner's lists, all of them (or `limit`).
fn list_members(
    store: &Store,
    list: &str,
    window: &str,
    limit: Option<u32>,
    now: DateTime<Utc>,
) -> Result<Vec<i64>, Error> {
    let filter = ListFilter { limit, ..ListFilter::default() };
    Ok(match list.trim().to_ascii_lowercase().as_str() {
        "lapsed" => store.lapsed(&filter, now)?.rows.iter().map(|r| r.member.member_id).collect(),
        "vip" => store.vip(&filter, now)?.rows.iter().map(|r| r.member_id).collect(),
        "birthdays" => {
            let window = match window.trim().to_ascii_lowercase().as_str() {
                "today" => BirthdayWindow::Today,
                "week" => BirthdayWindow::ThisWeek,
                _ => BirthdayWindow::ThisMonth,
            };
            store
                .birthdays(window, None, ReceiptLanguage::ZhTw, &filter, now)?
                .rows
                .iter()
                .map(|r| r.member.member_id)
                .collect()
        }
        other => {
            return Err(Error::InvalidInput {
                field: "list",
                reason: format!("{other:?}: use lapsed, birthdays or vip").into(),
            })
        }
    })
}

#[derive(Subcommand)]
pub(crate) enum ReferralCommand {
    /// Show or set what a referral brings the referrer when the member they
    /// brought makes a first sale: --none, --coupon OFFER, --points N, or
    /// --stamps N --program ID.
    Settings {
        #[arg(long, conflicts_with_all = ["coupon", "points", "stamps"])]
        none: bool,
        /// A coupon of this offer.
        #[arg(long, conflicts_with_all = ["points", "stamps"])]
        coupon: Option<i64>,
        /// This many points.
        #[arg(long, conflicts_with = "stamps")]
        points: Option<i64>,
        /// This many stamps (with --program).
        #[arg(long, requires = "program")]
        stamps: Option<i64>,
        #[arg(long)]
        program: Option<i64>,
    },
}

pub(crate) fn run_referral(
    store: &mut Store,
    cmd: ReferralCommand,
    json: bool,
    now: DateTime<Utc>,
) -> Result<(), Error> {
    let ReferralCommand::Settings { none, coupon, points, stamps, program } = cmd;
    let mut settings = store.referral_settings()?;
    let base = ReferralSettings::NONE;
    if none {
        settings = base;
    } else if let Some(offer) = coupon {
        settings = ReferralSettings { kind: ReferralRewardKind::Coupon, offer_id: Some(offer), ..base };
    } else if let Some(n) = points {
        settings = ReferralSettings { kind: ReferralRewardKind::Points, points: n, ..base };
    } else if let Some(n) = stamps {
        settings = ReferralSettings { kind: ReferralRewardKind::Stamps, stamps: n, program_id: program, ..base };
    }
    if none || coupon.is_some() || points.is_some() || stamps.is_some() {
        settings = store.set_referral_settings(&settings, now)?;
    }
    print(json, &settings, |s| match s.kind {
        ReferralRewardKind::None => "a referral brings no reward".to_string(),
        ReferralRewardKind::Coupon => format!("a referral brings a coupon of offer {}", s.offer_id.unwrap_or_default()),
        ReferralRewardKind::Points => format!("a referral brings {} points", s.points),
        ReferralRewardKind::Stamps => {
            format!("a referral brings {} stamps on program {}", s.stamps, s.program_id.unwrap_or_default())
        }
    });
    Ok(())
}

#[derive(Subcommand)]
pub(crate) enum PointsCommand {
    /// Show or set the shop's points rules.
    Settings {
        /// One point per this amount paid (0: points off).
        #[arg(long)]
        earn_per: Option<String>,
        /// What one point takes off at checkout.
        #[arg(long)]
        value: Option<String>,
        /// Points earned in a month lapse at the end of the month this many months later.
        #[arg(long)]
        expiry_months: Option<i64>,
        /// Points never lapse.
        #[arg(long, conflicts_with = "expiry_months")]
        no_expiry: bool,
        /// The largest share of a bill points may pay, in percent (1–100).
        #[arg(long)]
        max_percent: Option<i64>,
        /// Points in the member's birthday month: ×2, 1.5, 200% …
        #[arg(long)]
        birthday_multiplier: Option<String>,
    },
    /// A member's points that can be redeemed now.
    Show { member: String },
}

pub(crate) fn run_points(store: &mut Store, cmd: PointsCommand, json: bool, now: DateTime<Utc>) -> Result<(), Error> {
    let currency = store.settings()?.currency;
    match cmd {
        PointsCommand::Settings { earn_per, value, expiry_months, no_expiry, max_percent, birthday_multiplier } => {
            let mut rules = store.points_settings()?;
            let changed = earn_per.is_some()
                || value.is_some()
                || expiry_months.is_some()
                || no_expiry
                || max_percent.is_some()
                || birthday_multiplier.is_some();
            if let Some(e) = earn_per {
                rules.earn_per_minor = currency.parse(&e)?;
            }
            if let Some(v) = value {
                rules.point_value_minor = currency.parse(&v)?;
            }
            if expiry_months.is_some() || no_expiry {
                rules.expiry_months = expiry_months;
            }
            if let Some(p) = max_percent {
                rules.max_redeem_percent = p;
            }
            if let Some(m) = birthday_multiplier {
                rules.birthday_multiplier_pct = regulars::points::parse_multiplier("birthday multiplier", &m)?;
            }
            if changed {
                rules = store.set_points_settings(&rules, now)?;
            }
            print(json, &rules, |r| {
                format!(
                    "one point per {}; a point takes {} off, up to {}% of a bill; {}; birthday month ×{}",
                    currency.format(r.earn_per_minor),
                    currency.format(r.point_value_minor),
                    r.max_redeem_percent,
                    r.expiry_months.map_or("points never lapse".to_string(), |m| format!(
                        "points lapse at the end of the month {m} months after they were earned"
                    )),
                    regulars::points::multiplier_text(r.birthday_multiplier_pct)
                )
            });
        }
        PointsCommand::Show { member } => {
            let m = store.resolve_member(&member)?;
            let points = store.member_points(m.id, now)?;
            print(
                json,
                &serde_json::json!({ "memberId": m.id, "points": points.points, "nextExpiry": points.next_expiry }),
                |_| match points.next_expiry {
                    Some(n) => format!("{} points; {} of them lapse after {}", points.points, n.points, n.last_day),
                    None => format!("{} points", points.points),
                },
            );
        }
    }
    Ok(())
}
