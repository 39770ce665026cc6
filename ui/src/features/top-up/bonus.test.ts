import { describe, expect, it } from 'vitest';
import type { BonusRule } from '../../lib/bindings/BonusRule';
import { bonusFor, quickAmounts } from './bonus';

const rule = (minPaidMinor: number, bonusMinor: number, bonusBp = 0, id = minPaidMinor): BonusRule => ({
  id,
  minPaidMinor,
  bonusMinor,
  bonusBp,
});

describe('top-up bonus', () => {
  it('applies the highest threshold reached, without stacking', () => {
    const rules = [rule(500, 30), rule(1000, 100), rule(2000, 300)];
    expect(bonusFor(rules, 499)).toBe(0);
    expect(bonusFor(rules, 500)).toBe(30);
    expect(bonusFor(rules, 1000)).toBe(100);
    expect(bonusFor(rules, 1999)).toBe(100);
    expect(bonusFor(rules, 5000)).toBe(300);
  });

  it('adds basis points of the paid amount, rounded down', () => {
    expect(bonusFor([rule(100, 5, 250)], 999)).toBe(5 + 24);
  });

  it('offers the thresholds and round amounts as quick buttons', () => {
    expect(quickAmounts([rule(1000, 100), rule(3000, 500)], 0)).toEqual([500, 1000, 2000, 3000]);
    expect(quickAmounts([], 2)).toEqual([50000, 100000, 200000]);
  });
});
