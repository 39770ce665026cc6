//! The till's commands: the shop's payment methods and the count of the
//! cash drawer at the day close. Thin: parse, call the core, map the result.

use regulars::day_close::DayClose;
use regulars::settings::SuggestedPaymentMethod;
use regulars::{DrawerCountRequest, PaymentMethodInput, ShopPaymentMethod};
use tauri::State;

use crate::clock;

use crate::{run_on_store, AppState, CommandError};

/// The shop's payment methods in the checkout's order, the ones turned off too.
#[tauri::command]
pub async fn list_payment_methods(state: State<'_, AppState>) -> Result<Vec<ShopPaymentMethod>, CommandError> {
    run_on_store(state, |store| store.payment_methods()).await
}

/// Methods common for the shop's currency that it has not added.
#[tauri::command]
pub async fn suggested_payment_methods(
    state: State<'_, AppState>,
) -> Result<Vec<SuggestedPaymentMethod>, CommandError> {
    run_on_store(state, |store| store.suggested_payment_methods()).await
}

#[tauri::command]
pub async fn save_payment_method(
    state: State<'_, AppState>,
    method: PaymentMethodInput,
) -> Result<Vec<ShopPaymentMethod>, CommandError> {
    let now = clock::now();
    run_on_store(state, move |store| store.save_payment_method(&method, now)).await
}

#[tauri::command]
pub async fn reorder_payment_methods(
    state: State<'_, AppState>,
    ids: Vec<i64>,
) -> Result<Vec<ShopPaymentMethod>, CommandError> {
    let now = clock::now();
    run_on_store(state, move |store| store.reorder_payment_methods(&ids, now)).await
}

#[tauri::command]
pub async fn remove_payment_method(
    state: State<'_, AppState>,
    id: i64,
) -> Result<Vec<ShopPaymentMethod>, CommandError> {
    run_on_store(state, move |store| store.remove_payment_method(id, clock::now())).await
}

/// Records the cash counted in the drawer; returns the day close with it.
#[tauri::command]
pub async fn count_drawer(state: State<'_, AppState>, request: DrawerCountRequest) -> Result<DayClose, CommandError> {
    let now = clock::now();
    run_on_store(state, move |store| store.count_drawer(&request, now)).await
}
