//! `regulars staff …` and `regulars audit verify|log`: the shop's staff
//! accounts and the audit log of who did what.

use crate::print;
use chrono::{DateTime, NaiveDate, Utc};
use clap::{Args, Subcommand};
use regulars::money::Currency;
use regulars::{Act, AuditEntry, AuditFilter, Error, NewStaff, Role, StaffPolicy, Store};

#[derive(Subcommand)]
pub(crate) enum StaffCommand {
    /// Add a staff member with a role (owner, manager, cashier) and a PIN.
    Add {
        name: String,
        #[arg(long, default_value = "cashier")]
        role: String,
        /// The new staff member's PIN (4 to 8 digits, unique in the shop).
        #[arg(long)]
        new_pin: String,
    },
    /// Every staff account, active ones first.
    List,
    /// Turn an account off: its PIN stops working, its name stays on receipts.
    Disable { staff: String },
    /// Give a staff member a new PIN (the owner for anyone, anyone for their own).
    SetPin {
        staff: String,
        #[arg(long)]
        new_pin: String,
    },
    /// The limits in force and the rights taken from each role.
    Policy,
    /// Take a right (topUp, void, refund, export …) away from a role; taken
    /// from managers, it is taken from cashiers too (the owner's alone).
    Deny {
        act: String,
        #[arg(long)]
        role: String,
    },
    /// Give a right back to a role; given back to cashiers, managers get it
    /// back too (the owner's alone).
    Allow {
        act: String,
        #[arg(long)]
        role: String,
    },
}

pub(crate) fn run(store: &mut Store, cmd: StaffCommand, json: bool, now: DateTime<Utc>) -> Result<(), Error> {
    match cmd {
        StaffCommand::Add { name, role, new_pin } => {
            let added = store.add_staff(&NewStaff { name, role: Role::parse(&role)?, pin: new_pin }, now)?;
            print(json, &added, |s| format!("added {} ({}) as #{}", s.name, s.role.as_db(), s.id));
        }
        StaffCommand::List => {
            let all = store.staff()?;
            let policy = store.staff_policy()?;
            print(json, &all, |all| {
                let mut lines: Vec<String> = all
                    .iter()
                    .map(|s| {
                        let state = if s.active { "active" } else { "disabled" };
                        format!("#{}\t{}\t{}\t{state}", s.id, s.name, s.role.as_db())
                    })
                    .collect();
                lines.extend(denied_lines(&policy));
                lines.join("\n")
            });
        }
        StaffCommand::Policy => {
            let policy = store.staff_policy()?;
            let currency = store.settings()?.currency;
            print(json, &policy, |p| policy_text(p, &currency));
        }
        StaffCommand::Deny { act, role } => {
            let mut policy = store.staff_policy()?;
            policy.deny(Role::parse(&role)?, Act::parse(&act)?)?;
            let saved = store.set_staff_policy(&policy, now)?;
            let currency = store.settings()?.currency;
            print(json, &saved, |p| policy_text(p, &currency));
        }
        StaffCommand::Allow { act, role } => {
            let mut policy = store.staff_policy()?;
            policy.allow(Role::parse(&role)?, Act::parse(&act)?);
            let saved = store.set_staff_policy(&policy, now)?;
            let currency = store.settings()?.currency;
            print(json, &saved, |p| policy_text(p, &currency));
        }
        StaffCommand::Disable { staff } => {
            let id = store.resolve_staff(&staff)?.id;
            let s = store.disable_staff(id, now)?;
            print(json, &s, |s| format!("disabled {} (#{})", s.name, s.id));
        }
        StaffCommand::SetPin { staff, new_pin } => {
            let id = store.resolve_staff(&staff)?.id;
            let s = store.set_staff_pin(id, &new_pin, now)?;
            print(json, &s, |s| format!("new PIN set for {}", s.name));
        }
    }
    Ok(())
}

/// One line per right taken away: the act, the roles without it, who may now.
fn denied_lines(policy: &StaffPolicy) -> Vec<String> {
    let mut acts: Vec<Act> = Vec::new();
    for d in &policy.denied {
        if !acts.contains(&d.act) {
            acts.push(d.act);
        }
    }
    acts.iter()
        .map(|act| {
            let from: Vec<&str> = policy.denied.iter().filter(|d| d.act == *act).map(|d| d.role.as_db()).collect();
            let now = match policy.least_role_now(*act) {
                Some(Role::Cashier) => "cashiers and up",
                Some(Role::Manager) => "managers and up",
                _ => "the owner only",
            };
            format!("denied\t{}\tfrom {}\t(now: {now})", act.as_db(), from.join(", "))
        })
        .collect()
}

