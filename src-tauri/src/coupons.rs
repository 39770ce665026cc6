//! Coupons and points: at the counter a member's coupons and points, the
//! shop's offers and points rules, issuing one coupon, its slip printed or
//! saved as a PDF, and the discount coupons would give a sale before it is
//! recorded; for the owner the offers (add, edit, pause, resume), a campaign
//! to one of the owner's lists (its preview first), the campaign report and
//! the automatic coupons' rules. Thin: parse, call the core, map the result.

use regulars::auto_coupon::AutoCouponRule;
use regulars::coupon::OfferInput;
use regulars::documents;
use regulars::points::PointsSettings;
use regulars::referral::ReferralSettings;
use regulars::store::coupons::{
    CampaignIssued, CampaignPreview, CampaignReportRow, CampaignRequest, CouponOffer, CouponView, CouponsQuote,
    IssueCouponRequest,
};
use regulars::store::owner::ListFilter;
use regulars::store::owner_export::OwnerList;
use regulars::store::points::MemberPoints;
use regulars::store::referrals::ReferralReport;
use regulars::{LineInput, ReceiptLanguage};
use tauri::State;

use crate::clock;
use crate::{run_blocking, run_on_reader, run_on_store, AppState, CommandError};

/// A member's coupons, usable ones first.
#[tauri::command]
pub async fn member_coupons(state: State<'_, AppState>, member_id: i64) -> Result<Vec<CouponView>, CommandError> {
    let now = clock::now();
    run_on_store(state, move |store| store.member_coupons(member_id, now)).await
}

/// A coupon by its code as typed or scanned (any case or width): the checkout adds it by its printed code.
#[tauri::command]
pub async fn get_coupon(state: State<'_, AppState>, code: String) -> Result<CouponView, CommandError> {
    let now = clock::now();
    run_on_store(state, move |store| store.coupon(&code, now)).await
}

/// A member's points that can be redeemed now, and those that lapse next.
#[tauri::command]
pub async fn member_points(state: State<'_, AppState>, member_id: i64) -> Result<MemberPoints, CommandError> {
    let now = clock::now();
    run_on_store(state, move |store| store.member_points(member_id, now)).await
}

/// The shop's points rules (`earnPerMinor` 0: points are off).
#[tauri::command]
pub async fn get_points_settings(state: State<'_, AppState>) -> Result<PointsSettings, CommandError> {
    run_on_store(state, |store| store.points_settings()).await
}

/// Sets the shop's points rules (the owner's); points already earned keep their last day.
#[tauri::command]
pub async fn set_points_settings(
    state: State<'_, AppState>,
    settings: PointsSettings,
) -> Result<PointsSettings, CommandError> {
    let now = clock::now();
    run_on_store(state, move |store| store.set_points_settings(&settings, now)).await
}

/// The owner's coupon offers, paused ones too.
#[tauri::command]
pub async fn list_offers(state: State<'_, AppState>) -> Result<Vec<CouponOffer>, CommandError> {
    run_on_store(state, |store| store.offers()).await
}

/// Issues one coupon of an active offer to a member (a cashier may).
#[tauri::command]
pub async fn issue_coupon(state: State<'_, AppState>, request: IssueCouponRequest) -> Result<CouponView, CommandError> {
    let now = clock::now();
    run_on_store(state, move |store| store.issue_coupon(&request, now)).await
}

/// What `codes` would take off a sale (checked as checkout checks them); writes nothing.
#[tauri::command]
pub async fn quote_coupons(
    state: State<'_, AppState>,
    member_id: i64,
    codes: Vec<String>,
    gross_minor: i64,
    lines: Vec<LineInput>,
) -> Result<CouponsQuote, CommandError> {
    let now = clock::now();
    run_on_store(state, move |store| store.quote_coupons_in_full(member_id, &codes, gross_minor, &lines, now)).await
}

/// The owner's rules for the coupons the shop issues by itself.
#[tauri::command]
pub async fn auto_coupon_rules(state: State<'_, AppState>) -> Result<Vec<AutoCouponRule>, CommandError> {
    run_on_store(state, |store| store.auto_coupon_rules()).await
}

/// Sets one kind's rule (the owner's); turning one on needs an active offer.
#[tauri::command]
pub async fn set_auto_coupon_rule(
    state: State<'_, AppState>,
    rule: AutoCouponRule,
) -> Result<AutoCouponRule, CommandError> {
    let now = clock::now();
    run_on_store(state, move |store| store.set_auto_coupon_rule(&rule, now)).await
}

