// The UI's types. Every domain shape is generated from the core's Rust
// types (ts-rs, `cargo test -p regulars` writes ./bindings; CI checks they
// are current) and only re-exported here; the error shape and the list of
// commands are the UI's own.
import type { BonusRule } from './bindings/BonusRule';
import type { BirthdayRow } from './bindings/BirthdayRow';
import type { BirthdayWindow } from './bindings/BirthdayWindow';
import type { Contact } from './bindings/Contact';
import type { ContactRequest } from './bindings/ContactRequest';
import type { Dashboard } from './bindings/Dashboard';
import type { DayClose } from './bindings/DayClose';
import type { DrawerCountRequest } from './bindings/DrawerCountRequest';
import type { PaymentMethodInput } from './bindings/PaymentMethodInput';
import type { ShopPaymentMethod } from './bindings/ShopPaymentMethod';
import type { SuggestedPaymentMethod } from './bindings/SuggestedPaymentMethod';
import type { DueFilter } from './bindings/DueFilter';
import type { DueRow } from './bindings/DueRow';
import type { LapsedRow } from './bindings/LapsedRow';
import type { ListFilter } from './bindings/ListFilter';
import type { MemberRow } from './bindings/MemberRow';
import type { MessageTemplate } from './bindings/MessageTemplate';
import type { NesReport } from './bindings/NesReport';
import type { OutreachMessage } from './bindings/OutreachMessage';
import type { OwnerList } from './bindings/OwnerList';
import type { OwnerSettings } from './bindings/OwnerSettings';
import type { OwnerSettingsPatch } from './bindings/OwnerSettingsPatch';
import type { Page } from './bindings/Page';
import type { Pareto } from './bindings/Pareto';
import type { RfmReport } from './bindings/RfmReport';
import type { RfmSegment } from './bindings/RfmSegment';
import type { TagCount } from './bindings/TagCount';
import type { Tier } from './bindings/Tier';
import type { TierChange } from './bindings/TierChange';
import type { TierInput } from './bindings/TierInput';
import type { WinBackReport } from './bindings/WinBackReport';
import type { Member } from './bindings/Member';
import type { MemberPatch } from './bindings/MemberPatch';
import type { MemberCard } from './bindings/MemberCard';
import type { MemberLookup } from './bindings/MemberLookup';
import type { NewMember } from './bindings/NewMember';
import type { NewStampProgram } from './bindings/NewStampProgram';
import type { Product } from './bindings/Product';
import type { ProgramEdit } from './bindings/ProgramEdit';
import type { ProductInput } from './bindings/ProductInput';
import type { Receipt } from './bindings/Receipt';
import type { ReceiptLanguage } from './bindings/ReceiptLanguage';
import type { RedeemRequest } from './bindings/RedeemRequest';
import type { SaleRequest } from './bindings/SaleRequest';
import type { SettingsPatch } from './bindings/SettingsPatch';
import type { ShopSettings } from './bindings/ShopSettings';
import type { StampProgram } from './bindings/StampProgram';
import type { TopUpRequest } from './bindings/TopUpRequest';
import type { AdjustRequest } from './bindings/AdjustRequest';
import type { Backup } from './bindings/Backup';
import type { Holdings } from './bindings/Holdings';
import type { RefundRequest } from './bindings/RefundRequest';
import type { VoidRequest } from './bindings/VoidRequest';

