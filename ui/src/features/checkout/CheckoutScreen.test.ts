import { fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import { describe, expect, it, vi } from 'vitest';
import type { Product } from '../../lib/bindings/Product';
import type { SaleRequest } from '../../lib/bindings/SaleRequest';
import type { StampProgram } from '../../lib/bindings/StampProgram';
import { memberCard, paymentMethods, receipt } from '../../test/fixtures';
import CheckoutScreen from './CheckoutScreen.svelte';

function setup(
  recordSale: (request: SaleRequest) => Promise<ReturnType<typeof receipt>>,
  { products = [] as Product[], programs = [] as StampProgram[] } = {},
) {
  const onDone = vi.fn();
  render(CheckoutScreen, {
    card: memberCard(),
    products,
    programs,
    methods: paymentMethods(),
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

  it('shows the change large for the cash given, and will not confirm with less than due', async () => {
    const recordSale = vi.fn(async (request: SaleRequest) => receipt({ requestId: request.requestId }));
    const { amount, onDone } = setup(recordSale);
    await fireEvent.input(amount, { target: { value: '135' } });
    const tendered = screen.getByTestId('tendered') as HTMLInputElement;
    await fireEvent.input(tendered, { target: { value: '５００' } });
    expect(screen.getByTestId('change').textContent).toBe('$365');
    const quick = screen.getAllByTestId('tendered-quick');
    expect(quick.map((b) => b.textContent?.trim())).toEqual(['$100', '$500', '$1,000']);
    expect((quick[0] as HTMLButtonElement).disabled).toBe(true);
    await fireEvent.click(quick[2]);
    expect(screen.getByTestId('change').textContent).toBe('$865');

    await fireEvent.input(tendered, { target: { value: '100' } });
    expect(screen.getByTestId('tendered-short').textContent).toBe('收現 $100 不夠付 $135，不能結帳');
    expect(screen.queryByTestId('change')).toBeNull();
    expect((screen.getByTestId('confirm-sale') as HTMLButtonElement).disabled).toBe(true);
    await fireEvent.keyDown(amount, { key: 'Enter' });
    expect(recordSale).not.toHaveBeenCalled();

    await fireEvent.click(screen.getByTestId('tendered-exact'));
    expect(screen.getByTestId('change').textContent).toBe('$0');
    await fireEvent.input(tendered, { target: { value: '200' } });
    await fireEvent.keyDown(amount, { key: 'Enter' });
    await waitFor(() => expect(onDone).toHaveBeenCalledOnce());
    expect(recordSale.mock.calls[0][0].payments).toEqual([{ method: 'cash', methodId: 1, amountMinor: 135, tenderedMinor: 200 }]);
  });

  it("asks no cash given when nothing is paid in cash, and names the shop's methods", async () => {
    const recordSale = vi.fn(async () => receipt());
    const { amount } = setup(recordSale);
    await fireEvent.input(amount, { target: { value: '80' } });
    expect(screen.getByTestId('tendered-panel')).toBeTruthy();
    await fireEvent.keyDown(amount, { key: 'F8' });
    expect(screen.getByTestId('pay-4').getAttribute('aria-pressed')).toBe('true');
    expect(screen.getByTestId('pay-4').textContent).toContain('LINE Pay');
    expect(screen.queryByTestId('tendered-panel')).toBeNull();
    await fireEvent.keyDown(amount, { key: 'Enter' });
    await waitFor(() => expect(recordSale).toHaveBeenCalledOnce());
    expect((recordSale.mock.calls[0] as unknown as [SaleRequest])[0].payments).toEqual([
      { method: 'eWallet', methodId: 4, amountMinor: 80 },
    ]);
  });

  it('earns at once on a typed amount: a visit stamp, and per item the count filled in as 1', async () => {
    const recordSale = vi.fn(async () => receipt());
    const programs: StampProgram[] = [
      { id: 1, name: '飲料卡', stampsNeeded: 10, rewardText: '飲料一杯', earnRule: { kind: 'perItem' }, expiryDays: null, active: true },
      { id: 2, name: '來店卡', stampsNeeded: 5, rewardText: '小點心', earnRule: { kind: 'perVisit' }, expiryDays: null, active: true },
    ];
    const { amount } = setup(recordSale, { programs });
    await fireEvent.input(amount, { target: { value: '120' } });
    expect(screen.getByTestId('stamp-items').textContent).toBe('1');
    const rows = screen.getAllByTestId('stamps-preview-row').map((r) => r.textContent);
    expect(rows[0]).toContain('+1');
    expect(rows[1]).toContain('+1');
    await fireEvent.keyDown(amount, { key: 'Enter' });
    await waitFor(() => expect(recordSale).toHaveBeenCalledOnce());
    expect((recordSale.mock.calls[0] as unknown as [SaleRequest])[0].stampItems).toBe(1);
  });

  it('explains the red dot on the products that earn stamps', () => {
    const tea: Product = { id: 1, name: '珍珠奶茶', priceMinor: 60, earnsStamps: true, category: '', sortOrder: 0, active: true };
    setup(vi.fn(), { products: [tea] });
    expect(screen.getByTestId('earns-legend').textContent).toContain('有紅點的商品可以集點');
  });
});
