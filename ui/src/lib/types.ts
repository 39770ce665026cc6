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
}

export interface ReceiptSummary {
  number: number;
  kind: string;
  createdAt: number;
  totalMinor: number;
  voided: boolean;
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

/** What every command rejects with: `code` is stable, `message` is English. */
export interface BackendError {
  code: string;
  message: string;
}

/** The app's commands, injected into screens so tests can pass fakes. */
export interface Backend {
  countMembers(): Promise<number>;
  findMembers(query: string, limit?: number): Promise<MemberHit[]>;
  getMemberCard(memberId: number): Promise<MemberCard>;
  getSettings(): Promise<ShopSettings>;
  seedDemoData(): Promise<number>;
}
