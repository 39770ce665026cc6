//! `regulars`: the command line over the Regulars core, for owners' scripts,
//! support and tests. Every read takes `--json`; every write takes
//! `--request-id` (repeating one returns the first result and changes
//! nothing). Errors print one line to stderr and exit non-zero.

use chrono::{DateTime, Utc};
use clap::{Args, Parser, Subcommand};
use regulars::money::Currency;
use regulars::pdf::ReceiptLanguage;
use regulars::settings::{PaperSize, SettingsPatch};
use regulars::store::backup;
use regulars::{
    AdjustRequest, EarnRule, Error, LineInput, MemberPatch, NewMember, NewStampProgram, PaymentInput, PaymentMethod,
    Receipt, RedeemRequest, RefundRequest, SaleRequest, Store, TopUpRequest, VoidRequest,
};
use serde::Serialize;
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

mod reports;
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
    /// Name of the cashier recorded on receipts.
    #[arg(long, global = true, default_value = "owner")]
    cashier: String,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Create the database (if needed) and set the shop's basics.
    Init(Box<SettingsArgs>),
    /// Show or change the shop's settings.
    #[command(subcommand)]
    Settings(SettingsCommand),
    /// Fill an empty database with a demo shop.
    Demo {
        /// Names of the shop, cards, menu and tiers in zh-TW, zh-CN or en.
        #[arg(long, default_value = "zh-TW")]
        lang: String,
    },
    /// Register, show, find, edit or archive members.
    #[command(subcommand)]
    Member(MemberCommand),
    /// Configure stamp programs.
    #[command(subcommand)]
    Program(ProgramCommand),
    /// Configure top-up bonuses (pay 1000, get 1100).
    #[command(subcommand)]
    Bonus(BonusCommand),
    /// Top up a member's stored value (the bonus rule applies).
    Topup {
        /// Member number, phone or card code.
        member: String,
        /// Amount paid, e.g. 1000 or 12.50.
        #[arg(allow_hyphen_values = true)]
        amount: String,
        #[arg(long, default_value = "cash")]
        method: String,
        #[arg(long, default_value = "")]
        note: String,
        #[command(flatten)]
        req: RequestArgs,
    },
    /// Record a sale: payments, line items, stamps, rewards.
    Sale(SaleArgs),
    /// Redeem one reward from a full stamp card.
    Redeem {
        member: String,
        /// Program id (see `program list`).
        #[arg(long)]
        program: i64,
        #[arg(long, default_value = "")]
        note: String,
        #[command(flatten)]
        req: RequestArgs,
    },
    /// Pay stored value back (paid part only; a full refund forfeits the bonus).
    Refund {
        member: String,
        #[arg(allow_hyphen_values = true)]
        amount: String,
        #[arg(long, default_value = "cash")]
        method: String,
        #[arg(long, default_value = "")]
        note: String,
        #[command(flatten)]
        req: RequestArgs,
    },
    /// Correct stored value by hand, with a reason.
    Adjust {
        member: String,
        /// Change to the paid part, e.g. -50 or 100.
        #[arg(long, default_value = "0", allow_hyphen_values = true)]
        paid: String,
        /// Change to the bonus part.
        #[arg(long, default_value = "0", allow_hyphen_values = true)]
        bonus: String,
        #[arg(long)]
        reason: String,
        #[command(flatten)]
        req: RequestArgs,
    },
    /// Void a receipt: a reversing receipt restores stored value and stamps.
    Void {
        number: i64,
        /// Why (required: the day close lists every void with its reason).
        #[arg(long)]
        reason: String,
        #[command(flatten)]
        req: RequestArgs,
    },
    /// Show receipts.
    #[command(subcommand)]
    Receipt(ReceiptCommand),
    /// Receipts, newest first: of one member, or of the shop.
    History {
        member: Option<String>,
        #[arg(long, default_value_t = 20)]
        limit: i64,
    },
    /// Owner's reports.
    #[command(subcommand)]
    Report(ReportCommand),
    /// The shop's payment methods: list, add, rename, order, turn off.
    #[command(subcommand)]
    Methods(MethodsCommand),
    /// The cash drawer at the day close.
    #[command(subcommand)]
    Drawer(DrawerCommand),
    /// Check every balance and stamp card against its ledger.
    Audit,
    /// Back up the database (checked), or list the backups.
    Backup {
        /// Folder for backups (default: "Regulars backups" in Documents).
        #[arg(long)]
        dir: Option<PathBuf>,
        /// List the backups instead of making one.
        #[arg(long)]
        list: bool,
    },
    /// Replace the database with a backup; the data replaced is saved as a
    /// backup first. Close the app before restoring.
    Restore {
        file: PathBuf,
        /// Where the data replaced is saved (default: the backups folder).
        #[arg(long)]
        dir: Option<PathBuf>,
    },
    /// Developer tools (tests, benchmarks).
    #[command(subcommand, hide = true)]
    Dev(DevCommand),
}

