import { describe, expect, it } from 'vitest';
import { utcOffset, zoneOffsetMs } from './places';

describe("A time zone's offset from UTC", () => {
  it('names whole, half and quarter hours, ahead and behind', () => {
    const june = Date.UTC(2026, 5, 1, 12);
    expect(utcOffset('Asia/Taipei', june)).toBe('UTC+8');
    expect(utcOffset('Asia/Kolkata', june)).toBe('UTC+5:30');
    expect(utcOffset('Asia/Kathmandu', june)).toBe('UTC+5:45');
    expect(utcOffset('America/New_York', june)).toBe('UTC-4');
  });

  it('follows daylight saving, and knows no zone the webview does not', () => {
    expect(utcOffset('America/New_York', Date.UTC(2026, 0, 15, 12))).toBe('UTC-5');
    expect(zoneOffsetMs(Date.UTC(2026, 0, 15, 12), 'America/New_York')).toBe(-5 * 3_600_000);
    expect(utcOffset('Mars/Olympus_Mons')).toBeNull();
  });
});