export type { AdjustRequest } from './bindings/AdjustRequest';
export type { Backup } from './bindings/Backup';
export type { Holdings } from './bindings/Holdings';
export type { Birthday } from './bindings/Birthday';
export type { BonusRule } from './bindings/BonusRule';
export type { Currency } from './bindings/Currency';
export type { EarnRule } from './bindings/EarnRule';
export type { FloatParts } from './bindings/FloatParts';
export type { FloatReport } from './bindings/FloatReport';
export type { DayClose } from './bindings/DayClose';
export type { DrawerCount } from './bindings/DrawerCount';
export type { DrawerCountRequest } from './bindings/DrawerCountRequest';
export type { PaymentMethodInput } from './bindings/PaymentMethodInput';
export type { ShopPaymentMethod } from './bindings/ShopPaymentMethod';
export type { SuggestedPaymentMethod } from './bindings/SuggestedPaymentMethod';
export type { KindTotal } from './bindings/KindTotal';
export type { MethodTotal } from './bindings/MethodTotal';
export type { LedgerMismatch } from './bindings/LedgerMismatch';
export type { LineInput } from './bindings/LineInput';
export type { MatchKind } from './bindings/MatchKind';
export type { Member } from './bindings/Member';
export type { MemberCard } from './bindings/MemberCard';
export type { MemberHit } from './bindings/MemberHit';
export type { MemberLookup } from './bindings/MemberLookup';
export type { MemberPatch } from './bindings/MemberPatch';
export type { Money } from './bindings/Money';
export type { NewMember } from './bindings/NewMember';
export type { NewStampProgram } from './bindings/NewStampProgram';
export type { PaperSize } from './bindings/PaperSize';
export type { PaymentInput } from './bindings/PaymentInput';
export type { PaymentMethod } from './bindings/PaymentMethod';
export type { Product } from './bindings/Product';
export type { ProgramEdit } from './bindings/ProgramEdit';
export type { ProductInput } from './bindings/ProductInput';
export type { Receipt } from './bindings/Receipt';
export type { ReceiptKind } from './bindings/ReceiptKind';
export type { ReceiptLanguage } from './bindings/ReceiptLanguage';
export type { ReceiptLine } from './bindings/ReceiptLine';
export type { ReceiptPayment } from './bindings/ReceiptPayment';
export type { ReceiptStamp } from './bindings/ReceiptStamp';
export type { ReceiptSummary } from './bindings/ReceiptSummary';
export type { RedeemRequest } from './bindings/RedeemRequest';
export type { RefundRequest } from './bindings/RefundRequest';
export type { SaleRequest } from './bindings/SaleRequest';
export type { SettingsPatch } from './bindings/SettingsPatch';
export type { ShopSettings } from './bindings/ShopSettings';
export type { StampCardView } from './bindings/StampCardView';
export type { StampProgram } from './bindings/StampProgram';
export type { TopUpRequest } from './bindings/TopUpRequest';
export type { VoidRequest } from './bindings/VoidRequest';
export type { Wallet } from './bindings/Wallet';

// The owner's view.
export type { BirthdayRow } from './bindings/BirthdayRow';
export type { BirthdayWindow } from './bindings/BirthdayWindow';
export type { Contact } from './bindings/Contact';
export type { ContactChannel } from './bindings/ContactChannel';
export type { ContactOutcome } from './bindings/ContactOutcome';
export type { ContactRequest } from './bindings/ContactRequest';
export type { Dashboard } from './bindings/Dashboard';
export type { DueFilter } from './bindings/DueFilter';
export type { DueRow } from './bindings/DueRow';
export type { LapsedRow } from './bindings/LapsedRow';
export type { ListFilter } from './bindings/ListFilter';
export type { MemberRow } from './bindings/MemberRow';
export type { MessageTemplate } from './bindings/MessageTemplate';
export type { Nes } from './bindings/Nes';
export type { NesReport } from './bindings/NesReport';
export type { OutreachMessage } from './bindings/OutreachMessage';
export type { OwnerList } from './bindings/OwnerList';
export type { OwnerSettings } from './bindings/OwnerSettings';
export type { OwnerSettingsPatch } from './bindings/OwnerSettingsPatch';
export type { Page } from './bindings/Page';
export type { Pareto } from './bindings/Pareto';
export type { ParetoPoint } from './bindings/ParetoPoint';
export type { RfmReport } from './bindings/RfmReport';
export type { RfmRow } from './bindings/RfmRow';
export type { RfmScore } from './bindings/RfmScore';
export type { RfmSegment } from './bindings/RfmSegment';
export type { RfmSegmentCount } from './bindings/RfmSegmentCount';
export type { SegmentCount } from './bindings/SegmentCount';
export type { TagCount } from './bindings/TagCount';
export type { Tier } from './bindings/Tier';
export type { TierBasis } from './bindings/TierBasis';
export type { TierChange } from './bindings/TierChange';
export type { TierCount } from './bindings/TierCount';
export type { TierInput } from './bindings/TierInput';
export type { WeekFigures } from './bindings/WeekFigures';
export type { WinBackReport } from './bindings/WinBackReport';
export type { WinBackRow } from './bindings/WinBackRow';

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
  topUpWallet(request: TopUpRequest): Promise<Receipt>;
  /** Pays stored value back (the paid part only); a refund of all of it forfeits the bonus. */
  refundStoredValue(request: RefundRequest): Promise<Receipt>;
  /** Corrects stored value by signed amounts, with a reason: a receipt of its own. */
  adjustStoredValue(request: AdjustRequest): Promise<Receipt>;
  /** Archives a member (found afterwards only by an exact match) or restores one. */
  setMemberArchived(id: number, archived: boolean): Promise<Member>;
  redeemReward(request: RedeemRequest): Promise<Receipt>;
  voidReceipt(request: VoidRequest): Promise<Receipt>;
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
  exportOwnerList(
    list: OwnerList,
    filter: ListFilter,
    template: string | null,
    language: ReceiptLanguage,
  ): Promise<SavedExport>;
}

/** Where an export was written (src-tauri/src/owner.rs). */
export interface SavedExport {
  path: string;
  rows: number;
}
