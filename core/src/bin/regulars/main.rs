//! `regulars`: the command line over the Regulars core, for owners' scripts,
//! support and tests. Every read takes `--json`; every write takes
//! `--request-id` (repeating one returns the first result and changes
//! nothing). Errors print one line to stderr and exit non-zero.
//!
//! This file parses the command line and hands each command to its group's
//! module: `settings` (init, settings, demo, programs, bonuses), `members`,
//! `sales` (the counter's operations), `coupons` (offers, issuing, campaigns), `receipts` (show, PDF, print,
//! history), `reports/` (the owner's reports), `till` (payment methods and
//! the drawer count), `backup` (backup, restore, audit) and `dev`.

use clap::{Args, Parser, Subcommand};
use regulars::{Error, Store};
use serde::Serialize;
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

mod backup;
mod coupons;
mod dev;
mod import;
mod members;
mod receipts;
mod reports;
mod sales;
mod settings;
mod staff;
mod till;
use reports::ReportCommand;
use till::{DrawerCommand, MethodsCommand};

#[derive(Parser)]
#[command(name = "regulars", version, about = "Regulars (熟客): members, stamp cards, stored value and e-receipts")]
struct Cli {
    /// Database file (default: the app's data file in the OS data folder).
    #[arg(long, global = true, env = "REGULARS_DB")]
    db: Option<PathBuf>,
    /// Print machine-readable JSON.
    #[arg(long, global = true)]
    json: bool,
    /// Name of the cashier recorded on receipts (shops without staff accounts).
    #[arg(long, global = true, default_value = "owner")]
    cashier: String,
    /// The acting staff member's PIN; needed for every write once the shop
    /// has staff accounts (or set REGULARS_PIN, for scripts).
    #[arg(long, global = true, env = "REGULARS_PIN", hide_env_values = true)]
    pin: Option<String>,
    /// The staff member the PIN must belong to (a check for scripts).
    #[arg(long, global = true)]
    staff: Option<String>,
    /// A manager's or the owner's PIN approving this one command, when the
    /// acting staff member's role alone may not do it.
    #[arg(long, global = true, env = "REGULARS_APPROVE_PIN", hide_env_values = true)]
    approve_pin: Option<String>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Create the database (if needed) and set the shop's basics.
    Init(Box<settings::SettingsArgs>),
    /// Show or change the shop's settings.
    #[command(subcommand)]
    Settings(settings::SettingsCommand),
    /// Fill an empty database with a demo shop.
    Demo(settings::DemoArgs),
    /// Register, show, find, edit or archive members.
    #[command(subcommand)]
    Member(members::MemberCommand),
    /// Move a shop in: members from a CSV, TSV or Excel file (any Chinese
    /// encoding), with balances, stamps, points and purchase summaries.
    #[command(subcommand)]
    Import(import::ImportCommand),
    /// Configure stamp programs.
    #[command(subcommand)]
    Program(settings::ProgramCommand),
    /// Configure top-up bonuses (pay 1000, get 1100).
    #[command(subcommand)]
    Bonus(settings::BonusCommand),
    /// Top up a member's stored value (the bonus rule applies).
    Topup(sales::TopUpArgs),
    /// Record a sale: payments, line items, stamps, rewards.
    Sale(sales::SaleArgs),
    /// Redeem one reward from a full stamp card.
    Redeem(sales::RedeemArgs),
    /// Pay stored value back (paid part only; a full refund forfeits the bonus).
    Refund(sales::RefundArgs),
    /// Correct stored value by hand, with a reason.
    Adjust(sales::AdjustArgs),
    /// Void a receipt: a reversing receipt restores stored value and stamps.
    Void(sales::VoidArgs),
    /// Coupons: offers, issuing (one, or a campaign to a list), show a code.
    #[command(subcommand)]
    Coupon(coupons::CouponCommand),
    /// Referral rewards: what a member gets when one they brought first buys.
    #[command(subcommand)]
    Referral(coupons::ReferralCommand),
    /// Points: the shop's rules, a member's points.
    #[command(subcommand)]
    Points(coupons::PointsCommand),
    /// Show receipts.
    #[command(subcommand)]
    Receipt(receipts::ReceiptCommand),
    /// Receipts, newest first: of one member, or of the shop.
    History(receipts::HistoryArgs),
    /// Owner's reports.
    #[command(subcommand)]
    Report(ReportCommand),
    /// The shop's payment methods: list, add, rename, order, turn off.
    #[command(subcommand)]
    Methods(MethodsCommand),
    /// The cash drawer at the day close.
    #[command(subcommand)]
    Drawer(DrawerCommand),
    /// Check every balance and stamp card against its ledger (`audit`), the
    /// audit log's chain (`audit verify`), or read the log (`audit log`).
    Audit(staff::AuditArgs),
    /// Staff accounts: add, list, disable, set a PIN.
    #[command(subcommand)]
    Staff(staff::StaffCommand),
    /// Back up the database (checked), or list the backups.
    /// Export everything (or one member's data on request) as an .xlsx workbook or CSV files.
    #[command(subcommand)]
    Export(backup::ExportCommand),
    Backup(backup::BackupArgs),
    /// Replace the database with a backup; the data replaced is saved as a
    /// backup first. Close the app before restoring.
    Restore(backup::RestoreArgs),
    /// Developer tools (tests, benchmarks).
    #[command(subcommand, hide = true)]
    Dev(dev::DevCommand),
}

