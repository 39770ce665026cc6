import { fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import { describe, expect, it, vi } from 'vitest';
import { formatMoney } from '../../lib/money';
import { fakeBackend, TWD } from '../../test/fixtures';
import PointsPanel from './PointsPanel.svelte';

function setup(overrides = {}) {
  const backend = fakeBackend({
    getPointsSettings: vi.fn(async () => ({ earnPerMinor: 0, pointValueMinor: 1, maxRedeemPercent: 100, birthdayMultiplierPct: 100 })),
    setPointsSettings: vi.fn(async (settings) => settings),
    ...overrides,
  });
  render(PointsPanel, { backend, currency: TWD, money: (m: number) => formatMoney(m, TWD, 'zh-TW'), today: '2026-12-07' });
  return backend;
}

describe('The points rules', () => {
  it('turns points on with their expiry, share of a bill and birthday multiplier, and says when points lapse', async () => {
    const backend = setup();
    await waitFor(() => expect(backend.getPointsSettings).toHaveBeenCalled());
    expect(screen.getByTestId('points-example').textContent?.trim()).toBe('點數永不到期。');
    await fireEvent.input(screen.getByTestId('points-earn-per'), { target: { value: '１００' } });
    await fireEvent.input(screen.getByTestId('points-share'), { target: { value: '50' } });
    await fireEvent.change(screen.getByTestId('points-birthday'), { target: { value: '200' } });
    await fireEvent.click(screen.getByTestId('points-lapse'));
    await fireEvent.input(screen.getByTestId('points-months'), { target: { value: '12' } });
    expect(screen.getByTestId('points-example').textContent?.trim()).toBe('例：2026-12-07 得到的點數可用到 2027-12-31。');
    await fireEvent.click(screen.getByTestId('points-save'));
    await waitFor(() =>
      expect(backend.setPointsSettings).toHaveBeenCalledWith({
        earnPerMinor: 100,
        pointValueMinor: 1,
        expiryMonths: 12,
        maxRedeemPercent: 50,
        birthdayMultiplierPct: 200,
      }),
    );
    expect(await screen.findByTestId('points-saved')).toBeTruthy();
  });

  it('refuses an unreadable share before asking the core, and shows the core refusal translated', async () => {
    const refuse = vi.fn(async () => {
      throw { code: 'InvalidInput', message: '', details: { field: 'points share of a bill', rule: 'range', min: '1', max: '100' } };
    });
    const backend = setup({ setPointsSettings: refuse });
    await waitFor(() => expect(backend.getPointsSettings).toHaveBeenCalled());
    await fireEvent.input(screen.getByTestId('points-share'), { target: { value: '一半' } });
    await fireEvent.click(screen.getByTestId('points-save'));
    expect(screen.getByTestId('points-unreadable').textContent).toContain('1 到 100');
    expect(refuse).not.toHaveBeenCalled();
    await fireEvent.input(screen.getByTestId('points-share'), { target: { value: '0' } });
    await fireEvent.click(screen.getByTestId('points-save'));
    expect((await screen.findByTestId('points-error')).textContent).not.toContain('points share');
  });
});
