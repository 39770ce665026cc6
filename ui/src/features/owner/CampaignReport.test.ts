import { render, screen, within } from '@testing-library/svelte';
import { describe, expect, it, vi } from 'vitest';
import { fakeBackend, APP_NOW } from '../../test/fixtures';
import CampaignReport from './CampaignReport.svelte';

const money = (m: number) => `$${m.toLocaleString('en')}`;

describe('CampaignReport', () => {
  it("shows each campaign's issued, redeemed, rate and money", async () => {
    const backend = fakeBackend({
      campaignReport: vi.fn(async () => [
        {
          campaignId: 1,
          name: '生日（本月） 2026-12-01',
          offerName: '生日折50',
          createdAt: APP_NOW,
          issued: 1200,
          redeemed: 3,
          redemptionRateBp: 25,
          discountMinor: 150,
          redeemingSalesMinor: 1340,
          spend30DaysAfterMinor: 12500,
        },
      ]),
    });
    render(CampaignReport, { backend, timeZone: 'Asia/Taipei', money, refresh: 0 });
    const row = await screen.findByTestId('campaign-row');
    expect(within(row).getByTestId('campaign-row-name').textContent).toBe('生日（本月） 2026-12-01');
    expect(within(row).getByTestId('campaign-row-issued').textContent).toBe('1,200');
    expect(within(row).getByTestId('campaign-row-redeemed').textContent).toBe('3');
    expect(within(row).getByTestId('campaign-row-rate').textContent).toBe('0.3%');
    expect(within(row).getByTestId('campaign-row-discount').textContent).toBe('$150');
    expect(within(row).getByTestId('campaign-row-sales').textContent).toBe('$1,340');
    expect(within(row).getByTestId('campaign-row-after').textContent).toBe('$12,500');
    expect(row.textContent).toContain('2026');
  });

  it('says when there are no campaigns yet', async () => {
    render(CampaignReport, { backend: fakeBackend(), timeZone: 'Asia/Taipei', money, refresh: 0 });
    expect((await screen.findByTestId('campaign-report-empty')).textContent).toBe('還沒有優惠券活動。');
  });
});
