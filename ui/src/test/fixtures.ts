// Test data shaped like the core's answers.
import type { MemberCard, MemberHit } from '../lib/types';

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
    lastVisitAt: Date.UTC(2025, 2, 1, 4, 30),
    recentReceipts: [
      { number: 42, kind: 'sale', memberId: 1, memberName: '林小美', voidsNumber: null, createdAt: Date.UTC(2025, 2, 1, 4, 30), totalMinor: 120, voided: false },
      { number: 40, kind: 'topUp', memberId: 1, memberName: '林小美', voidsNumber: null, createdAt: Date.UTC(2025, 1, 20, 10, 0), totalMinor: 1000, voided: true },
    ],
    timeZone: 'Asia/Taipei',
    ...overrides,
  };
}
