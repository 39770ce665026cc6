//! `regulars init`, `settings …`, `demo`, `program …` and `bonus …`: setting
//! up the shop, its stamp programs and its top-up bonuses.

use crate::print;
use chrono::{DateTime, Utc};
use clap::{Args, Subcommand};
use regulars::settings::SettingsPatch;
use regulars::{EarnRule, Error, NewStampProgram, ReceiptLanguage, Store};
use std::path::Path;

#[derive(Args, Default)]
pub(crate) struct SettingsArgs {
    #[arg(long)]
    name: Option<String>,
    #[arg(long)]
    address: Option<String>,
    #[arg(long)]
    phone: Option<String>,
    /// TWD, HKD, CNY, USD, …
    #[arg(long)]
    currency: Option<String>,
    /// IANA zone, e.g. Asia/Taipei.
    #[arg(long)]
    time_zone: Option<String>,
    #[arg(long)]
    footer: Option<String>,
    /// Receipt paper: 58, 80, a4 or a5.
    #[arg(long)]
    paper: Option<String>,
    /// Print receipts after each checkout without asking (true/false).
    #[arg(long)]
    auto_print: Option<bool>,
    /// The system printer for receipts ('' for the default printer).
    #[arg(long)]
    printer: Option<String>,
    /// A CJK-capable font file for receipts ('' to find one on the system).
    #[arg(long)]
    receipt_font: Option<String>,
    /// `init` only: the shop's first owner, made with the `--pin` given.
    #[arg(long)]
    pub(crate) owner: Option<String>,
}

#[derive(Subcommand)]
pub(crate) enum SettingsCommand {
    Show,
    Set(Box<SettingsArgs>),
}

// `regulars demo`.
#[derive(Args)]
pub(crate) struct DemoArgs {
    /// Names of the shop, cards, menu and tiers in zh-TW, zh-CN or en.
    #[arg(long, default_value = "zh-TW")]
    lang: String,
}

#[derive(Subcommand)]
pub(crate) enum ProgramCommand {
    Add {
        #[arg(long)]
        name: String,
        /// Stamps needed for the reward.
        #[arg(long)]
        stamps: i64,
        #[arg(long)]
        reward: String,
        /// visit, item or amount:<minor units per stamp>.
        #[arg(long, default_value = "visit")]
        earn: String,
        #[arg(long)]
        expiry_days: Option<i64>,
    },
    List,
    Disable {
        id: i64,
    },
    Enable {
        id: i64,
    },
}

#[derive(Subcommand)]
pub(crate) enum BonusCommand {
    /// Top-ups of at least MIN earn BONUS (plus PERCENT of what was paid).
    Set {
        #[arg(long)]
        min: String,
        #[arg(long, default_value = "0")]
        bonus: String,
        /// Percent of the paid amount, in basis points (100 = 1%).
        #[arg(long, default_value_t = 0)]
        basis_points: i64,
    },
    List,
    Remove {
        #[arg(long)]
        min: String,
    },
}

/// `regulars init`: creates the database (if needed) and sets the shop's basics.
pub(crate) fn init(
    store: &mut Store,
    args: SettingsArgs,
    path: &Path,
    json: bool,
    now: DateTime<Utc>,
) -> Result<(), Error> {
    // A shop set up from the command line is set up: the app skips its welcome.
    let s = store.update_settings(&settings_patch(args)?, now)?;
    store.mark_set_up(now)?;
    print(json, &s, |s| format!("{} ({}, {}) at {}", s.name, s.currency.code, s.time_zone, path.display()));
    Ok(())
}

pub(crate) fn run_settings(
    store: &mut Store,
    cmd: SettingsCommand,
    path: &Path,
    json: bool,
    now: DateTime<Utc>,
) -> Result<(), Error> {
    match cmd {
        SettingsCommand::Set(args) => {
            let s = store.update_settings(&settings_patch(*args)?, now)?;
            print(json, &s, |s| format!("{} ({}, {}) at {}", s.name, s.currency.code, s.time_zone, path.display()));
        }
        SettingsCommand::Show => {
            let s = store.settings()?;
            print(json, &s, |s| {
                format!(
                    "name:      {}\naddress:   {}\nphone:     {}\ncurrency:  {}\ntime zone: {}\nfooter:    {}\n\
                     paper:     {}\nautoprint: {}\nprinter:   {}\nfont:      {}",
                    s.name,
                    s.address,
                    s.phone,
                    s.currency.code,
                    s.time_zone,
                    s.receipt_footer,
                    s.receipt_paper.as_db(),
                    s.auto_print,
                    if s.printer_name.is_empty() { "(system default)" } else { &s.printer_name },
                    if s.receipt_font_path.is_empty() { "(found on the system)" } else { &s.receipt_font_path },
                )
            });
        }
    }
    Ok(())
}

