import { describe, expect, it } from 'vitest';
import { lastUsableDay, readWhole } from './points';

describe('The points rules in words', () => {
  it('names the end of the month the given number of months later, as the core dates a batch', () => {
    expect(lastUsableDay('2026-03-15', 12)).toBe('2027-03-31');
    expect(lastUsableDay('2026-12-07', 12)).toBe('2027-12-31');
    expect(lastUsableDay('2027-01-31', 1)).toBe('2027-02-28');
    expect(lastUsableDay('2028-01-01', 1)).toBe('2028-02-29');
    expect(lastUsableDay('2026-11-30', 2)).toBe('2027-01-31');
  });

  it('reads whole numbers typed in half- or full-width digits only', () => {
    expect(readWhole('１２')).toBe(12);
    expect(readWhole(' 30 ')).toBe(30);
    expect(readWhole('1.5')).toBeNull();
    expect(readWhole('')).toBeNull();
    expect(readWhole('-3')).toBeNull();
  });
});
