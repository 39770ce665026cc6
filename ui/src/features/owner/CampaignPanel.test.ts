import { fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import { describe, expect, it, vi } from 'vitest';
import { fakeBackend, offer } from '../../test/fixtures';
import type { Backend } from '../../lib/types';
import type { CampaignIssued } from '../../lib/bindings/CampaignIssued';
import CampaignPanel from './CampaignPanel.svelte';

const money = (m: number) => `$${m.toLocaleString('en')}`;
const everyone = Array.from({ length: 1234 }, (_, i) => i + 1);

function renderPanel(overrides: Partial<Backend> = {}) {
  const backend = fakeBackend({
    listOffers: vi.fn(async () => [offer({ id: 9, name: '停用的', active: false }), offer()]),
    ownerListMembers: vi.fn(async () => everyone),
    ...overrides,
  });
  const onIssued = vi.fn<(issued: CampaignIssued) => void>();
  render(CampaignPanel, {
    backend,
    list: { kind: 'lapsed' },
    filter: { tags: ['上班族'], tiers: [], segments: [], limit: 50, offset: 50 },
    listTitle: '流失預警',
    today: '2026-12-01',
    total: 1234,
    money,
    onIssued,
  });
  return { backend, onIssued };
}

async function open() {
  const details = screen.getByTestId('campaign') as HTMLDetailsElement;
  details.open = true;
  await fireEvent(details, new Event('toggle'));
  return screen.findByTestId('campaign-offer');
}

describe('CampaignPanel', () => {
  it('shows how many members and the most it can cost before anything is issued, then issues to the whole list once', async () => {
    const { backend, onIssued } = renderPanel();
    const select = (await open()) as HTMLSelectElement;
    expect([...select.options].map((o) => o.textContent)).toEqual(['回娘家折50']);
    expect((screen.getByTestId('campaign-name') as HTMLInputElement).value).toBe('流失預警 2026-12-01');
    expect(screen.queryByTestId('campaign-issue')).toBeNull();

    await fireEvent.click(screen.getByTestId('campaign-preview'));
    const figures = await screen.findByTestId('campaign-figures');
    expect(figures.textContent).toBe('將發給 1,234 位會員，最多折抵 $61,700');
    expect(backend.ownerListMembers).toHaveBeenCalledWith({ kind: 'lapsed' }, expect.objectContaining({ tags: ['上班族'] }));
    expect(backend.campaignPreview).toHaveBeenCalledWith(1, everyone);
    expect(backend.issueCampaign).not.toHaveBeenCalled();

    const confirm = screen.getByTestId('campaign-issue');
    expect(confirm.textContent?.trim()).toBe('確認發出 1,234 張');
    await fireEvent.click(confirm);
    await fireEvent.click(confirm);
    await waitFor(() => expect(onIssued).toHaveBeenCalledTimes(1));
    expect(backend.issueCampaign).toHaveBeenCalledTimes(1);
    expect(backend.issueCampaign).toHaveBeenCalledWith(
      expect.objectContaining({ name: '流失預警 2026-12-01', offerId: 1, memberIds: everyone, listName: 'lapsed' }),
    );
    expect(onIssued).toHaveBeenCalledWith({ campaignId: 1, name: '流失預警 2026-12-01', offerId: 1, issued: 1234 });
    expect(screen.queryByTestId('campaign-issue')).toBeNull();
  });

  it('a second attempt after a failure carries the same request only when it is the same attempt', async () => {
    const issueCampaign = vi
      .fn()
      .mockRejectedValueOnce({ code: 'OfferPaused', message: '', details: { offer: '回娘家折50' } })
      .mockResolvedValueOnce({ campaignId: 2, name: 'x', offerId: 1, issued: 1234 });
    renderPanel({ issueCampaign });
    await open();
    await fireEvent.click(screen.getByTestId('campaign-preview'));
    await fireEvent.click(await screen.findByTestId('campaign-issue'));
    expect((await screen.findByTestId('campaign-issue-error')).textContent).toBe('優惠方案「回娘家折50」已暫停：重新啟用才能發券。');
    await fireEvent.click(screen.getByTestId('campaign-issue'));
    await waitFor(() => expect(issueCampaign).toHaveBeenCalledTimes(2));
    // A refusal wrote nothing, so the next attempt is a new request.
    expect(issueCampaign.mock.calls[0][0].requestId).not.toBe(issueCampaign.mock.calls[1][0].requestId);
  });

  it('changing the name after the preview asks for the preview again', async () => {
    const { backend } = renderPanel();
    await open();
    await fireEvent.click(screen.getByTestId('campaign-preview'));
    await screen.findByTestId('campaign-issue');
    await fireEvent.input(screen.getByTestId('campaign-name'), { target: { value: '冬季回流' } });
    expect(screen.queryByTestId('campaign-issue')).toBeNull();
    await fireEvent.click(screen.getByTestId('campaign-preview'));
    await fireEvent.click(await screen.findByTestId('campaign-issue'));
    await waitFor(() => expect(backend.issueCampaign).toHaveBeenCalledWith(expect.objectContaining({ name: '冬季回流' })));
  });

  it('an extra-stamps offer is previewed by its stamps, not by an amount of nothing', async () => {
    renderPanel({ campaignPreview: vi.fn(async (offerId: number, ids: number[]) => ({ offerId, members: ids.length, mostCostMinor: 0, mostStamps: 2 * ids.length })) });
    await open();
    await fireEvent.click(screen.getByTestId('campaign-preview'));
    expect((await screen.findByTestId('campaign-figures')).textContent).toBe('將發給 1,234 位會員，最多加送 2,468 點');
  });

  it('says so when there is no offer to issue', async () => {
    renderPanel({ listOffers: vi.fn(async () => []) });
    const details = screen.getByTestId('campaign') as HTMLDetailsElement;
    details.open = true;
    await fireEvent(details, new Event('toggle'));
    expect((await screen.findByTestId('campaign-no-offers')).textContent).toContain('設定 → 優惠券方案');
  });
});