fn policy_text(policy: &StaffPolicy, currency: &Currency) -> String {
    let mut lines = vec![
        format!("cashier void minutes\t{}", policy.cashier_void_minutes),
        format!("cashier void limit\t{}", currency.format(policy.cashier_void_max_minor)),
        format!("manager correction limit\t{}", currency.format(policy.manager_adjust_max_minor)),
        format!("idle lock minutes\t{}", policy.idle_lock_minutes),
    ];
    let denied = denied_lines(policy);
    if denied.is_empty() {
        lines.push("no rights taken away".to_string());
    }
    lines.extend(denied);
    lines.join("\n")
}

#[derive(Args)]
pub(crate) struct AuditArgs {
    /// With no command: check every balance and stamp card against its ledger.
    #[command(subcommand)]
    command: Option<AuditCommand>,
}

#[derive(Subcommand)]
enum AuditCommand {
    /// Check the audit log's hash chain; fails naming the first broken row.
    Verify,
    /// The audit log, newest first.
    Log {
        /// Only this staff member's rows (name or number). (`--staff` is the
        /// global check of who the PIN belongs to.)
        #[arg(long)]
        by: Option<String>,
        /// Only this kind (sale, topUp, refund, signIn, pinFailed …).
        #[arg(long)]
        kind: Option<String>,
        /// From this shop day (YYYY-MM-DD, included).
        #[arg(long)]
        from: Option<String>,
        /// To this shop day (included).
        #[arg(long)]
        to: Option<String>,
        /// At most this many rows (0: all).
        #[arg(long, default_value_t = 0)]
        limit: u32,
        /// CSV instead of text.
        #[arg(long)]
        csv: bool,
    },
}

pub(crate) fn run_audit(store: &Store, args: AuditArgs, json: bool) -> Result<(), Error> {
    match args.command {
        None => crate::backup::audit(store, json),
        Some(AuditCommand::Verify) => {
            let broken = store.verify_audit()?;
            print(json, &serde_json::json!({ "broken": broken }), |_| match &broken {
                None => "ok: the audit log's chain is whole".to_string(),
                Some(b) => format!("audit log broken at row {} ({})", b.id, b.problem),
            });
            match broken {
                None => Ok(()),
                Some(b) => Err(Error::InvalidInput {
                    field: "audit log",
                    reason: format!("row {} is {}", b.id, b.problem).into(),
                }),
            }
        }
        Some(AuditCommand::Log { by, kind, from, to, limit, csv }) => {
            let zone = store.settings()?;
            let day = |text: &Option<String>, next: bool| -> Result<Option<i64>, Error> {
                text.as_deref()
                    .map(|t| {
                        let d = regulars::input::parse_full_date(t)?;
                        let d: NaiveDate = if next { d.succ_opt().unwrap_or(d) } else { d };
                        Ok(zone.day_bounds_ms(d).0)
                    })
                    .transpose()
            };
            let filter = AuditFilter {
                staff_id: by.map(|s| store.resolve_staff(&s).map(|s| s.id)).transpose()?,
                kind: kind.map(|k| Act::parse(&k)).transpose()?,
                from: day(&from, false)?,
                to: day(&to, true)?,
                limit,
            };
            let rows = store.audit_log(&filter)?;
            if csv {
                print(false, &rows, |rows| audit_csv(rows));
            } else {
                print(json, &rows, |rows| rows.iter().map(audit_line).collect::<Vec<_>>().join("\n"));
            }
            Ok(())
        }
    }
}

fn time(ms: i64) -> String {
    DateTime::from_timestamp_millis(ms).map(|t| t.format("%Y-%m-%d %H:%M:%SZ").to_string()).unwrap_or_default()
}

fn audit_line(r: &AuditEntry) -> String {
    let approver = r.approver_name.as_deref().map(|a| format!(" (approved by {a})")).unwrap_or_default();
    let receipt = r.receipt_number.map(|n| format!(" receipt #{n}")).unwrap_or_default();
    format!("{}\t#{}\t{}\t{}{approver}{receipt}\t{}", time(r.at), r.id, r.kind, r.staff_name, r.detail)
}

fn audit_csv(rows: &[AuditEntry]) -> String {
    let mut w = csv::Writer::from_writer(Vec::new());
    let _ = w.write_record([
        "id",
        "at",
        "kind",
        "staff",
        "approved by",
        "request id",
        "receipt",
        "member",
        "detail",
        "hash",
    ]);
    for r in rows {
        let _ = w.write_record([
            r.id.to_string(),
            time(r.at),
            r.kind.clone(),
            r.staff_name.clone(),
            r.approver_name.clone().unwrap_or_default(),
            r.request_id.clone().unwrap_or_default(),
            r.receipt_number.map(|n| n.to_string()).unwrap_or_default(),
            r.member_id.map(|n| n.to_string()).unwrap_or_default(),
            r.detail.clone(),
            r.hash.clone(),
        ]);
    }
    String::from_utf8(w.into_inner().unwrap_or_default()).unwrap_or_default().trim_end().to_string()
}
