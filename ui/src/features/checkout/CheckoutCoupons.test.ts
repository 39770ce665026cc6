import { fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import { describe, expect, it, vi } from 'vitest';
import type { SaleRequest } from '../../lib/bindings/SaleRequest';
import type { Backend } from '../../lib/types';
import { coupon, fakeBackend, memberCard, paymentMethods, receipt } from '../../test/fixtures';
import CheckoutScreen from './CheckoutScreen.svelte';

/** A dessert card earning a stamp per NT$100, for the stamps preview. */
const DESSERT_CARD = { id: 2, name: '甜點卡', stampsNeeded: 8, rewardText: '蛋糕', earnRule: { kind: 'perAmount' as const, amountMinor: 100 }, expiryDays: null, active: true };

/** The checkout on `backend`'s coupons and points, with `programs`; the amount field. */
function renderCheckout(backend: Backend, programs: (typeof DESSERT_CARD)[] = []) {
  render(CheckoutScreen, {
    card: memberCard(),
    products: [],
    programs,
    methods: paymentMethods(),
    cashier: '櫃檯',
    recordSale: vi.fn(),
    rewards: backend,
    onDone: vi.fn(),
    onCancel: vi.fn(),
  });
  return screen.getByTestId('amount') as HTMLInputElement;
}

function setup(overrides: Partial<Backend> = {}) {
  const backend = fakeBackend({
    memberCoupons: vi.fn(async () => [coupon(), coupon({ code: 'OLD1-USED', status: 'redeemed' })]),
    memberPoints: vi.fn(async () => ({ points: 320, nextExpiry: null })),
    getPointsSettings: vi.fn(async () => ({ earnPerMinor: 100, pointValueMinor: 1, maxRedeemPercent: 100, birthdayMultiplierPct: 100 })),
    quoteCoupons: vi.fn(async () => ({ discountMinor: 50, freeStampItems: 0, extraStamps: [] })),
    ...overrides,
  });
  const recordSale = vi.fn(async (request: SaleRequest) => receipt({ requestId: request.requestId }));
  const onDone = vi.fn();
  render(CheckoutScreen, {
    card: memberCard(),
    products: [],
    programs: [],
    methods: paymentMethods(),
    cashier: '櫃檯',
    recordSale,
    rewards: backend,
    onDone,
    onCancel: vi.fn(),
  });
  return { backend, recordSale, onDone, amount: screen.getByTestId('amount') as HTMLInputElement };
}

describe('CheckoutScreen with coupons and points', () => {
  it("lists the member's usable coupons; a chosen one shows its discount and the total after it, and is sent", async () => {
    const { backend, recordSale, amount, onDone } = setup();
    await fireEvent.input(amount, { target: { value: '200' } });
    const choices = await screen.findAllByTestId('coupon-choice');
    expect(choices.map((c) => c.getAttribute('data-code'))).toEqual(['K7QX-M2PA']);
    await fireEvent.click(choices[0]);
    await waitFor(() => expect(screen.getByTestId('checkout-coupon-discount').textContent).toBe('−$50'));
    expect(backend.quoteCoupons).toHaveBeenCalledWith(1, ['K7QX-M2PA'], 200, []);
    expect(screen.getByTestId('checkout-items-total').textContent).toBe('$200');
    expect(screen.getByTestId('checkout-total').textContent).toBe('$150');
    await fireEvent.click(screen.getByTestId('pay-storedValue'));
    await fireEvent.keyDown(amount, { key: 'Enter' });
    await waitFor(() => expect(onDone).toHaveBeenCalledOnce());
    const sent = recordSale.mock.calls[0][0];
    expect(sent.totalMinor).toBe(200);
    expect(sent.couponCodes).toEqual(['K7QX-M2PA']);
    expect(sent.payments).toEqual([{ method: 'storedValue', amountMinor: 150 }]);
  });

  it('adds a typed code on Enter without confirming the sale: the core reads it, and a listed coupon typed is ticked', async () => {
    const { backend, recordSale, amount } = setup();
    await fireEvent.input(amount, { target: { value: '200' } });
    const field = (await screen.findByTestId('coupon-code')) as HTMLInputElement;
    await fireEvent.input(field, { target: { value: 'ｋ７ｑｘ-ｍ２ｐａ' } });
    await fireEvent.keyDown(field, { key: 'Enter' });
    expect(backend.getCoupon).toHaveBeenCalledWith('ｋ７ｑｘ-ｍ２ｐａ');
    await waitFor(() => expect(backend.quoteCoupons).toHaveBeenCalledWith(1, ['K7QX-M2PA'], 200, []));
    expect(recordSale).not.toHaveBeenCalled();
    await waitFor(() => expect(screen.getByTestId('checkout-total').textContent).toBe('$150'));
    expect((screen.getByTestId('coupon-choice') as HTMLInputElement).checked).toBe(true);
    expect(screen.queryByTestId('typed-coupon')).toBeNull();
    expect(field.value).toBe('');
  });

  it('adds a typed coupon that is not in the list by its printed code, shown apart from it', async () => {
    const { backend } = setup({ getCoupon: vi.fn(async () => coupon({ code: 'PAPR-CODE', offerName: '傳單' })) });
    const field = await screen.findByTestId('coupon-code');
    await fireEvent.input(field, { target: { value: 'papr code' } });
    await fireEvent.click(screen.getByTestId('coupon-add'));
    await waitFor(() => expect(backend.quoteCoupons).toHaveBeenCalledWith(1, ['PAPR-CODE'], 0, []));
    expect((await screen.findByTestId('typed-coupon')).textContent).toContain('PAPR-CODE');
  });

  it('shows a mistyped code translated and sends nothing', async () => {
    const { backend } = setup({
      getCoupon: vi.fn(async () => {
        throw { code: 'CouponMistyped', message: '', details: { code: 'K7QX-M2PB' } };
      }),
    });
    const field = await screen.findByTestId('coupon-code');
    await fireEvent.input(field, { target: { value: 'k7qx-m2pb' } });
    await fireEvent.keyDown(field, { key: 'Enter' });
    expect((await screen.findByTestId('coupon-error')).textContent).toContain('K7QX-M2PB');
    expect(backend.quoteCoupons).not.toHaveBeenCalled();
    expect((screen.getByTestId('confirm-sale') as HTMLButtonElement).disabled).toBe(true);
  });

  it('shows a refused code translated, keeps it off the sale, and sends nothing for it', async () => {
    const { recordSale, amount } = setup({
      quoteCoupons: vi.fn(async () => {
        throw { code: 'CouponUsed', message: '', details: { code: 'ZZZZ-ZZZZ' } };
      }),
    });
    await fireEvent.input(amount, { target: { value: '200' } });
    const field = await screen.findByTestId('coupon-code');
    await fireEvent.input(field, { target: { value: 'zzzz-zzzz' } });
    await fireEvent.click(screen.getByTestId('coupon-add'));
    const error = await screen.findByTestId('coupon-error');
    expect(error.textContent).toContain('ZZZZ-ZZZZ');
    expect(screen.queryByTestId('typed-coupon')).toBeNull();
    expect(screen.queryByTestId('checkout-coupon-discount')).toBeNull();
    expect((screen.getByTestId('confirm-sale') as HTMLButtonElement).disabled).toBe(true);
    await fireEvent.keyDown(amount, { key: 'Enter' });
    expect(recordSale).not.toHaveBeenCalled();
    // The cashier puts it aside: the sale goes on at full price, without the code.
    await fireEvent.click(screen.getByTestId('coupon-error-dismiss'));
    expect(screen.queryByTestId('coupon-error')).toBeNull();
    await fireEvent.click(screen.getByTestId('pay-storedValue'));
    await fireEvent.keyDown(amount, { key: 'Enter' });
    await waitFor(() => expect(recordSale).toHaveBeenCalledOnce());
    expect(recordSale.mock.calls[0][0].couponCodes).toEqual([]);
    expect(recordSale.mock.calls[0][0].payments).toEqual([{ method: 'storedValue', amountMinor: 200 }]);
  });

  it('leaves a refused coupon unticked, the reason shown', async () => {
    const { amount } = setup({
      quoteCoupons: vi.fn(async () => {
        throw { code: 'CouponsDoNotCombine', message: '', details: { code: 'K7QX-M2PA' } };
      }),
    });
    await fireEvent.input(amount, { target: { value: '200' } });
    const box = (await screen.findAllByTestId('coupon-choice'))[0] as HTMLInputElement;
    await fireEvent.click(box);
    expect((await screen.findByTestId('coupon-error')).textContent).toContain('K7QX-M2PA');
    await waitFor(() => expect(box.checked).toBe(false));
  });

  it('shows a minimum spend refusal with its amounts once the sale drops below it', async () => {
    let calls = 0;
    const { recordSale, amount } = setup({
      quoteCoupons: vi.fn(async (_m: number, _c: string[], gross: number) => {
        calls += 1;
        if (gross < 300) throw { code: 'CouponMinimumSpend', message: '', details: { code: 'K7QX-M2PA', minimum: '300', spend: String(gross) } };
        return { discountMinor: 50, freeStampItems: 0, extraStamps: [] };
      }),
    });
    await fireEvent.input(amount, { target: { value: '400' } });
    await fireEvent.click((await screen.findAllByTestId('coupon-choice'))[0]);
    await waitFor(() => expect(screen.getByTestId('checkout-total').textContent).toBe('$350'));
    await fireEvent.input(amount, { target: { value: '250' } });
    const error = await screen.findByTestId('coupon-error');
    expect(error.textContent).toContain('$300');
    expect(error.textContent).toContain('$250');
    expect(calls).toBeGreaterThanOrEqual(2);
    await fireEvent.keyDown(amount, { key: 'Enter' });
    expect(recordSale).not.toHaveBeenCalled();
    // The coupon on the sale no longer holds: it must be taken off, not put aside.
    expect(screen.queryByTestId('coupon-error-dismiss')).toBeNull();
  });

  it('redeems the points typed: the balance and their worth shown, a line off the total, and the number sent', async () => {
    const { recordSale, amount, onDone } = setup();
    await fireEvent.input(amount, { target: { value: '200' } });
    expect((await screen.findByTestId('points-held')).textContent).toContain('320');
    await fireEvent.input(screen.getByTestId('redeem-points'), { target: { value: '３０' } });
    expect(screen.getByTestId('points-worth').textContent).toContain('$30');
    expect(screen.getByTestId('checkout-points-discount').textContent).toBe('−$30');
    expect(screen.getByTestId('checkout-total').textContent).toBe('$170');
    await fireEvent.click(screen.getByTestId('pay-storedValue'));
    await fireEvent.keyDown(amount, { key: 'Enter' });
    await waitFor(() => expect(onDone).toHaveBeenCalledOnce());
    const sent = recordSale.mock.calls[0][0];
    expect(sent.redeemPoints).toBe(30);
    expect(sent.couponCodes).toEqual([]);
    expect(sent.payments).toEqual([{ method: 'storedValue', amountMinor: 170 }]);
  });

  it('shows neither coupons nor points when the shop uses neither', async () => {
    const { backend } = setup({
      memberCoupons: vi.fn(async () => []),
      memberPoints: vi.fn(async () => ({ points: 0, nextExpiry: null })),
      getPointsSettings: vi.fn(async () => ({ earnPerMinor: 0, pointValueMinor: 1, maxRedeemPercent: 100, birthdayMultiplierPct: 100 })),
    });
    await waitFor(() => expect(backend.getPointsSettings).toHaveBeenCalled());
    await Promise.resolve();
    expect(screen.queryByTestId('discounts')).toBeNull();
  });

  it('counts stamps per amount on what is left to pay after the points, as the core does', async () => {
    const backend = fakeBackend({
      memberPoints: vi.fn(async () => ({ points: 320, nextExpiry: null })),
      getPointsSettings: vi.fn(async () => ({ earnPerMinor: 100, pointValueMinor: 1, maxRedeemPercent: 100, birthdayMultiplierPct: 100 })),
    });
    renderCheckout(backend, [DESSERT_CARD]);
    await fireEvent.input(screen.getByTestId('amount'), { target: { value: '300' } });
    expect(screen.getByTestId('stamps-preview-row').textContent).toContain('+3');
    await fireEvent.input(await screen.findByTestId('redeem-points'), { target: { value: '30' } });
    expect(screen.getByTestId('stamps-preview-row').textContent).toContain('+2');
  });

  it("names the most points the bill can take by the shop's share, and the points that lapse first", async () => {
    const backend = fakeBackend({
      memberPoints: vi.fn(async () => ({ points: 320, nextExpiry: { points: 40, lastDay: '2027-01-31' } })),
      getPointsSettings: vi.fn(async () => ({ earnPerMinor: 100, pointValueMinor: 1, maxRedeemPercent: 30, birthdayMultiplierPct: 100 })),
    });
    renderCheckout(backend);
    await fireEvent.input(screen.getByTestId('amount'), { target: { value: '500' } });
    expect((await screen.findByTestId('points-max')).textContent).toContain('最多可用 150 點');
    expect(screen.getByTestId('points-expiring').textContent?.trim()).toBe('（40 點 2027-01-31 到期）');
  });

  it("adds an extra-stamps coupon's stamps to its card in the preview, as the core quotes them", async () => {
    const backend = fakeBackend({
      memberCoupons: vi.fn(async () => [coupon({ offerName: '甜點加 3 點', kind: 'extraStamps' })]),
      quoteCoupons: vi.fn(async () => ({ discountMinor: 0, freeStampItems: 0, extraStamps: [{ programId: 2, stamps: 3 }] })),
    });
    renderCheckout(backend, [DESSERT_CARD]);
    await fireEvent.input(screen.getByTestId('amount'), { target: { value: '200' } });
    expect(screen.getByTestId('stamps-preview-row').textContent).toContain('+2');
    await fireEvent.click((await screen.findAllByTestId('coupon-choice'))[0]);
    await waitFor(() => expect(screen.getByTestId('stamps-preview-row').textContent).toContain('+5'));
  });
});
