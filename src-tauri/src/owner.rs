//! The owner's commands: lists, dashboard, tiers, follow-up and exports.
//! Thin like the cashier's: parse, call the core, map the result.

use chrono::{NaiveDate, Utc};
use regulars::analytics::pareto::Pareto;
use regulars::analytics::rfm::RfmSegment;
use regulars::analytics::segments::{OwnerSettings, OwnerSettingsPatch};
use regulars::analytics::tiers::{Tier, TierInput};
use regulars::analytics::unusual::{Unusual, UnusualRules};
use regulars::day_close::DayClose;
use regulars::documents;
use regulars::store::owner::{
    BirthdayRow, BirthdayWindow, Contact, ContactRequest, Dashboard, DueFilter, DueRow, LapsedRow, ListFilter,
    MemberRow, MessageTemplate, NesReport, OutreachMessage, Page, RfmReport, TagCount, TierChange, WinBackReport,
};
use regulars::store::owner_export::{CsvExport, OwnerList};
use regulars::{ReceiptLanguage, Store};
use serde::Serialize;
use tauri::State;

use crate::clock;

use crate::{run_blocking, run_on_reader, run_on_store, AppState, CommandError};

#[tauri::command]
pub async fn owner_dashboard(state: State<'_, AppState>) -> Result<Dashboard, CommandError> {
    let now = clock::now();
    run_on_reader(state, move |store| store.dashboard(now)).await
}

/// The day's close for `date` in the shop's zone (today when absent).
#[tauri::command]
pub async fn day_close(state: State<'_, AppState>, date: Option<NaiveDate>) -> Result<DayClose, CommandError> {
    let now = clock::now();
    run_on_reader(state, move |store| store.day_close(shop_day(store, date, now)?)).await
}

/// A day as the owner typed it (2026/12/02, 115.12.2, 民國115年12月2日,
/// full width too), read by the core's one date reader.
#[tauri::command]
pub fn read_day(text: String) -> Result<NaiveDate, CommandError> {
    Ok(regulars::input::parse_full_date(&text)?)
}

/// `date`, or the shop's today when absent.
fn shop_day(
    store: &regulars::Store,
    date: Option<NaiveDate>,
    now: chrono::DateTime<Utc>,
) -> regulars::Result<NaiveDate> {
    match date {
        Some(date) => Ok(date),
        None => Ok(store.settings()?.local_date(now)),
    }
}

/// Prints the day close slip on the shop's receipt printer and paper.
#[tauri::command]
pub async fn print_day_close(
    state: State<'_, AppState>,
    date: Option<NaiveDate>,
    language: ReceiptLanguage,
) -> Result<(), CommandError> {
    let slip = day_close_slip(state, date, language).await?;
    run_blocking(move || slip.print()).await
}

/// Saves the day close slip as a PDF in the receipts folder (a new file
/// for a reprint); returns the file's path.
#[tauri::command]
pub async fn save_day_close_pdf(
    state: State<'_, AppState>,
    date: Option<NaiveDate>,
    language: ReceiptLanguage,
) -> Result<String, CommandError> {
    let slip = day_close_slip(state, date, language).await?;
    run_blocking(move || Ok(slip.save()?.display().to_string())).await
}

/// The day close of `date` (today when absent) as a slip, printed now.
async fn day_close_slip(
    state: State<'_, AppState>,
    date: Option<NaiveDate>,
    language: ReceiptLanguage,
) -> Result<documents::PdfDocument, CommandError> {
    let now = clock::now();
    run_on_reader(state, move |store| documents::day_close(store, shop_day(store, date, now)?, None, language, now))
        .await
}

#[tauri::command]
pub async fn owner_nes(state: State<'_, AppState>, filter: ListFilter) -> Result<NesReport, CommandError> {
    let now = clock::now();
    run_on_reader(state, move |store| store.nes_report(&filter, now)).await
}

#[tauri::command]
pub async fn owner_lapsed(state: State<'_, AppState>, filter: ListFilter) -> Result<Page<LapsedRow>, CommandError> {
    let now = clock::now();
    run_on_reader(state, move |store| store.lapsed(&filter, now)).await
}

#[tauri::command]
pub async fn owner_vip(state: State<'_, AppState>, filter: ListFilter) -> Result<Page<MemberRow>, CommandError> {
    let now = clock::now();
    run_on_reader(state, move |store| store.vip(&filter, now)).await
}

#[tauri::command]
pub async fn owner_rfm(
    state: State<'_, AppState>,
    filter: ListFilter,
    rfm_segments: Vec<RfmSegment>,
) -> Result<RfmReport, CommandError> {
    let now = clock::now();
    run_on_reader(state, move |store| store.rfm(&filter, &rfm_segments, now)).await
}

#[tauri::command]
pub async fn owner_birthdays(
    state: State<'_, AppState>,
    window: BirthdayWindow,
    filter: ListFilter,
) -> Result<Page<BirthdayRow>, CommandError> {
    let now = clock::now();
    // The greetings in the language on screen.
    let language = crate::language_of(&state.language).unwrap_or_default();
    run_on_reader(state, move |store| store.birthdays(window, None, language, &filter, now)).await
}

#[tauri::command]
pub async fn owner_due(
    state: State<'_, AppState>,
    due: DueFilter,
    filter: ListFilter,
) -> Result<Page<DueRow>, CommandError> {
    let now = clock::now();
    run_on_reader(state, move |store| store.due_back(&due, &filter, now)).await
}

