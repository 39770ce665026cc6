// Shapes returned by the Tauri commands. They mirror the core's serde
// types (camelCase). Times are UTC milliseconds; money is integer minor units.

export type MatchKind = 'exact' | 'phoneSuffix' | 'phonePrefix' | 'namePrefix' | 'name';

export interface Currency {
  code: string;
  minorDigits: number;
}

export interface MemberHit {
  id: number;
  memberNo: string;
  name: string;
  phone: string | null;
  matchKind: MatchKind | string;
  walletTotalMinor: number;
  lastVisitAt: number | null;
}

export interface Birthday {
  month: number;
  day: number;
  year: number | null;
}

export interface Member {
  id: number;
  memberNo: string;
  name: string;
  phone: string | null;
  email: string | null;
  birthday: Birthday | null;
  notes: string;
  tags: string[];
  cardCode: string;
  referredBy: number | null;
  joinedAt: number;
  archived: boolean;
  tier: string | null;
}

export interface Wallet {
  paidMinor: number;
  bonusMinor: number;
  totalMinor: number;
}

export interface StampCardView {
  programId: number;
  programName: string;
  stamps: number;
  stampsNeeded: number;
  rewardText: string;
  rewardReady: boolean;
  /** How many full cards can be redeemed now. */
  rewardsAvailable: number;
  /** False when the shop has retired the programme. */
  active: boolean;
}

export type ReceiptKind = 'sale' | 'topUp' | 'redeem' | 'refund' | 'adjust' | 'void';

export interface ReceiptSummary {
  number: number;
  kind: ReceiptKind | string;
  memberId: number;
  memberName: string;
  createdAt: number;
  totalMinor: number;
  voided: boolean;
  /** For a void receipt: the number of the receipt it voided. */
  voidsNumber: number | null;
}

export interface MemberCard {
  member: Member;
  wallet: Wallet;
  currency: Currency;
  stampCards: StampCardView[];
  birthdayToday: boolean;
  birthdayThisMonth: boolean;
  visitCount: number;
  spendMinor: number;
  lastVisitAt: number | null;
  recentReceipts: ReceiptSummary[];
  timeZone: string;
}

export interface ShopSettings {
  name: string;
  address: string;
  phone: string;
  currency: Currency;
  timeZone: string;
  receiptFooter: string;
}

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
}
