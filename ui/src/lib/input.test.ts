import { describe, expect, it } from 'vitest';
import { amountToInput, displayPhone, parseAmount, phoneDigits, prefillFromQuery, toHalfWidth } from './input';

describe('parseAmount', () => {
  function check(text: string, minorDigits: number, expected: number | null) {
    expect(parseAmount(text, minorDigits), `${JSON.stringify(text)} with ${minorDigits} decimals`).toBe(expected);
  }

  it('turns major units into exact minor units', () => {
    check('150', 0, 150);
    check('1,000', 0, 1000);
    check(' 1 000 ', 0, 1000);
    check('12.5', 2, 1250);
    check('12.50', 2, 1250);
    check('0.07', 2, 7);
    check('0.29', 2, 29); // 0.29 * 100 is 28.999… as a float
    check('1.005', 3, 1005);
    check('12.', 2, 1200);
    check('007', 0, 7);
  });

  it('reads full-width digits from a Chinese input method', () => {
    check('１５０', 0, 150);
    check('１２．５', 2, 1250);
  });

  it('rejects what is not a plain non-negative amount', () => {
    check('', 0, null);
    check('abc', 0, null);
    check('-5', 0, null);
    check('1e3', 0, null);
    check('12.5', 0, null); // TWD has no decimals
    check('12.345', 2, null);
    check('1.2.3', 2, null);
  });

  it('rejects amounts above the core ceiling', () => {
    check('100000000000', 0, 100_000_000_000);
    check('100000000001', 0, null);
    check('99999999999999999999', 0, null);
  });

  it('writes minor units back as typed text', () => {
    expect(amountToInput(1250, 2)).toBe('12.50');
    expect(amountToInput(7, 2)).toBe('0.07');
    expect(amountToInput(1000, 0)).toBe('1000');
  });
});

describe('phone and registration prefill', () => {
  it('takes the digits of phone-like text', () => {
    expect(phoneDigits('0912-345-678')).toBe('0912345678');
    expect(phoneDigits('+886 912 345 678')).toBe('886912345678');
    expect(phoneDigits('(02) 2345 6789')).toBe('0223456789');
    expect(phoneDigits('０９１２')).toBe('0912');
    expect(phoneDigits('王小明')).toBeNull();
    expect(phoneDigits('M000012')).toBeNull();
  });

  it('pre-fills digits as the phone and anything else as the name', () => {
    expect(prefillFromQuery(' 0912 345 678 ')).toEqual({ name: '', phone: '0912345678' });
    expect(prefillFromQuery('林美玲')).toEqual({ name: '林美玲', phone: '' });
    expect(prefillFromQuery('Amy 2')).toEqual({ name: 'Amy 2', phone: '' });
  });

  it('maps full-width punctuation', () => {
    expect(toHalfWidth('１，０００。５')).toBe('1,000.5');
  });
});

describe('displayPhone', () => {
  it('groups a bare Taiwan number and leaves anything else as entered', () => {
    expect(displayPhone('0955111222')).toBe('0955-111-222');
    expect(displayPhone('0227001234')).toBe('02-2700-1234');
    expect(displayPhone('0975-643-690')).toBe('0975-643-690');
    expect(displayPhone('+886 912 345 678')).toBe('+886 912 345 678');
    expect(displayPhone('91234567')).toBe('91234567');
  });
});
