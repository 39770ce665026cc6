import { fireEvent, render, screen, waitFor, within } from '@testing-library/svelte';
import { describe, expect, it, vi } from 'vitest';
import { fakeBackend, offer, TWD } from '../../test/fixtures';
import type { Backend } from '../../lib/types';
import OffersPanel from './OffersPanel.svelte';

const money = (m: number) => `$${m.toLocaleString('en')}`;

function renderPanel(overrides: Partial<Backend> = {}) {
  const backend = fakeBackend({
    listOffers: vi.fn(async () => [
      offer({ minSpendMinor: 200 }),
      offer({ id: 3, name: '新品九折', kind: 'percentOff', amountOffMinor: undefined, percentOff: 10, capMinor: 100, validDays: undefined, validFrom: '2026-12-01', validUntil: '2026-12-31', combinable: true, active: false }),
      offer({ id: 4, name: '送紅茶', kind: 'freeItem', amountOffMinor: undefined, productId: 7 }),
      offer({ id: 5, name: '集點加倍', kind: 'extraStamps', amountOffMinor: undefined, programId: 2, extraStamps: 2 }),
    ]),
    listProducts: vi.fn(async () => [{ id: 7, name: '紅茶', priceMinor: 30, earnsStamps: true, active: true, category: '', sortOrder: 1 }]),
    listPrograms: vi.fn(async () => [
      { id: 2, name: '飲料卡', stampsNeeded: 10, rewardText: '任選飲品一杯', earnRule: { kind: 'perItem' as const }, expiryDays: null, active: true },
    ]),
    ...overrides,
  });
  render(OffersPanel, { backend, currency: TWD, money });
  return backend;
}

