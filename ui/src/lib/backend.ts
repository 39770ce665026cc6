// The only module that talks to Tauri. Command names match the Rust
// commands in src-tauri/src/main.rs; arguments are camelCase here and
// snake_case in Rust (Tauri converts them).
import { invoke } from '@tauri-apps/api/core';
import type { Backend, BackendError } from './types';

export function toBackendError(error: unknown): BackendError {
  if (typeof error === 'object' && error !== null && 'code' in error) {
    const { code, message, details } = error as { code: unknown; message?: unknown; details?: unknown };
    return {
      code: String(code),
      message: typeof message === 'string' ? message : '',
      details: typeof details === 'object' && details !== null ? (details as Record<string, string>) : {},
    };
  }
  return { code: 'Internal', message: String(error), details: {} };
}

async function call<T>(command: string, args?: Record<string, unknown>): Promise<T> {
  try {
    return await invoke<T>(command, args);
  } catch (error) {
    throw toBackendError(error);
  }
}

export const backend: Backend = {
  countMembers: () => call('count_members'),
  findMembers: (query, limit) => call('find_members', { query, limit }),
  getMemberCard: (memberId) => call('get_member_card', { memberId }),
  getSettings: () => call('get_settings'),
  seedDemoData: (language) => call('seed_demo_data', { language }),
  addMember: (member, requestId) => call('add_member', { member, requestId }),
  editMember: (id, patch) => call('edit_member', { id, patch }),
  recordSale: (request) => call('record_sale', { request }),
  topUpWallet: (request, approverPin) => call('top_up_wallet', { request, approverPin }),
  refundStoredValue: (request, approverPin) => call('refund_stored_value', { request, approverPin }),
  adjustStoredValue: (request, approverPin) => call('adjust_stored_value', { request, approverPin }),
  setMemberArchived: (id, archived) => call('set_member_archived', { id, archived }),
  eraseMember: (id, forfeit, requestId, language) => call('erase_member', { id, forfeit, requestId, language }),
  redeemReward: (request) => call('redeem_reward', { request }),
  voidReceipt: (request, approverPin) => call('void_receipt', { request, approverPin }),
  getReceipt: (number) => call('get_receipt', { number }),
  updateSettings: (patch) => call('update_settings', { patch }),
  listPrograms: () => call('list_programs'),
  addProgram: (program) => call('add_program', { program }),
  setProgramActive: (id, active) => call('set_program_active', { id, active }),
  editProgram: (id, edit) => call('edit_program', { id, edit }),
  isShopSetUp: () => call('is_shop_set_up'),
  finishSetup: () => call('finish_setup'),
  listBonusRules: () => call('list_bonus_rules'),
  setBonusRule: (minPaidMinor, bonusMinor, bonusBp) => call('set_bonus_rule', { minPaidMinor, bonusMinor, bonusBp }),
  removeBonusRule: (minPaidMinor) => call('remove_bonus_rule', { minPaidMinor }),
  listProducts: (includeInactive) => call('list_products', { includeInactive }),
  addProduct: (product) => call('add_product', { product }),
  editProduct: (id, product) => call('edit_product', { id, product }),
  setProductActive: (id, active) => call('set_product_active', { id, active }),
  printReceipt: (number, language) => call('print_receipt', { number, language }),
  saveReceiptPdf: (number, language) => call('save_receipt_pdf', { number, language }),
  setUiLanguage: (language) => call('set_ui_language', { language }),
  showInFolder: (path) => call('show_in_folder', { path }),
  listBackups: () => call('list_backups'),
  databaseHoldings: () => call('database_holdings'),
  makeBackup: () => call('make_backup'),
  restoreBackup: (path) => call('restore_backup', { path }),
  ownerDashboard: () => call('owner_dashboard'),
  dayClose: (date) => call('day_close', { date }),
  readDay: (text) => call('read_day', { text }),
  printDayClose: (date, language) => call('print_day_close', { date, language }),
  saveDayClosePdf: (date, language) => call('save_day_close_pdf', { date, language }),
  countDrawer: (request) => call('count_drawer', { request }),
  memberCoupons: (memberId) => call('member_coupons', { memberId }),
  getCoupon: (code) => call('get_coupon', { code }),
  memberPoints: (memberId) => call('member_points', { memberId }),
  getPointsSettings: () => call('get_points_settings'),
  setPointsSettings: (settings) => call('set_points_settings', { settings }),
  autoCouponRules: () => call('auto_coupon_rules'),
  setAutoCouponRule: (rule) => call('set_auto_coupon_rule', { rule }),
  referralSettings: () => call('referral_settings'),
  setReferralSettings: (settings) => call('set_referral_settings', { settings }),
  referralReport: () => call('referral_report'),
  listOffers: () => call('list_offers'),
  issueCoupon: (request) => call('issue_coupon', { request }),
  quoteCoupons: (memberId, codes, grossMinor, lines) => call('quote_coupons', { memberId, codes, grossMinor, lines }),
  printCouponSlip: (code, language) => call('print_coupon_slip', { code, language }),
  saveCouponSlipPdf: (code, language) => call('save_coupon_slip_pdf', { code, language }),
  addOffer: (offer) => call('add_offer', { offer }),
  editOffer: (id, offer) => call('edit_offer', { id, offer }),
  setOfferActive: (id, active) => call('set_offer_active', { id, active }),
  ownerListMembers: (list, filter) => call('owner_list_members', { list, filter }),
  campaignPreview: (offerId, memberIds) => call('campaign_preview', { offerId, memberIds }),
  issueCampaign: (request) => call('issue_campaign', { request }),
  campaignReport: () => call('campaign_report'),
  listPaymentMethods: () => call('list_payment_methods'),
  suggestedPaymentMethods: () => call('suggested_payment_methods'),
  savePaymentMethod: (method) => call('save_payment_method', { method }),
  reorderPaymentMethods: (ids) => call('reorder_payment_methods', { ids }),
  removePaymentMethod: (id) => call('remove_payment_method', { id }),
  ownerNes: (filter) => call('owner_nes', { filter }),
  ownerLapsed: (filter) => call('owner_lapsed', { filter }),
  ownerVip: (filter) => call('owner_vip', { filter }),
  ownerRfm: (filter, rfmSegments) => call('owner_rfm', { filter, rfmSegments }),
  ownerBirthdays: (window, filter) => call('owner_birthdays', { window, filter }),
  ownerDue: (due, filter) => call('owner_due', { due, filter }),
  ownerPareto: (filter) => call('owner_pareto', { filter }),
  ownerTags: () => call('owner_tags'),
  ownerWinBack: (from, to, withinDays) => call('owner_win_back', { from, to, withinDays }),
  unusualActivity: (from, to, rules) => call('unusual_activity', { from, to, rules }),
  recordContact: (request) => call('record_contact', { request }),
  memberContacts: (memberId) => call('member_contacts', { memberId }),
  listMessageTemplates: () => call('list_message_templates'),
  setMessageTemplate: (template) => call('set_message_template', { template }),
  outreachMessages: (memberIds, template) => call('outreach_messages', { memberIds, template }),
  getOwnerSettings: () => call('get_owner_settings'),
  updateOwnerSettings: (patch) => call('update_owner_settings', { patch }),
  listTiers: () => call('list_tiers'),
  setTiers: (tiers) => call('set_tiers', { tiers }),
  tierReview: (apply) => call('tier_review', { apply }),
  exportOwnerList: (list, filter, template, language) =>
    call('export_owner_list', { list, filter, template, language }),
  staffState: () => call('staff_state'),
  signIn: (pin) => call('sign_in', { pin }),
  signOut: () => call('sign_out'),
  createFirstOwner: (name, pin) => call('create_first_owner', { name, pin }),
  listStaff: () => call('list_staff'),
  addStaff: (staff) => call('add_staff', { staff }),
  disableStaff: (id) => call('disable_staff', { id }),
  setStaffPin: (id, pin) => call('set_staff_pin', { id, pin }),
  getStaffPolicy: () => call('get_staff_policy'),
  setStaffPolicy: (policy) => call('set_staff_policy', { policy }),
  auditLog: (filter) => call('audit_log', { filter }),
  verifyAudit: () => call('verify_audit'),
  exportAuditLog: (title, csv, rows, language) => call('export_audit_log', { title, csv, rows, language }),
};
