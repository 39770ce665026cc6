//! The Regulars desktop shell: opens the store and exposes thin Tauri
//! commands to the UI. Each command parses its input, calls the core on a
//! blocking thread and maps the result; no business rule lives here.

#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

#[macro_use]
mod commands;
mod backup;
mod clock;
mod coupons;
mod owner;
mod staff;
mod till;
mod webkit;

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use regulars::documents;
use regulars::settings::SettingsPatch;
use regulars::store::catalogue::{Product, ProductInput};
use regulars::{
    AdjustRequest, BonusRule, Member, MemberCard, MemberLookup, MemberPatch, NewMember, NewStampProgram, ProgramEdit,
    Receipt, ReceiptLanguage, RedeemRequest, RefundRequest, SaleRequest, ShopSettings, StampProgram, Store,
    TopUpRequest, VoidRequest,
};
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

/// A connection to the shop's database, or why it could not be opened
/// (shown by the UI instead of a window that never appears). `None` only
/// while a restore has the file closed, or if it could not reopen it.
type Shared = Arc<Result<Mutex<Option<Store>>, CommandError>>;

/// The store, or why it could not be opened.
struct AppState {
    store: Shared,
    /// A second connection to the same file for the owner's lists: a list
    /// scanning 100,000 members never holds up the counter (WAL lets a
    /// reader and the writer work at once).
    reader: Shared,
    /// The database file both connections are open on.
    path: PathBuf,
    /// The language the UI shows, which names the folders files are saved
    /// in (熟客收據, Regulars receipts …); the UI reports it at start and on
    /// every change.
    language: Language,
}

/// The UI's language, shared with the daily backup's thread; `None` until
/// the window has reported it.
pub type Language = Arc<Mutex<Option<ReceiptLanguage>>>;

/// The language the UI reported, or the default one (Traditional Chinese).
pub(crate) fn language_of(language: &Language) -> Option<ReceiptLanguage> {
    language.lock().ok().and_then(|l| *l)
}

/// The folder of `kind` for the language the UI shows.
fn folder_for(language: &Language, kind: regulars::paths::Folder) -> PathBuf {
    regulars::paths::folder(kind, language_of(language).unwrap_or(ReceiptLanguage::ZhTw))
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
    run_on(Arc::clone(&state.store), operation).await
}

