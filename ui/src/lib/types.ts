// The UI's own types: the error every command rejects with, the list of
// commands (injected into screens so tests can pass fakes) and the shapes the
// shell adds. Every domain shape is generated from the core's Rust types
// (ts-rs, `cargo test -p regulars` writes ./bindings; CI checks they are
// current): screens import those from ./bindings directly.
import type { AdjustRequest } from './bindings/AdjustRequest';
import type { Backup } from './bindings/Backup';
import type { BirthdayRow } from './bindings/BirthdayRow';
import type { BirthdayWindow } from './bindings/BirthdayWindow';
import type { BonusRule } from './bindings/BonusRule';
import type { Contact } from './bindings/Contact';
import type { CampaignIssued } from './bindings/CampaignIssued';
import type { CampaignPreview } from './bindings/CampaignPreview';
import type { CampaignReportRow } from './bindings/CampaignReportRow';
import type { CampaignRequest } from './bindings/CampaignRequest';
import type { CouponOffer } from './bindings/CouponOffer';
import type { CouponView } from './bindings/CouponView';
import type { ContactRequest } from './bindings/ContactRequest';
import type { Dashboard } from './bindings/Dashboard';
import type { DayClose } from './bindings/DayClose';
import type { DrawerCountRequest } from './bindings/DrawerCountRequest';
import type { DueFilter } from './bindings/DueFilter';
import type { DueRow } from './bindings/DueRow';
import type { Holdings } from './bindings/Holdings';
import type { IssueCouponRequest } from './bindings/IssueCouponRequest';
import type { LapsedRow } from './bindings/LapsedRow';
import type { LineInput } from './bindings/LineInput';
import type { ListFilter } from './bindings/ListFilter';
import type { Member } from './bindings/Member';
import type { MemberCard } from './bindings/MemberCard';
import type { MemberLookup } from './bindings/MemberLookup';
import type { MemberPatch } from './bindings/MemberPatch';
import type { MemberRow } from './bindings/MemberRow';
import type { MessageTemplate } from './bindings/MessageTemplate';
import type { NesReport } from './bindings/NesReport';
import type { NewMember } from './bindings/NewMember';
import type { NewStampProgram } from './bindings/NewStampProgram';
import type { OutreachMessage } from './bindings/OutreachMessage';
import type { OfferInput } from './bindings/OfferInput';
import type { OwnerList } from './bindings/OwnerList';
import type { OwnerSettings } from './bindings/OwnerSettings';
import type { OwnerSettingsPatch } from './bindings/OwnerSettingsPatch';
import type { Page } from './bindings/Page';
import type { Pareto } from './bindings/Pareto';
import type { PaymentMethodInput } from './bindings/PaymentMethodInput';
import type { AutoCouponRule } from './bindings/AutoCouponRule';
import type { CouponsQuote } from './bindings/CouponsQuote';
import type { MemberPoints } from './bindings/MemberPoints';
import type { ReferralReport } from './bindings/ReferralReport';
import type { ReferralSettings } from './bindings/ReferralSettings';
import type { PointsSettings } from './bindings/PointsSettings';
import type { Product } from './bindings/Product';
import type { ProductInput } from './bindings/ProductInput';
import type { ProgramEdit } from './bindings/ProgramEdit';
import type { Receipt } from './bindings/Receipt';
import type { ReceiptLanguage } from './bindings/ReceiptLanguage';
import type { RedeemRequest } from './bindings/RedeemRequest';
import type { RefundRequest } from './bindings/RefundRequest';
import type { RfmReport } from './bindings/RfmReport';
import type { RfmSegment } from './bindings/RfmSegment';
import type { SaleRequest } from './bindings/SaleRequest';
import type { SettingsPatch } from './bindings/SettingsPatch';
import type { ShopPaymentMethod } from './bindings/ShopPaymentMethod';
import type { ShopSettings } from './bindings/ShopSettings';
import type { StampProgram } from './bindings/StampProgram';
import type { SuggestedPaymentMethod } from './bindings/SuggestedPaymentMethod';
import type { TagCount } from './bindings/TagCount';
import type { Tier } from './bindings/Tier';
import type { TierChange } from './bindings/TierChange';
import type { TierInput } from './bindings/TierInput';
import type { TopUpRequest } from './bindings/TopUpRequest';
import type { Unusual } from './bindings/Unusual';
import type { UnusualRules } from './bindings/UnusualRules';
import type { VoidRequest } from './bindings/VoidRequest';
import type { WinBackReport } from './bindings/WinBackReport';
import type { AuditBreak } from './bindings/AuditBreak';
import type { AuditEntry } from './bindings/AuditEntry';
import type { AuditFilter } from './bindings/AuditFilter';
import type { NewStaff } from './bindings/NewStaff';
import type { PinPadState } from './bindings/PinPadState';
import type { Session } from './bindings/Session';
import type { StaffMember } from './bindings/StaffMember';
import type { StaffPolicy } from './bindings/StaffPolicy';

