// Test data shaped like the core's answers.
import { vi } from 'vitest';
import type { AuditEntry } from '../lib/bindings/AuditEntry';
import type { Backup } from '../lib/bindings/Backup';
import type { Dashboard } from '../lib/bindings/Dashboard';
import type { CouponOffer } from '../lib/bindings/CouponOffer';
import type { CouponView } from '../lib/bindings/CouponView';
import type { DayClose } from '../lib/bindings/DayClose';
import type { LapsedRow } from '../lib/bindings/LapsedRow';
import type { MemberCard } from '../lib/bindings/MemberCard';
import type { MemberHit } from '../lib/bindings/MemberHit';
import type { MemberLookup } from '../lib/bindings/MemberLookup';
import type { MemberRow } from '../lib/bindings/MemberRow';
import type { OwnerSettings } from '../lib/bindings/OwnerSettings';
import type { Pareto } from '../lib/bindings/Pareto';
import type { Receipt } from '../lib/bindings/Receipt';
import type { ShopPaymentMethod } from '../lib/bindings/ShopPaymentMethod';
import type { ShopSettings } from '../lib/bindings/ShopSettings';
import type { Session } from '../lib/bindings/Session';
import type { StaffMember } from '../lib/bindings/StaffMember';
import type { StaffPolicy } from '../lib/bindings/StaffPolicy';
import type { Backend } from '../lib/types';

export const TWD = { code: 'TWD', minorDigits: 0 };
export const HKD = { code: 'HKD', minorDigits: 2 };
/** The app's time the fake shell reports (2026-12-01 10:30 in Taipei), days away from the test's own clock. */
export const APP_NOW = Date.UTC(2026, 11, 1, 2, 30);

export function hit(overrides: Partial<MemberHit> = {}): MemberHit {
  return {
    id: 1,
    memberNo: 'M0001',
    name: '林小美',
    phone: '0912345678',
    matchKind: 'phoneSuffix',
    walletTotalMinor: 1200,
    lastVisitAt: Date.UTC(2025, 2, 1, 4, 30),
    archived: false,
    ...overrides,
  };
}

/** A lookup's answer: these hits, of `matched` members in all. */
export function found(hits: MemberHit[], matched = hits.length, matchedAtLeast = false): MemberLookup {
  return { hits, matched, matchedAtLeast };
}

export function memberCard(overrides: Partial<MemberCard> = {}): MemberCard {
  return {
    member: {
      id: 1,
      memberNo: 'M0001',
      name: '林小美',
      phone: '0912345678',
      email: null,
      birthday: { month: 3, day: 1, year: null },
      notes: '',
      tags: ['少冰', '半糖'],
      cardCode: 'RG-0001',
      referredBy: null,
      joinedAt: Date.UTC(2024, 0, 15),
      archived: false,
      tier: null,
      erasedAt: null,
    },
    wallet: { paidMinor: 1000, bonusMinor: 200, totalMinor: 1200 },
    currency: TWD,
    stampCards: [
      {
        programId: 1,
        programName: '飲料集點',
        stamps: 7,
        stampsNeeded: 10,
        rewardText: '免費中杯飲料',
        rewardReady: false,
        rewardsAvailable: 0,
        active: true,
      },
      {
        programId: 2,
        programName: '蛋糕集點',
        stamps: 5,
        stampsNeeded: 5,
        rewardText: '免費蛋糕一塊',
        rewardReady: true,
        rewardsAvailable: 1,
        active: true,
      },
    ],
    birthdayToday: false,
    birthdayThisMonth: false,
    visitCount: 23,
    spendMinor: 4560,
    visitsThisYear: 4,
    spendThisYearMinor: 820,
    favouriteItems: [{ description: '珍珠奶茶', quantity: 12 }],
    lastVisitAt: Date.UTC(2025, 2, 1, 4, 30),
    openContact: null,
    recentReceipts: [
      { number: 42, kind: 'sale', memberId: 1, memberName: '林小美', voidsNumber: null, createdAt: Date.UTC(2025, 2, 1, 4, 30), totalMinor: 120, voided: false },
      { number: 40, kind: 'topUp', memberId: 1, memberName: '林小美', voidsNumber: null, createdAt: Date.UTC(2025, 1, 20, 10, 0), totalMinor: 1000, voided: true },
    ],
    timeZone: 'Asia/Taipei',
    ...overrides,
  };
}

