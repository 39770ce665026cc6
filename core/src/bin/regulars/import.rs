//! `regulars import members FILE`: a shop's members moved in from a CSV,
//! TSV or Excel file in any Chinese encoding, checked first (`--dry-run`
//! stops there), then committed all or nothing.

use crate::{print, RequestArgs};
use chrono::{DateTime, Utc};
use clap::{Args, Subcommand};
use regulars::import::columns::MappingFile;
use regulars::store::import::{ImportFile, ImportPreview};
use regulars::{Error, Store};
use std::path::PathBuf;

#[derive(Subcommand)]
pub(crate) enum ImportCommand {
    /// Members with their details, old member numbers and card codes,
    /// opening stored value, stamps, points, tier and purchase summary.
    Members(ImportMembersArgs),
}

#[derive(Args)]
pub(crate) struct ImportMembersArgs {
    /// A .csv, .tsv, .txt, .xlsx or .xls file; the first row holds the headings.
    file: PathBuf,
    /// A JSON file mapping headings to fields: {"columns": {"姓名": "name",
    /// "集點": "stamps:咖啡卡", "其他": "ignore"}}. Without it, the mapping
    /// saved for this layout, else guesses from the headings.
    #[arg(long)]
    mapping: Option<PathBuf>,
    /// Check every row and show the problems and totals; write nothing.
    #[arg(long)]
    dry_run: bool,
    /// The text file's encoding (big5, cp950, gbk, gb18030, utf-8,
    /// utf-16le …); found from the file when not given.
    #[arg(long)]
    encoding: Option<String>,
    #[command(flatten)]
    req: RequestArgs,
}

pub(crate) fn run(
    store: &mut Store,
    cmd: ImportCommand,
    cashier: &str,
    json: bool,
    now: DateTime<Utc>,
) -> Result<(), Error> {
    let ImportCommand::Members(args) = cmd;
    let bytes = std::fs::read(&args.file)?;
    let name = args.file.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let file = ImportFile { name, bytes, encoding: args.encoding };
    let mapping: Option<MappingFile> = match &args.mapping {
        Some(path) => Some(
            serde_json::from_slice(&std::fs::read(path)?)
                .map_err(|e| Error::InvalidInput { field: "mapping", reason: e.to_string().into() })?,
        ),
        None => None,
    };
    let preview = store.check_member_import(&file, mapping.as_ref(), now)?;
    let currency = store.settings()?.currency;
    if args.dry_run {
        print(json, &preview, |p| describe(p, &currency));
        return Ok(());
    }
    if !json && (!preview.problems.is_empty() || preview.already_imported.is_some()) {
        // The problems listed, then the refusal as the one-line error (with
        // `--json`, only the error: one document on the output).
        print(json, &preview, |p| describe(p, &currency));
    }
    let report = store.import_member_file(&file, mapping.as_ref(), &args.req.id(), cashier, now)?;
    print(json, &report, |r| {
        format!(
            "imported {} members from {} ({} rows, {}): stored value {} (paid {} + bonus {}), {} stamps, {} points; import #{}",
            r.members,
            r.file_name,
            r.rows,
            r.encoding,
            currency.format(r.paid_minor + r.bonus_minor),
            currency.format(r.paid_minor),
            currency.format(r.bonus_minor),
            r.stamps,
            r.points,
            r.id
        )
    });
    Ok(())
}

fn describe(p: &ImportPreview, currency: &regulars::Currency) -> String {
    let mut out = vec![format!("{} ({}), {} rows", p.file_name, p.encoding, p.totals.rows)];
    let columns: Vec<String> = p
        .columns
        .iter()
        .map(|c| format!("{} → {}", c.heading, c.field.as_deref().unwrap_or("(not imported)")))
        .collect();
    out.push(format!("columns: {}", columns.join(", ")));
    if let Some(before) = &p.already_imported {
        out.push(format!("this file was imported before (import #{} by {})", before.id, before.by));
    }
    if p.problems.is_empty() {
        out.push("no problems".into());
    } else {
        out.push(format!("problems: {}", p.problems.len()));
        for problem in &p.problems {
            out.push(format!(
                "  row {}, column {}, value {:?}: {}",
                problem.row, problem.column, problem.value, problem.message
            ));
        }
    }
    let t = &p.totals;
    out.push(format!(
        "brings in: {} members, stored value {} (paid {} + bonus {}), {} stamps, {} points, {} past purchases of {}",
        t.members,
        currency.format(t.stored_value_minor()),
        currency.format(t.paid_minor),
        currency.format(t.bonus_minor),
        t.stamps,
        t.points,
        t.purchases,
        currency.format(t.spend_minor)
    ));
    out.join("\n")
}
