//! Moving a shop in: a file of members checked (a dry run that writes
//! nothing) and committed in one transaction. Each member who brings stored
//! value, stamps or points gets one opening-balance receipt (kind
//! `opening`, no payments) whose ledger rows start their wallet, cards and
//! points; a purchase summary brought in is kept beside the member and
//! counted in the owner's figures without pretending to be receipts.

use super::members::insert_member;
use super::ops::move_wallet;
use super::writes::{insert_receipt, plan_card, write_card, Draft};
use super::{load_settings, Store};
use crate::error::{Error, Reason, Result};
use crate::import::columns::{header_signature, MappingFile};
use crate::import::rows::{check_rows, Facts, ImportRow};
use crate::import::table::read_table;
use crate::import::{ImportProblem, ImportTotals, Mapping, Table};
use crate::member::NewMember;
use crate::receipt::ReceiptKind;
use crate::staff::Act;
use chrono::{DateTime, Utc};
use rusqlite::{params, Connection, OptionalExtension};
use serde::Serialize;
use sha2::{Digest, Sha256};

/// A file to import as it was read from disk or handed over by the app.
#[derive(Debug, Clone)]
pub struct ImportFile {
    /// The file's name (its extension says a workbook from text).
    pub name: String,
    pub bytes: Vec<u8>,
    /// The encoding a person chose; `None`: found from the bytes.
    pub encoding: Option<String>,
}

/// One column of the file and the field it goes to (`None`: left out).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ImportColumn {
    pub heading: String,
    pub field: Option<String>,
}

/// A dry run: how the file was read, every problem, and what it would
/// bring in. Nothing is written.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ImportPreview {
    pub file_name: String,
    pub file_sha256: String,
    pub encoding: String,
    pub columns: Vec<ImportColumn>,
    pub problems: Vec<ImportProblem>,
    pub totals: ImportTotals,
    /// The import that already brought this very file in, if one did.
    pub already_imported: Option<ImportReport>,
}

/// A committed import, as kept in `member_imports`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ImportReport {
    pub id: i64,
    pub file_name: String,
    pub file_sha256: String,
    pub encoding: String,
    pub rows: u32,
    pub members: u32,
    pub paid_minor: i64,
    pub bonus_minor: i64,
    pub stamps: i64,
    pub points: i64,
    pub by: String,
    pub created_at: i64,
}

fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes).iter().map(|b| format!("{b:02x}")).collect()
}

fn load_report(conn: &Connection, sha: &str) -> Result<Option<ImportReport>> {
    Ok(conn
        .query_row(
            "SELECT id, file_name, file_sha256, encoding, rows, members, paid_minor, bonus_minor, stamps, points,
                    by_name, created_at
             FROM member_imports WHERE file_sha256 = ?1",
            [sha],
            |r| {
                Ok(ImportReport {
                    id: r.get(0)?,
                    file_name: r.get(1)?,
                    file_sha256: r.get(2)?,
                    encoding: r.get(3)?,
                    rows: r.get(4)?,
                    members: r.get(5)?,
                    paid_minor: r.get(6)?,
                    bonus_minor: r.get(7)?,
                    stamps: r.get(8)?,
                    points: r.get(9)?,
                    by: r.get(10)?,
                    created_at: r.get(11)?,
                })
            },
        )
        .optional()?)
}

/// What the shop already has that the rows are checked against.
fn load_facts(conn: &Connection, now: DateTime<Utc>) -> Result<Facts> {
    let settings = load_settings(conn)?;
    let mut facts =
        Facts { currency: Some(settings.currency.clone()), today: Some(settings.local_date(now)), ..Facts::default() };
    facts.programs = super::programs::load_programs(conn, true)?.into_iter().map(|p| (p.id, p.name)).collect();
    let mut stmt = conn.prepare("SELECT name FROM tiers ORDER BY rank")?;
    facts.tiers = stmt.query_map([], |r| r.get(0))?.collect::<rusqlite::Result<_>>()?;
    let mut stmt = conn.prepare("SELECT phone_digits, card_code, old_member_no, member_no FROM members")?;
    let mut rows = stmt.query([])?;
    while let Some(r) = rows.next()? {
        let no: String = r.get(3)?;
        if let Some(p) = r.get::<_, Option<String>>(0)? {
            facts.phones.insert(p, no.clone());
        }
        facts.card_codes.insert(r.get(1)?, no.clone());
        if let Some(old) = r.get::<_, Option<String>>(2)? {
            facts.old_member_nos.insert(old, no.clone());
        }
        // A new number that is an existing member's number would find them.
        facts.old_member_nos.insert(no.clone(), no);
    }
    Ok(facts)
}