describe('OffersPanel', () => {
  it('lists each offer in words: what it gives, the minimum spend, how long, whether it combines, paused', async () => {
    renderPanel();
    const rows = await screen.findAllByTestId('offer');
    expect(rows.map((r) => within(r).getByTestId('offer-terms').textContent)).toEqual([
      '折 $50 · 滿 $200 可用 · 發券後 30 天內有效 · 不可併用',
      '折扣 10%，最多折 $100 · 不限消費 · 2026-12-01 至 2026-12-31 有效 · 可併用',
      '送 紅茶 · 不限消費 · 發券後 30 天內有效 · 不可併用',
      '飲料卡加送 2 點 · 不限消費 · 發券後 30 天內有效 · 不可併用',
    ]);
    expect(within(rows[1]).getByTestId('offer-paused').textContent).toBe('已暫停');
    expect(within(rows[0]).queryByTestId('offer-paused')).toBeNull();
  });

  it('adds an amount-off offer with only its own fields and one validity', async () => {
    const backend = renderPanel();
    await screen.findAllByTestId('offer');
    await fireEvent.input(screen.getByTestId('offer-name'), { target: { value: '開幕折50' } });
    await fireEvent.input(screen.getByTestId('offer-amount'), { target: { value: '５０' } });
    await fireEvent.input(screen.getByTestId('offer-min-spend'), { target: { value: '200' } });
    await fireEvent.submit(screen.getByTestId('offer-form'));
    await waitFor(() =>
      expect(backend.addOffer).toHaveBeenCalledWith({
        name: '開幕折50',
        kind: 'amountOff',
        amountOffMinor: 50,
        minSpendMinor: 200,
        validDays: 30,
        combinable: false,
      }),
    );
    expect((await screen.findByTestId('offer-notice')).textContent).toBe('已新增方案「開幕折50」。');
  });

  it('a percent offer needs its cap: nothing is sent without it', async () => {
    const backend = renderPanel();
    await screen.findAllByTestId('offer');
    await fireEvent.input(screen.getByTestId('offer-name'), { target: { value: '九折' } });
    await fireEvent.change(screen.getByTestId('offer-kind'), { target: { value: 'percentOff' } });
    expect(screen.queryByTestId('offer-amount')).toBeNull();
    await fireEvent.input(screen.getByTestId('offer-percent'), { target: { value: '10' } });
    await fireEvent.submit(screen.getByTestId('offer-form'));
    expect((await screen.findByTestId('offer-error')).textContent).toBe('請填寫最多折抵金額。');
    expect(backend.addOffer).not.toHaveBeenCalled();
    await fireEvent.input(screen.getByTestId('offer-cap'), { target: { value: '100' } });
    await fireEvent.submit(screen.getByTestId('offer-form'));
    await waitFor(() =>
      expect(backend.addOffer).toHaveBeenCalledWith(expect.objectContaining({ kind: 'percentOff', percentOff: 10, capMinor: 100 })),
    );
    expect(vi.mocked(backend.addOffer).mock.calls[0][0]).not.toHaveProperty('amountOffMinor');
  });

  it('a free item is chosen from the catalogue as it is now, a product added above included', async () => {
    const backend = renderPanel();
    await screen.findAllByTestId('offer');
    vi.mocked(backend.listProducts).mockResolvedValue([
      { id: 7, name: '紅茶', priceMinor: 30, earnsStamps: true, active: true, category: '', sortOrder: 1 },
      { id: 8, name: '綠茶', priceMinor: 35, earnsStamps: true, active: true, category: '', sortOrder: 2 },
    ]);
    await fireEvent.input(screen.getByTestId('offer-name'), { target: { value: '送綠茶' } });
    await fireEvent.change(screen.getByTestId('offer-kind'), { target: { value: 'freeItem' } });
    await waitFor(() => expect(within(screen.getByTestId('offer-product')).getAllByRole('option')).toHaveLength(3));
    await fireEvent.change(screen.getByTestId('offer-product'), { target: { value: '8' } });
    await fireEvent.submit(screen.getByTestId('offer-form'));
    await waitFor(() =>
      expect(backend.addOffer).toHaveBeenCalledWith({ name: '送綠茶', kind: 'freeItem', productId: 8, minSpendMinor: 0, validDays: 30, combinable: false }),
    );
  });

  it('edit keeps the id: the terms are replaced on the same offer, fixed dates read as typed', async () => {
    const backend = renderPanel();
    const rows = await screen.findAllByTestId('offer');
    await fireEvent.click(within(rows[0]).getByTestId('offer-edit'));
    expect((screen.getByTestId('offer-name') as HTMLInputElement).value).toBe('回娘家折50');
    expect((screen.getByTestId('offer-amount') as HTMLInputElement).value).toBe('50');
    expect((screen.getByTestId('offer-min-spend') as HTMLInputElement).value).toBe('200');
    await fireEvent.input(screen.getByTestId('offer-amount'), { target: { value: '60' } });
    await fireEvent.click(screen.getByTestId('offer-by-dates'));
    await fireEvent.input(screen.getByTestId('offer-from'), { target: { value: '2026/12/01' } });
    await fireEvent.input(screen.getByTestId('offer-until'), { target: { value: '2026/12/31' } });
    await fireEvent.submit(screen.getByTestId('offer-form'));
    await waitFor(() =>
      expect(backend.editOffer).toHaveBeenCalledWith(1, {
        name: '回娘家折50',
        kind: 'amountOff',
        amountOffMinor: 60,
        minSpendMinor: 200,
        validFrom: '2026-12-01',
        validUntil: '2026-12-31',
        combinable: false,
      }),
    );
    expect(backend.addOffer).not.toHaveBeenCalled();
    expect((await screen.findByTestId('offer-notice')).textContent).toBe('已儲存方案「回娘家折50」。');
  });

  it("shows the core's refusal translated, and pauses or resumes an offer", async () => {
    const backend = renderPanel({
      addOffer: vi.fn(async () =>
        Promise.reject({ code: 'InvalidInput', message: '', details: { field: 'valid until', rule: 'endsBeforeStart' } }),
      ),
    });
    const rows = await screen.findAllByTestId('offer');
    await fireEvent.input(screen.getByTestId('offer-name'), { target: { value: '跨年' } });
    await fireEvent.input(screen.getByTestId('offer-amount'), { target: { value: '30' } });
    await fireEvent.submit(screen.getByTestId('offer-form'));
    expect((await screen.findByTestId('offer-error')).textContent).toBe('最後一天不能早於開始日。');
    await fireEvent.click(within(rows[1]).getByTestId('offer-toggle'));
    await waitFor(() => expect(backend.setOfferActive).toHaveBeenCalledWith(3, true));
    await fireEvent.click(within(rows[0]).getByTestId('offer-toggle'));
    await waitFor(() => expect(backend.setOfferActive).toHaveBeenCalledWith(1, false));
  });
});
