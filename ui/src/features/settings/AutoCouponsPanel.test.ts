import { fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import { describe, expect, it, vi } from 'vitest';
import { fakeBackend, offer } from '../../test/fixtures';
import AutoCouponsPanel from './AutoCouponsPanel.svelte';

function setup(overrides = {}) {
  const backend = fakeBackend({
    listOffers: vi.fn(async () => [offer({ id: 4, name: '生日禮 100 元' }), offer({ id: 5, name: '停用', active: false })]),
    ...overrides,
  });
  render(AutoCouponsPanel, { backend, money: (m: number) => `$${m}` });
  return backend;
}

describe('Automatic coupons', () => {
  it('shows each kind off, turns the birthday coupon on with an offer and its days before', async () => {
    const backend = setup();
    const rows = await screen.findAllByTestId('auto-coupon');
    expect(rows.map((r) => r.querySelector('strong')?.textContent)).toEqual(['生日券', '歡迎券', '回流券']);
    expect(screen.getAllByTestId('auto-coupon-state').map((s) => s.textContent?.trim())).toEqual(['關閉中', '關閉中', '關閉中']);
    // Without an offer it cannot be turned on; a paused offer is not offered.
    const toggle = screen.getAllByTestId('auto-coupon-toggle')[0] as HTMLButtonElement;
    expect(toggle.disabled).toBe(true);
    const select = screen.getAllByTestId('auto-coupon-offer')[0] as HTMLSelectElement;
    expect([...select.options].map((o) => o.textContent)).toEqual(['（未選）', '生日禮 100 元']);
    await fireEvent.input(screen.getByTestId('auto-coupon-days'), { target: { value: '１０' } });
    await fireEvent.change(select, { target: { value: '4' } });
    await waitFor(() =>
      expect(backend.setAutoCouponRule).toHaveBeenLastCalledWith({ kind: 'birthday', offerId: 4, enabled: false, daysBefore: 10 }),
    );
    await fireEvent.click(screen.getAllByTestId('auto-coupon-toggle')[0]);
    await waitFor(() =>
      expect(backend.setAutoCouponRule).toHaveBeenLastCalledWith({ kind: 'birthday', offerId: 4, enabled: true, daysBefore: 10 }),
    );
    await waitFor(() => expect(screen.getAllByTestId('auto-coupon-state')[0].textContent?.trim()).toBe('已開啟'));
  });

  it('shows a refusal under its own kind, translated', async () => {
    const refuse = vi.fn(async () => {
      throw { code: 'OfferPaused', message: '', details: { offer: '生日禮 100 元' } };
    });
    setup({ setAutoCouponRule: refuse });
    const select = (await screen.findAllByTestId('auto-coupon-offer'))[1] as HTMLSelectElement;
    await fireEvent.change(select, { target: { value: '4' } });
    const error = await screen.findByTestId('auto-coupon-error');
    expect(error.closest('[data-kind]')?.getAttribute('data-kind')).toBe('welcome');
    expect(error.textContent).toContain('生日禮 100 元');
  });
});
