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
          automatic: null,
        },
        {
          campaignId: 2,
          name: '好久不見 50 元',
          offerName: '好久不見 50 元',
          createdAt: APP_NOW,
          issued: 4,
          redeemed: 1,
          redemptionRateBp: 2500,
          discountMinor: 50,
          redeemingSalesMinor: 70,
          spend30DaysAfterMinor: 0,
          automatic: 'winBack' as const,
        },
      ]),
    });
    render(CampaignReport, { backend, timeZone: 'Asia/Taipei', money, refresh: 0 });
    const [row, automatic] = await screen.findAllByTestId('campaign-row');
    // The shop's own win-back coupons are one standing campaign, named as such.
    expect(within(automatic).getByTestId('campaign-row-name').textContent?.trim()).toBe('自動：回流券');
    expect(within(row).getByTestId('campaign-row-name').textContent?.trim()).toBe('生日（本月） 2026-12-01');
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
