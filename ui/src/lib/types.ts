// The UI's types. Every domain shape is generated from the core's Rust
// types (ts-rs, `cargo test -p regulars` writes ./bindings; CI checks they
// are current) and only re-exported here; the error shape and the list of
// commands are the UI's own.
import type { BonusRule } from './bindings/BonusRule';
import type { Member } from './bindings/Member';
import type { MemberCard } from './bindings/MemberCard';
import type { MemberHit } from './bindings/MemberHit';
import type { NewMember } from './bindings/NewMember';
import type { NewStampProgram } from './bindings/NewStampProgram';
import type { Product } from './bindings/Product';
import type { ProductInput } from './bindings/ProductInput';
import type { Receipt } from './bindings/Receipt';
import type { ReceiptLanguage } from './bindings/ReceiptLanguage';
import type { RedeemRequest } from './bindings/RedeemRequest';
import type { SaleRequest } from './bindings/SaleRequest';
import type { SettingsPatch } from './bindings/SettingsPatch';
import type { ShopSettings } from './bindings/ShopSettings';
import type { StampProgram } from './bindings/StampProgram';
import type { TopUpRequest } from './bindings/TopUpRequest';
import type { VoidRequest } from './bindings/VoidRequest';

export type { AdjustRequest } from './bindings/AdjustRequest';
export type { Birthday } from './bindings/Birthday';
export type { BonusRule } from './bindings/BonusRule';
export type { Currency } from './bindings/Currency';
export type { EarnRule } from './bindings/EarnRule';
export type { FloatParts } from './bindings/FloatParts';
export type { FloatReport } from './bindings/FloatReport';
export type { LedgerMismatch } from './bindings/LedgerMismatch';
export type { LineInput } from './bindings/LineInput';
export type { MatchKind } from './bindings/MatchKind';
export type { Member } from './bindings/Member';
export type { MemberCard } from './bindings/MemberCard';
export type { MemberHit } from './bindings/MemberHit';
export type { MemberPatch } from './bindings/MemberPatch';
export type { Money } from './bindings/Money';
export type { NewMember } from './bindings/NewMember';
export type { NewStampProgram } from './bindings/NewStampProgram';
export type { PaperSize } from './bindings/PaperSize';
export type { PaymentInput } from './bindings/PaymentInput';
export type { PaymentMethod } from './bindings/PaymentMethod';
export type { Product } from './bindings/Product';
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
  findMembers(query: string, limit?: number): Promise<MemberHit[]>;
  getMemberCard(memberId: number): Promise<MemberCard>;
  getSettings(): Promise<ShopSettings>;
  seedDemoData(): Promise<number>;
  addMember(member: NewMember, requestId: string): Promise<Member>;
  recordSale(request: SaleRequest): Promise<Receipt>;
  topUpWallet(request: TopUpRequest): Promise<Receipt>;
  redeemReward(request: RedeemRequest): Promise<Receipt>;
  voidReceipt(request: VoidRequest): Promise<Receipt>;
  getReceipt(number: number): Promise<Receipt>;
  updateSettings(patch: SettingsPatch): Promise<ShopSettings>;
  listPrograms(): Promise<StampProgram[]>;
  addProgram(program: NewStampProgram): Promise<StampProgram>;
  setProgramActive(id: number, active: boolean): Promise<StampProgram>;
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
}
