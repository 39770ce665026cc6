// The checkout's state as pure functions: the cart (catalogue items or a
// keypad amount), the payment split, and the stamps a sale will earn. The
// core decides; these only show the cashier what it will decide.
import { parseAmount } from '../../lib/input';
import type { EarnRule } from '../../lib/bindings/EarnRule';
import type { LineInput } from '../../lib/bindings/LineInput';
import type { PaymentInput } from '../../lib/bindings/PaymentInput';
import type { PaymentMethod } from '../../lib/bindings/PaymentMethod';
import type { Product } from '../../lib/bindings/Product';
import type { SaleRequest } from '../../lib/bindings/SaleRequest';
import type { ShopPaymentMethod } from '../../lib/bindings/ShopPaymentMethod';
import type { StampCardView } from '../../lib/bindings/StampCardView';
import type { StampProgram } from '../../lib/bindings/StampProgram';

/** The core's cap on stamps from one sale on one card (MAX_STAMPS_PER_SALE). */
export const MAX_STAMPS_PER_SALE = 1000;

export interface CartLine {
  product: Product;
  quantity: number;
}

/** Adds `delta` of a product to the cart (removing it at zero). */
export function changeQuantity(cart: CartLine[], product: Product, delta: number): CartLine[] {
  const existing = cart.find((line) => line.product.id === product.id);
  if (!existing) return delta > 0 ? [...cart, { product, quantity: delta }] : cart;
  const quantity = existing.quantity + delta;
  if (quantity <= 0) return cart.filter((line) => line.product.id !== product.id);
  return cart.map((line) => (line.product.id === product.id ? { ...line, quantity } : line));
}

export function cartLines(cart: CartLine[]): LineInput[] {
  return cart.map(({ product, quantity }) => ({
    productId: product.id,
    description: product.name,
    quantity,
    unitPriceMinor: product.priceMinor,
    earnsStamps: product.earnsStamps,
  }));
}

export function cartTotal(cart: CartLine[]): number {
  return cart.reduce((sum, line) => sum + line.product.priceMinor * line.quantity, 0);
}

/** The sale's total: the cart's when it has items, else the keypad amount (null when unreadable). */
export function saleTotal(cart: CartLine[], keypadText: string, minorDigits: number): number | null {
  if (cart.length > 0) return cartTotal(cart);
  if (keypadText.trim() === '') return 0;
  return parseAmount(keypadText, minorDigits);
}

/**
 * Items that earn stamps: from the cart, or the count entered with a keypad
 * amount (the checkout fills in 1, so a typed sale earns at once).
 */
export function qualifyingItems(cart: CartLine[], keypadStampItems: number): number {
  if (cart.length > 0) return cart.reduce((n, line) => n + (line.product.earnsStamps ? line.quantity : 0), 0);
  return Math.max(0, Math.floor(keypadStampItems));
}

/** Stamps one rule earns for a sale (the core's EarnRule::stamps_for). */
export function stampsFor(rule: EarnRule, totalMinor: number, items: number): number {
  let n: number;
  switch (rule.kind) {
    case 'perVisit':
      n = 1;
      break;
    case 'perItem':
      n = Math.max(0, items);
      break;
    case 'perAmount':
      n = rule.amountMinor > 0 ? Math.floor(Math.max(0, totalMinor) / rule.amountMinor) : 0;
      break;
  }
  return Math.min(n, MAX_STAMPS_PER_SALE);
}

export interface StampPreview {
  programId: number;
  programName: string;
  before: number;
  earned: number;
  redeemed: number;
  after: number;
  stampsNeeded: number;
}

/**
 * What each active program's card will show after the sale (rewards redeemed
 * take `stampsNeeded` each; `extraStamps`: what the sale's coupons add).
 */
export function stampsPreview(
  programs: StampProgram[],
  cards: StampCardView[],
  totalMinor: number,
  items: number,
  redeemProgramIds: number[],
  extraStamps: { programId: number; stamps: number }[] = [],
): StampPreview[] {
  return programs
    .filter((program) => program.active)
    .map((program) => {
      const card = cards.find((c) => c.programId === program.id);
      const before = card?.stamps ?? 0;
      const extra = extraStamps.filter((e) => e.programId === program.id).reduce((sum, e) => sum + e.stamps, 0);
      const earned = (totalMinor > 0 ? stampsFor(program.earnRule, totalMinor, items) : 0) + extra;
      const redeemed = redeemProgramIds.filter((id) => id === program.id).length;
      return {
        programId: program.id,
        programName: program.name,
        before,
        earned,
        redeemed,
        after: before + earned - redeemed * program.stampsNeeded,
        stampsNeeded: program.stampsNeeded,
      };
    });
}

/**
 * One way to pay at the checkout: one of the shop's methods (by id), or the
 * member's stored value. `key` names it in the split and the buttons.
 */
export interface PayOption {
  key: string;
  method: PaymentMethod;
  methodId: number | null;
  label: string;
  /** F5, F6, … in the row's order; none past F12. */
  hotkey: string | null;
}

export const STORED_VALUE = 'storedValue';
const HOTKEYS = ['F5', 'F6', 'F7', 'F8', 'F9', 'F10', 'F11', 'F12'];

/**
 * The checkout's row of payment options: the shop's methods that are on, in
 * the owner's order, with stored value third (so a shop with cash, card and
 * other keeps F5 cash, F6 card, F7 stored value, F8 other).
 */
