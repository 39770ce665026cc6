import { describe, expect, it } from 'vitest';
import { dueAfterDiscounts, parsePoints, toggleCode } from './discounts';

describe('discounts', () => {
  it('reads points typed, full-width too; empty is none, anything else unreadable', () => {
    expect(parsePoints('')).toBe(0);
    expect(parsePoints(' 30 ')).toBe(30);
    expect(parsePoints('３０')).toBe(30);
    expect(parsePoints('2.5')).toBeNull();
    expect(parsePoints('-3')).toBeNull();
    expect(parsePoints('abc')).toBeNull();
  });

  it('never shows less than nothing to pay', () => {
    expect(dueAfterDiscounts(200, 50, 30)).toBe(120);
    expect(dueAfterDiscounts(40, 50, 0)).toBe(0);
  });

  it('adds a code once and takes it out', () => {
    expect(toggleCode(['A'], 'B', true)).toEqual(['A', 'B']);
    expect(toggleCode(['A', 'B'], 'A', true)).toEqual(['B', 'A']);
    expect(toggleCode(['A', 'B'], 'A', false)).toEqual(['B']);
  });
});
