import { describe, expect, it } from 'vitest';
import { formatMoney, minorToDecimalString } from './money';
import { HKD, TWD } from '../test/fixtures';

describe('minorToDecimalString', () => {
  it('places the decimal point by the currency minor digits', () => {
    expect(minorToDecimalString(123456, 2)).toBe('1234.56');
    expect(minorToDecimalString(5, 2)).toBe('0.05');
    expect(minorToDecimalString(0, 2)).toBe('0.00');
    expect(minorToDecimalString(-150, 2)).toBe('-1.50');
    expect(minorToDecimalString(1200, 0)).toBe('1200');
  });

  it('is exact for the largest safe integer', () => {
    expect(minorToDecimalString(Number.MAX_SAFE_INTEGER, 2)).toBe('90071992547409.91');
  });

  it('rejects amounts a JavaScript number cannot hold exactly', () => {
    expect(() => minorToDecimalString(2 ** 53, 0)).toThrow(RangeError);
    expect(() => minorToDecimalString(1.5, 0)).toThrow(RangeError);
  });
});

describe('formatMoney', () => {
  it('shows Taiwan dollars without decimals', () => {
    expect(formatMoney(12000, TWD, 'zh-TW')).toBe('$12,000');
  });

  it('shows Hong Kong dollars with two decimals', () => {
    expect(formatMoney(123450, HKD, 'en')).toBe('$1,234.50');
  });

  it('keeps the sign of refunds', () => {
    expect(formatMoney(-50, TWD, 'en')).toMatch(/^-.*50$/);
  });
});
