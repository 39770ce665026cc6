import { afterEach, describe, expect, it } from 'vitest';
import { errorText, setLocale } from '../../i18n/i18n.svelte';
import type { Product } from '../../lib/bindings/Product';
import type { StampCardView } from '../../lib/bindings/StampCardView';
import type { StampProgram } from '../../lib/bindings/StampProgram';
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
  payOptions,
  cashTendered,
  quickTendered,
  withTendered,
  asksItemCount,
  type CartLine,
} from './checkout';
import { paymentMethods } from '../../test/fixtures';

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
  // The shop's cash, card, LINE Pay and other; stored value comes third.
  const options = payOptions(paymentMethods(), (m) => m.name || m.kind, '儲值');

  it("offers the shop's methods in order with stored value third, each with its F key", () => {
    expect(options.map((o) => [o.label, o.hotkey])).toEqual([
      ['cash', 'F5'],
      ['card', 'F6'],
      ['儲值', 'F7'],
      ['LINE Pay', 'F8'],
      ['other', 'F9'],
    ]);
  });

  it('leaves out the methods the owner turned off', () => {
    const methods = paymentMethods().map((m) => (m.name === 'LINE Pay' ? { ...m, active: false } : m));
    expect(payOptions(methods, (m) => m.name || m.kind, '儲值').map((o) => o.label)).not.toContain('LINE Pay');
  });

  it("puts the whole total on one method, naming the shop's method", () => {
    expect(resolvePayments(singleMethod('storedValue'), 150, 0, options).payments).toEqual([
      { method: 'storedValue', amountMinor: 150 },
    ]);
    expect(resolvePayments(singleMethod('m4'), 150, 0, options).payments).toEqual([
      { method: 'eWallet', methodId: 4, amountMinor: 150 },
    ]);
  });

  it('gives the rest method what the typed ones leave, and says how much is cash', () => {
    const result = resolvePayments({ rest: 'm1', typed: { storedValue: '100', m2: '' } }, 150, 0, options);
    expect(result.payments).toEqual([
      { method: 'cash', methodId: 1, amountMinor: 50 },
      { method: 'storedValue', amountMinor: 100 },
    ]);
    expect(result.cashDueMinor).toBe(50);
  });

  it('lets typed amounts exceed the total so the core names the mismatch', () => {
    const result = resolvePayments({ rest: 'm1', typed: { m2: '200' } }, 150, 0, options);
    expect(result.payments).toEqual([{ method: 'card', methodId: 2, amountMinor: 200 }]);
    expect(result.amounts.m1).toBe(0);
    expect(result.cashDueMinor).toBe(0);
  });

  it('parses split amounts with decimals exactly and reports unreadable ones', () => {
    const result = resolvePayments({ rest: 'm2', typed: { m1: '0.29', m3: 'abc' } }, 100, 2, options);
    expect(result.amounts).toEqual({ m1: 29, m2: 71, storedValue: 0, m4: 0, m3: 0 });
    expect(result.unreadable).toEqual(['m3']);
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

describe('cash tendered', () => {
  it('gives the change for what was handed over, full-width digits too', () => {
    expect(cashTendered('500', 135, 0)).toEqual({ tenderedMinor: 500, changeMinor: 365, short: false, unreadable: false });
    expect(cashTendered('１，０００', 135, 0).changeMinor).toBe(865);
    expect(cashTendered('135', 135, 0).changeMinor).toBe(0);
    expect(cashTendered('100.50', 9950, 2).changeMinor).toBe(100);
  });

  it('says when the cash given is less than due, and when it is no amount', () => {
    expect(cashTendered('100', 135, 0)).toEqual({ tenderedMinor: 100, changeMinor: null, short: true, unreadable: false });
    expect(cashTendered('abc', 135, 0).unreadable).toBe(true);
    expect(cashTendered('  ', 135, 0)).toEqual({ tenderedMinor: null, changeMinor: null, short: false, unreadable: false });
  });

  it("offers 100, 500 and 1,000 in the shop's currency", () => {
    expect(quickTendered(0)).toEqual([100, 500, 1000]);
    expect(quickTendered(2)).toEqual([10000, 50000, 100000]);
  });

  it('records the tendered amount on the cash payment only', () => {
    const payments = [
      { method: 'storedValue' as const, amountMinor: 100 },
      { method: 'cash' as const, methodId: 1, amountMinor: 35 },
    ];
    expect(withTendered(payments, 100)).toEqual([
      { method: 'storedValue', amountMinor: 100 },
      { method: 'cash', methodId: 1, amountMinor: 35, tenderedMinor: 100 },
    ]);
    expect(withTendered(payments, null)).toBe(payments);
  });
});

describe('stamps of a typed amount', () => {
  it('asks for the item count only when a program earns per item', () => {
    expect(asksItemCount([program(1, { kind: 'perVisit' })])).toBe(false);
    expect(asksItemCount([program(1, { kind: 'perItem' }, 10, false)])).toBe(false);
    expect(asksItemCount([program(1, { kind: 'perVisit' }), program(2, { kind: 'perItem' })])).toBe(true);
  });
});

describe("the core's refusals at the checkout, in the cashier's language", () => {
  afterEach(() => setLocale('zh-TW'));
  const money = (minor: number) => `$${minor.toLocaleString('en-US')}`;

  it('names an unnamed method by its kind and formats the amounts', () => {
    expect(errorText({ code: 'PaymentMethodOff', details: { method: 'e_wallet' } }, money)).toBe(
      '電子支付 已停用：請選別的付款方式，或到設定重新啟用。',
    );
    expect(errorText({ code: 'TenderedTooLow', details: { tendered: '100', due: '1350' } }, money)).toBe(
      '收現 $100 少於應付的 $1,350。',
    );
    setLocale('zh-CN');
    expect(errorText({ code: 'UnknownPaymentMethod', details: { method: '街口支付' } }, money)).toBe(
      '没有「街口支付」这个付款方式，请到设置查看。',
    );
    setLocale('en');
    expect(errorText({ code: 'PaymentMethodOff', details: { method: 'cash' } }, money)).toBe(
      'Cash is turned off: pick another method, or turn it on in Settings.',
    );
  });
});
