// The checkout's state as pure functions: the cart (catalogue items or a
// keypad amount), the payment split, and the stamps a sale will earn. The
// core decides; these only show the cashier what it will decide.
import { parseAmount } from '../../lib/input';
import type {
  EarnRule,
  LineInput,
  PaymentInput,
  PaymentMethod,
  Product,
  SaleRequest,
  StampCardView,
  StampProgram,
} from '../../lib/types';

export const PAYMENT_METHODS: PaymentMethod[] = ['cash', 'card', 'storedValue', 'other'];

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

/** Items that earn stamps: from the cart, or the count entered with a keypad amount. */
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

/** What each active program's card will show after the sale (rewards redeemed take `stampsNeeded` each). */
export function stampsPreview(
  programs: StampProgram[],
  cards: StampCardView[],
  totalMinor: number,
  items: number,
  redeemProgramIds: number[],
): StampPreview[] {
  return programs
    .filter((program) => program.active)
    .map((program) => {
      const card = cards.find((c) => c.programId === program.id);
      const before = card?.stamps ?? 0;
      const earned = totalMinor > 0 ? stampsFor(program.earnRule, totalMinor, items) : 0;
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
 * The payment split. One method is the "rest" method: it takes whatever the
 * other methods' typed amounts leave of the total. The others are typed.
 */
export interface PaymentSplit {
  rest: PaymentMethod;
  typed: Partial<Record<PaymentMethod, string>>;
}

export function singleMethod(method: PaymentMethod): PaymentSplit {
  return { rest: method, typed: {} };
}

export interface SplitResult {
  payments: PaymentInput[];
  /** Per method, the amount it pays (the rest method's computed). */
  amounts: Record<PaymentMethod, number>;
  /** Methods whose typed text is not an amount. */
  unreadable: PaymentMethod[];
}

export function resolvePayments(split: PaymentSplit, totalMinor: number, minorDigits: number): SplitResult {
  const amounts: Record<PaymentMethod, number> = { cash: 0, card: 0, storedValue: 0, other: 0 };
  const unreadable: PaymentMethod[] = [];
  let typedSum = 0;
  for (const method of PAYMENT_METHODS) {
    if (method === split.rest) continue;
    const text = split.typed[method] ?? '';
    if (text.trim() === '') continue;
    const minor = parseAmount(text, minorDigits);
    if (minor === null) {
      unreadable.push(method);
      continue;
    }
    amounts[method] = minor;
    typedSum += minor;
  }
  amounts[split.rest] = Math.max(0, totalMinor - typedSum);
  const payments = PAYMENT_METHODS.filter((method) => amounts[method] > 0).map((method) => ({
    method,
    amountMinor: amounts[method],
  }));
  return { payments, amounts, unreadable };
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
    cashier: args.cashier,
    note: '',
  };
}
