import { fireEvent, render, screen } from '@testing-library/svelte';
import { describe, expect, it, vi } from 'vitest';
import { fakeBackend } from '../../test/fixtures';
import ReferralsPanel from './ReferralsPanel.svelte';

describe('Referrals in the owner view', () => {
  it('names who brought whom with what they spent, and opens the referrer', async () => {
    const backend = fakeBackend({
      referralReport: vi.fn(async () => ({
        settings: { kind: 'points' as const, offerId: null, points: 50, programId: null, stamps: 0 },
        referred: 1234,
        referredSpendMinor: 560000,
        rows: [{ memberId: 7, memberNo: 'M000007', name: '陳怡君', referred: 12, referredBuying: 9, referredSpendMinor: 45600, rewards: 9 }],
      })),
    });
    const onOpenMember = vi.fn();
    render(ReferralsPanel, { backend, money: (m: number) => `$${m.toLocaleString('en')}`, onOpenMember });
    expect((await screen.findByTestId('referrals-summary')).textContent?.trim()).toBe('共 1,234 位會員是被推薦來的，累計消費 $560,000。');
    const row = screen.getByTestId('referrer-row');
    expect([...row.querySelectorAll('td')].map((td) => td.textContent?.replace(/\s+/g, ' ').trim())).toEqual([
      '陳怡君 M000007',
      '12',
      '9',
      '$45,600',
      '9',
    ]);
    await fireEvent.click(screen.getByText('陳怡君'));
    expect(onOpenMember).toHaveBeenCalledWith(7);
  });
});