fn saved_mapping(conn: &Connection, headers: &[String]) -> Result<Option<MappingFile>> {
    let text: Option<String> = conn
        .query_row("SELECT mapping FROM import_mappings WHERE signature = ?1", [header_signature(headers)], |r| {
            r.get(0)
        })
        .optional()?;
    Ok(text.and_then(|t| serde_json::from_str(&t).ok()))
}

struct Checked {
    table: Table,
    mapping: Mapping,
    sha: String,
    plan: crate::import::ImportPlan,
}

/// Reads and checks a file: the mapping given, else the one saved for
/// this layout, else the guesses.
fn check_file(
    conn: &Connection,
    file: &ImportFile,
    mapping: Option<&MappingFile>,
    now: DateTime<Utc>,
) -> Result<Checked> {
    let table = read_table(&file.bytes, &file.name, file.encoding.as_deref())?;
    let saved = match mapping {
        Some(_) => None,
        None => saved_mapping(conn, &table.headers)?,
    };
    let mapping = Mapping::for_headers(&table.headers, mapping.or(saved.as_ref()))?;
    let plan = check_rows(&table, &mapping, &load_facts(conn, now)?)?;
    Ok(Checked { table, mapping, sha: sha256_hex(&file.bytes), plan })
}

fn preview_of(conn: &Connection, file: &ImportFile, c: &Checked) -> Result<ImportPreview> {
    Ok(ImportPreview {
        file_name: file.name.clone(),
        file_sha256: c.sha.clone(),
        encoding: c.table.encoding.clone(),
        columns: c
            .table
            .headers
            .iter()
            .zip(&c.mapping.columns)
            .map(|(h, f)| ImportColumn { heading: h.clone(), field: f.as_ref().map(|f| f.key()) })
            .collect(),
        problems: c.plan.problems.clone(),
        totals: c.plan.totals.clone(),
        already_imported: load_report(conn, &c.sha)?,
    })
}

/// Writes one checked row: the member, their opening-balance receipt with
/// its ledger rows, their purchase summary.
fn write_row(
    tx: &Connection,
    settings: &crate::settings::ShopSettings,
    row: &ImportRow,
    import_id: i64,
    request_id: &str,
    by: &super::audit::Signature,
    now: DateTime<Utc>,
) -> Result<()> {
    let now_ms = now.timestamp_millis();
    let new = NewMember { name: row.member.name.clone(), ..NewMember::default() };
    let member_request = format!("{request_id}#{}", row.line);
    let id = insert_member(tx, &new, &row.member, &member_request, now)?;
    let joined_at = row.joined_on.map_or(now_ms, |d| settings.day_bounds_ms(d).0);
    tx.execute(
        "UPDATE members SET old_member_no = ?2, tier = ?3, joined_at = ?4 WHERE id = ?1",
        params![id, row.old_member_no, row.tier, joined_at],
    )?;
    if row.paid_minor > 0 || row.bonus_minor > 0 || row.points > 0 || !row.stamps.is_empty() {
        let (receipt_id, _) = insert_receipt(
            tx,
            &Draft {
                kind: ReceiptKind::Opening,
                request_id: &format!("{member_request}:opening"),
                member_id: id,
                by,
                total_minor: row.paid_minor,
                bonus_minor: row.bonus_minor,
                wallet_before: (0, 0),
                wallet_after: (row.paid_minor, row.bonus_minor),
                voids_receipt_id: None,
                note: &format!("import #{import_id}"),
                now_ms,
            },
        )?;
        move_wallet(tx, id, receipt_id, "opening", row.paid_minor, row.bonus_minor, now_ms)?;
        for (program_id, _, stamps) in &row.stamps {
            let program = super::programs::load_program(tx, *program_id)?;
            let plan = plan_card(tx, id, program, *stamps, 0, now_ms)?;
            write_card(tx, id, receipt_id, &plan, now_ms)?;
        }
        if row.points > 0 {
            super::points::give_points(tx, id, receipt_id, row.points, now)?;
        }
    }
    if let Some(h) = &row.history {
        tx.execute(
            "INSERT INTO member_history_summaries (member_id, import_id, first_purchase_on, last_purchase_on, purchases,
               spend_minor)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            params![
                id,
                import_id,
                h.first_purchase_on.to_string(),
                h.last_purchase_on.to_string(),
                h.purchases,
                h.spend_minor
            ],
        )?;
        tx.execute(
            "UPDATE members SET visit_count = ?2, spend_minor = ?3, first_visit_at = ?4, last_visit_at = ?5 WHERE id = ?1",
            params![
                id,
                h.purchases,
                h.spend_minor,
                settings.day_bounds_ms(h.first_purchase_on).0,
                settings.day_bounds_ms(h.last_purchase_on).0
            ],
        )?;
    }
    Ok(())
}

