import { fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import { describe, expect, it, vi } from 'vitest';
import { formatMoney } from '../../lib/money';
import { fakeBackend, ownerSettings, TWD } from '../../test/fixtures';
import TierSettings from './TierSettings.svelte';

const OWNER = ownerSettings();

function renderTiers(overrides = {}) {
  const backend = fakeBackend({ getOwnerSettings: vi.fn(async () => OWNER), updateOwnerSettings: vi.fn(async () => OWNER), ...overrides });
  render(TierSettings, { backend, currency: TWD, money: (m: number) => formatMoney(m, TWD, 'zh-TW') });
  return backend;
}

describe('TierSettings', () => {
  it('adds a tier with an exact amount and saves the whole list', async () => {
    const backend = renderTiers();
    await waitFor(() => expect(screen.getAllByTestId('tier-row').length).toBe(1));
    await fireEvent.click(screen.getByTestId('tier-add'));
    const names = screen.getAllByTestId('tier-name');
    const mins = screen.getAllByTestId('tier-min');
    await fireEvent.input(names[1], { target: { value: 'VIP' } });
    await fireEvent.input(mins[1], { target: { value: '２０，０００' } });
    // 金卡 keeps its ×1.5; VIP earns double points.
    const multipliers = screen.getAllByTestId('tier-points') as HTMLSelectElement[];
    expect(multipliers[0].selectedOptions[0].textContent).toBe('× 1.5');
    await fireEvent.change(multipliers[1], { target: { value: '200' } });
    await fireEvent.click(screen.getByTestId('tier-save'));
    await waitFor(() =>
      expect(backend.setTiers).toHaveBeenCalledWith([
        { name: '金卡', minSpendMinor: 5000, pointsMultiplierPct: 150 },
        { name: 'VIP', minSpendMinor: 20000, pointsMultiplierPct: 200 },
      ]),
    );
  });

  it('refuses an unreadable amount before asking the core', async () => {
    const backend = renderTiers();
    await waitFor(() => expect(screen.getAllByTestId('tier-row').length).toBe(1));
    await fireEvent.input(screen.getByTestId('tier-min'), { target: { value: '五千' } });
    await fireEvent.click(screen.getByTestId('tier-save'));
    expect(screen.getByTestId('tier-error').textContent).toBe('金額「五千」看不懂。');
    expect(backend.setTiers).not.toHaveBeenCalled();
  });

  it('previews the tier review, then applies it', async () => {
    const change = { memberId: 4, memberNo: 'M000004', name: '張雅婷', fromTier: '金卡', toTier: null, spendMinor: 1200, reason: 'review', changedAt: 0 };
    const backend = renderTiers({ tierReview: vi.fn(async () => [change]) });
    await fireEvent.click(await screen.findByTestId('tier-review'));
    await waitFor(() => expect(screen.getByTestId('tier-review-result').textContent).toContain('張雅婷 (M000004): 金卡 → 無等級 · $1,200'));
    expect(backend.tierReview).toHaveBeenLastCalledWith(false);
    const apply = screen.getByTestId('tier-apply');
    await fireEvent.click(apply);
    await fireEvent.click(apply);
    await waitFor(() => expect(backend.tierReview).toHaveBeenLastCalledWith(true));
    expect(backend.tierReview).toHaveBeenCalledTimes(2); // the preview, then one apply
    expect(screen.getByRole('status').textContent).toContain('已調整 1 位會員的等級');
  });

  it('saves the sleeping thresholds and shows a refusal translated', async () => {
    const updateOwnerSettings = vi.fn(async () => {
      throw {
        code: 'InvalidInput',
        message: '',
        details: { field: 'sleeping days', reason: '…', rule: 'rising', min: '1', max: '3650' },
      };
    });
    renderTiers({ updateOwnerSettings });
    const s1 = await screen.findByTestId('s1-days');
    await fireEvent.input(s1, { target: { value: '90' } });
    await fireEvent.input(screen.getByTestId('s1-pct'), { target: { value: '200' } });
    await fireEvent.click(screen.getByTestId('segment-save'));
    await waitFor(() => expect(screen.getByTestId('segment-error').textContent).toBe('瞌睡、半睡、沉睡的天數須一個比一個大，並介於 1 到 3650 之間。'));
    expect(updateOwnerSettings).toHaveBeenCalledWith(expect.objectContaining({ s1Days: 90, s2Days: 60, tierBasis: 'rolling', s1Pct: 200, s2Pct: 250, minHistoryVisits: 3 }));
  });
});
