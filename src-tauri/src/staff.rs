//! Staff from the app: the PIN pad, the first owner, the owner's staff list
//! and limits, and the audit log. Thin like the other commands. The session
//! lives on the writing connection and is handed to the reading one, so the
//! owner's lists are read as the same staff member.

use chrono::Utc;
use regulars::store::staff::{NewStaff, PinPadState, StaffMember};
use regulars::{AuditBreak, AuditEntry, AuditFilter, Session, StaffPolicy, Store};
use serde::Serialize;
use tauri::State;

use crate::clock;

use crate::owner::{save_export, SavedExport};
use crate::{run_on, run_on_reader, run_on_store, AppState, CommandError};
use regulars::store::owner_export::CsvExport;
use regulars::{Act, ReceiptLanguage};

/// What the window needs at start: whether the shop has staff (then it
/// opens on the PIN pad), the pad's lock, who is signed in, if anyone, and
/// the app's time (UTC ms, [`clock::now`]): the pad compares its lock with
/// it, not with the webview's own clock, which a test's fixed clock leaves
/// on another day.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct StaffState {
    has_staff: bool,
    pin_pad: PinPadState,
    session: Option<Session>,
    now: i64,
}

/// Gives the reading connection the writer's session (or none).
async fn share_session(state: &State<'_, AppState>, session: Option<Session>) -> Result<(), CommandError> {
    run_on(state.reader.clone(), move |reader: &mut Store| {
        reader.resume(session);
        Ok(())
    })
    .await
}

/// Signs in whoever `pin` belongs to, on both connections.
#[tauri::command]
pub async fn sign_in(state: State<'_, AppState>, pin: String) -> Result<Session, CommandError> {
    let now = clock::now();
    let session = run_on_store(state.clone(), move |store| store.sign_in(&pin, now)).await?;
    share_session(&state, Some(session.clone())).await?;
    Ok(session)
}

/// Ends the session (switch user, or the till locked itself when idle).
#[tauri::command]
pub async fn sign_out(state: State<'_, AppState>) -> Result<(), CommandError> {
    let now = clock::now();
    run_on_store(state.clone(), move |store| store.sign_out(now)).await?;
    share_session(&state, None).await
}

/// The shop's first owner (only while it has no staff), signed in.
#[tauri::command]
pub async fn create_first_owner(
    state: State<'_, AppState>,
    name: String,
    pin: String,
) -> Result<Session, CommandError> {
    let now = clock::now();
    let session = run_on_store(state.clone(), move |store| store.create_first_owner(&name, &pin, now)).await?;
    share_session(&state, Some(session.clone())).await?;
    Ok(session)
}

#[tauri::command]
pub async fn staff_state(state: State<'_, AppState>) -> Result<StaffState, CommandError> {
    run_on_store(state, |store| {
        Ok(StaffState {
            has_staff: store.has_staff()?,
            pin_pad: store.pin_pad()?,
            session: store.session().cloned(),
            now: clock::now().timestamp_millis(),
        })
    })
    .await
}

#[tauri::command]
pub async fn list_staff(state: State<'_, AppState>) -> Result<Vec<StaffMember>, CommandError> {
    run_on_store(state, |store| store.staff()).await
}

#[tauri::command]
pub async fn add_staff(state: State<'_, AppState>, staff: NewStaff) -> Result<StaffMember, CommandError> {
    let now = clock::now();
    run_on_store(state, move |store| store.add_staff(&staff, now)).await
}

#[tauri::command]
pub async fn disable_staff(state: State<'_, AppState>, id: i64) -> Result<StaffMember, CommandError> {
    let now = clock::now();
    run_on_store(state, move |store| store.disable_staff(id, now)).await
}

#[tauri::command]
pub async fn set_staff_pin(state: State<'_, AppState>, id: i64, pin: String) -> Result<StaffMember, CommandError> {
    let now = clock::now();
    run_on_store(state, move |store| store.set_staff_pin(id, &pin, now)).await
}

#[tauri::command]
pub async fn get_staff_policy(state: State<'_, AppState>) -> Result<StaffPolicy, CommandError> {
    run_on_store(state, |store| store.staff_policy()).await
}

#[tauri::command]
pub async fn set_staff_policy(state: State<'_, AppState>, policy: StaffPolicy) -> Result<StaffPolicy, CommandError> {
    let now = clock::now();
    run_on_store(state, move |store| store.set_staff_policy(&policy, now)).await
}

/// The audit log's rows the filter picks, newest first, on the owner's connection.
#[tauri::command]
pub async fn audit_log(state: State<'_, AppState>, filter: AuditFilter) -> Result<Vec<AuditEntry>, CommandError> {
    run_on_reader(state, move |store| store.audit_log(&filter)).await
}

/// The first broken row of the audit log's chain, if any (checked at start).
#[tauri::command]
pub async fn verify_audit(state: State<'_, AppState>) -> Result<Option<AuditBreak>, CommandError> {
    run_on_reader(state, |store| store.verify_audit()).await
}

/// Saves the audit log's rows as the screen wrote them (its headings and
/// times in the language and zone on screen) as CSV in the exports folder,
/// named `{title}-{shop day}.csv`; the export is itself in the log.
#[tauri::command]
pub async fn export_audit_log(
    state: State<'_, AppState>,
    title: String,
    csv: String,
    rows: usize,
    language: ReceiptLanguage,
) -> Result<SavedExport, CommandError> {
    let now = clock::now();
    let export = run_on_reader(state, move |store| {
        store.record_event(Act::Export, now, serde_json::json!({ "list": title, "rows": rows }))?;
        let day = store.settings()?.local_date(now);
        Ok(CsvExport { file_name: format!("{}-{day}.csv", file_safe(&title)), rows, bytes: with_bom(&csv) })
    })
    .await?;
    save_export(export, language).await
}

/// A title as part of a file name: no path separators or characters
/// Windows refuses, at most 60 characters, never empty.
fn file_safe(title: &str) -> String {
    let name: String = title
        .chars()
        .filter(|c| !c.is_control() && !matches!(c, '/' | '\\' | ':' | '*' | '?' | '"' | '<' | '>' | '|'))
        .take(60)
        .collect();
    let name = name.trim().trim_matches('.').to_string();
    if name.is_empty() {
        "audit".into()
    } else {
        name
    }
}

/// UTF-8 with a byte-order mark (Excel then reads the Chinese), as the owner's lists.
fn with_bom(csv: &str) -> Vec<u8> {
    let mut bytes = "\u{feff}".as_bytes().to_vec();
    bytes.extend_from_slice(csv.as_bytes());
    bytes
}

/// Applies a manager's or the owner's PIN to the next write, when one was typed.
pub(crate) fn approve(
    store: &mut Store,
    approver_pin: Option<&str>,
    now: chrono::DateTime<Utc>,
) -> regulars::Result<()> {
    if let Some(pin) = approver_pin.filter(|p| !p.trim().is_empty()) {
        store.approve_next(pin, now)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_title_cannot_name_a_file_outside_the_exports_folder() {
        assert_eq!(file_safe("../../etc/passwd"), "etcpasswd");
        assert_eq!(file_safe("稽核紀錄"), "稽核紀錄");
        assert_eq!(file_safe(" .. "), "audit");
        assert_eq!(file_safe("a:b*c?\"d<e>f|g\\h"), "abcdefgh");
    }

    #[test]
    fn the_csv_starts_with_a_byte_order_mark() {
        assert_eq!(with_bom("id\r\n"), b"\xef\xbb\xbfid\r\n");
    }
}
