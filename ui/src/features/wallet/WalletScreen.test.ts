import { fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { setLocale, t } from '../../i18n/i18n.svelte';
import { fakeBackend, memberCard, paymentMethods, receipt } from '../../test/fixtures';
import WalletScreen from './WalletScreen.svelte';
import { adjustedWallet, parseSignedAmount, refundPreview } from './wallet';

// The fixture's member holds $1,000 paid and $200 bonus.
function renderWallet(mode: 'refund' | 'adjust', overrides = {}) {
  const backend = fakeBackend(overrides);
  const onDone = vi.fn();
  const onCancel = vi.fn();
  render(WalletScreen, {
    card: memberCard(),
    mode,
    methods: paymentMethods(),
    cashier: '小美',
    refundStoredValue: backend.refundStoredValue,
    adjustStoredValue: backend.adjustStoredValue,
    onDone,
    onCancel,
  });
  return { backend, onDone, onCancel };
}

async function type(testId: string, value: string) {
  await fireEvent.input(screen.getByTestId(testId), { target: { value } });
}

describe('refunding stored value', () => {
  afterEach(() => setLocale('zh-TW'));

  it('pays out part of the paid value by the method chosen, with the note, and hands back the receipt', async () => {
    const { backend, onDone } = renderWallet('refund');
    await type('refund-amount', '３００');
    expect(screen.getByTestId('wallet-preview').textContent).toContain('退還 $300，之後餘額 $900');
    expect(screen.queryByTestId('wallet-forfeit')).toBeNull();
    await fireEvent.click(screen.getByRole('radio', { name: '刷卡' }));
    await type('refund-note', ' 搬家 ');
    await fireEvent.click(screen.getByTestId('confirm-wallet-action'));
    await waitFor(() => expect(onDone).toHaveBeenCalledWith(receipt({ kind: 'refund' })));
    expect(backend.refundStoredValue).toHaveBeenCalledWith(
      expect.objectContaining({ memberId: 1, amountMinor: 300, method: 'card', methodId: 2, cashier: '小美', note: '搬家' }),
    );
  });

  it("asks a manager's PIN when the cashier may not refund, and sends the same request again with it", async () => {
    const refundStoredValue = vi
      .fn()
      .mockRejectedValueOnce({ code: 'PermissionDenied', message: '', details: { act: 'refund', needed: 'manager', role: 'cashier' } })
      .mockResolvedValueOnce(receipt({ kind: 'refund' }));
    const { onDone } = renderWallet('refund', { refundStoredValue });
    expect(screen.queryByTestId('approval')).toBeNull();
    await type('refund-amount', '300');
    await fireEvent.click(screen.getByTestId('confirm-wallet-action'));
    await waitFor(() => expect(screen.getByTestId('wallet-error').textContent).toBe('收銀員不能退還儲值，需要店長的權限。請店長輸入密碼核准。'));
    expect(screen.getByTestId('approval').textContent).toContain('店長/老闆核准');
    await fireEvent.input(screen.getByTestId('approver-pin'), { target: { value: '2222' } });
    await fireEvent.click(screen.getByTestId('approve'));
    await waitFor(() => expect(onDone).toHaveBeenCalledWith(receipt({ kind: 'refund' })));
    const [first, second] = refundStoredValue.mock.calls;
    expect(first).toHaveLength(1);
    expect(second[1]).toBe('2222');
    expect(second[0].requestId).toBe(first[0].requestId);
    expect(second[0]).toEqual(first[0]);
  });

  it("offers the shop's own methods by name, and pays out by the one chosen", async () => {
    const { backend, onDone } = renderWallet('refund');
    const choices = screen.getAllByTestId('method-choice').map((b) => b.textContent?.trim());
    expect(choices).toEqual(['現金', '刷卡', 'LINE Pay', '其他']);
    await type('refund-amount', '100');
    await fireEvent.click(screen.getByRole('radio', { name: 'LINE Pay' }));
    await fireEvent.click(screen.getByTestId('confirm-wallet-action'));
    await waitFor(() => expect(onDone).toHaveBeenCalled());
    expect(backend.refundStoredValue).toHaveBeenCalledWith(expect.objectContaining({ method: 'eWallet', methodId: 4 }));
  });

  it('warns that refunding all of the paid part lapses the bonus', async () => {
    renderWallet('refund');
    await fireEvent.click(screen.getByTestId('refund-all'));
    expect((screen.getByTestId('refund-amount') as HTMLInputElement).value).toBe('1000');
    expect(screen.getByTestId('wallet-forfeit').textContent).toBe('實付部分全數退還，贈送的 $200 會一併失效。');
    expect(screen.getByTestId('wallet-preview').textContent).toContain('之後餘額 $0');
  });

  it('refuses more than the paid part, or nothing, without asking the core', async () => {
    const { backend } = renderWallet('refund');
    await type('refund-amount', '1100');
    expect(screen.getByTestId('wallet-problem').textContent).toBe('最多只能退 $1,000：贈送的 $200 不退現。');
    await type('refund-amount', 'abc');
    expect(screen.getByTestId('wallet-problem').textContent).toBe(t('checkout.amountUnreadable'));
    await type('refund-amount', '');
    await fireEvent.click(screen.getByTestId('confirm-wallet-action'));
    expect(screen.getByTestId('wallet-problem').textContent).toBe('請輸入要退還的金額。');
    expect(backend.refundStoredValue).not.toHaveBeenCalled();
  });

  it("shows the core's refusal in words and sends a fresh request id on the next try", async () => {
    const refundStoredValue = vi
      .fn()
      .mockRejectedValueOnce({ code: 'InsufficientBalance', message: '', details: { balance: 500, needed: 800 } })
      .mockResolvedValueOnce(receipt({ kind: 'refund' }));
    const { onDone } = renderWallet('refund', { refundStoredValue });
    await type('refund-amount', '800');
    await fireEvent.click(screen.getByTestId('confirm-wallet-action'));
    expect((await screen.findByTestId('wallet-error')).textContent).toBe('儲值餘額不足：只有 $500，需要 $800。');
    await fireEvent.click(screen.getByTestId('confirm-wallet-action'));
    await waitFor(() => expect(onDone).toHaveBeenCalled());
    const [first, second] = refundStoredValue.mock.calls.map((c) => c[0].requestId);
    expect(first).not.toBe(second);
  });
});

describe('correcting stored value', () => {
  afterEach(() => setLocale('zh-TW'));

  it('takes signed amounts and a reason, previews the wallet, and sends both parts', async () => {
    const { backend, onDone } = renderWallet('adjust');
    await type('adjust-paid', '－500');
    await type('adjust-bonus', '+50');
    expect(screen.getByTestId('wallet-preview').textContent).toContain('調整後：實付 $500，贈送 $250，共 $750');
    await fireEvent.click(screen.getByTestId('confirm-wallet-action'));
    expect(screen.getByTestId('wallet-problem').textContent).toBe('請寫下調整的原因。');
    await type('adjust-reason', '重複儲值');
    await fireEvent.click(screen.getByTestId('confirm-wallet-action'));
    await waitFor(() => expect(onDone).toHaveBeenCalled());
    expect(backend.adjustStoredValue).toHaveBeenCalledWith(
      expect.objectContaining({ memberId: 1, paidDeltaMinor: -500, bonusDeltaMinor: 50, reason: '重複儲值', cashier: '小美' }),
    );
  });

  it('refuses a correction below zero or of nothing', async () => {
    const { backend } = renderWallet('adjust');
    await type('adjust-reason', '更正');
    await fireEvent.click(screen.getByTestId('confirm-wallet-action'));
    expect(screen.getByTestId('wallet-problem').textContent).toBe('請輸入要增加或減少的金額。');
    await type('adjust-bonus', '-201');
    // Said while typing, before any Enter.
    expect(screen.getByTestId('wallet-problem').textContent).toBe('贈送部分最多只能減 $200。');
    expect(screen.getByTestId('adjust-bonus').getAttribute('aria-invalid')).toBe('true');
    await fireEvent.click(screen.getByTestId('confirm-wallet-action'));
    expect(screen.getByTestId('wallet-problem').textContent).toBe('贈送部分最多只能減 $200。');
    expect(backend.adjustStoredValue).not.toHaveBeenCalled();
  });

  it('reads in English too', async () => {
    setLocale('en');
    renderWallet('adjust');
    await type('adjust-paid', '100');
    expect(screen.getByTestId('wallet-preview').textContent).toContain('Afterwards: $1,100 paid, $200 bonus, $1,300 in all');
  });
});

describe('wallet arithmetic', () => {
  it('reads signed amounts in every notation a keyboard gives', () => {
    expect(parseSignedAmount('-1,000', 0)).toBe(-1000);
    expect(parseSignedAmount('−12.5', 2)).toBe(-1250);
    expect(parseSignedAmount('＋１０', 0)).toBe(10);
    expect(parseSignedAmount('', 0)).toBe(0);
    expect(parseSignedAmount('-0', 0)).toBe(0);
    expect(parseSignedAmount('1-2', 0)).toBeNull();
    expect(parseSignedAmount('12.5', 0)).toBeNull();
  });

  it('forfeits the bonus only when all of the paid part goes', () => {
    const wallet = { paidMinor: 1000, bonusMinor: 200, totalMinor: 1200 };
    expect(refundPreview(wallet, 999)).toEqual({ tooMuch: false, forfeitMinor: 0, after: { paidMinor: 1, bonusMinor: 200, totalMinor: 201 } });
    expect(refundPreview(wallet, 1000).after.totalMinor).toBe(0);
    expect(refundPreview(wallet, 1001).tooMuch).toBe(true);
    expect(adjustedWallet(wallet, -1000, 0)).toEqual({ paidMinor: 0, bonusMinor: 200, totalMinor: 200 });
  });
});
