//! The Regulars desktop shell: opens the store and exposes thin Tauri
//! commands to the UI. Each command parses its input, calls the core on a
//! blocking thread and maps the result; no business rule lives here.

#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use chrono::Utc;
use regulars::{MemberCard, MemberHit, ShopSettings, Store};
use serde::Serialize;
use tauri::State;

/// The error shape the UI receives: `code` is stable and picks the
/// translated message, `details` fills in its values (amounts in minor
/// units); `message` is English, for logs and developers.
#[derive(Debug, Clone, Serialize)]
struct CommandError {
    code: String,
    message: String,
    details: BTreeMap<&'static str, String>,
}

impl From<regulars::Error> for CommandError {
    fn from(error: regulars::Error) -> Self {
        CommandError {
            code: error.code().to_string(),
            message: error.to_string(),
            details: error.details().into_iter().collect(),
        }
    }
}

impl CommandError {
    fn new(code: &str, message: impl Into<String>) -> Self {
        CommandError { code: code.to_string(), message: message.into(), details: BTreeMap::new() }
    }
}

/// The store, or why it could not be opened (shown by the UI instead of a
/// window that never appears).
struct AppState {
    store: Arc<Result<Mutex<Store>, CommandError>>,
}

/// Largest search result list the UI asks for.
const MAX_SEARCH_LIMIT: usize = 50;

/// Runs `operation` on the store on a blocking thread so the UI stays
/// responsive while SQLite works.
async fn run_on_store<T, F>(state: State<'_, AppState>, operation: F) -> Result<T, CommandError>
where
    T: Send + 'static,
    F: FnOnce(&mut Store) -> Result<T, regulars::Error> + Send + 'static,
{
    let store = Arc::clone(&state.store);
    tauri::async_runtime::spawn_blocking(move || {
        let mutex = store.as_ref().as_ref().map_err(Clone::clone)?;
        let mut guard =
            mutex.lock().map_err(|_| CommandError::new("StoreUnavailable", "the store lock is poisoned"))?;
        operation(&mut guard).map_err(CommandError::from)
    })
    .await
    .map_err(|error| CommandError::new("Internal", error.to_string()))?
}

#[tauri::command]
async fn count_members(state: State<'_, AppState>) -> Result<i64, CommandError> {
    run_on_store(state, |store| store.member_count()).await
}

#[tauri::command]
async fn find_members(
    state: State<'_, AppState>,
    query: String,
    limit: Option<usize>,
) -> Result<Vec<MemberHit>, CommandError> {
    let limit = limit.unwrap_or(20).clamp(1, MAX_SEARCH_LIMIT);
    run_on_store(state, move |store| store.find_members(&query, limit)).await
}

#[tauri::command]
async fn get_member_card(state: State<'_, AppState>, member_id: i64) -> Result<MemberCard, CommandError> {
    let now = Utc::now();
    run_on_store(state, move |store| store.member_card(member_id, now)).await
}

#[tauri::command]
async fn get_settings(state: State<'_, AppState>) -> Result<ShopSettings, CommandError> {
    run_on_store(state, |store| store.settings()).await
}

#[tauri::command]
async fn seed_demo_data(state: State<'_, AppState>) -> Result<usize, CommandError> {
    let now = Utc::now();
    run_on_store(state, move |store| store.seed_demo_data(now)).await
}

/// `REGULARS_DB` when set (tests use it), else the core's default location.
fn database_path() -> PathBuf {
    match std::env::var_os("REGULARS_DB") {
        Some(path) if !path.is_empty() => PathBuf::from(path),
        _ => regulars::default_db_path(),
    }
}

fn open_store(path: &std::path::Path) -> Result<Mutex<Store>, CommandError> {
    Store::open(path).map(Mutex::new).map_err(CommandError::from)
}

fn main() {
    let path = database_path();
    let store = open_store(&path);
    if let Err(error) = &store {
        eprintln!("regulars: cannot open {}: {}", path.display(), error.message);
    }
    tauri::Builder::default()
        .manage(AppState { store: Arc::new(store) })
        .invoke_handler(tauri::generate_handler![
            count_members,
            find_members,
            get_member_card,
            get_settings,
            seed_demo_data,
        ])
        .run(tauri::generate_context!())
        .expect("error while running the Regulars desktop app");
}
