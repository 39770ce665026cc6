//! `regulars methods …` (the shop's payment methods) and `regulars drawer
//! count` (the cash counted at the day close), and how a payment method is
//! named on the command line.

use chrono::{DateTime, NaiveDate, Utc};
use clap::Subcommand;
use regulars::{Error, PaymentMethod, PaymentMethodInput, ShopPaymentMethod, Store};

#[derive(Subcommand)]
pub enum MethodsCommand {
    /// The shop's payment methods in the checkout's order.
    List,
    /// Add a method at the end: its kind (cash, card, e_wallet, transfer, other) and name.
    Add {
        #[arg(long)]
        kind: String,
        #[arg(long)]
        name: String,
    },
    /// Rename a method ('' for the kind's own word).
    Rename { id: i64, name: String },
    /// Stop offering a method at the checkout (its receipts keep it).
    Disable { id: i64 },
    /// Offer a method again.
    Enable { id: i64 },
    /// Put the methods in this order: every id once, e.g. 1,4,2,3.
    Order {
        #[arg(value_delimiter = ',')]
        ids: Vec<i64>,
    },
    /// Remove a method no receipt uses.
    Remove { id: i64 },
}

#[derive(Subcommand)]
pub enum DrawerCommand {
    /// Record the cash counted in the drawer for a shop day (a recount is a new count).
    Count {
        /// The cash counted, e.g. 12350.
        #[arg(long, allow_hyphen_values = true)]
        counted: String,
        /// The change float the drawer opened with.
        #[arg(long, default_value = "0", allow_hyphen_values = true)]
        float: String,
        /// YYYY-MM-DD (default: today in the shop's time zone).
        #[arg(long)]
        date: Option<String>,
        #[arg(long, default_value = "")]
        note: String,
        #[arg(long)]
        request_id: Option<String>,
    },
}

/// A method as the CLI prints it: its name, or the kind when unnamed.
pub fn method_text(kind: PaymentMethod, name: &str) -> String {
    if name.is_empty() {
        kind.as_db().to_string()
    } else {
        name.to_string()
    }
}

/// A payment method named on the command line: a kind (`cash`, `card`,
/// `e_wallet`, `transfer`, `other`, `stored_value`: the first method of
/// that kind), a method's id (`#4`) or its name (`LINE Pay`).
pub fn method_from_text(store: &Store, text: &str) -> Result<(PaymentMethod, Option<i64>), Error> {
    if let Ok(kind) = PaymentMethod::parse(text) {
        return Ok((kind, None));
    }
    let methods = store.payment_methods()?;
    let wanted = text.trim();
    let found = match wanted.strip_prefix('#').and_then(|id| id.parse::<i64>().ok()) {
        Some(id) => methods.iter().find(|m| m.id == id),
        None => methods.iter().find(|m| m.active && m.name.eq_ignore_ascii_case(wanted)),
    };
    found.map(|m| (m.kind, Some(m.id))).ok_or_else(|| Error::UnknownPaymentMethod(text.to_string()))
}

fn methods_text(methods: &[ShopPaymentMethod]) -> String {
    methods
        .iter()
        .map(|m| {
            format!(
                "#{:<3} {:<10} {}{}{}",
                m.id,
                m.kind.as_db(),
                method_text(m.kind, &m.name),
                if m.active { "" } else { "  (off)" },
                if m.used { "  (on receipts)" } else { "" }
            )
        })
        .collect::<Vec<_>>()
        .join("\n")
}

pub fn run_methods(store: &mut Store, cmd: MethodsCommand, json: bool, now: DateTime<Utc>) -> Result<(), Error> {
    let current = |store: &Store, id: i64| -> Result<ShopPaymentMethod, Error> {
        store
            .payment_methods()?
            .into_iter()
            .find(|m| m.id == id)
            .ok_or_else(|| Error::UnknownPaymentMethod(id.to_string()))
    };
    let change = |store: &mut Store, id: i64, name: Option<String>, active: Option<bool>| {
        let m = current(store, id)?;
        store.save_payment_method(
            &PaymentMethodInput {
                id: Some(id),
                kind: m.kind,
                name: name.unwrap_or(m.name),
                active: active.unwrap_or(m.active),
            },
            now,
        )
    };
    let methods = match cmd {
        MethodsCommand::List => store.payment_methods()?,
        MethodsCommand::Add { kind, name } => store.save_payment_method(
            &PaymentMethodInput { id: None, kind: PaymentMethod::parse(&kind)?, name, active: true },
            now,
        )?,
        MethodsCommand::Rename { id, name } => change(store, id, Some(name), None)?,
        MethodsCommand::Disable { id } => change(store, id, None, Some(false))?,
        MethodsCommand::Enable { id } => change(store, id, None, Some(true))?,
        MethodsCommand::Order { ids } => store.reorder_payment_methods(&ids, now)?,
        MethodsCommand::Remove { id } => store.remove_payment_method(id, now)?,
    };
    crate::print(json, &methods, |m| methods_text(m));
    Ok(())
}

pub fn run_drawer(
    store: &mut Store,
    cmd: DrawerCommand,
    cashier: String,
    json: bool,
    now: DateTime<Utc>,
) -> Result<(), Error> {
    let DrawerCommand::Count { counted, float, date, note, request_id } = cmd;
    let settings = store.settings()?;
    let date = match date {
        Some(d) => NaiveDate::parse_from_str(d.trim(), "%Y-%m-%d").map_err(|_| Error::InvalidDate(d.clone()))?,
        None => settings.local_date(now),
    };
    let money = |text: &str| -> Result<i64, Error> {
        let t = text.trim();
        match t.strip_prefix('-') {
            Some(rest) => Ok(-settings.currency.parse(rest)?),
            None => settings.currency.parse(t),
        }
    };
    let request_id = request_id.unwrap_or_else(|| {
        format!("cli-drawer-{}-{}", now.timestamp_nanos_opt().unwrap_or_default(), std::process::id())
    });
    let day = store.count_drawer(
        &regulars::DrawerCountRequest {
            request_id,
            date,
            float_minor: money(&float)?,
            counted_minor: money(&counted)?,
            cashier,
            note,
        },
        now,
    )?;
    let d = day.drawer.as_ref().expect("a count was just recorded");
    crate::print(json, d, |d| drawer_text(d, &settings.currency));
    Ok(())
}

/// The drawer count as `report day` and `drawer count` print it.
pub fn drawer_text(d: &regulars::DrawerCount, cur: &regulars::Currency) -> String {
    let verdict = match d.over_short_minor {
        0 => "even".to_string(),
        n if n > 0 => format!("over by {}", cur.format(n)),
        n => format!("short by {}", cur.format(-n)),
    };
    format!(
        "drawer {}: float {} + cash = expected {}, counted {}: {verdict}",
        d.date,
        cur.format(d.float_minor),
        cur.format(d.expected_minor),
        cur.format(d.counted_minor)
    )
}