#[derive(Args)]
pub(crate) struct RequestArgs {
    /// Idempotency key: repeating it returns the first result.
    #[arg(long)]
    request_id: Option<String>,
}

impl RequestArgs {
    pub(crate) fn id(&self) -> String {
        self.request_id.clone().unwrap_or_else(|| {
            let nanos = crate::clock().timestamp_nanos_opt().unwrap_or_default();
            format!("cli-{nanos}-{}", std::process::id())
        })
    }
}

/// The clock, read here only: the CLI is an interface and passes `now` to
/// the core (`core/clippy.toml` refuses `Utc::now` anywhere else).
#[allow(clippy::disallowed_methods)]
fn clock() -> chrono::DateTime<chrono::Utc> {
    chrono::Utc::now()
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let json = cli.json;
    match run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            if json {
                let body = serde_json::json!({ "error": { "code": e.code(), "message": e.to_string() } });
                eprintln!("{body}");
            } else {
                eprintln!("error: {e}");
            }
            ExitCode::FAILURE
        }
    }
}

/// Signs in the staff member whose PIN was given (checking it is the one
/// named, when named), and takes a manager's approval for this command.
fn sign_in(
    store: &mut Store,
    pin: Option<&str>,
    staff: Option<&str>,
    approve_pin: Option<&str>,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<(), Error> {
    if store.session().is_none() {
        if let Some(pin) = pin {
            let session = store.sign_in(pin, now)?;
            if let Some(name) = staff {
                if session.name() != name.trim() {
                    return Err(Error::StaffNotFound(format!("{name} (the PIN is someone else's)")));
                }
            }
        } else if store.has_staff()? && staff.is_some() {
            return Err(Error::SignInRequired);
        }
    }
    if let Some(pin) = approve_pin {
        store.approve_next(pin, now)?;
    }
    Ok(())
}

pub(crate) fn print<T: Serialize>(json: bool, value: &T, human: impl FnOnce(&T) -> String) {
    let text = if json { serde_json::to_string_pretty(value).expect("serialisable") } else { human(value) };
    // A closed pipe (`regulars history | head`) is not an error worth a panic.
    let _ = writeln!(std::io::stdout(), "{text}");
}

fn run(cli: Cli) -> Result<(), Error> {
    let path = cli.db.clone().unwrap_or_else(regulars::default_db_path);
    if let Command::Restore(args) = &cli.command {
        // The owner's right, checked on the shop being replaced; then the
        // file is closed before it is swapped.
        if path.exists() {
            let mut store = Store::open(&path)?;
            sign_in(&mut store, cli.pin.as_deref(), cli.staff.as_deref(), None, crate::clock())?;
            store.may(regulars::Act::Restore)?;
        }
        return backup::restore(args, &path, cli.json);
    }
    let mut store = Store::open(&path)?;
    let now = crate::clock();
    let (json, cashier) = (cli.json, cli.cashier);
    if let Command::Init(args) = &cli.command {
        if let Some(owner) = &args.owner {
            // A new shop's first owner, with the PIN given.
            let pin = cli.pin.as_deref().ok_or(Error::InvalidPin)?;
            if !store.has_staff()? {
                store.create_first_owner(owner, pin, now)?;
            }
        }
    }
    sign_in(&mut store, cli.pin.as_deref(), cli.staff.as_deref(), cli.approve_pin.as_deref(), now)?;
    match cli.command {
        Command::Init(args) => settings::init(&mut store, *args, &path, json, now),
        Command::Settings(cmd) => settings::run_settings(&mut store, cmd, &path, json, now),
        Command::Demo(args) => settings::demo(&mut store, args, json, now),
        Command::Member(cmd) => members::run(&mut store, cmd, json, now),
        Command::Import(cmd) => import::run(&mut store, cmd, &cashier, json, now),
        Command::Program(cmd) => settings::run_program(&mut store, cmd, json, now),
        Command::Bonus(cmd) => settings::run_bonus(&mut store, cmd, json, now),
        Command::Topup(args) => sales::top_up(&mut store, args, cashier, json, now),
        Command::Sale(args) => sales::sale(&mut store, args, cashier, json, now),
        Command::Redeem(args) => sales::redeem(&mut store, args, cashier, json, now),
        Command::Refund(args) => sales::refund(&mut store, args, cashier, json, now),
        Command::Adjust(args) => sales::adjust(&mut store, args, cashier, json, now),
        Command::Void(args) => sales::void(&mut store, args, cashier, json, now),
        Command::Coupon(cmd) => coupons::run(&mut store, cmd, json, now),
        Command::Points(cmd) => coupons::run_points(&mut store, cmd, json, now),
        Command::Referral(cmd) => coupons::run_referral(&mut store, cmd, json, now),
        Command::Receipt(cmd) => receipts::run(&store, cmd, json),
        Command::History(args) => receipts::history(&store, args, json),
        Command::Report(cmd) => reports::run(&mut store, cmd, json, now),
        Command::Methods(cmd) => till::run_methods(&mut store, cmd, json, now),
        Command::Drawer(cmd) => till::run_drawer(&mut store, cmd, cashier, json, now),
        Command::Backup(args) => backup::run_backup(&store, args, json, now),
        Command::Export(cmd) => backup::run_export(&store, cmd, json, now),
        Command::Restore(_) => unreachable!("handled before the store is opened"),
        Command::Audit(args) => staff::run_audit(&store, args, json),
        Command::Staff(cmd) => staff::run(&mut store, cmd, json, now),
        Command::Dev(cmd) => dev::run(&mut store, cmd),
    }
}
