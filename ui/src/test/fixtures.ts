// Test data shaped like the core's answers.
import { vi } from 'vitest';
import type { Backend, MemberCard, MemberHit, Receipt, ShopSettings } from '../lib/types';

export const TWD = { code: 'TWD', minorDigits: 0 };
export const HKD = { code: 'HKD', minorDigits: 2 };

export function hit(overrides: Partial<MemberHit> = {}): MemberHit {
  return {
    id: 1,
    memberNo: 'M0001',
    name: '林小美',
    phone: '0912345678',
    matchKind: 'phoneSuffix',
    walletTotalMinor: 1200,
    lastVisitAt: Date.UTC(2025, 2, 1, 4, 30),
    ...overrides,
  };
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
    currency: TWD,
    totalMinor: 150,
    bonusMinor: 0,
    walletPaidBefore: 1000,
    walletBonusBefore: 200,
    walletPaidAfter: 850,
    walletBonusAfter: 200,
    lines: [],
    payments: [{ method: 'storedValue', amountMinor: 150 }],
    stamps: [],
    voidsNumber: null,
    voidedByNumber: null,
    note: '',
    createdAt: Date.UTC(2025, 2, 1, 4, 30),
    ...overrides,
  };
}

/** A backend whose every command is a mock with a plausible answer. */
export function fakeBackend(overrides: Partial<Backend> = {}): Backend {
  return {
    countMembers: vi.fn(async () => 0),
    findMembers: vi.fn(async () => [hit()]),
    getMemberCard: vi.fn(async () => memberCard()),
    getSettings: vi.fn(async () => shopSettings()),
    seedDemoData: vi.fn(async () => 36),
    addMember: vi.fn(async () => memberCard().member),
    recordSale: vi.fn(async () => receipt()),
    topUpWallet: vi.fn(async () => receipt({ kind: 'topUp' })),
    redeemReward: vi.fn(async () => receipt({ kind: 'redeem' })),
    voidReceipt: vi.fn(async () => receipt({ kind: 'void', voidsNumber: 7 })),
    getReceipt: vi.fn(async () => receipt()),
    updateSettings: vi.fn(async () => shopSettings()),
    listPrograms: vi.fn(async () => []),
    addProgram: vi.fn(),
    setProgramActive: vi.fn(),
    listBonusRules: vi.fn(async () => []),
    setBonusRule: vi.fn(async () => []),
    removeBonusRule: vi.fn(async () => []),
    listProducts: vi.fn(async () => []),
    addProduct: vi.fn(),
    editProduct: vi.fn(),
    setProductActive: vi.fn(),
    printReceipt: vi.fn(async () => undefined),
    saveReceiptPdf: vi.fn(async () => '/tmp/receipt-7.pdf'),
    ...overrides,
  };
}