/// Runs a read-only `operation` on the owner's connection (see [`AppState::reader`]).
async fn run_on_reader<T, F>(state: State<'_, AppState>, operation: F) -> Result<T, CommandError>
where
    T: Send + 'static,
    F: FnOnce(&Store) -> Result<T, regulars::Error> + Send + 'static,
{
    run_on(Arc::clone(&state.reader), move |store: &mut Store| operation(store)).await
}

async fn run_on<T, F>(store: Shared, operation: F) -> Result<T, CommandError>
where
    T: Send + 'static,
    F: FnOnce(&mut Store) -> Result<T, regulars::Error> + Send + 'static,
{
    tauri::async_runtime::spawn_blocking(move || {
        let mutex = store.as_ref().as_ref().map_err(Clone::clone)?;
        let mut guard =
            mutex.lock().map_err(|_| CommandError::new("StoreUnavailable", "the store lock is poisoned"))?;
        let store = guard
            .as_mut()
            .ok_or_else(|| CommandError::new("StoreUnavailable", "the database is closed for a restore"))?;
        operation(store).map_err(CommandError::from)
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
) -> Result<MemberLookup, CommandError> {
    let limit = limit.unwrap_or(20).clamp(1, MAX_SEARCH_LIMIT);
    run_on_store(state, move |store| store.find_members(&query, limit)).await
}

#[tauri::command]
async fn get_member_card(state: State<'_, AppState>, member_id: i64) -> Result<MemberCard, CommandError> {
    let now = clock::now();
    run_on_store(state, move |store| store.member_card(member_id, now)).await
}

#[tauri::command]
async fn get_settings(state: State<'_, AppState>) -> Result<ShopSettings, CommandError> {
    run_on_store(state, |store| store.settings()).await
}

/// The demo shop, named in the language the UI shows at first start.
#[tauri::command]
async fn seed_demo_data(state: State<'_, AppState>, language: ReceiptLanguage) -> Result<usize, CommandError> {
    let now = clock::now();
    run_on_store(state, move |store| store.seed_demo_data(language, now)).await
}

#[tauri::command]
async fn add_member(state: State<'_, AppState>, member: NewMember, request_id: String) -> Result<Member, CommandError> {
    let now = clock::now();
    run_on_store(state, move |store| store.add_member(&member, &request_id, now)).await
}

/// Corrects a member's details (name, phone, birthday, email, tags, notes, card code).
#[tauri::command]
async fn edit_member(state: State<'_, AppState>, id: i64, patch: MemberPatch) -> Result<Member, CommandError> {
    let now = clock::now();
    run_on_store(state, move |store| store.edit_member(id, &patch, now)).await
}

#[tauri::command]
async fn record_sale(state: State<'_, AppState>, request: SaleRequest) -> Result<Receipt, CommandError> {
    let now = clock::now();
    run_on_store(state, move |store| store.record_sale(&request, now)).await
}

#[tauri::command]
async fn top_up_wallet(
    state: State<'_, AppState>,
    request: TopUpRequest,
    approver_pin: Option<String>,
) -> Result<Receipt, CommandError> {
    let now = clock::now();
    run_on_store(state, move |store| {
        staff::approve(store, approver_pin.as_deref(), now)?;
        store.top_up(&request, now)
    })
    .await
}

/// Pays stored value back to the customer (the paid part only).
#[tauri::command]
async fn refund_stored_value(
    state: State<'_, AppState>,
    request: RefundRequest,
    approver_pin: Option<String>,
) -> Result<Receipt, CommandError> {
    let now = clock::now();
    run_on_store(state, move |store| {
        staff::approve(store, approver_pin.as_deref(), now)?;
        store.refund_stored_value(&request, now)
    })
    .await
}

/// A correction of stored value, with its reason, as a receipt of its own.
#[tauri::command]
async fn adjust_stored_value(
    state: State<'_, AppState>,
    request: AdjustRequest,
    approver_pin: Option<String>,
) -> Result<Receipt, CommandError> {
    let now = clock::now();
    run_on_store(state, move |store| {
        staff::approve(store, approver_pin.as_deref(), now)?;
        store.adjust_stored_value(&request, now)
    })
    .await
}

/// Archives a member, or brings an archived one back.
#[tauri::command]
async fn set_member_archived(state: State<'_, AppState>, id: i64, archived: bool) -> Result<Member, CommandError> {
    let now = clock::now();
    run_on_store(state, move |store| store.set_member_archived(id, archived, now)).await
}

/// Erases a member's details on their request (the owner's right); `forfeit`
/// confirms that the stored value they still hold is given up.
#[tauri::command]
async fn erase_member(
    state: State<'_, AppState>,
    id: i64,
    forfeit: bool,
    request_id: String,
    language: ReceiptLanguage,
) -> Result<Member, CommandError> {
    let now = clock::now();
    run_on_store(state, move |store| store.erase_member(id, forfeit, &request_id, language, now)).await
}

#[tauri::command]
async fn redeem_reward(state: State<'_, AppState>, request: RedeemRequest) -> Result<Receipt, CommandError> {
    let now = clock::now();
    run_on_store(state, move |store| store.redeem_reward(&request, now)).await
}

#[tauri::command]
async fn void_receipt(
    state: State<'_, AppState>,
    request: VoidRequest,
    approver_pin: Option<String>,
) -> Result<Receipt, CommandError> {
    let now = clock::now();
    run_on_store(state, move |store| {
        staff::approve(store, approver_pin.as_deref(), now)?;
        store.void_receipt(&request, now)
    })
    .await
}

#[tauri::command]
async fn get_receipt(state: State<'_, AppState>, number: i64) -> Result<Receipt, CommandError> {
    run_on_store(state, move |store| store.receipt(number)).await
}

#[tauri::command]
async fn update_settings(state: State<'_, AppState>, patch: SettingsPatch) -> Result<ShopSettings, CommandError> {
    let now = clock::now();
    run_on_store(state, move |store| store.update_settings(&patch, now)).await
}

#[tauri::command]
async fn list_programs(state: State<'_, AppState>) -> Result<Vec<StampProgram>, CommandError> {
    run_on_store(state, |store| store.programs()).await
}

#[tauri::command]
async fn add_program(state: State<'_, AppState>, program: NewStampProgram) -> Result<StampProgram, CommandError> {
    let now = clock::now();
    run_on_store(state, move |store| store.add_program(&program, now)).await
}

#[tauri::command]
async fn set_program_active(state: State<'_, AppState>, id: i64, active: bool) -> Result<StampProgram, CommandError> {
    run_on_store(state, move |store| store.set_program_active(id, active, clock::now())).await
}

/// Changes a program's name, reward and expiry (its stamps needed only before any card has started).
#[tauri::command]
async fn edit_program(state: State<'_, AppState>, id: i64, edit: ProgramEdit) -> Result<StampProgram, CommandError> {
    run_on_store(state, move |store| store.edit_program(id, &edit, clock::now())).await
}

/// Whether the shop is set up: the welcome shows only while it is not.
#[tauri::command]
async fn is_shop_set_up(state: State<'_, AppState>) -> Result<bool, CommandError> {
    run_on_store(state, |store| store.is_set_up()).await
}

/// Records that the first start's setup is finished (done or skipped).
#[tauri::command]
async fn finish_setup(state: State<'_, AppState>) -> Result<(), CommandError> {
    let now = clock::now();
    run_on_store(state, move |store| store.mark_set_up(now)).await
}

#[tauri::command]
async fn list_bonus_rules(state: State<'_, AppState>) -> Result<Vec<BonusRule>, CommandError> {
    run_on_store(state, |store| store.bonus_rules()).await
}

#[tauri::command]
async fn set_bonus_rule(
    state: State<'_, AppState>,
    min_paid_minor: i64,
    bonus_minor: i64,
    bonus_bp: i64,
) -> Result<Vec<BonusRule>, CommandError> {
    let now = clock::now();
    run_on_store(state, move |store| store.set_bonus_rule(min_paid_minor, bonus_minor, bonus_bp, now)).await
}

#[tauri::command]
async fn remove_bonus_rule(state: State<'_, AppState>, min_paid_minor: i64) -> Result<Vec<BonusRule>, CommandError> {
    run_on_store(state, move |store| store.remove_bonus_rule(min_paid_minor, clock::now())).await
}

#[tauri::command]
async fn list_products(state: State<'_, AppState>, include_inactive: bool) -> Result<Vec<Product>, CommandError> {
    run_on_store(state, move |store| store.products(include_inactive)).await
}

#[tauri::command]
async fn add_product(state: State<'_, AppState>, product: ProductInput) -> Result<Product, CommandError> {
    let now = clock::now();
    run_on_store(state, move |store| store.add_product(&product, now)).await
}

#[tauri::command]
async fn edit_product(state: State<'_, AppState>, id: i64, product: ProductInput) -> Result<Product, CommandError> {
    let now = clock::now();
    run_on_store(state, move |store| store.edit_product(id, &product, now)).await
}

#[tauri::command]
async fn set_product_active(state: State<'_, AppState>, id: i64, active: bool) -> Result<Product, CommandError> {
    let now = clock::now();
    run_on_store(state, move |store| store.set_product_active(id, active, now)).await
}

/// Runs a slow, store-free step (printing, writing a file) on a blocking thread.
async fn run_blocking<T, F>(operation: F) -> Result<T, CommandError>
where
    T: Send + 'static,
    F: FnOnce() -> Result<T, regulars::Error> + Send + 'static,
{
    tauri::async_runtime::spawn_blocking(move || operation().map_err(CommandError::from))
        .await
        .map_err(|error| CommandError::new("Internal", error.to_string()))?
}

/// Renders receipt `number` on the shop's paper and prints it on the shop's printer.
#[tauri::command]
async fn print_receipt(state: State<'_, AppState>, number: i64, language: ReceiptLanguage) -> Result<(), CommandError> {
    let receipt = run_on_store(state, move |store| documents::receipt(store, number, None, language)).await?;
    run_blocking(move || receipt.print()).await
}

/// Saves receipt `number` as a PDF in the receipts folder, named in the
/// receipt's language and never over an earlier file; returns its path.
#[tauri::command]
async fn save_receipt_pdf(
    state: State<'_, AppState>,
    number: i64,
    language: ReceiptLanguage,
) -> Result<String, CommandError> {
    let receipt = run_on_store(state, move |store| documents::receipt(store, number, None, language)).await?;
    run_blocking(move || Ok(receipt.save()?.display().to_string())).await
}

/// The UI reports the language it shows: files are saved in folders named in it.
#[tauri::command]
fn set_ui_language(state: State<'_, AppState>, language: ReceiptLanguage) {
    if let Ok(mut current) = state.language.lock() {
        *current = Some(language);
    }
}

/// Shows a file the app saved (a receipt or day close PDF, a list export) in
/// the OS's file manager. Only files inside the app's own folders.
#[tauri::command]
async fn show_in_folder(path: String) -> Result<(), CommandError> {
    run_blocking(move || regulars::paths::show_saved_file(&path)).await
}

/// `REGULARS_DB` when set (tests use it), else the core's default location.
fn database_path() -> PathBuf {
    // The shell's environment is read at start (REGULARS_DB here, the clock's start in clock.rs).
    #[allow(clippy::disallowed_methods)]
    let path = std::env::var_os("REGULARS_DB");
    match path {
        Some(path) if !path.is_empty() => PathBuf::from(path),
        _ => regulars::default_db_path(),
    }
}

fn open_store(path: &std::path::Path) -> Result<Mutex<Option<Store>>, CommandError> {
    Store::open(path).map(|store| Mutex::new(Some(store))).map_err(CommandError::from)
}

/// `tauri::generate_handler!` over the list in `commands.rs`.
macro_rules! command_handler {
    ($($module:ident :: $name:ident),* $(,)?) => {
        tauri::generate_handler![$($module::$name),*]
    };
}

fn main() {
    if let Err(error) = clock::start_from_environment() {
        eprintln!("regulars: {error}");
        std::process::exit(2);
    }
    let path = database_path();
    let store = open_store(&path);
    // Before any thread starts: the environment the web process inherits.
    webkit::prepare(&path);
    if let Err(error) = &store {
        eprintln!("regulars: cannot open {}: {}", path.display(), error.message);
    }
    // Opened second, on the file the first has created and migrated.
    let reader = match &store {
        Ok(_) => open_store(&path),
        Err(error) => Err(error.clone()),
    };
    let language: Language = Arc::new(Mutex::new(None));
    if store.is_ok() {
        // The first lookup then finds the indexes in the file cache (store::warm).
        let warm_path = path.clone();
        std::thread::spawn(move || match regulars::store::warm::warm_lookup(&warm_path) {
            Ok(w) => eprintln!("regulars: lookup warmed in {} ms", w.elapsed.as_millis()),
            Err(error) => eprintln!("regulars: lookup warm-up skipped: {error}"),
        });
        backup::daily_backup_in_background(path.clone(), language.clone());
        coupons::automatic_coupons_in_background(path.clone());
        // Receipts, lists and backups saved before files were kept private.
        std::thread::spawn(|| {
            for (folder, error) in regulars::paths::tighten_app_folders() {
                eprintln!("regulars: cannot make {} private: {error}", folder.display());
            }
        });
    }
    tauri::Builder::default()
        .manage(AppState { store: Arc::new(store), reader: Arc::new(reader), path: path.clone(), language })
        .invoke_handler(app_commands!(command_handler))
        .run(tauri::generate_context!())
        .expect("error while running the Regulars desktop app");
}

#[cfg(test)]
mod command_list_tests {
    use std::collections::BTreeSet;

    macro_rules! command_names {
        ($($module:ident :: $name:ident),* $(,)?) => {
            [$(stringify!($name)),*].into_iter().map(String::from).collect::<BTreeSet<String>>()
        };
    }

    fn repo_file(path: &str) -> String {
        let full = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(path);
        std::fs::read_to_string(&full).unwrap_or_else(|e| panic!("{}: {e}", full.display()))
    }

    /// What the window may call: the capability's `allow-*` permissions,
    /// named as the commands are.
    fn allowed_by_capability() -> BTreeSet<String> {
        let capability: serde_json::Value =
            serde_json::from_str(&repo_file("src-tauri/capabilities/default.json")).unwrap();
        capability["permissions"]
            .as_array()
            .expect("a list of permissions")
            .iter()
            .filter_map(|p| p.as_str())
            .filter_map(|p| p.strip_prefix("allow-"))
            .map(|p| p.replace('-', "_"))
            .collect()
    }

    /// What the UI calls: every `call('name'` in backend.ts.
    fn called_by_ui() -> BTreeSet<String> {
        let source = repo_file("ui/src/lib/backend.ts");
        source.split("call('").skip(1).filter_map(|rest| rest.split('\'').next()).map(String::from).collect()
    }

    #[test]
    fn the_capability_allows_exactly_the_registered_commands() {
        let registered = app_commands!(command_names);
        let allowed = allowed_by_capability();
        let unallowed: Vec<_> = registered.difference(&allowed).collect();
        let unknown: Vec<_> = allowed.difference(&registered).collect();
        assert!(unallowed.is_empty(), "registered in commands.rs but not allowed in default.json: {unallowed:?}");
        assert!(unknown.is_empty(), "allowed in default.json but not in commands.rs: {unknown:?}");
    }

    #[test]
    fn the_ui_calls_exactly_the_registered_commands() {
        let registered = app_commands!(command_names);
        let called = called_by_ui();
        let uncalled: Vec<_> = registered.difference(&called).collect();
        let unknown: Vec<_> = called.difference(&registered).collect();
        assert!(uncalled.is_empty(), "registered in commands.rs but never called by backend.ts: {uncalled:?}");
        assert!(unknown.is_empty(), "called by backend.ts but not in commands.rs: {unknown:?}");
    }
}