/// `regulars demo`: fills an empty database with a demo shop.
pub(crate) fn demo(store: &mut Store, args: DemoArgs, json: bool, now: DateTime<Utc>) -> Result<(), Error> {
    let n = store.seed_demo_data(ReceiptLanguage::parse(&args.lang)?, now)?;
    print(json, &serde_json::json!({ "members": n }), |_| format!("demo shop created with {n} members"));
    Ok(())
}

pub(crate) fn run_program(store: &mut Store, cmd: ProgramCommand, json: bool, now: DateTime<Utc>) -> Result<(), Error> {
    let currency = store.settings()?.currency;
    match cmd {
        ProgramCommand::Add { name, stamps, reward, earn, expiry_days } => {
            let earn_rule = match EarnRule::parse(&earn) {
                Ok(rule) => rule,
                Err(_) if earn.starts_with("amount:") => {
                    EarnRule::PerAmount { amount_minor: currency.parse(earn.trim_start_matches("amount:"))? }
                }
                Err(e) => return Err(e),
            };
            let p = store.add_program(
                &NewStampProgram { name, stamps_needed: stamps, reward_text: reward, earn_rule, expiry_days },
                now,
            )?;
            print(json, &p, |p| {
                format!("program {}: {} ({} stamps → {})", p.id, p.name, p.stamps_needed, p.reward_text)
            });
        }
        ProgramCommand::List => {
            let ps = store.programs()?;
            print(json, &ps, |ps| {
                ps.iter()
                    .map(|p| {
                        format!(
                            "{}  {}  {} stamps → {}  {:?}{}{}",
                            p.id,
                            p.name,
                            p.stamps_needed,
                            p.reward_text,
                            p.earn_rule,
                            p.expiry_days.map(|d| format!("  expires after {d} days")).unwrap_or_default(),
                            if p.active { "" } else { "  (disabled)" }
                        )
                    })
                    .collect::<Vec<_>>()
                    .join("\n")
            });
        }
        ProgramCommand::Disable { id } | ProgramCommand::Enable { id } => {
            let active = matches!(cmd, ProgramCommand::Enable { .. });
            let p = store.set_program_active(id, active, now)?;
            print(json, &p, |p| format!("program {} {}", p.name, if p.active { "enabled" } else { "disabled" }));
        }
    }
    Ok(())
}

pub(crate) fn run_bonus(store: &mut Store, cmd: BonusCommand, json: bool, now: DateTime<Utc>) -> Result<(), Error> {
    let currency = store.settings()?.currency;
    let amount = |text: &str| currency.parse(text);
    let rules = match cmd {
        BonusCommand::Set { min, bonus, basis_points } => {
            store.set_bonus_rule(amount(&min)?, amount(&bonus)?, basis_points, now)?
        }
        BonusCommand::Remove { min } => store.remove_bonus_rule(amount(&min)?, now)?,
        BonusCommand::List => store.bonus_rules()?,
    };
    print(json, &rules, |rules| {
        if rules.is_empty() {
            return "no top-up bonuses".into();
        }
        rules
            .iter()
            .map(|r| {
                format!(
                    "top up {} or more → bonus {}{}",
                    currency.format(r.min_paid_minor),
                    currency.format(r.bonus_minor),
                    if r.bonus_bp > 0 {
                        format!(" + {}.{:02}%", r.bonus_bp / 100, r.bonus_bp % 100)
                    } else {
                        String::new()
                    }
                )
            })
            .collect::<Vec<_>>()
            .join("\n")
    });
    Ok(())
}

fn settings_patch(a: SettingsArgs) -> Result<SettingsPatch, Error> {
    Ok(SettingsPatch {
        name: a.name,
        address: a.address,
        phone: a.phone,
        currency: a.currency,
        time_zone: a.time_zone,
        receipt_footer: a.footer,
        receipt_paper: a.paper.as_deref().map(regulars::settings::PaperSize::parse).transpose()?,
        auto_print: a.auto_print,
        printer_name: a.printer,
        receipt_font_path: a.receipt_font,
    })
}