#[tauri::command]
pub async fn owner_pareto(state: State<'_, AppState>, filter: ListFilter) -> Result<Pareto, CommandError> {
    let now = clock::now();
    run_on_reader(state, move |store| store.pareto(&filter, now)).await
}

#[tauri::command]
pub async fn owner_tags(state: State<'_, AppState>) -> Result<Vec<TagCount>, CommandError> {
    run_on_reader(state, |store| store.tags_in_use()).await
}

/// Win-back over the shop days `from..=to`: who came back within `within_days` of being contacted.
#[tauri::command]
pub async fn owner_win_back(
    state: State<'_, AppState>,
    from: NaiveDate,
    to: NaiveDate,
    within_days: i64,
) -> Result<WinBackReport, CommandError> {
    run_on_reader(state, move |store| store.win_back(from, to, within_days)).await
}

/// Unusual activity per staff member and shop day, from `from` to `to`
/// (both included): large refunds and corrections, top-ups paid "other",
/// voids after the day's drawer count, a member served too often.
#[tauri::command]
pub async fn unusual_activity(
    state: State<'_, AppState>,
    from: NaiveDate,
    to: NaiveDate,
    rules: UnusualRules,
) -> Result<Vec<Unusual>, CommandError> {
    run_on_reader(state, move |store| store.unusual_activity(from, to, rules)).await
}

#[tauri::command]
pub async fn record_contact(state: State<'_, AppState>, request: ContactRequest) -> Result<Contact, CommandError> {
    let now = clock::now();
    run_on_store(state, move |store| store.record_contact(&request, now)).await
}

#[tauri::command]
pub async fn member_contacts(state: State<'_, AppState>, member_id: i64) -> Result<Vec<Contact>, CommandError> {
    run_on_reader(state, move |store| store.contacts(member_id)).await
}

#[tauri::command]
pub async fn list_message_templates(state: State<'_, AppState>) -> Result<Vec<MessageTemplate>, CommandError> {
    run_on_store(state, |store| store.message_templates()).await
}

#[tauri::command]
pub async fn set_message_template(
    state: State<'_, AppState>,
    template: MessageTemplate,
) -> Result<MessageTemplate, CommandError> {
    let now = clock::now();
    run_on_store(state, move |store| store.set_message_template(&template, now)).await
}

#[tauri::command]
pub async fn outreach_messages(
    state: State<'_, AppState>,
    member_ids: Vec<i64>,
    template: String,
) -> Result<Vec<OutreachMessage>, CommandError> {
    let now = clock::now();
    let language = crate::language_of(&state.language).unwrap_or_default();
    run_on_reader(state, move |store| store.outreach_messages(&member_ids, &template, language, now)).await
}

#[tauri::command]
pub async fn get_owner_settings(state: State<'_, AppState>) -> Result<OwnerSettings, CommandError> {
    run_on_store(state, |store| store.owner_settings()).await
}

#[tauri::command]
pub async fn update_owner_settings(
    state: State<'_, AppState>,
    patch: OwnerSettingsPatch,
) -> Result<OwnerSettings, CommandError> {
    let now = clock::now();
    run_on_store(state, move |store| store.update_owner_settings(&patch, now)).await
}

#[tauri::command]
pub async fn list_tiers(state: State<'_, AppState>) -> Result<Vec<Tier>, CommandError> {
    run_on_store(state, |store| store.tiers()).await
}

#[tauri::command]
pub async fn set_tiers(state: State<'_, AppState>, tiers: Vec<TierInput>) -> Result<Vec<Tier>, CommandError> {
    run_on_store(state, move |store| store.set_tiers(&tiers, clock::now())).await
}

/// The tier changes a review would make (`apply`: and makes them).
#[tauri::command]
pub async fn tier_review(state: State<'_, AppState>, apply: bool) -> Result<Vec<TierChange>, CommandError> {
    let now = clock::now();
    run_on_store(state, move |store| if apply { store.apply_tier_review(now) } else { store.tier_review(now) }).await
}

/// Where an export was written.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SavedExport {
    path: String,
    rows: usize,
}

/// Writes the whole of a list (or each member's message from `template`)
/// as CSV in the exports folder; returns the file's path.
#[tauri::command]
pub async fn export_owner_list(
    state: State<'_, AppState>,
    list: OwnerList,
    filter: ListFilter,
    template: Option<String>,
    language: ReceiptLanguage,
) -> Result<SavedExport, CommandError> {
    let csv = move |s: &Store| s.owner_list_csv(&list, &filter, template.as_deref(), language, clock::now());
    save_export(run_on_reader(state, csv).await?, language).await
}

/// Writes a list's CSV into the exports folder, off the async runtime.
pub(crate) async fn save_export(export: CsvExport, language: ReceiptLanguage) -> Result<SavedExport, CommandError> {
    let rows = export.rows;
    let saved = run_blocking(move || Ok(documents::save_owner_list(&export, language))).await?;
    Ok(SavedExport { path: saved.map_err(export_failed)?.display().to_string(), rows })
}

/// A list that could not be written: `ExportFailed`, naming the file or
/// folder, with the OS's cause for the screen's sentence.
fn export_failed(failed: documents::WriteFailed) -> CommandError {
    let mut e = CommandError::new("ExportFailed", failed.error.to_string());
    e.details.insert("path", failed.path.display().to_string());
    e.details.insert("reason", failed.error.to_string());
    e.details.insert("cause", regulars::error::io_cause(&failed.error).to_string());
    e
}
