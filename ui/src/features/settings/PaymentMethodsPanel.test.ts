import { fireEvent, render, screen, waitFor, within } from '@testing-library/svelte';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { setLocale } from '../../i18n/i18n.svelte';
import type { ShopPaymentMethod } from '../../lib/bindings/ShopPaymentMethod';
import { fakeBackend, paymentMethods } from '../../test/fixtures';
import PaymentMethodsPanel from './PaymentMethodsPanel.svelte';

function renderPanel(overrides = {}) {
  const backend = fakeBackend(overrides);
  const onChanged = vi.fn();
  render(PaymentMethodsPanel, { backend, onChanged });
  return { backend, onChanged };
}

const names = () => screen.getAllByTestId('payment-method-name').map((n) => n.textContent?.trim());

describe('payment methods in the settings', () => {
  afterEach(() => setLocale('zh-TW'));

  it('lists the methods in order, unnamed ones by their kind, in the UI language', async () => {
    renderPanel();
    await screen.findAllByTestId('payment-method-row');
    expect(names()).toEqual(['現金', '刷卡', 'LINE Pay', '其他']);
    setLocale('en');
    await waitFor(() => expect(names()).toEqual(['Cash', 'Card', 'LINE Pay', 'Other']));
  });

  it('adds a suggested method in one click and tells the checkout', async () => {
    const withJko: ShopPaymentMethod[] = [
      ...paymentMethods(),
      { id: 5, kind: 'eWallet', name: '街口支付', sortOrder: 5, active: true, used: false },
    ];
    const { backend, onChanged } = renderPanel({ savePaymentMethod: vi.fn(async () => withJko) });
    await fireEvent.click(await screen.findByRole('button', { name: '＋ 街口支付' }));
    expect(backend.savePaymentMethod).toHaveBeenCalledWith({ id: null, kind: 'eWallet', name: '街口支付', active: true });
    await waitFor(() => expect(names()).toContain('街口支付'));
    expect(onChanged).toHaveBeenCalled();
  });

  it('moves a method up, renames and turns one off; a method on receipts cannot be removed', async () => {
    const { backend } = renderPanel();
    const rows = await screen.findAllByTestId('payment-method-row');
    // Cash and card are on receipts: no remove button; LINE Pay is not.
    expect(within(rows[0]).queryByTestId('payment-method-remove')).toBeNull();
    expect(within(rows[2]).getByTestId('payment-method-remove')).toBeTruthy();
    await fireEvent.click(screen.getByRole('button', { name: 'LINE Pay 往前' }));
    expect(backend.reorderPaymentMethods).toHaveBeenCalledWith([1, 4, 2, 3]);
    await fireEvent.click(within(rows[1]).getByTestId('payment-method-rename'));
    await fireEvent.input(screen.getByTestId('payment-method-rename-input'), { target: { value: '信用卡' } });
    await fireEvent.submit(screen.getByTestId('payment-method-rename-input').closest('form') as HTMLFormElement);
    expect(backend.savePaymentMethod).toHaveBeenCalledWith({ id: 2, kind: 'card', name: '信用卡', active: true });
    await fireEvent.click(within(screen.getAllByTestId('payment-method-row')[3]).getByTestId('payment-method-toggle'));
    expect(backend.savePaymentMethod).toHaveBeenCalledWith({ id: 3, kind: 'other', name: '', active: false });
  });

  it("shows the core's refusal in the owner's language", async () => {
    renderPanel({
      removePaymentMethod: vi.fn(async () => {
        throw { code: 'PaymentMethodInUse', message: '', details: { method: 'LINE Pay' } };
      }),
    });
    const rows = await screen.findAllByTestId('payment-method-row');
    await fireEvent.click(within(rows[2]).getByTestId('payment-method-remove'));
    expect((await screen.findByTestId('payment-method-error')).textContent).toBe(
      'LINE Pay 已用在收據上，不能刪除或改類型；可以停用。',
    );
  });
});
