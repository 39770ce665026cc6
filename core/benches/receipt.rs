//! Receipt rendering speed and size: `cargo bench -p regulars --bench receipt`.
#![allow(clippy::float_arithmetic)] // timings and sizes, never money
#![allow(clippy::disallowed_methods)] // A benchmark reads its sizes from the environment and times itself.

use chrono::{Duration, Utc};
use regulars::pdf::{receipt_font, ReceiptLanguage};
use regulars::settings::PaperSize;
use regulars::Store;
use std::time::Instant;

fn main() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut store = Store::open(&dir.path().join("bench.db")).expect("open");
    store.seed_demo_data(regulars::ReceiptLanguage::ZhTw, Utc::now() - Duration::minutes(5)).expect("demo data");
    let sale = store.history(None, 50, None).expect("history").into_iter().find(|r| r.total_minor > 0).expect("a sale");

    let t = Instant::now();
    let font = receipt_font("").expect("a CJK font (apt-get install fonts-noto-cjk)");
    let parse_ms = t.elapsed().as_secs_f64() * 1000.0;
    println!("font: {} face {} ({}), parsed in {parse_ms:.1} ms", font.path.display(), font.face_index, font.name);

    println!("| paper | renders | mean ms | max ms | size KB |");
    println!("|---|---|---|---|---|");
    for paper in [PaperSize::Mm58, PaperSize::Mm80, PaperSize::A4] {
        let runs = 50;
        let mut times = Vec::with_capacity(runs);
        let mut size = 0;
        for _ in 0..runs {
            let t = Instant::now();
            let pdf = store.receipt_pdf(sale.number, Some(paper), ReceiptLanguage::ZhTw).expect("render");
            times.push(t.elapsed().as_secs_f64() * 1000.0);
            size = pdf.bytes.len();
        }
        let mean = times.iter().sum::<f64>() / runs as f64;
        let max = times.iter().copied().fold(0.0, f64::max);
        println!("| {} | {runs} | {mean:.2} | {max:.2} | {:.1} |", paper.as_db(), size as f64 / 1024.0);
    }
}