export function shopSettings(overrides: Partial<ShopSettings> = {}): ShopSettings {
  return {
    name: '我的小店',
    address: '',
    phone: '',
    currency: TWD,
    timeZone: 'Asia/Taipei',
    receiptFooter: '',
    receiptPaper: 'mm80',
    autoPrint: false,
    printerName: '',
    receiptFontPath: '',
    ...overrides,
  };
}

export function receipt(overrides: Partial<Receipt> = {}): Receipt {
  return {
    id: 7,
    number: 7,
    kind: 'sale',
    requestId: 'r-7',
    memberId: 1,
    memberNo: 'M0001',
    memberName: '林小美',
    memberPhone: '0912345678',
    cashier: '櫃檯',
    staffId: null,
    approvedBy: null,
    currency: TWD,
    totalMinor: 150,
    bonusMinor: 0,
    walletPaidBefore: 1000,
    walletBonusBefore: 200,
    walletPaidAfter: 850,
    walletBonusAfter: 200,
    lines: [],
    discounts: [],
    payments: [{ method: 'storedValue', methodId: null, methodName: '', amountMinor: 150, tenderedMinor: null, changeMinor: null }],
    stamps: [],
    points: null,
    couponsGiven: [],
    voidsNumber: null,
    voidedByNumber: null,
    note: '',
    createdAt: Date.UTC(2025, 2, 1, 4, 30),
    ...overrides,
  };
}

export function backup(overrides: Partial<Backup> = {}): Backup {
  return {
    path: '/docs/Regulars backups/regulars-auto-2026-11-26.db',
    fileName: 'regulars-auto-2026-11-26.db',
    createdAt: Date.UTC(2026, 10, 26, 1, 0),
    bytes: 2_500_000,
    automatic: true,
    members: 36,
    receipts: 748,
    lastReceiptAt: Date.UTC(2026, 10, 25, 12, 30),
    ...overrides,
  };
}

/** The shop's payment methods: cash, card (unnamed: read by their kind), LINE Pay, other. */
export function paymentMethods(): ShopPaymentMethod[] {
  return [
    { id: 1, kind: 'cash', name: '', sortOrder: 1, active: true, used: true },
    { id: 2, kind: 'card', name: '', sortOrder: 2, active: true, used: true },
    { id: 4, kind: 'eWallet', name: 'LINE Pay', sortOrder: 3, active: true, used: false },
    { id: 3, kind: 'other', name: '', sortOrder: 4, active: true, used: false },
  ];
}

/** A usable NT$50-off coupon of member 1. */
export function coupon(overrides: Partial<CouponView> = {}): CouponView {
  return {
    code: 'K7QX-M2PA',
    memberId: 1,
    memberNo: 'M0001',
    memberName: '林小美',
    offerId: 1,
    offerName: '回娘家折50',
    kind: 'amountOff',
    campaign: null,
    validFrom: '2026-12-01',
    validUntil: '2026-12-31',
    status: 'usable',
    issuedAt: APP_NOW,
    redeemedOn: null,
    ...overrides,
  };
}

/** An active offer: NT$50 off, good for 30 days. */
export function offer(overrides: Partial<CouponOffer> = {}): CouponOffer {
  return {
    id: 1,
    name: '回娘家折50',
    kind: 'amountOff',
    amountOffMinor: 50,
    minSpendMinor: 0,
    validDays: 30,
    combinable: false,
    active: true,
    createdAt: APP_NOW,
    ...overrides,
  };
}