#[derive(Args, Default)]
struct SettingsArgs {
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
}

#[derive(Subcommand)]
enum SettingsCommand {
    Show,
    Set(Box<SettingsArgs>),
}

#[derive(Args)]
struct RequestArgs {
    /// Idempotency key: repeating it returns the first result.
    #[arg(long)]
    request_id: Option<String>,
}

impl RequestArgs {
    fn id(&self) -> String {
        self.request_id.clone().unwrap_or_else(|| {
            #[allow(clippy::disallowed_methods)] // The CLI is an interface: it reads the clock.
            let nanos = Utc::now().timestamp_nanos_opt().unwrap_or_default();
            format!("cli-{nanos}-{}", std::process::id())
        })
    }
}

#[derive(Args)]
struct MemberArgs {
    #[arg(long)]
    name: Option<String>,
    #[arg(long)]
    phone: Option<String>,
    /// MM-DD or YYYY-MM-DD.
    #[arg(long)]
    birthday: Option<String>,
    #[arg(long)]
    email: Option<String>,
    #[arg(long)]
    notes: Option<String>,
    /// A tag (repeat for several).
    #[arg(long = "tag")]
    tags: Vec<String>,
    #[arg(long)]
    card_code: Option<String>,
}

#[derive(Subcommand)]
enum MemberCommand {
    Add {
        #[command(flatten)]
        details: MemberArgs,
        /// Member number, phone or card code of the member who referred them.
        #[arg(long)]
        referred_by: Option<String>,
        #[command(flatten)]
        req: RequestArgs,
    },
    Show {
        member: String,
    },
    Find {
        query: String,
        #[arg(long, default_value_t = 20)]
        limit: usize,
    },
    Edit {
        member: String,
        #[command(flatten)]
        details: MemberArgs,
    },
    /// Register members from a CSV file with a header row: name, phone,
    /// birthday, email, notes, tags (separated by ;). All or nothing.
    Import {
        file: PathBuf,
        #[command(flatten)]
        req: RequestArgs,
    },
    Archive {
        member: String,
        /// Bring an archived member back.
        #[arg(long)]
        restore: bool,
    },
}

