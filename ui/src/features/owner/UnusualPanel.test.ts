import { fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { setLocale } from '../../i18n/i18n.svelte';
import { formatMoney } from '../../lib/money';
import type { Unusual } from '../../lib/bindings/Unusual';
import { TWD, fakeBackend } from '../../test/fixtures';
import UnusualPanel from './UnusualPanel.svelte';

const money = (minor: number) => formatMoney(minor, TWD, 'en');

function finding(overrides: Partial<Unusual>): Unusual {
  return { kind: 'largeRefund', day: '2026-11-20', staff: '小美', receiptNumber: 41, memberNo: 'M000012', amountMinor: 12_000, count: 1, ...overrides };
}

const FOUND: Unusual[] = [
  finding({}),
  finding({ kind: 'otherTopUp', receiptNumber: 42, amountMinor: 3_000 }),
  finding({ kind: 'largeAdjust', staff: '店長', receiptNumber: 43, amountMinor: 1_500 }),
  finding({ kind: 'voidAfterClose', day: '2026-11-24', staff: '阿哲', receiptNumber: 57, amountMinor: 80 }),
  finding({ kind: 'busyMember', day: '2026-11-24', staff: '阿哲', receiptNumber: undefined, memberNo: 'M000009', amountMinor: 1_234_567, count: 6 }),
];

describe('UnusualPanel', () => {
  afterEach(() => setLocale('zh-TW'));

  it('names each kind in words per day and staff member, newest day first, money with separators', async () => {
    setLocale('en');
    const unusualActivity = vi.fn(async () => FOUND);
    render(UnusualPanel, { backend: fakeBackend({ unusualActivity }), currency: TWD, asOf: '2026-11-26', money });
    await waitFor(() => expect(screen.getAllByTestId('unusual-item')).toHaveLength(5));
    // The last 30 days, with the CLI's thresholds in the shop's minor units.
    expect(unusualActivity).toHaveBeenCalledWith('2026-10-27', '2026-11-26', { amountMinor: 1000, perMemberPerDay: 5 });
    expect(screen.getByTestId('unusual-total').textContent).toBe('5 items');
    const staff = screen.getAllByTestId('unusual-staff').map((s) => s.textContent);
    expect(staff).toEqual(['阿哲', '小美', '店長']);
    const items = screen.getAllByTestId('unusual-item').map((li) => li.textContent?.replace(/\s+/g, ' ').trim());
    expect(items[0]).toBe('Void after the count A receipt of $80 voided after its day\'s drawer was counted receipt #57 · member M000012');
    expect(items[1]).toBe('Member served often Served 6 times in one day, $1,234,567 in all member M000009');
    expect(items[2]).toContain('Large refund Stored value refunded: $12,000 receipt #41');
    expect(items[3]).toContain('Top-up paid "Other" Top-up of $3,000 paid with "Other"');
    expect(items[4]).toContain('Large correction Stored value corrected by $1,500');
    expect(screen.getByText(/refunds and stored-value corrections of \$1,000 or more/)).toBeTruthy();
  });

  it('says when nothing is unusual, and asks the core again for another range', async () => {
    const unusualActivity = vi.fn(async (): Promise<Unusual[]> => []);
    render(UnusualPanel, { backend: fakeBackend({ unusualActivity }), currency: TWD, asOf: '2026-11-26', money });
    expect((await screen.findByTestId('unusual-empty')).textContent).toBe('2026-10-27 到 2026-11-26 沒有異常紀錄。');
    expect(screen.queryAllByTestId('unusual-item')).toHaveLength(0);
    await fireEvent.input(screen.getByTestId('unusual-from'), { target: { value: '2026-11-01' } });
    await waitFor(() => expect(unusualActivity).toHaveBeenLastCalledWith('2026-11-01', '2026-11-26', expect.anything()));
    await fireEvent.input(screen.getByTestId('unusual-from'), { target: { value: '2026-12-01' } });
    expect((await screen.findByTestId('unusual-backwards')).textContent).toBe('開始日期在結束日期之後，請調整日期。');
    expect(screen.queryByTestId('unusual-empty')).toBeNull();
    expect(unusualActivity).toHaveBeenCalledTimes(2);
  });

  it('shows a cashier refused by the core the translated reason', async () => {
    const unusualActivity = vi.fn(async () =>
      Promise.reject({ code: 'PermissionDenied', message: '', details: { act: 'ownerLists', needed: 'manager', role: 'cashier' } }),
    );
    render(UnusualPanel, { backend: fakeBackend({ unusualActivity }), currency: TWD, asOf: '2026-11-26', money });
    expect((await screen.findByTestId('unusual-error')).textContent).toContain('收銀員不能');
    expect(screen.queryByTestId('unusual-empty')).toBeNull();
  });
});