/** A backend whose every command is a mock with a plausible answer. */
export function fakeBackend(overrides: Partial<Backend> = {}): Backend {
  return {
    countMembers: vi.fn(async () => 0),
    findMembers: vi.fn(async () => found([hit()])),
    getMemberCard: vi.fn(async () => memberCard()),
    getSettings: vi.fn(async () => shopSettings()),
    seedDemoData: vi.fn(async () => 36),
    addMember: vi.fn(async () => memberCard().member),
    editMember: vi.fn(async () => memberCard().member),
    recordSale: vi.fn(async () => receipt()),
    topUpWallet: vi.fn(async () => receipt({ kind: 'topUp' })),
    refundStoredValue: vi.fn(async () => receipt({ kind: 'refund' })),
    adjustStoredValue: vi.fn(async () => receipt({ kind: 'adjust' })),
    setMemberArchived: vi.fn(async (_id: number, archived: boolean) => ({ ...memberCard().member, archived })),
    eraseMember: vi.fn(async () => ({ ...memberCard().member, name: '已刪除會員', phone: null, tags: [], notes: '', archived: true, erasedAt: Date.UTC(2026, 11, 1) })),
    redeemReward: vi.fn(async () => receipt({ kind: 'redeem' })),
    voidReceipt: vi.fn(async () => receipt({ kind: 'void', voidsNumber: 7 })),
    getReceipt: vi.fn(async () => receipt()),
    updateSettings: vi.fn(async () => shopSettings()),
    listPrograms: vi.fn(async () => []),
    addProgram: vi.fn(),
    setProgramActive: vi.fn(),
    editProgram: vi.fn(),
    isShopSetUp: vi.fn(async () => false),
    finishSetup: vi.fn(async () => undefined),
    listBonusRules: vi.fn(async () => []),
    setBonusRule: vi.fn(async () => []),
    removeBonusRule: vi.fn(async () => []),
    listProducts: vi.fn(async () => []),
    addProduct: vi.fn(),
    editProduct: vi.fn(),
    setProductActive: vi.fn(),
    printReceipt: vi.fn(async () => undefined),
    saveReceiptPdf: vi.fn(async () => '/tmp/receipt-7.pdf'),
    setUiLanguage: vi.fn(async () => undefined),
    showInFolder: vi.fn(async () => undefined),
    listBackups: vi.fn(async () => [backup()]),
    databaseHoldings: vi.fn(async () => ({ members: 37, receipts: 760, lastReceiptAt: Date.UTC(2026, 10, 26, 3, 0) })),
    makeBackup: vi.fn(async () => backup({ fileName: 'regulars-2026-11-26-153000.db', path: '/docs/Regulars backups/regulars-2026-11-26-153000.db', automatic: false })),
    restoreBackup: vi.fn(async () => ({ restored: backup(), saved: '/docs/Regulars backups/regulars-before-restore-2026-11-26-160000.db' })),
    ownerDashboard: vi.fn(async () => dashboard()),
    dayClose: vi.fn(async (date: string | null) => dayClose({ date: date ?? '2026-11-26' })),
    // The core reads every notation (input.rs); the fake reads the ISO-like
    // ones and answers with the core's error codes.
    readDay: vi.fn(async (text: string) => {
      const folded = text.trim().replace(/[\uFF10-\uFF19]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0));
      const m = /^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})$/.exec(folded);
      if (!m) throw { code: 'InvalidDate', message: '', details: { value: text } };
      const [y, mo, d] = m.slice(1).map(Number);
      const date = new Date(Date.UTC(y, mo - 1, d));
      if (date.getUTCMonth() !== mo - 1 || date.getUTCDate() !== d) throw { code: 'NoSuchDay', message: '', details: { value: text } };
      return date.toISOString().slice(0, 10);
    }),
    printDayClose: vi.fn(async () => undefined),
    saveDayClosePdf: vi.fn(async (date: string | null) => `/home/owner/Documents/Regulars receipts/日結單-${date}.pdf`),
    countDrawer: vi.fn(async (request) => dayClose({ date: request.date })),
    memberCoupons: vi.fn(async () => []),
    getCoupon: vi.fn(async () => coupon()),
    memberPoints: vi.fn(async () => ({ points: 0, nextExpiry: null })),
    getPointsSettings: vi.fn(async () => ({ earnPerMinor: 0, pointValueMinor: 1, maxRedeemPercent: 100, birthdayMultiplierPct: 100 })),
    setPointsSettings: vi.fn(async (settings) => settings),
    autoCouponRules: vi.fn(async () => [
      { kind: 'birthday' as const, offerId: null, enabled: false, daysBefore: 7 },
      { kind: 'welcome' as const, offerId: null, enabled: false, daysBefore: 7 },
      { kind: 'winBack' as const, offerId: null, enabled: false, daysBefore: 7 },
    ]),
    setAutoCouponRule: vi.fn(async (rule) => rule),
    referralSettings: vi.fn(async () => ({ kind: 'none' as const, offerId: null, points: 0, programId: null, stamps: 0 })),
    setReferralSettings: vi.fn(async (settings) => settings),
    referralReport: vi.fn(async () => ({
      settings: { kind: 'none' as const, offerId: null, points: 0, programId: null, stamps: 0 },
      referred: 0,
      referredSpendMinor: 0,
      rows: [],
    })),
    listOffers: vi.fn(async () => []),
    issueCoupon: vi.fn(async () => coupon()),
    quoteCoupons: vi.fn(async () => ({ discountMinor: 0, freeStampItems: 0, extraStamps: [] })),
    printCouponSlip: vi.fn(async () => undefined),
    saveCouponSlipPdf: vi.fn(async (code: string) => `/home/owner/Documents/熟客收據/優惠券-${code}.pdf`),
    addOffer: vi.fn(async (input) => ({ ...offer(), ...input, id: 2 })),
    editOffer: vi.fn(async (id, input) => ({ ...offer(), ...input, id })),
    setOfferActive: vi.fn(async (id, active) => offer({ id, active })),
    ownerListMembers: vi.fn(async () => [1]),
    campaignPreview: vi.fn(async (offerId, memberIds) => ({ offerId, members: memberIds.length, mostCostMinor: 50 * memberIds.length, mostStamps: 0 })),
    issueCampaign: vi.fn(async (request) => ({ campaignId: 1, name: request.name, offerId: request.offerId, issued: request.memberIds.length })),
    campaignReport: vi.fn(async () => []),
    listPaymentMethods: vi.fn(async () => paymentMethods()),
    suggestedPaymentMethods: vi.fn(async () => [{ kind: 'eWallet' as const, name: '街口支付' }]),
    savePaymentMethod: vi.fn(async () => paymentMethods()),
    reorderPaymentMethods: vi.fn(async () => paymentMethods()),
    removePaymentMethod: vi.fn(async () => paymentMethods()),
    ownerNes: vi.fn(async () => ({ asOf: '2026-11-26', counts: [], members: { total: 1, rows: [memberRow()] } })),
    ownerLapsed: vi.fn(async () => ({ total: 1, rows: [lapsedRow()] })),
    ownerVip: vi.fn(async () => ({ total: 1, rows: [memberRow()] })),
    ownerRfm: vi.fn(async () => ({ asOf: '2026-11-26', segments: [], members: { total: 0, rows: [] } })),
    ownerBirthdays: vi.fn(async () => ({ total: 0, rows: [] })),
    ownerDue: vi.fn(async () => ({ total: 0, rows: [] })),
    ownerPareto: vi.fn(async () => pareto()),
    ownerTags: vi.fn(async () => [{ tag: '上班族', members: 4 }]),
    ownerWinBack: vi.fn(async () => ({
      from: '2026-10-27',
      to: '2026-11-26',
      withinDays: 30,
      contacted: 4,
      cameBack: 1,
      cameBackWithCoupon: 1,
      rateBp: 2500,
      revenueMinor: 300,
      rows: [],
    })),
    unusualActivity: vi.fn(async () => []),
    recordContact: vi.fn(async (request) => ({
      id: 1,
      memberId: request.memberId,
      channel: request.channel,
      outcome: request.outcome,
      note: request.note,
      cashier: request.cashier,
      contactedAt: Date.UTC(2026, 10, 26, 4),
    })),
    memberContacts: vi.fn(async () => []),
    listMessageTemplates: vi.fn(async () => []),
    setMessageTemplate: vi.fn(async (template) => template),
    outreachMessages: vi.fn(async () => []),
    getOwnerSettings: vi.fn(async () => ownerSettings()),
    updateOwnerSettings: vi.fn(async () => ownerSettings()),
    listTiers: vi.fn(async () => [{ name: '金卡', rank: 2, minSpendMinor: 5000, pointsMultiplierPct: 150 }]),
    setTiers: vi.fn(async () => []),
    tierReview: vi.fn(async () => []),
    exportEverything: vi.fn(async () => '/home/owner/Documents/熟客匯出/熟客全部資料-2026-12-01.xlsx'),
    exportOwnerList: vi.fn(async () => ({ path: '/home/owner/Documents/Regulars exports/lapsed-2026-11-26.csv', rows: 1 })),
    // A shop with staff, its owner signed in: the counter opens on the search.
    staffState: vi.fn(async () => ({ hasStaff: true, pinPad: { failures: 0, lockedUntil: 0 }, session: session(), now: APP_NOW })),
    signIn: vi.fn(async () => session()),
    signOut: vi.fn(async () => undefined),
    createFirstOwner: vi.fn(async (name: string) => session({ name })),
    listStaff: vi.fn(async () => staffList()),
    addStaff: vi.fn(async (staff) => ({ id: 9, name: staff.name, role: staff.role, active: true, createdAt: 0 })),
    disableStaff: vi.fn(async (id: number) => ({ ...staffList()[0], id, active: false })),
    setStaffPin: vi.fn(async (id: number) => ({ ...staffList()[0], id })),
    getStaffPolicy: vi.fn(async () => staffPolicy()),
    setStaffPolicy: vi.fn(async (policy) => policy),
    auditLog: vi.fn(async () => []),
    verifyAudit: vi.fn(async () => null),
    exportAuditLog: vi.fn(async () => ({ path: '/home/owner/Documents/熟客匯出/稽核紀錄-2026-11-26.csv', rows: 2 })),
    ...overrides,
  };
}