/**
 * What every command rejects with: `code` is stable and picks the translated
 * message, `details` fills in its values; `message` is English, for logs.
 */
export interface BackendError {
  code: string;
  message: string;
  details?: Record<string, string>;
}

/** The app's commands, injected into screens so tests can pass fakes. */
export interface Backend {
  countMembers(): Promise<number>;
  findMembers(query: string, limit?: number): Promise<MemberLookup>;
  getMemberCard(memberId: number): Promise<MemberCard>;
  getSettings(): Promise<ShopSettings>;
  /** The demo shop, its names in `language`. */
  seedDemoData(language: ReceiptLanguage): Promise<number>;
  addMember(member: NewMember, requestId: string): Promise<Member>;
  editMember(id: number, patch: MemberPatch): Promise<Member>;
  recordSale(request: SaleRequest): Promise<Receipt>;
  /** `approverPin`: a manager's or the owner's PIN approving this one write. */
  topUpWallet(request: TopUpRequest, approverPin?: string): Promise<Receipt>;
  /** Pays stored value back (the paid part only); a refund of all of it forfeits the bonus. */
  refundStoredValue(request: RefundRequest, approverPin?: string): Promise<Receipt>;
  /** Corrects stored value by signed amounts, with a reason: a receipt of its own. */
  adjustStoredValue(request: AdjustRequest, approverPin?: string): Promise<Receipt>;
  /** Archives a member (found afterwards only by an exact match) or restores one. */
  setMemberArchived(id: number, archived: boolean): Promise<Member>;
  /**
   * Erases a member's details on their request (the owner's right); the name
   * shown afterwards is in `language`. Refused with `MemberHoldsStoredValue`
   * while they hold stored value, unless `forfeit` confirms it is given up.
   */
  eraseMember(id: number, forfeit: boolean, requestId: string, language: ReceiptLanguage): Promise<Member>;
  redeemReward(request: RedeemRequest): Promise<Receipt>;
  voidReceipt(request: VoidRequest, approverPin?: string): Promise<Receipt>;
  getReceipt(number: number): Promise<Receipt>;
  updateSettings(patch: SettingsPatch): Promise<ShopSettings>;
  listPrograms(): Promise<StampProgram[]>;
  addProgram(program: NewStampProgram): Promise<StampProgram>;
  setProgramActive(id: number, active: boolean): Promise<StampProgram>;
  /** Changes a program's name, reward and expiry; its stamps needed only before any card has started. */
  editProgram(id: number, edit: ProgramEdit): Promise<StampProgram>;
  /** Whether the shop is set up (the welcome shows only on a new database). */
  isShopSetUp(): Promise<boolean>;
  /** Records that the first start's setup is finished, done or skipped. */
  finishSetup(): Promise<void>;
  listBonusRules(): Promise<BonusRule[]>;
  setBonusRule(minPaidMinor: number, bonusMinor: number, bonusBp: number): Promise<BonusRule[]>;
  removeBonusRule(minPaidMinor: number): Promise<BonusRule[]>;
  listProducts(includeInactive: boolean): Promise<Product[]>;
  addProduct(product: ProductInput): Promise<Product>;
  editProduct(id: number, product: ProductInput): Promise<Product>;
  setProductActive(id: number, active: boolean): Promise<Product>;
  printReceipt(number: number, language: ReceiptLanguage): Promise<void>;
  /** Returns the path of the saved file. */
  saveReceiptPdf(number: number, language: ReceiptLanguage): Promise<string>;
  /** Tells the shell the language on screen: it names the folders files are saved in. */
  setUiLanguage(language: ReceiptLanguage): Promise<void>;
  /** Shows a file the app saved (receipt, day close, export) in the OS's file manager. */
  showInFolder(path: string): Promise<void>;
  /** The backups in the backups folder, newest first. */
  listBackups(): Promise<Backup[]>;
  /** What the shop's data holds now (to compare with a backup). */
  databaseHoldings(): Promise<Holdings>;
  /** A checked backup made now. */
  makeBackup(): Promise<Backup>;
  /** Replaces the shop's data with a backup from the backups folder; the data replaced is saved first. */
  restoreBackup(path: string): Promise<{ restored: Backup; saved: string }>;