/// Issues the birthday and win-back coupons due, on a connection of its
/// own: at start, then every hour (a run with nothing due writes nothing).
/// A failure is logged; the shop works regardless.
pub fn automatic_coupons_in_background(db: std::path::PathBuf) {
    std::thread::spawn(move || loop {
        match regulars::Store::open(&db).and_then(|mut store| store.issue_automatic_coupons(clock::now())) {
            Ok(run) if run.birthday + run.win_back > 0 => {
                eprintln!("regulars: {} birthday and {} win-back coupons issued", run.birthday, run.win_back)
            }
            Ok(_) => {}
            Err(error) => eprintln!("regulars: automatic coupons skipped: {error}"),
        }
        std::thread::sleep(std::time::Duration::from_secs(60 * 60));
    });
}

/// Prints the slip of the coupon `code` on the shop's paper and printer, as
/// a receipt is printed (a used or expired coupon gets none).
#[tauri::command]
pub async fn print_coupon_slip(
    state: State<'_, AppState>,
    code: String,
    language: ReceiptLanguage,
) -> Result<(), CommandError> {
    let slip = coupon_slip(state, code, language).await?;
    run_blocking(move || slip.print()).await
}

/// Saves the slip of the coupon `code` as a PDF in the receipts folder,
/// named in `language` and never over an earlier file; returns its path.
#[tauri::command]
pub async fn save_coupon_slip_pdf(
    state: State<'_, AppState>,
    code: String,
    language: ReceiptLanguage,
) -> Result<String, CommandError> {
    let slip = coupon_slip(state, code, language).await?;
    run_blocking(move || Ok(slip.save()?.display().to_string())).await
}

/// The coupon's slip on the shop's paper, read on the shop's day now.
async fn coupon_slip(
    state: State<'_, AppState>,
    code: String,
    language: ReceiptLanguage,
) -> Result<documents::PdfDocument, CommandError> {
    let now = clock::now();
    run_on_store(state, move |store| documents::coupon_slip(store, &code, None, language, now)).await
}

/// Adds a coupon offer (the owner's).
#[tauri::command]
pub async fn add_offer(state: State<'_, AppState>, offer: OfferInput) -> Result<CouponOffer, CommandError> {
    let now = clock::now();
    run_on_store(state, move |store| store.add_offer(&offer, now)).await
}

/// Replaces an offer's terms; it keeps its id, and coupons issued keep their days.
#[tauri::command]
pub async fn edit_offer(state: State<'_, AppState>, id: i64, offer: OfferInput) -> Result<CouponOffer, CommandError> {
    let now = clock::now();
    run_on_store(state, move |store| store.edit_offer(id, &offer, now)).await
}

/// Pauses an offer (`active` false: no new coupons of it) or starts it again.
#[tauri::command]
pub async fn set_offer_active(state: State<'_, AppState>, id: i64, active: bool) -> Result<CouponOffer, CommandError> {
    let now = clock::now();
    run_on_store(state, move |store| if active { store.resume_offer(id, now) } else { store.pause_offer(id, now) })
        .await
}

/// Every member of one of the owner's lists under its filter (not only the page shown).
#[tauri::command]
pub async fn owner_list_members(
    state: State<'_, AppState>,
    list: OwnerList,
    filter: ListFilter,
) -> Result<Vec<i64>, CommandError> {
    let now = clock::now();
    run_on_reader(state, move |store| store.owner_list_member_ids(&list, &filter, now)).await
}

/// How many coupons a campaign to these members would issue and the most they can cost; writes nothing.
#[tauri::command]
pub async fn campaign_preview(
    state: State<'_, AppState>,
    offer_id: i64,
    member_ids: Vec<i64>,
) -> Result<CampaignPreview, CommandError> {
    run_on_reader(state, move |store| store.campaign_preview(offer_id, &member_ids)).await
}

/// Issues one coupon of the offer to each member as a named campaign; the same request id issues nothing more.
#[tauri::command]
pub async fn issue_campaign(
    state: State<'_, AppState>,
    request: CampaignRequest,
) -> Result<CampaignIssued, CommandError> {
    let now = clock::now();
    run_on_store(state, move |store| store.issue_campaign(&request, now)).await
}

/// Each campaign's results, newest first.
#[tauri::command]
pub async fn campaign_report(state: State<'_, AppState>) -> Result<Vec<CampaignReportRow>, CommandError> {
    run_on_reader(state, |store| store.campaign_report()).await
}

/// What a referral brings the referrer.
#[tauri::command]
pub async fn referral_settings(state: State<'_, AppState>) -> Result<ReferralSettings, CommandError> {
    run_on_store(state, |store| store.referral_settings()).await
}

/// Sets what a referral brings the referrer (the owner's).
#[tauri::command]
pub async fn set_referral_settings(
    state: State<'_, AppState>,
    settings: ReferralSettings,
) -> Result<ReferralSettings, CommandError> {
    let now = clock::now();
    run_on_store(state, move |store| store.set_referral_settings(&settings, now)).await
}

/// Who brought whom, the referrers who brought most first.
#[tauri::command]
pub async fn referral_report(state: State<'_, AppState>) -> Result<ReferralReport, CommandError> {
    run_on_reader(state, |store| store.referral_report(50)).await
}