/** A member on the owner's lists: a regular who has not been back for 75 days. */
export function memberRow(overrides: Partial<MemberRow> = {}): MemberRow {
  return {
    memberId: 3,
    memberNo: 'M000003',
    name: '陳怡君',
    phone: '0912-000-003',
    tier: '金卡',
    tags: ['上班族'],
    birthday: null,
    joinedAt: Date.UTC(2025, 0, 10),
    segment: 'S2',
    visits: 24,
    visitDays: 24,
    spendMinor: 7200,
    windowSpendMinor: 5400,
    firstVisitAt: Date.UTC(2025, 0, 10),
    lastVisitAt: Date.UTC(2026, 8, 12),
    lastVisitDate: '2026-09-12',
    daysSinceLastVisit: 75,
    typicalGapDays: 14,
    sleepAfterDays: 28,
    storedValueMinor: 650,
    referred: 0,
    ...overrides,
  };
}

export function lapsedRow(overrides: Partial<LapsedRow> = {}): LapsedRow {
  return { ...memberRow(), lastContact: null, ...overrides };
}

export function dashboard(overrides: Partial<Dashboard> = {}): Dashboard {
  const weeks = Array.from({ length: 12 }, (_, i) => ({
    weekStart: new Date(Date.UTC(2026, 8, 7 + 7 * i)).toISOString().slice(0, 10),
    newMembers: i % 3,
    visits: 20 + i,
    revenueMinor: 3000 + 100 * i,
    storedValueEndMinor: 20000 + 300 * i,
  }));
  return {
    asOf: '2026-11-26',
    currency: TWD,
    members: 36,
    segments: [
      { segment: 'N', members: 4, spendMinor: 800 },
      { segment: 'E0', members: 18, spendMinor: 40000 },
      { segment: 'S2', members: 6, spendMinor: 9000 },
    ],
    tiers: [
      { tier: '金卡', members: 5 },
      { tier: null, members: 31 },
    ],
    weeks,
    revenue12WeeksMinor: weeks.reduce((sum, w) => sum + w.revenueMinor, 0),
    revenueTotalMinor: 120000,
    storedValue: { paidMinor: 21000, bonusMinor: 2100 },
    ...overrides,
  };
}