impl Store {
    /// A dry run of importing `file`: every row checked against the shop
    /// as it is, every problem with its row, column and value, and the
    /// totals it would bring in. Nothing is written.
    pub fn check_member_import(
        &self,
        file: &ImportFile,
        mapping: Option<&MappingFile>,
        now: DateTime<Utc>,
    ) -> Result<ImportPreview> {
        self.require_read(Act::ImportMembers)?;
        let checked = check_file(self.conn(), file, mapping, now)?;
        preview_of(self.conn(), file, &checked)
    }

    /// The mapping saved for a file of this layout (its headings), if any.
    pub fn saved_import_mapping(&self, headers: &[String]) -> Result<Option<MappingFile>> {
        saved_mapping(self.conn(), headers)
    }

    /// Imports `file`: all or nothing, in one transaction. Refused when any
    /// row has a problem (the first is named; the dry run lists them all)
    /// and when the same file (by its SHA-256) was imported before. Writes
    /// the members, one opening-balance receipt per member who brings
    /// stored value, stamps or points, their purchase summaries, the import
    /// report, the mapping for the next file of this layout, and the audit
    /// row.
    pub fn import_member_file(
        &mut self,
        file: &ImportFile,
        mapping: Option<&MappingFile>,
        request_id: &str,
        cashier: &str,
        now: DateTime<Utc>,
    ) -> Result<ImportReport> {
        crate::request::check_request_id(request_id)?;
        let now_ms = now.timestamp_millis();
        self.write(Act::ImportMembers, now, |tx, guard| {
            let c = check_file(tx, file, mapping, now)?;
            if let Some(before) = load_report(tx, &c.sha)? {
                return Err(Error::InvalidInput {
                    field: "import file",
                    reason: Reason::Taken { value: format!("{} (import #{})", before.file_name, before.id) },
                });
            }
            if let Some(p) = c.plan.problems.first() {
                return Err(Error::InvalidInput {
                    field: "import file",
                    reason: Reason::Other(format!(
                        "{} problems; the first: row {}, column {}, value {:?}: {}",
                        c.plan.problems.len(),
                        p.row,
                        p.column,
                        p.value,
                        p.message
                    )),
                });
            }
            let by = guard.signature(cashier)?;
            let t = &c.plan.totals;
            tx.execute(
                "INSERT INTO member_imports (file_name, file_sha256, encoding, rows, members, paid_minor, bonus_minor,
                   stamps, points, staff_id, by_name, created_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
                params![
                    file.name,
                    c.sha,
                    c.table.encoding,
                    t.rows,
                    t.members,
                    t.paid_minor,
                    t.bonus_minor,
                    t.stamps,
                    t.points,
                    by.staff_id,
                    by.name,
                    now_ms
                ],
            )?;
            let import_id = tx.last_insert_rowid();
            let settings = load_settings(tx)?;
            for row in &c.plan.rows {
                write_row(tx, &settings, row, import_id, request_id, &by, now).map_err(|e| match e {
                    Error::InvalidInput { field, reason } => {
                        Error::InvalidInput { field, reason: Reason::Other(format!("row {}: {reason}", row.line)) }
                    }
                    other => other,
                })?;
            }
            let saved = serde_json::to_string(&c.mapping.to_file(&c.table.headers))
                .map_err(|e| Error::InvalidInput { field: "mapping", reason: e.to_string().into() })?;
            tx.execute(
                "INSERT INTO import_mappings (signature, mapping, updated_at) VALUES (?1, ?2, ?3)
                 ON CONFLICT (signature) DO UPDATE SET mapping = excluded.mapping, updated_at = excluded.updated_at",
                params![header_signature(&c.table.headers), saved, now_ms],
            )?;
            super::owner::aggregates::after_import(tx, import_id)?;
            let report = load_report(tx, &c.sha)?.ok_or_else(|| Error::InvalidInput {
                field: "import file",
                reason: "the import report was not written".into(),
            })?;
            guard.request(request_id);
            guard.set("import", &report);
            Ok(report)
        })
    }
}