#[derive(Subcommand)]
enum ProgramCommand {
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
enum BonusCommand {
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

#[derive(Args)]
struct SaleArgs {
    member: String,
    /// Sale total, e.g. 150 or 12.50 (default: the sum of the items).
    #[arg(long)]
    total: Option<String>,
    /// A line item: "description:quantity:unit price", add ":nostamp" for
    /// items that earn no stamps. Repeat for several.
    #[arg(long = "item")]
    items: Vec<String>,
    /// A payment: "method:amount" with method a kind (cash, card, e_wallet,
    /// transfer, stored_value, other), a method's name (LINE Pay) or id
    /// (#4). Repeat to split. Default: the whole total in cash.
    #[arg(long = "pay")]
    payments: Vec<String>,
    /// Cash handed over for the cash payment: the receipt shows the change.
    #[arg(long)]
    tendered: Option<String>,
    /// Items that earn stamps, when no line items are given (default 1, as
    /// the checkout fills in: a typed total earns by each program's rule).
    #[arg(long)]
    stamp_items: Option<i64>,
    /// Redeem a full card of this program id with the sale (repeatable).
    #[arg(long)]
    redeem: Vec<i64>,
    #[arg(long, default_value = "")]
    note: String,
    #[command(flatten)]
    req: RequestArgs,
}

#[derive(Subcommand)]
enum ReceiptCommand {
    Show {
        number: i64,
    },
    /// Write a receipt as PDF (thermal roll 58/80 mm, or A4/A5).
    Pdf {
        number: i64,
        /// Paper: 58, 80, a4 or a5 (default: the shop's setting).
        #[arg(long, alias = "paper")]
        width: Option<String>,
        /// Labels in zh-TW, zh-CN or en.
        #[arg(long, default_value = "zh-TW")]
        lang: String,
        /// Output file.
        #[arg(short, long)]
        output: PathBuf,
    },
    /// Print a receipt on the system printer (or the shop's configured one).
    Print {
        number: i64,
        #[arg(long, alias = "paper")]
        width: Option<String>,
        #[arg(long, default_value = "zh-TW")]
        lang: String,
        /// Printer name (default: the shop's setting, else the system default).
        #[arg(long)]
        printer: Option<String>,
    },
}

#[derive(Subcommand)]
enum DevCommand {
    /// Run random operations forever, printing `committed <number> <request id>`
    /// after each commit (for crash tests).
    Stream {
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// Stop after this many operations (default: never).
        #[arg(long)]
        count: Option<u64>,
    },
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

pub(crate) fn print<T: Serialize>(json: bool, value: &T, human: impl FnOnce(&T) -> String) {
    let text = if json { serde_json::to_string_pretty(value).expect("serialisable") } else { human(value) };
    // A closed pipe (`regulars history | head`) is not an error worth a panic.
    let _ = writeln!(std::io::stdout(), "{text}");
}

fn run(cli: Cli) -> Result<(), Error> {
    let path = cli.db.clone().unwrap_or_else(regulars::default_db_path);
    if let Command::Restore { file, dir } = &cli.command {
        // Before this program opens the file itself.
        let dir = dir.clone().unwrap_or_else(regulars::paths::backups_folder_in_use);
        #[allow(clippy::disallowed_methods)] // The CLI is an interface: it reads the clock.
        let saved = backup::restore_backup(file, &path, &dir, Utc::now())?;
        let restored = backup::inspect_backup(&path)?;
        print(cli.json, &serde_json::json!({ "restored": restored, "saved": saved }), |_| {
            format!(
                "restored {} ({} members, {} receipts); the data replaced is saved as {}",
                file.display(),
                restored.members,
                restored.receipts,
                saved.display()
            )
        });
        return Ok(());
    }
    let mut store = Store::open(&path)?;
    #[allow(clippy::disallowed_methods)] // The CLI is an interface: it reads the clock.
    let now = Utc::now();
    let json = cli.json;
    let cashier = cli.cashier.clone();
    let currency = store.settings()?.currency;
    let amount = |text: &str| currency.parse(text);
    let signed = |text: &str| -> Result<i64, Error> {
        match text.trim().strip_prefix('-') {
            Some(rest) => Ok(-currency.parse(rest)?),
            None => currency.parse(text.trim().trim_start_matches('+')),
        }
    };
    let receipt_out = |store: &Store, r: &Receipt| -> Result<(), Error> {
        let settings = store.settings()?;
        print(json, r, |r| receipt_text(r, &settings.currency, &settings.tz()));
        Ok(())
    };
    match cli.command {
        Command::Init(args) => {
            // A shop set up from the command line is set up: the app skips its welcome.
            let s = store.update_settings(&settings_patch(*args)?, now)?;
            store.mark_set_up(now)?;
            print(json, &s, |s| format!("{} ({}, {}) at {}", s.name, s.currency.code, s.time_zone, path.display()));
        }
        Command::Settings(SettingsCommand::Set(args)) => {
            let s = store.update_settings(&settings_patch(*args)?, now)?;
            print(json, &s, |s| format!("{} ({}, {}) at {}", s.name, s.currency.code, s.time_zone, path.display()));
        }
        Command::Settings(SettingsCommand::Show) => {
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
        Command::Demo { lang } => {
            let n = store.seed_demo_data(ReceiptLanguage::parse(&lang)?, now)?;
            print(json, &serde_json::json!({ "members": n }), |_| format!("demo shop created with {n} members"));
        }
        Command::Member(cmd) => match cmd {
            MemberCommand::Add { details, referred_by, req } => {
                let new = NewMember {
                    name: details.name.clone().unwrap_or_default(),
                    phone: details.phone,
                    email: details.email,
                    birthday: details.birthday,
                    notes: details.notes.unwrap_or_default(),
                    tags: details.tags,
                    card_code: details.card_code,
                    referred_by,
                };
                let m = store.add_member(&new, &req.id(), now)?;
                print(json, &m, |m| format!("registered {} {} (card {})", m.member_no, m.name, m.card_code));
            }
            MemberCommand::Show { member } => {
                let m = store.resolve_member(&member)?;
                let card = store.member_card(m.id, now)?;
                print(json, &card, member_card_text);
            }
            MemberCommand::Find { query, limit } => {
                let found = store.find_members(&query, limit)?;
                print(json, &found, |found| {
                    let hits = &found.hits;
                    if hits.is_empty() {
                        return "no members found".to_string();
                    }
                    let mut lines: Vec<String> = hits
                        .iter()
                        .map(|h| {
                            format!(
                                "{}  {}  {}  {}{}",
                                h.member_no,
                                h.name,
                                h.phone.as_deref().unwrap_or("-"),
                                currency.format(h.wallet_total_minor),
                                if h.archived { "  (archived)" } else { "" }
                            )
                        })
                        .collect();
                    if found.matched > hits.len() as i64 {
                        let at_least = if found.matched_at_least { "at least " } else { "" };
                        lines.push(format!(
                            "{at_least}{} members match; showing the {} most recent visitors",
                            found.matched,
                            hits.len()
                        ));
                    }
                    lines.join("\n")
                });
            }
            MemberCommand::Edit { member, details } => {
                let m = store.resolve_member(&member)?;
                let patch = MemberPatch {
                    name: details.name,
                    phone: details.phone,
                    email: details.email,
                    birthday: details.birthday,
                    notes: details.notes,
                    tags: if details.tags.is_empty() { None } else { Some(details.tags) },
                    card_code: details.card_code,
                };
                let m = store.edit_member(m.id, &patch, now)?;
                print(json, &m, |m| format!("updated {} {}", m.member_no, m.name));
            }
            MemberCommand::Import { file, req } => {
                let rows = read_members_csv(&file)?;
                let n = store.import_members(&rows, &req.id(), now)?;
                print(json, &serde_json::json!({ "imported": n }), |_| format!("imported {n} members"));
            }
            MemberCommand::Archive { member, restore } => {
                let m = store.resolve_member(&member)?;
                let m = store.set_member_archived(m.id, !restore, now)?;
                print(json, &m, |m| {
                    format!("{} {} {}", m.member_no, m.name, if m.archived { "archived" } else { "restored" })
                });
            }
        },
        Command::Program(cmd) => match cmd {
            ProgramCommand::Add { name, stamps, reward, earn, expiry_days } => {
                let earn_rule = match EarnRule::parse(&earn) {
                    Ok(rule) => rule,
                    Err(_) if earn.starts_with("amount:") => {
                        EarnRule::PerAmount { amount_minor: amount(earn.trim_start_matches("amount:"))? }
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
                let p = store.set_program_active(id, active)?;
                print(json, &p, |p| format!("program {} {}", p.name, if p.active { "enabled" } else { "disabled" }));
            }
        },
        Command::Bonus(cmd) => {
            let rules = match cmd {
                BonusCommand::Set { min, bonus, basis_points } => {
                    store.set_bonus_rule(amount(&min)?, amount(&bonus)?, basis_points, now)?
                }
                BonusCommand::Remove { min } => store.remove_bonus_rule(amount(&min)?)?,
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
        }
        Command::Topup { member, amount: a, method, note, req } => {
            let m = store.resolve_member(&member)?;
            let (method, method_id) = till::method_from_text(&store, &method)?;
            let r = store.top_up(
                &TopUpRequest {
                    request_id: req.id(),
                    member_id: m.id,
                    paid_minor: amount(&a)?,
                    method,
                    method_id,
                    cashier,
                    note,
                },
                now,
            )?;
            receipt_out(&store, &r)?;
        }
        Command::Sale(args) => {
            let m = store.resolve_member(&args.member)?;
            let lines = args.items.iter().map(|s| parse_item(s, &currency)).collect::<Result<Vec<_>, _>>()?;
            let lines_given = !lines.is_empty();
            let total = match &args.total {
                Some(t) => amount(t)?,
                None if !lines.is_empty() => regulars::money::sum_amounts(
                    "total",
                    lines.iter().map(|l| l.unit_price_minor.saturating_mul(l.quantity)),
                )?,
                None => return Err(Error::EmptyField { field: "total" }),
            };
            let mut payments = if args.payments.is_empty() {
                vec![PaymentInput::new(PaymentMethod::Cash, total)]
            } else {
                args.payments.iter().map(|p| parse_payment(&store, p, &currency)).collect::<Result<Vec<_>, _>>()?
            };
            if let Some(tendered) = &args.tendered {
                let cash =
                    payments.iter_mut().find(|p| p.method == PaymentMethod::Cash).ok_or(Error::InvalidInput {
                        field: "cash tendered",
                        reason: "only a cash payment has cash tendered".into(),
                    })?;
                cash.tendered_minor = Some(currency.parse(tendered)?);
            }
            let r = store.record_sale(
                &SaleRequest {
                    request_id: args.req.id(),
                    member_id: m.id,
                    total_minor: total,
                    lines,
                    payments,
                    stamp_items: if lines_given { args.stamp_items } else { args.stamp_items.or(Some(1)) },
                    redeem_program_ids: args.redeem,
                    cashier,
                    note: args.note,
                },
                now,
            )?;
            receipt_out(&store, &r)?;
        }
        Command::Redeem { member, program, note, req } => {
            let m = store.resolve_member(&member)?;
            let r = store.redeem_reward(
                &RedeemRequest { request_id: req.id(), member_id: m.id, program_id: program, cashier, note },
                now,
            )?;
            receipt_out(&store, &r)?;
        }
        Command::Refund { member, amount: a, method, note, req } => {
            let m = store.resolve_member(&member)?;
            let (method, method_id) = till::method_from_text(&store, &method)?;
            let r = store.refund_stored_value(
                &RefundRequest {
                    request_id: req.id(),
                    member_id: m.id,
                    amount_minor: amount(&a)?,
                    method,
                    method_id,
                    cashier,
                    note,
                },
                now,
            )?;
            receipt_out(&store, &r)?;
        }
        Command::Adjust { member, paid, bonus, reason, req } => {
            let m = store.resolve_member(&member)?;
            let r = store.adjust_stored_value(
                &AdjustRequest {
                    request_id: req.id(),
                    member_id: m.id,
                    paid_delta_minor: signed(&paid)?,
                    bonus_delta_minor: signed(&bonus)?,
                    reason,
                    cashier,
                },
                now,
            )?;
            receipt_out(&store, &r)?;
        }
        Command::Void { number, reason, req } => {
            let r = store
                .void_receipt(&VoidRequest { request_id: req.id(), receipt_number: number, reason, cashier }, now)?;
            receipt_out(&store, &r)?;
        }
        Command::Receipt(ReceiptCommand::Show { number }) => {
            let r = store.receipt(number)?;
            receipt_out(&store, &r)?;
        }
        Command::Receipt(ReceiptCommand::Pdf { number, width, lang, output }) => {
            let paper = width.as_deref().map(PaperSize::parse).transpose()?;
            let pdf = store.receipt_pdf(number, paper, ReceiptLanguage::parse(&lang)?)?;
            std::fs::write(&output, &pdf.bytes)?;
            let summary = serde_json::json!({
                "file": output.display().to_string(), "bytes": pdf.bytes.len(),
                "widthMm": pdf.width_mm, "heightMm": pdf.height_mm, "pages": pdf.pages,
            });
            print(json, &summary, |_| {
                format!("wrote {} ({} KB, {} page(s))", output.display(), pdf.bytes.len().div_ceil(1024), pdf.pages)
            });
        }
        Command::Receipt(ReceiptCommand::Print { number, width, lang, printer }) => {
            let settings = store.settings()?;
            let paper = width.as_deref().map(PaperSize::parse).transpose()?.unwrap_or(settings.receipt_paper);
            let pdf = store.receipt_pdf(number, Some(paper), ReceiptLanguage::parse(&lang)?)?;
            let printer = printer.unwrap_or(settings.printer_name);
            regulars::printing::print_pdf(&pdf.bytes, &printer, paper, pdf.height_mm)?;
            print(json, &serde_json::json!({ "printed": number }), |_| {
                format!("sent receipt #{number} to the printer")
            });
        }
        Command::History { member, limit } => {
            let member_id = match member {
                Some(m) => Some(store.resolve_member(&m)?.id),
                None => None,
            };
            let tz = store.settings()?.tz();
            let rows = store.history(member_id, limit, None)?;
            print(json, &rows, |rows| {
                if rows.is_empty() {
                    return "no receipts".into();
                }
                rows.iter()
                    .map(|r| {
                        format!(
                            "#{:<6} {}  {:<7} {:>12}  {}{}",
                            r.number,
                            local_time(r.created_at, &tz),
                            format!("{:?}", r.kind).to_lowercase(),
                            currency.format(r.total_minor),
                            r.member_name,
                            if r.voided { "  (voided)" } else { "" }
                        )
                    })
                    .collect::<Vec<_>>()
                    .join("\n")
            });
        }
        Command::Report(cmd) => reports::run(&mut store, cmd, json, now)?,
        Command::Methods(cmd) => till::run_methods(&mut store, cmd, json, now)?,
        Command::Drawer(cmd) => till::run_drawer(&mut store, cmd, cashier, json, now)?,
        Command::Backup { dir, list } => {
            let dir = dir.unwrap_or_else(regulars::paths::backups_folder_in_use);
            let tz = store.settings()?.tz();
            let line = |b: &backup::Backup| {
                let when = DateTime::from_timestamp_millis(b.created_at).map(|t| t.with_timezone(&tz));
                format!(
                    "{}  {}  {} members  {} receipts  {} KB",
                    when.map(|t| t.format("%Y-%m-%d %H:%M").to_string()).unwrap_or_default(),
                    b.path,
                    b.members,
                    b.receipts,
                    b.bytes / 1024
                )
            };
            if list {
                let all = backup::list_backups(&dir)?;
                print(json, &all, |all| {
                    if all.is_empty() {
                        format!("no backups in {}", dir.display())
                    } else {
                        all.iter().map(line).collect::<Vec<_>>().join("\n")
                    }
                });
            } else {
                let made = store.backup_into(&dir, false, now)?;
                print(json, &made, |b| format!("backed up: {}", line(b)));
            }
        }
        Command::Restore { .. } => unreachable!("handled before the store is opened"),
        Command::Audit => {
            let problems = store.audit()?;
            let integrity = store.integrity_check()?;
            print(json, &serde_json::json!({ "integrity": integrity, "problems": problems }), |_| {
                if problems.is_empty() && integrity == "ok" {
                    "ok: every balance and stamp card equals its ledger; receipt numbers have no gaps".into()
                } else {
                    format!("integrity: {integrity}\n{problems:#?}")
                }
            });
            if !problems.is_empty() || integrity != "ok" {
                return Err(Error::InvalidInput {
                    field: "audit",
                    reason: format!("{} problems", problems.len()).into(),
                });
            }
        }
        Command::Dev(DevCommand::Stream { seed, count }) => dev_stream(&mut store, seed, count)?,
    }
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

/// Reads members from a CSV file (UTF-8, with or without a BOM, as Excel
/// saves it). Columns are found by header name, in any order.
fn read_members_csv(path: &std::path::Path) -> Result<Vec<NewMember>, Error> {
    let bytes = std::fs::read(path)?;
    let text = String::from_utf8(bytes)
        .map_err(|_| Error::InvalidInput { field: "import", reason: "the file is not UTF-8 text".into() })?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
    let bad = |e: csv::Error| Error::InvalidInput { field: "import", reason: e.to_string().into() };
    let mut reader = csv::ReaderBuilder::new().flexible(true).trim(csv::Trim::All).from_reader(text.as_bytes());
    let headers: Vec<String> = reader.headers().map_err(bad)?.iter().map(|h| h.to_lowercase()).collect();
    let col = |name: &str| headers.iter().position(|h| h == name);
    let Some(name_col) = col("name") else {
        return Err(Error::InvalidInput { field: "import", reason: "the header row has no name column".into() });
    };
    let (phone, birthday, email, notes, tags) =
        (col("phone"), col("birthday"), col("email"), col("notes"), col("tags"));
    let mut rows = Vec::new();
    for record in reader.records() {
        let record = record.map_err(bad)?;
        let get = |c: Option<usize>| c.and_then(|c| record.get(c)).map(str::to_string).filter(|s| !s.is_empty());
        rows.push(NewMember {
            name: get(Some(name_col)).unwrap_or_default(),
            phone: get(phone),
            birthday: get(birthday),
            email: get(email),
            notes: get(notes).unwrap_or_default(),
            tags: get(tags).map(|t| t.split(';').map(str::to_string).collect()).unwrap_or_default(),
            card_code: None,
            referred_by: None,
        });
    }
    Ok(rows)
}

fn parse_item(text: &str, currency: &Currency) -> Result<LineInput, Error> {
    let bad = || Error::InvalidInput {
        field: "item",
        reason: format!("{text:?}: use description:quantity:unit price").into(),
    };
    let mut parts: Vec<&str> = text.rsplitn(4, ':').collect();
    parts.reverse();
    let earns_stamps = parts.last() != Some(&"nostamp");
    if !earns_stamps {
        parts.pop();
        parts = text.trim_end_matches(":nostamp").rsplitn(3, ':').collect();
        parts.reverse();
    } else if parts.len() == 4 {
        parts = text.rsplitn(3, ':').collect();
        parts.reverse();
    }
    let [description, quantity, price] = parts.as_slice() else { return Err(bad()) };
    Ok(LineInput {
        product_id: None,
        description: (*description).to_string(),
        quantity: quantity.trim().parse().map_err(|_| bad())?,
        unit_price_minor: currency.parse(price)?,
        earns_stamps,
    })
}

fn parse_payment(store: &Store, text: &str, currency: &Currency) -> Result<PaymentInput, Error> {
    let (method, amount) = text.rsplit_once(':').ok_or_else(|| Error::InvalidInput {
        field: "payment",
        reason: format!("{text:?}: use method:amount, e.g. stored_value:150").into(),
    })?;
    let (method, method_id) = till::method_from_text(store, method)?;
    Ok(PaymentInput { method_id, ..PaymentInput::new(method, currency.parse(amount)?) })
}

fn local_time(ms: i64, tz: &chrono_tz::Tz) -> String {
    DateTime::<Utc>::from_timestamp_millis(ms)
        .map(|t| t.with_timezone(tz).format("%Y-%m-%d %H:%M").to_string())
        .unwrap_or_default()
}

fn member_card_text(c: &regulars::MemberCard) -> String {
    let cur = &c.currency;
    let m = &c.member;
    let mut out = vec![
        format!(
            "{}  {}{}{}",
            m.member_no,
            m.name,
            m.tier.as_deref().map(|t| format!("  [{t}]")).unwrap_or_default(),
            if m.archived { "  (archived)" } else { "" }
        ),
        format!("phone: {}   card: {}", m.phone.as_deref().unwrap_or("-"), m.card_code),
    ];
    if let Some(b) = m.birthday {
        out.push(format!("birthday: {}{}", b.to_text(), if c.birthday_today { "  🎂 today!" } else { "" }));
    }
    if !m.tags.is_empty() {
        out.push(format!("tags: {}", m.tags.join(", ")));
    }
    out.push(format!(
        "stored value: {} (paid {} + bonus {})",
        cur.format(c.wallet.total_minor),
        cur.format(c.wallet.paid_minor),
        cur.format(c.wallet.bonus_minor)
    ));
    for s in &c.stamp_cards {
        out.push(format!(
            "{}: {}/{} {}",
            s.program_name,
            s.stamps,
            s.stamps_needed,
            if s.reward_ready { format!("→ reward ready: {}", s.reward_text) } else { String::new() }
        ));
    }
    out.push(format!("visits: {}   spend: {}", c.visit_count, cur.format(c.spend_minor)));
    out.join("\n")
}

fn receipt_text(r: &Receipt, cur: &Currency, tz: &chrono_tz::Tz) -> String {
    let kind = format!("{:?}", r.kind).to_uppercase();
    let mut out =
        vec![format!("Receipt #{}  {}  {}  cashier {}", r.number, kind, local_time(r.created_at, tz), r.cashier)];
    if let Some(n) = r.voids_number {
        out.push(format!("VOID of receipt #{n}"));
    }
    if let Some(n) = r.voided_by_number {
        out.push(format!("(voided by receipt #{n})"));
    }
    out.push(format!("member {} {}", r.member_no, r.member_name));
    for l in &r.lines {
        out.push(format!("  {} x{}  {}", l.description, l.quantity, cur.format(l.amount_minor)));
    }
    out.push(format!("total {}", cur.format(r.total_minor)));
    for p in &r.payments {
        out.push(format!("  paid by {}: {}", till::method_text(p.method, &p.method_name), cur.format(p.amount_minor)));
        if let (Some(tendered), Some(change)) = (p.tendered_minor, p.change_minor) {
            out.push(format!("    tendered {}, change {}", cur.format(tendered), cur.format(change)));
        }
    }
    if r.bonus_minor != 0 {
        out.push(format!("bonus {}", cur.format(r.bonus_minor)));
    }
    if r.wallet_before() != r.wallet_after() || r.kind == regulars::ReceiptKind::TopUp {
        out.push(format!(
            "stored value {} → {} (paid {} + bonus {})",
            cur.format(r.wallet_before()),
            cur.format(r.wallet_after()),
            cur.format(r.wallet_paid_after),
            cur.format(r.wallet_bonus_after)
        ));
    }
    for s in &r.stamps {
        let mut line = format!("{}: {} → {}/{}", s.program_name, s.stamps_before, s.stamps_after, s.stamps_needed);
        if s.earned != 0 {
            line.push_str(&format!("  earned {:+}", s.earned));
        }
        if s.redeemed != 0 {
            line.push_str(&format!("  redeemed {} × {}", s.redeemed, s.reward_text));
        }
        if s.expired != 0 {
            line.push_str(&format!("  expired {}", s.expired));
        }
        out.push(line);
    }
    if !r.note.is_empty() {
        out.push(format!("note: {}", r.note));
    }
    out.join("\n")
}

/// A stream of random operations for crash tests: sets up a small shop on
/// first use, then runs sales, top-ups, redemptions, refunds and voids,
/// printing each committed receipt.
fn dev_stream(store: &mut Store, seed: u64, count: Option<u64>) -> Result<(), Error> {
    #[allow(clippy::disallowed_methods)] // The CLI is an interface: it reads the clock.
    let now = || Utc::now();
    if store.programs()?.is_empty() {
        store.add_program(
            &NewStampProgram {
                name: "drinks".into(),
                stamps_needed: 5,
                reward_text: "free drink".into(),
                earn_rule: EarnRule::PerItem,
                expiry_days: None,
            },
            now(),
        )?;
        store.set_bonus_rule(500, 50, 0, now())?;
    }
    while store.member_count()? < 4 {
        let n = store.member_count()?;
        store.add_member(
            &NewMember {
                name: format!("stream member {n}"),
                phone: Some(format!("0900000{n:03}")),
                ..Default::default()
            },
            &format!("stream-member-{n}"),
            now(),
        )?;
    }
    let program = store.programs()?[0].id;
    let members: Vec<i64> = (1..=4).collect();
    let mut state = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
    let mut rand = move |n: u64| {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state % n
    };
    let stdout = std::io::stdout();
    let mut i: u64 = 0;
    while count.is_none_or(|c| i < c) {
        i += 1;
        let member_id = members[rand(members.len() as u64) as usize];
        let request_id = format!("stream-{seed}-{i}");
        let cashier = "stream".to_string();
        let result = match rand(6) {
            0 => store.top_up(
                &TopUpRequest {
                    request_id: request_id.clone(),
                    member_id,
                    paid_minor: 100 * (1 + rand(10) as i64),
                    method: PaymentMethod::Cash,
                    method_id: None,
                    cashier,
                    note: String::new(),
                },
                now(),
            ),
            1 | 2 => {
                let total = 10 + rand(200) as i64;
                let method = if rand(2) == 0 { PaymentMethod::StoredValue } else { PaymentMethod::Cash };
                store.record_sale(
                    &SaleRequest {
                        request_id: request_id.clone(),
                        member_id,
                        total_minor: total,
                        lines: Vec::new(),
                        payments: vec![PaymentInput::new(method, total)],
                        stamp_items: Some(1 + rand(3) as i64),
                        redeem_program_ids: Vec::new(),
                        cashier,
                        note: String::new(),
                    },
                    now(),
                )
            }
            3 => store.redeem_reward(
                &RedeemRequest {
                    request_id: request_id.clone(),
                    member_id,
                    program_id: program,
                    cashier,
                    note: String::new(),
                },
                now(),
            ),
            4 => store.refund_stored_value(
                &RefundRequest {
                    request_id: request_id.clone(),
                    member_id,
                    amount_minor: 1 + rand(100) as i64,
                    method: PaymentMethod::Cash,
                    method_id: None,
                    cashier,
                    note: String::new(),
                },
                now(),
            ),
            _ => {
                let last = store.history(None, 1, None)?.first().map(|r| r.number).unwrap_or(0);
                if last == 0 {
                    continue;
                }
                let number = 1 + rand(last as u64) as i64;
                store.void_receipt(
                    &VoidRequest {
                        request_id: request_id.clone(),
                        receipt_number: number,
                        reason: "stream".into(),
                        cashier,
                    },
                    now(),
                )
            }
        };
        match result {
            Ok(r) => {
                let mut out = stdout.lock();
                writeln!(out, "committed {} {}", r.number, r.request_id)?;
                out.flush()?;
            }
            Err(e) if e.code() == "Database" || e.code() == "Io" => return Err(e),
            Err(_) => {}
        }
    }
    Ok(())
}