/** A day: two cash sales and a card sale (voided), a cash top-up with bonus, a refund. */
export function dayClose(overrides: Partial<DayClose> = {}): DayClose {
  const parts = (paidMinor: number, bonusMinor: number) => ({ paidMinor, bonusMinor });
  return {
    date: '2026-11-26',
    currency: TWD,
    sales: { count: 3, amountMinor: 380 },
    topUps: { count: 1, amountMinor: 1000 },
    bonusGivenMinor: 100,
    refunds: { count: 1, amountMinor: 300 },
    voidedSales: { count: 1, amountMinor: 200 },
    voidedTopUps: { count: 0, amountMinor: 0 },
    adjustments: { count: 0, amountMinor: 0 },
    openingBalances: { count: 0, amountMinor: 0 },
    rewardsRedeemed: 1,
    stampsGiven: 5,
    newMembers: 2,
    methods: [
      { method: 'cash', methodId: 1, name: '', salesMinor: 120, topUpsMinor: 1000, refundsMinor: 300, voidsMinor: 0, netMinor: 820 },
      { method: 'card', methodId: 2, name: '', salesMinor: 200, topUpsMinor: 0, refundsMinor: 0, voidsMinor: 200, netMinor: 0 },
      { method: 'storedValue', methodId: null, name: '', salesMinor: 60, topUpsMinor: 0, refundsMinor: 0, voidsMinor: 0, netMinor: 60 },
    ],
    cashMinor: 820,
    byStaff: [],
    drawer: null,
    drawerCounts: 0,
    drawerOutdated: false,
    float: {
      date: '2026-11-26',
      currency: TWD,
      opening: parts(5000, 400),
      topUps: parts(1000, 100),
      spends: parts(-60, 0),
      refunds: parts(-300, 0),
      forfeits: parts(0, 0),
      adjustments: parts(0, 0),
      voids: parts(0, 0),
      broughtIn: parts(0, 0),
      closing: parts(5640, 500),
    },
    ...overrides,
  };
}

