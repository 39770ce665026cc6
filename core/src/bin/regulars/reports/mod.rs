//! `regulars report …`: the owner's reports. This file parses them and hands
//! each to its module: `day` (the day close and the float), `lists` (the
//! owner's lists), `follow_up` (contacts, win-back, templates) and `tiers`
//! (tiers and the owner's thresholds).

use chrono::{DateTime, NaiveDate, Utc};
use clap::{Args, Subcommand};
use regulars::analytics::segments::Nes;
use regulars::analytics::unusual::UnusualRules;
use regulars::store::owner::ListFilter;
use regulars::{Error, Store};

mod day;
mod follow_up;
mod lists;
mod tiers;

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
    /// Unusual activity per staff member and day: large refunds and
    /// corrections, top-ups paid "other", voids after the day close, a
    /// member served more often than usual.
    Unusual {
        /// First shop day, YYYY-MM-DD (default: 30 days before today).
        #[arg(long)]
        from: Option<String>,
        /// Last shop day (default: today).
        #[arg(long)]
        to: Option<String>,
        /// A refund or correction of at least this much is named.
        #[arg(long, default_value = "1000")]
        amount: String,
        /// More receipts than this for one member in a day are named.
        #[arg(long, default_value_t = 5)]
        per_member: i64,
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
    /// Each coupon campaign: issued, redeemed, rate, discount, spend after.
    Campaigns,
    /// Who brought whom: referrers, the members they brought and what those spend.
    Referrals {
        /// At most this many referrers.
        #[arg(long, default_value = "50")]
        limit: usize,
    },
    /// Mark a member as contacted (win-back follow-up; appended to the log).
    Contacted(follow_up::ContactedArgs),
    /// Win-back rate: of members first contacted in a period, who came back.
    Winback(follow_up::WinbackArgs),
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
    /// The language of the messages' own words ({stamps}): zh-TW, zh-CN or en.
    #[arg(long, default_value = "zh-TW")]
    lang: String,
}

impl ListArgs {
    fn language(&self) -> Result<regulars::ReceiptLanguage, Error> {
        regulars::ReceiptLanguage::parse(&self.lang)
    }

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
    /// Replace the tiers: `NAME:MIN_SPEND[:×POINTS] …`, e.g. `會員:0 銀卡:3000 金卡:10000:×2`.
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

pub(crate) fn run(store: impl StoreAccess, cmd: ReportCommand, json: bool, now: DateTime<Utc>) -> Result<(), Error> {
    let s = store.read();
    let currency = s.settings()?.currency;
    match cmd {
        ReportCommand::Float { date } => day::float(s, date, json, now),
        ReportCommand::Day { date, pdf, paper, lang } => day::day(s, date, pdf, paper, lang, json, now),
        ReportCommand::Unusual { from, to, amount, per_member } => {
            let today = s.settings()?.local_date(now);
            let to = to.as_deref().map(parse_date).transpose()?.unwrap_or(today);
            let from = from.as_deref().map(parse_date).transpose()?.unwrap_or(to - chrono::Duration::days(30));
            let rules = UnusualRules { amount_minor: currency.parse(&amount)?, per_member_per_day: per_member };
            let found = s.unusual_activity(from, to, rules)?;
            crate::print(json, &found, |found| {
                found
                    .iter()
                    .map(|u| {
                        let receipt = u.receipt_number.map(|n| format!(" receipt #{n}")).unwrap_or_default();
                        let amount = currency.format(u.amount_minor);
                        format!(
                            "{}\t{}\t{:?}\t{}{receipt}\t{amount}\t×{}",
                            u.day, u.staff, u.kind, u.member_no, u.count
                        )
                    })
                    .collect::<Vec<_>>()
                    .join("\n")
            });
            Ok(())
        }
        ReportCommand::Nes(list) => lists::nes(s, list, json, now, &currency),
        ReportCommand::Lapsed(list) => lists::lapsed(s, list, json, now, &currency),
        ReportCommand::Vip(list) => lists::vip(s, list, json, now, &currency),
        ReportCommand::Rfm { rfm_segments, list } => lists::rfm(s, rfm_segments, list, json, now, &currency),
        ReportCommand::Birthdays { window, list } => lists::birthdays(s, window, list, json, now, &currency),
        ReportCommand::Due { days, product, list } => lists::due(s, days, product, list, json, now),
        ReportCommand::Pareto(list) => lists::pareto(s, list, json, now, &currency),
        ReportCommand::Dashboard => lists::dashboard(s, json, now, &currency),
        ReportCommand::Campaigns => {
            let rows = s.campaign_report()?;
            crate::print(json, &rows, |rows| {
                let mut out =
                    vec!["campaign\toffer\tissued\tredeemed\trate\tdiscount\tsales\t30 days after".to_string()];
                for r in rows {
                    out.push(format!(
                        "{}\t{}\t{}\t{}\t{}.{:02}%\t{}\t{}\t{}",
                        r.name,
                        r.offer_name,
                        r.issued,
                        r.redeemed,
                        r.redemption_rate_bp / 100,
                        r.redemption_rate_bp % 100,
                        currency.format(r.discount_minor),
                        currency.format(r.redeeming_sales_minor),
                        currency.format(r.spend_30_days_after_minor)
                    ));
                }
                out.join("\n")
            });
            Ok(())
        }
        ReportCommand::Referrals { limit } => {
            let report = s.referral_report(limit)?;
            crate::print(json, &report, |r| {
                let mut out = vec![format!(
                    "{} members were brought by others; they spent {}",
                    r.referred,
                    currency.format(r.referred_spend_minor)
                )];
                out.push("referrer	brought	buying	their spend	rewards".to_string());
                for row in &r.rows {
                    out.push(format!(
                        "{} {}	{}	{}	{}	{}",
                        row.member_no,
                        row.name,
                        row.referred,
                        row.referred_buying,
                        currency.format(row.referred_spend_minor),
                        row.rewards
                    ));
                }
                out.join("\n")
            });
            Ok(())
        }
        ReportCommand::Contacted(args) => follow_up::contacted(store, args, json, now),
        ReportCommand::Winback(args) => follow_up::winback(s, args, json, now, &currency),
        ReportCommand::Tiers(cmd) => tiers::tiers(store, cmd, json, now, &currency),
        ReportCommand::Thresholds(args) => tiers::thresholds(store, args, json, now),
        ReportCommand::Templates { name, body } => follow_up::templates(store, name, body, json, now),
    }
}

fn parse_date(d: &str) -> Result<NaiveDate, Error> {
    regulars::input::parse_full_date(d)
}
