import { describe, expect, it } from 'vitest';
import type { Product, StampCardView, StampProgram } from '../../lib/types';
import {
  buildSaleRequest,
  changeQuantity,
  errorFieldFor,
  qualifyingItems,
  resolvePayments,
  saleTotal,
  singleMethod,
  stampsFor,
  stampsPreview,
  type CartLine,
} from './checkout';

const tea: Product = { id: 1, name: '珍珠奶茶', priceMinor: 75, earnsStamps: true, category: '', sortOrder: 0, active: true };
const cake: Product = { id: 2, name: '蛋糕', priceMinor: 90, earnsStamps: false, category: '', sortOrder: 1, active: true };

function program(id: number, earnRule: StampProgram['earnRule'], stampsNeeded = 10, active = true): StampProgram {
  return { id, name: `P${id}`, stampsNeeded, rewardText: 'free', earnRule, expiryDays: null, active };
}

function card(programId: number, stamps: number, stampsNeeded = 10): StampCardView {
  return {
    programId,
    programName: `P${programId}`,
    stamps,
    stampsNeeded,
    rewardText: 'free',
    rewardReady: stamps >= stampsNeeded,
    rewardsAvailable: Math.floor(stamps / stampsNeeded),
    active: true,
  };
}

describe('cart', () => {
  it('adds, counts and removes items', () => {
    let cart: CartLine[] = [];
    cart = changeQuantity(cart, tea, 1);
    cart = changeQuantity(cart, tea, 1);
    cart = changeQuantity(cart, cake, 1);
    expect(cart.map((l) => [l.product.name, l.quantity])).toEqual([['珍珠奶茶', 2], ['蛋糕', 1]]);
    expect(saleTotal(cart, '999', 0)).toBe(240);
    expect(qualifyingItems(cart, 5)).toBe(2);
    cart = changeQuantity(cart, cake, -1);
    expect(cart).toHaveLength(1);
  });

  it('uses the keypad amount and its stamp count without items', () => {
    expect(saleTotal([], '150', 0)).toBe(150);
    expect(saleTotal([], '', 0)).toBe(0);
    expect(saleTotal([], 'x', 0)).toBeNull();
    expect(qualifyingItems([], 2)).toBe(2);
  });

  it('builds the request the core expects', () => {
    const cart = changeQuantity([], tea, 2);
    const request = buildSaleRequest({
      requestId: 'r1',
      memberId: 9,
      cart,
      totalMinor: 150,
      payments: [{ method: 'storedValue', amountMinor: 150 }],
      keypadStampItems: 3,
      redeemProgramIds: [4],
      cashier: '櫃檯',
    });
    expect(request.lines).toEqual([
      { productId: 1, description: '珍珠奶茶', quantity: 2, unitPriceMinor: 75, earnsStamps: true },
    ]);
    expect(request.stampItems).toBeNull();
    expect(request.redeemProgramIds).toEqual([4]);
    expect(buildSaleRequest({ ...request, cart: [], keypadStampItems: 3, cashier: 'x' }).stampItems).toBe(3);
  });
});

describe('payment split', () => {
  it('puts the whole total on one method', () => {
    const result = resolvePayments(singleMethod('storedValue'), 150, 0);
    expect(result.payments).toEqual([{ method: 'storedValue', amountMinor: 150 }]);
  });

  it('gives the rest method what the typed ones leave', () => {
    const result = resolvePayments({ rest: 'cash', typed: { storedValue: '100', card: '' } }, 150, 0);
    expect(result.payments).toEqual([
      { method: 'cash', amountMinor: 50 },
      { method: 'storedValue', amountMinor: 100 },
    ]);
  });

  it('lets typed amounts exceed the total so the core names the mismatch', () => {
    const result = resolvePayments({ rest: 'cash', typed: { card: '200' } }, 150, 0);
    expect(result.payments).toEqual([{ method: 'card', amountMinor: 200 }]);
    expect(result.amounts.cash).toBe(0);
  });

  it('parses split amounts with decimals exactly and reports unreadable ones', () => {
    const result = resolvePayments({ rest: 'card', typed: { cash: '0.29', other: 'abc' } }, 100, 2);
    expect(result.amounts).toEqual({ cash: 29, card: 71, storedValue: 0, other: 0 });
    expect(result.unreadable).toEqual(['other']);
  });

  it('shows each error beside its field', () => {
    expect(errorFieldFor('InsufficientBalance')).toBe('payments');
    expect(errorFieldFor('PaymentMismatch')).toBe('payments');
    expect(errorFieldFor('AmountNotPositive')).toBe('amount');
    expect(errorFieldFor('MemberArchived')).toBe('general');
  });
});

describe('stamps preview', () => {
  it('follows each earn rule', () => {
    expect(stampsFor({ kind: 'perVisit' }, 150, 2)).toBe(1);
    expect(stampsFor({ kind: 'perItem' }, 150, 2)).toBe(2);
    expect(stampsFor({ kind: 'perAmount', amountMinor: 100 }, 250, 0)).toBe(2);
    expect(stampsFor({ kind: 'perAmount', amountMinor: 100 }, 99, 0)).toBe(0);
    expect(stampsFor({ kind: 'perItem' }, 0, 5000)).toBe(1000);
  });

  it('shows before, earned, redeemed and after for active programs only', () => {
    const programs = [
      program(1, { kind: 'perItem' }, 2),
      program(2, { kind: 'perVisit' }),
      program(3, { kind: 'perVisit' }, 10, false),
    ];
    const preview = stampsPreview(programs, [card(1, 2, 2), card(2, 4)], 150, 2, [1]);
    expect(preview).toEqual([
      { programId: 1, programName: 'P1', before: 2, earned: 2, redeemed: 1, after: 2, stampsNeeded: 2 },
      { programId: 2, programName: 'P2', before: 4, earned: 1, redeemed: 0, after: 5, stampsNeeded: 10 },
    ]);
  });

  it('earns nothing before an amount is entered', () => {
    expect(stampsPreview([program(1, { kind: 'perVisit' })], [], 0, 0, [])[0].earned).toBe(0);
  });
});