export function pareto(overrides: Partial<Pareto> = {}): Pareto {
  return {
    customers: 30,
    revenueMinor: 120000,
    topCustomers: 6,
    topRevenueMinor: 74400,
    topShareBp: 6200,
    points: Array.from({ length: 101 }, (_, pct) => ({ customersBp: pct * 100, revenueBp: Math.min(10000, pct * 200) })),
    ...overrides,
  };
}

export function ownerSettings(overrides: Partial<OwnerSettings> = {}): OwnerSettings {
  return {
    newDays: 30,
    s1Days: 30,
    s2Days: 60,
    s3Days: 120,
    s1Pct: 150,
    s2Pct: 250,
    s3Pct: 400,
    minGapDays: 3,
    minHistoryVisits: 3,
    tierBasis: 'rolling',
    tierWindowMonths: 12,
    birthdayTemplate: '{name} 生日快樂！',
    ...overrides,
  };
}

/** The shop's owner, signed in. */
export function session(overrides: Partial<Session> = {}): Session {
  return { staffId: 1, name: '老闆', role: 'owner', signedInAt: Date.UTC(2026, 10, 26, 1), ...overrides };
}

/** The demo shop's staff, in the order it creates them. */
export function staffList(): StaffMember[] {
  const at = Date.UTC(2025, 9, 1);
  return [
    { id: 1, name: '老闆', role: 'owner', active: true, createdAt: at },
    { id: 2, name: '店長', role: 'manager', active: true, createdAt: at },
    { id: 3, name: '小美', role: 'cashier', active: true, createdAt: at },
    { id: 4, name: '阿哲', role: 'cashier', active: true, createdAt: at },
  ];
}

export function staffPolicy(overrides: Partial<StaffPolicy> = {}): StaffPolicy {
  return { cashierVoidMinutes: 30, cashierVoidMaxMinor: 1000, managerAdjustMaxMinor: 5000, idleLockMinutes: 5, denied: [], ...overrides };
}

/** A cashier's refund a manager approved, in the audit log. */
export function auditRow(overrides: Partial<AuditEntry> = {}): AuditEntry {
  return {
    id: 7,
    at: Date.UTC(2026, 10, 26, 2, 5),
    kind: 'refund',
    staffId: 3,
    staffName: '小美',
    approverName: '店長',
    receiptNumber: 42,
    memberId: 1,
    detail: '{"amount":100}',
    prevHash: 'a',
    hash: 'b',
    ...overrides,
  };
}
