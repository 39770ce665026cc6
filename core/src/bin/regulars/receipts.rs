//! `regulars receipt show|pdf|print` and `regulars history`: reading
//! receipts, writing one as a PDF, printing it; and how the CLI prints a
//! receipt after every operation.

use crate::{print, till};
use chrono::{DateTime, Utc};
use clap::{Args, Subcommand};
use regulars::documents;
use regulars::money::Currency;
use regulars::settings::PaperSize;
use regulars::{Error, Receipt, ReceiptLanguage, Store};
use std::path::PathBuf;

#[derive(Subcommand)]
pub(crate) enum ReceiptCommand {
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

#[derive(Args)]
pub(crate) struct HistoryArgs {
    member: Option<String>,
    #[arg(long, default_value_t = 20)]
    limit: i64,
}

pub(crate) fn run(store: &Store, cmd: ReceiptCommand, json: bool) -> Result<(), Error> {
    match cmd {
        ReceiptCommand::Show { number } => {
            let r = store.receipt(number)?;
            show_receipt(store, &r, json)?;
        }
        ReceiptCommand::Pdf { number, width, lang, output } => {
            let paper = width.as_deref().map(PaperSize::parse).transpose()?;
            let receipt = documents::receipt(store, number, paper, ReceiptLanguage::parse(&lang)?)?;
            receipt.write_to(&output)?;
            let pdf = &receipt.rendered;
            let summary = serde_json::json!({
                "file": output.display().to_string(), "bytes": pdf.bytes.len(),
                "widthMm": pdf.width_mm, "heightMm": pdf.height_mm, "pages": pdf.pages,
            });
            print(json, &summary, |_| {
                format!("wrote {} ({} KB, {} page(s))", output.display(), pdf.bytes.len().div_ceil(1024), pdf.pages)
            });
        }
        ReceiptCommand::Print { number, width, lang, printer } => {
            let settings = store.settings()?;
            let paper = width.as_deref().map(PaperSize::parse).transpose()?.unwrap_or(settings.receipt_paper);
            let receipt = documents::receipt(store, number, Some(paper), ReceiptLanguage::parse(&lang)?)?;
            receipt.print_on(&printer.unwrap_or(settings.printer_name))?;
            print(json, &serde_json::json!({ "printed": number }), |_| {
                format!("sent receipt #{number} to the printer")
            });
        }
    }
    Ok(())
}

pub(crate) fn history(store: &Store, args: HistoryArgs, json: bool) -> Result<(), Error> {
    let currency = store.settings()?.currency;
    let member_id = match args.member {
        Some(m) => Some(store.resolve_member(&m)?.id),
        None => None,
    };
    let tz = store.settings()?.tz();
    let rows = store.history(member_id, args.limit, None)?;
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
    Ok(())
}

/// Prints a receipt the way every operation reports the one it wrote.
pub(crate) fn show_receipt(store: &Store, r: &Receipt, json: bool) -> Result<(), Error> {
    let settings = store.settings()?;
    print(json, r, |r| receipt_text(r, &settings.currency, &settings.tz()));
    Ok(())
}

fn local_time(ms: i64, tz: &chrono_tz::Tz) -> String {
    DateTime::<Utc>::from_timestamp_millis(ms)
        .map(|t| t.with_timezone(tz).format("%Y-%m-%d %H:%M").to_string())
        .unwrap_or_default()
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
    for d in &r.discounts {
        if d.code.is_empty() {
            out.push(format!("  {} points redeemed  {}", d.points, cur.format(-d.amount_minor)));
        } else {
            out.push(format!("  coupon {} {}  {}", d.code, d.description, cur.format(-d.amount_minor)));
        }
    }
    if let Some(p) = &r.points {
        out.push(format!(
            "points {} -> {} (earned {}, redeemed {}, lapsed {})",
            p.before, p.after, p.earned, p.redeemed, p.expired
        ));
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