export function payOptions(
  methods: ShopPaymentMethod[],
  label: (method: ShopPaymentMethod) => string,
  storedValueLabel: string,
): PayOption[] {
  const own: Omit<PayOption, 'hotkey'>[] = methods
    .filter((m) => m.active)
    .map((m) => ({ key: `m${m.id}`, method: m.kind, methodId: m.id, label: label(m) }));
  const storedValue = { key: STORED_VALUE, method: 'storedValue' as const, methodId: null, label: storedValueLabel };
  const row = [...own.slice(0, 2), storedValue, ...own.slice(2)];
  return row.map((option, at) => ({ ...option, hotkey: HOTKEYS[at] ?? null }));
}

/**
 * The payment split. One option is the "rest": it takes whatever the other
 * options' typed amounts leave of the total. The others are typed.
 */
export interface PaymentSplit {
  rest: string;
  typed: Record<string, string>;
}

export function singleMethod(key: string): PaymentSplit {
  return { rest: key, typed: {} };
}

export interface SplitResult {
  payments: PaymentInput[];
  /** Per option key, the amount it pays (the rest option's computed). */
  amounts: Record<string, number>;
  /** Options whose typed text is not an amount. */
  unreadable: string[];
  /** What the cash options pay together: what cash tendered must cover. */
  cashDueMinor: number;
}

export function resolvePayments(
  split: PaymentSplit,
  totalMinor: number,
  minorDigits: number,
  options: PayOption[],
): SplitResult {
  const amounts: Record<string, number> = Object.fromEntries(options.map((o) => [o.key, 0]));
  const unreadable: string[] = [];
  let typedSum = 0;
  for (const option of options) {
    if (option.key === split.rest) continue;
    const text = split.typed[option.key] ?? '';
    if (text.trim() === '') continue;
    const minor = parseAmount(text, minorDigits);
    if (minor === null) {
      unreadable.push(option.key);
      continue;
    }
    amounts[option.key] = minor;
    typedSum += minor;
  }
  if (split.rest in amounts) amounts[split.rest] = Math.max(0, totalMinor - typedSum);
  const paying = options.filter((o) => amounts[o.key] > 0);
  const payments: PaymentInput[] = paying.map((o) =>
    o.methodId === null
      ? { method: o.method, amountMinor: amounts[o.key] }
      : { method: o.method, methodId: o.methodId, amountMinor: amounts[o.key] },
  );
  const cashDueMinor = paying.filter((o) => o.method === 'cash').reduce((sum, o) => sum + amounts[o.key], 0);
  return { payments, amounts, unreadable, cashDueMinor };
}

/** The quick amounts for cash tendered: 100, 500 and 1,000 of the shop's currency. */
export function quickTendered(minorDigits: number): number[] {
  return [100, 500, 1000].map((major) => major * 10 ** minorDigits);
}

export interface Tendered {
  /** What the customer handed over; null when nothing (readable) was typed. */
  tenderedMinor: number | null;
  /** The change to give back; null until the tendered amount covers what is due. */
  changeMinor: number | null;
  /** The tendered amount is less than what is due: the sale cannot be confirmed. */
  short: boolean;
  unreadable: boolean;
}

/** Cash tendered against the cash due, typed as the cashier types it (full-width digits too). */
export function cashTendered(text: string, dueMinor: number, minorDigits: number): Tendered {
  if (text.trim() === '') return { tenderedMinor: null, changeMinor: null, short: false, unreadable: false };
  const tenderedMinor = parseAmount(text, minorDigits);
  if (tenderedMinor === null) return { tenderedMinor: null, changeMinor: null, short: false, unreadable: true };
  if (tenderedMinor < dueMinor) return { tenderedMinor, changeMinor: null, short: true, unreadable: false };
  return { tenderedMinor, changeMinor: tenderedMinor - dueMinor, short: false, unreadable: false };
}

/** The payments with the cash tendered on the (first) cash payment. */
export function withTendered(payments: PaymentInput[], tenderedMinor: number | null): PaymentInput[] {
  if (tenderedMinor === null) return payments;
  const at = payments.findIndex((p) => p.method === 'cash');
  return payments.map((p, i) => (i === at ? { ...p, tenderedMinor } : p));
}

/** Whether any active program earns per item: only then is the count of a typed amount asked. */
export function asksItemCount(programs: StampProgram[]): boolean {
  return programs.some((p) => p.active && p.earnRule.kind === 'perItem');
}

/** Which field shows an error from the core, by its code. */
export function errorFieldFor(code: string): 'amount' | 'payments' | 'general' {
  switch (code) {
    case 'AmountNotPositive':
    case 'AmountTooLarge':
    case 'InvalidAmount':
    case 'LinesMismatch':
      return 'amount';
    case 'PaymentMismatch':
    case 'InsufficientBalance':
      return 'payments';
    default:
      return 'general';
  }
}

export function buildSaleRequest(args: {
  requestId: string;
  memberId: number;
  cart: CartLine[];
  totalMinor: number;
  payments: PaymentInput[];
  keypadStampItems: number;
  redeemProgramIds: number[];
  /** Coupon codes as typed or chosen; the core folds and checks them. */
  couponCodes?: string[];
  redeemPoints?: number;
  cashier: string;
}): SaleRequest {
  const lines = cartLines(args.cart);
  return {
    requestId: args.requestId,
    memberId: args.memberId,
    totalMinor: args.totalMinor,
    lines,
    payments: args.payments,
    stampItems: lines.length > 0 ? null : Math.max(0, Math.floor(args.keypadStampItems)),
    redeemProgramIds: args.redeemProgramIds,
    couponCodes: args.couponCodes ?? [],
    redeemPoints: args.redeemPoints ?? 0,
    cashier: args.cashier,
    note: '',
  };
}
