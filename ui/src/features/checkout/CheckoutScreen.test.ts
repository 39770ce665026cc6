import { fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import { describe, expect, it, vi } from 'vitest';
import type { SaleRequest } from '../../lib/types';
import { memberCard, receipt } from '../../test/fixtures';
import CheckoutScreen from './CheckoutScreen.svelte';

function setup(recordSale: (request: SaleRequest) => Promise<ReturnType<typeof receipt>>) {
  const onDone = vi.fn();
  render(CheckoutScreen, {
    card: memberCard(),
    products: [],
    programs: [],
    cashier: '櫃檯',
    recordSale,
    onDone,
    onCancel: vi.fn(),
  });
  return { onDone, amount: screen.getByTestId('amount') as HTMLInputElement };
}

describe('CheckoutScreen', () => {
  it('sends one request id for a double Enter and disables the button while in flight', async () => {
    let release: () => void = () => undefined;
    const recordSale = vi.fn(
      (request: SaleRequest) =>
        new Promise<ReturnType<typeof receipt>>((resolve) => {
          release = () => resolve(receipt({ requestId: request.requestId }));
        }),
    );
    const { onDone, amount } = setup(recordSale);
    await fireEvent.input(amount, { target: { value: '150' } });
    await fireEvent.click(screen.getByTestId('pay-storedValue'));
    await fireEvent.keyDown(amount, { key: 'Enter' });
    await fireEvent.keyDown(amount, { key: 'Enter' });
    expect(recordSale).toHaveBeenCalledTimes(1);
    expect((screen.getByTestId('confirm-sale') as HTMLButtonElement).disabled).toBe(true);
    const sent = recordSale.mock.calls[0][0];
    expect(sent.totalMinor).toBe(150);
    expect(sent.payments).toEqual([{ method: 'storedValue', amountMinor: 150 }]);
    release();
    await waitFor(() => expect(onDone).toHaveBeenCalledOnce());
  });

  it('shows an over-spend beside the payment, with amounts formatted, and retries with a new id', async () => {
    const recordSale = vi.fn(async () => {
      throw { code: 'InsufficientBalance', message: '', details: { balance: '1200', needed: '5000' } };
    });
    const { amount } = setup(recordSale);
    await fireEvent.input(amount, { target: { value: '5000' } });
    await fireEvent.keyDown(amount, { key: 'F7' });
    await fireEvent.keyDown(amount, { key: 'Enter' });
    const error = await screen.findByTestId('payment-error');
    expect(error.textContent).toContain('$1,200');
    expect(error.textContent).toContain('$5,000');
    await fireEvent.keyDown(amount, { key: 'Enter' });
    await waitFor(() => expect(recordSale).toHaveBeenCalledTimes(2));
    const [first, second] = recordSale.mock.calls.map((call) => (call as unknown as [SaleRequest])[0].requestId);
    expect(first).not.toBe(second);
  });
});
