// Paying stored value back and correcting it: what the cashier types and
// what the wallet will hold afterwards. The core decides; these only
// preview its rules (a refund pays out the paid part only, and a refund of
// all of it forfeits the bonus; a correction never takes a part below 0).
import { parseAmount, toHalfWidth } from '../../lib/input';
import type { Wallet } from '../../lib/bindings/Wallet';

/**
 * A signed amount typed for a correction: "+100", "-100", "−100", "－１００".
 * Empty reads as 0; null when it is not an amount.
 */
export function parseSignedAmount(text: string, minorDigits: number): number | null {
  const cleaned = toHalfWidth(text).replace(/[\uFF0D\u2212\u2013]/g, '-').replace(/\uFF0B/g, '+').trim();
  if (cleaned === '') return 0;
  const sign = cleaned[0] === '-' ? -1 : 1;
  const body = cleaned[0] === '-' || cleaned[0] === '+' ? cleaned.slice(1) : cleaned;
  const minor = parseAmount(body, minorDigits);
  return minor === null ? null : sign * minor || 0;
}

export interface RefundPreview {
  /** More than the paid part: the core would refuse it. */
  tooMuch: boolean;
  /** The bonus forfeited because the whole paid part is paid out. */
  forfeitMinor: number;
  after: Wallet;
}

export function refundPreview(wallet: Wallet, amountMinor: number): RefundPreview {
  const tooMuch = amountMinor > wallet.paidMinor;
  const forfeitMinor = !tooMuch && amountMinor === wallet.paidMinor ? wallet.bonusMinor : 0;
  const paidMinor = wallet.paidMinor - amountMinor;
  const bonusMinor = wallet.bonusMinor - forfeitMinor;
  return { tooMuch, forfeitMinor, after: { paidMinor, bonusMinor, totalMinor: paidMinor + bonusMinor } };
}

export function adjustedWallet(wallet: Wallet, paidDeltaMinor: number, bonusDeltaMinor: number): Wallet {
  const paidMinor = wallet.paidMinor + paidDeltaMinor;
  const bonusMinor = wallet.bonusMinor + bonusDeltaMinor;
  return { paidMinor, bonusMinor, totalMinor: paidMinor + bonusMinor };
}