  // The owner's view.
  ownerDashboard(): Promise<Dashboard>;
  /** The day close for a shop day (YYYY-MM-DD), or today's when `null`. */
  dayClose(date: string | null): Promise<DayClose>;
  /** A typed day (any notation the core reads) as YYYY-MM-DD, or an error saying why not. */
  readDay(text: string): Promise<string>;
  /** Prints the day close slip on the shop's receipt printer. */
  printDayClose(date: string | null, language: ReceiptLanguage): Promise<void>;
  /** Saves the day close slip as a PDF; returns the file's path. */
  saveDayClosePdf(date: string | null, language: ReceiptLanguage): Promise<string>;
  /** Records the cash counted in the drawer for a shop day; returns the day close with the count. */
  countDrawer(request: DrawerCountRequest): Promise<DayClose>;

  // Coupons and points at the counter (src-tauri/src/coupons.rs).
  /** A member's coupons, usable ones first, then newest first. */
  memberCoupons(memberId: number): Promise<CouponView[]>;
  /** A coupon by its code as typed or scanned (the core folds case and width). */
  getCoupon(code: string): Promise<CouponView>;
  /** A member's points that can be redeemed now (lapsed ones left out). */
  memberPoints(memberId: number): Promise<MemberPoints>;
  /** The shop's points rules (`earnPerMinor` 0: points are off). */
  getPointsSettings(): Promise<PointsSettings>;
  /** Sets the shop's points rules (the owner's); points already earned keep their last day. */
  setPointsSettings(settings: PointsSettings): Promise<PointsSettings>;
  /** The owner's rules for the coupons the shop issues by itself (birthday, welcome, win-back). */
  autoCouponRules(): Promise<AutoCouponRule[]>;
  /** Sets one kind's rule; turning one on needs an active offer. */
  setAutoCouponRule(rule: AutoCouponRule): Promise<AutoCouponRule>;
  /** What a referral brings the referrer when the member they brought first buys. */
  referralSettings(): Promise<ReferralSettings>;
  /** Sets it (the owner's). */
  setReferralSettings(settings: ReferralSettings): Promise<ReferralSettings>;
  /** Who brought whom, the referrers who brought most first. */
  referralReport(): Promise<ReferralReport>;
  /** The owner's coupon offers, paused ones too. */
  listOffers(): Promise<CouponOffer[]>;
  /** Issues one coupon of an active offer to a member; the same request id returns the same coupon. */
  issueCoupon(request: IssueCouponRequest): Promise<CouponView>;
  /** What the coupons would take off a sale, checked as checkout checks them; writes nothing. */
  quoteCoupons(memberId: number, codes: string[], grossMinor: number, lines: LineInput[]): Promise<CouponsQuote>;
  /** Prints a coupon's slip (offer, days, code and its QR code) on the shop's receipt printer. */
  printCouponSlip(code: string, language: ReceiptLanguage): Promise<void>;
  /** Saves a coupon's slip as a PDF in the receipts folder; returns the file's path. */
  saveCouponSlipPdf(code: string, language: ReceiptLanguage): Promise<string>;

