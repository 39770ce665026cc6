import { fireEvent, render, screen, waitFor, within } from '@testing-library/svelte';
import { describe, expect, it, vi } from 'vitest';
import type { Backend } from '../../lib/types';
import { coupon, fakeBackend, memberCard, offer } from '../../test/fixtures';
import MemberCardScreen from './MemberCardScreen.svelte';

function setup(overrides: Partial<Backend> = {}) {
  const backend = fakeBackend({
    memberCoupons: vi.fn(async () => [coupon()]),
    listOffers: vi.fn(async () => [offer()]),
    issueCoupon: vi.fn(async () => coupon({ code: 'NEW9-CODE' })),
    ...overrides,
  });
  render(MemberCardScreen, { card: memberCard(), onBack: vi.fn(), rewards: backend });
  return backend;
}

async function issue() {
  await fireEvent.click(await screen.findByTestId('issue-coupon-open'));
  await fireEvent.click(screen.getByTestId('issue-coupon-confirm'));
  await screen.findByTestId('issued-code');
  return within(screen.getByTestId('issue-coupon'));
}

describe("A coupon's slip at the counter", () => {
  it('prints the slip of the coupon just issued, in the language on screen, and says it was sent', async () => {
    const backend = setup();
    const issued = await issue();
    await fireEvent.click(issued.getByText('列印優惠券'));
    expect(backend.printCouponSlip).toHaveBeenCalledWith('NEW9-CODE', 'zhTw');
    expect((await issued.findByTestId('coupon-slip-message')).textContent).toBe('優惠券已送出列印');
  });

  it('saves the slip as a PDF and offers to show it in its folder', async () => {
    const backend = setup();
    const issued = await issue();
    await fireEvent.click(issued.getByTestId('save-coupon-pdf'));
    expect(backend.saveCouponSlipPdf).toHaveBeenCalledWith('NEW9-CODE', 'zhTw');
    expect((await issued.findByTestId('coupon-slip-message')).textContent).toContain('優惠券-NEW9-CODE.pdf');
    await fireEvent.click(issued.getByTestId('show-in-folder'));
    expect(backend.showInFolder).toHaveBeenCalledWith('/home/owner/Documents/熟客收據/優惠券-NEW9-CODE.pdf');
  });

  it("says why a slip was refused, translated: a used coupon, or no printer", async () => {
    const printCouponSlip = vi
      .fn()
      .mockRejectedValueOnce({ code: 'CouponUsed', message: '', details: { code: 'K7QX-M2PA' } })
      .mockRejectedValueOnce({ code: 'PrintFailed', message: 'lp: not found', details: { reason: 'lp: not found' } });
    setup({ printCouponSlip });
    const line = within(await screen.findByTestId('card-coupon'));
    await fireEvent.click(line.getByTestId('print-coupon'));
    expect((await line.findByTestId('coupon-slip-error')).textContent).toContain('已經用過了');
    await fireEvent.click(line.getByTestId('print-coupon'));
    await waitFor(() => expect(printCouponSlip).toHaveBeenCalledTimes(2));
    await waitFor(() => expect(line.getByTestId('coupon-slip-error').textContent).toContain('印表機沒有接受這份列印'));
  });

  it("prints any usable coupon of the card's list by its own code", async () => {
    const backend = setup({ memberCoupons: vi.fn(async () => [coupon(), coupon({ code: 'SECO-ND22' })]) });
    await screen.findAllByTestId('card-coupon');
    const second = within(screen.getAllByTestId('card-coupon')[1]);
    await fireEvent.click(second.getByText('列印優惠券'));
    expect(backend.printCouponSlip).toHaveBeenCalledWith('SECO-ND22', 'zhTw');
  });
});
