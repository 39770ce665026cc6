// The top-up bonus the shop's rules give (the core's wallet::bonus_for):
// the rule with the highest threshold reached applies; rules do not stack.
import type { BonusRule } from '../../lib/bindings/BonusRule';

export function bonusFor(rules: BonusRule[], paidMinor: number): number {
  let best: BonusRule | null = null;
  for (const rule of rules) {
    if (paidMinor >= rule.minPaidMinor && (best === null || rule.minPaidMinor > best.minPaidMinor)) best = rule;
  }
  if (best === null) return 0;
  // Basis points of the paid amount, rounded down, in integers.
  return best.bonusMinor + Math.floor((paidMinor * best.bonusBp) / 10_000);
}

/** Quick amounts: each rule's threshold, then round amounts, without duplicates, ascending. */
export function quickAmounts(rules: BonusRule[], minorDigits: number): number[] {
  const unit = 10 ** minorDigits;
  const amounts = new Set<number>([...rules.map((r) => r.minPaidMinor), 500 * unit, 1000 * unit, 2000 * unit]);
  return [...amounts].sort((a, b) => a - b).slice(0, 6);
}
