import { describe, expect, it } from 'vitest';
import { formatDate, formatDateTime, formatIsoDateTime } from './time';

describe('time formatting', () => {
  // 2025-03-01 16:30 UTC is already 2 March in Taipei (UTC+8).
  const lateEvening = Date.UTC(2025, 2, 1, 16, 30);

  it('uses the shop time zone, not the machine one', () => {
    expect(formatDate(lateEvening, 'Asia/Taipei', 'en')).toBe('03/02/2025');
    expect(formatDate(lateEvening, 'America/New_York', 'en')).toBe('03/01/2025');
  });

  it('shows the local time of day', () => {
    expect(formatDateTime(lateEvening, 'Asia/Taipei', 'en')).toContain('00:30');
  });

  it('writes ISO day and time for the owner\'s tables, in any language', () => {
    expect(formatIsoDateTime(lateEvening, 'Asia/Taipei')).toBe('2025-03-02 00:30');
    expect(formatIsoDateTime(lateEvening, 'America/New_York')).toBe('2025-03-01 11:30');
  });
});
