import { afterEach, describe, expect, it } from 'vitest';
import { setLocale } from '../../i18n/i18n.svelte';
import { auditRow } from '../../test/fixtures';
import { ACTS, auditCsv, dayBounds } from './audit';

describe('the audit log on screen', () => {
  afterEach(() => setLocale('zh-TW'));

  it('lists every kind of row once', () => {
    expect(new Set(ACTS).size).toBe(42); // crate::staff::Act::ALL, the erase, the automatic coupons and the referrals among them
  });

  it("takes a day on the shop's clock: Taipei's 26 November starts at 16:00 UTC the day before", () => {
    expect(dayBounds('2026-11-26', 'Asia/Taipei')).toEqual({ from: Date.UTC(2026, 10, 25, 16), to: Date.UTC(2026, 10, 26, 16) });
    // A day London's clocks go back is 25 hours long.
    const { from, to } = dayBounds('2026-10-25', 'Europe/London')!;
    expect([from, (to - from) / 3_600_000]).toEqual([Date.UTC(2026, 9, 24, 23), 25]);
    expect(dayBounds('', 'Asia/Taipei')).toBeNull();
  });

  it('writes CSV with the headings in the language on screen and the times on the shop clock', () => {
    const csv = auditCsv([auditRow()], 'Asia/Taipei');
    expect(csv.split('\r\n')).toEqual([
      '編號,時間,經手人,核准人,類別,收據,會員編號,內容',
      '7,2026-11-26 10:05,小美,店長,退還儲值,42,1,"{""amount"":100}"',
      '',
    ]);
    setLocale('en');
    expect(auditCsv([], 'Asia/Taipei')).toBe('No.,Time,By,Approved by,Kind,Receipt,Member,Detail\r\n');
  });
});