  // The owner's coupons: offers, campaigns to a list, their report (src-tauri/src/coupons.rs).
  /** Adds an offer (the owner's). */
  addOffer(offer: OfferInput): Promise<CouponOffer>;
  /** Replaces an offer's terms; it keeps its id. */
  editOffer(id: number, offer: OfferInput): Promise<CouponOffer>;
  /** Pauses an offer (no new coupons of it) or starts it again. */
  setOfferActive(id: number, active: boolean): Promise<CouponOffer>;
  /** Every member of one of the owner's lists under its filter, not only the page shown. */
  ownerListMembers(list: OwnerList, filter: ListFilter): Promise<number[]>;
  /** How many coupons a campaign to these members would issue and the most they can cost; writes nothing. */
  campaignPreview(offerId: number, memberIds: number[]): Promise<CampaignPreview>;
  /** Issues the campaign; the same request id issues nothing more and returns the first result. */
  issueCampaign(request: CampaignRequest): Promise<CampaignIssued>;
  /** Each campaign's results, newest first. */
  campaignReport(): Promise<CampaignReportRow[]>;
  /** The shop's payment methods in the checkout's order, the ones turned off too. */
  listPaymentMethods(): Promise<ShopPaymentMethod[]>;
  /** Methods common for the shop's currency that it has not added. */
  suggestedPaymentMethods(): Promise<SuggestedPaymentMethod[]>;
  /** Adds (no id) or changes a payment method; returns them all, in order. */
  savePaymentMethod(method: PaymentMethodInput): Promise<ShopPaymentMethod[]>;
  reorderPaymentMethods(ids: number[]): Promise<ShopPaymentMethod[]>;
  /** Removes a method no receipt uses. */
  removePaymentMethod(id: number): Promise<ShopPaymentMethod[]>;
  ownerNes(filter: ListFilter): Promise<NesReport>;
  ownerLapsed(filter: ListFilter): Promise<Page<LapsedRow>>;
  ownerVip(filter: ListFilter): Promise<Page<MemberRow>>;
  ownerRfm(filter: ListFilter, rfmSegments: RfmSegment[]): Promise<RfmReport>;
  ownerBirthdays(window: BirthdayWindow, filter: ListFilter): Promise<Page<BirthdayRow>>;
  ownerDue(due: DueFilter, filter: ListFilter): Promise<Page<DueRow>>;
  ownerPareto(filter: ListFilter): Promise<Pareto>;
  ownerTags(): Promise<TagCount[]>;
  /** `from` and `to` are shop days (YYYY-MM-DD). */
  ownerWinBack(from: string, to: string, withinDays: number): Promise<WinBackReport>;
  /** Unusual activity per staff member and shop day, `from` to `to` (YYYY-MM-DD, both included). */
  unusualActivity(from: string, to: string, rules: UnusualRules): Promise<Unusual[]>;
  recordContact(request: ContactRequest): Promise<Contact>;
  memberContacts(memberId: number): Promise<Contact[]>;
  listMessageTemplates(): Promise<MessageTemplate[]>;
  setMessageTemplate(template: MessageTemplate): Promise<MessageTemplate>;
  outreachMessages(memberIds: number[], template: string): Promise<OutreachMessage[]>;
  getOwnerSettings(): Promise<OwnerSettings>;
  updateOwnerSettings(patch: OwnerSettingsPatch): Promise<OwnerSettings>;
  listTiers(): Promise<Tier[]>;
  setTiers(tiers: TierInput[]): Promise<Tier[]>;
  /** The tier changes a review would make; with `apply`, makes them. */
  tierReview(apply: boolean): Promise<TierChange[]>;
  /** Writes the whole list (or each member's message) as CSV; returns where. */
  /** Writes everything the shop holds as one .xlsx workbook in the exports folder; its path. */
  exportEverything(language: ReceiptLanguage): Promise<string>;
  exportOwnerList(
    list: OwnerList,
    filter: ListFilter,
    template: string | null,
    language: ReceiptLanguage,
  ): Promise<SavedExport>;

  // Staff: the PIN pad, the owner's staff list and limits, the audit log.
  /** Whether the shop has staff accounts, the PIN pad's lock, and who is signed in. */
  staffState(): Promise<StaffState>;
  signIn(pin: string): Promise<Session>;
  signOut(): Promise<void>;
  /** The shop's first owner (only while it has no staff), signed in. */
  createFirstOwner(name: string, pin: string): Promise<Session>;
  listStaff(): Promise<StaffMember[]>;
  addStaff(staff: NewStaff): Promise<StaffMember>;
  disableStaff(id: number): Promise<StaffMember>;
  setStaffPin(id: number, pin: string): Promise<StaffMember>;
  getStaffPolicy(): Promise<StaffPolicy>;
  setStaffPolicy(policy: StaffPolicy): Promise<StaffPolicy>;
  auditLog(filter: AuditFilter): Promise<AuditEntry[]>;
  /** The first broken row of the audit log's chain, or `null` when it checks. */
  verifyAudit(): Promise<AuditBreak | null>;
  /** Saves the audit log's rows as written on screen (`csv`, CRLF lines) in the exports folder as `{title}-{day}.csv`. */
  exportAuditLog(title: string, csv: string, rows: number, language: ReceiptLanguage): Promise<SavedExport>;
}

/** The staff side of the start (src-tauri/src/staff.rs). */
export interface StaffState {
  hasStaff: boolean;
  pinPad: PinPadState;
  session: Session | null;
  /**
   * The app's time when this was read (UTC ms): the shell's clock, which the
   * end-to-end tests start at a fixed instant; the PIN pad's lock is compared
   * with it, never with the webview's own clock.
   */
  now: number;
}

/** Where an export was written (src-tauri/src/owner.rs). */
export interface SavedExport {
  path: string;
  rows: number;
}
