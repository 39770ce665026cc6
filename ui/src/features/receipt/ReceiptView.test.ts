import { render, screen } from '@testing-library/svelte';
import { describe, expect, it } from 'vitest';
import { setLocale } from '../../i18n/i18n.svelte';
import { receipt, shopSettings } from '../../test/fixtures';
import ReceiptView from './ReceiptView.svelte';

describe('ReceiptView', () => {
  it("names each payment by the shop's method, with the cash given and the change", () => {
    const sale = receipt({
      totalMinor: 155,
      payments: [
        { method: 'eWallet', methodId: 4, methodName: 'LINE Pay', amountMinor: 55, tenderedMinor: null, changeMinor: null },
        { method: 'cash', methodId: 1, methodName: '', amountMinor: 100, tenderedMinor: 500, changeMinor: 400 },
      ],
    });
    const { container } = render(ReceiptView, { receipt: sale, settings: shopSettings() });
    const rows = [...container.querySelectorAll('.row')].map((r) => r.textContent?.replace(/\s+/g, ' ').trim());
    expect(rows).toContain('LINE Pay$55');
    expect(rows).toContain('現金$100');
    expect(screen.getByTestId('receipt-tendered').textContent).toBe('收現$500');
    expect(screen.getByTestId('receipt-change').textContent).toBe('找零$400');
  });

  it('names the bonus a full refund takes with it, and the bonus a top-up gives', () => {
    const refund = receipt({
      kind: 'refund',
      totalMinor: -1000,
      bonusMinor: -200,
      walletPaidAfter: 0,
      walletBonusAfter: 0,
      payments: [{ method: 'cash', methodId: 1, methodName: '', amountMinor: -1000, tenderedMinor: null, changeMinor: null }],
    });
    const { unmount } = render(ReceiptView, { receipt: refund, settings: shopSettings() });
    expect(screen.getByTestId('receipt-kind').textContent?.trim()).toBe('退款');
    expect(screen.getByTestId('receipt-bonus').previousElementSibling?.textContent).toBe('贈送失效');
    expect(screen.getByTestId('receipt-bonus').textContent).toBe('-$200');
    expect(screen.getByTestId('receipt-wallet').textContent).toContain('$1,200 → $0');
    unmount();
    render(ReceiptView, { receipt: receipt({ kind: 'topUp', totalMinor: 1000, bonusMinor: 100 }), settings: shopSettings() });
    expect(screen.getByTestId('receipt-bonus').previousElementSibling?.textContent).toBe('儲值贈送');
  });

  it('shows a correction as its net change, then each part', () => {
    const fix = receipt({ kind: 'adjust', totalMinor: -100, bonusMinor: 50, walletPaidAfter: 900, walletBonusAfter: 250, payments: [], note: '多記了' });
    render(ReceiptView, { receipt: fix, settings: shopSettings() });
    expect(screen.getByTestId('receipt-total').textContent).toBe('-$50');
    expect(screen.getByTestId('receipt-paid-part').previousElementSibling?.textContent).toBe('實付調整');
    expect(screen.getByTestId('receipt-paid-part').textContent).toBe('-$100');
    expect(screen.getByTestId('receipt-bonus').previousElementSibling?.textContent).toBe('贈送調整');
    expect(screen.getAllByTestId('receipt-bonus')).toHaveLength(1);
    expect(screen.getByTestId('receipt-wallet').textContent).toContain('$1,200 → $1,150');
    expect(screen.getByTestId('receipt-note').textContent?.trim()).toBe('原因：多記了');
  });

  it('signs a correction that adds', () => {
    render(ReceiptView, { receipt: receipt({ kind: 'adjust', totalMinor: 30, bonusMinor: 0, payments: [] }), settings: shopSettings() });
    expect(screen.getByTestId('receipt-total').textContent).toBe('+$30');
  });

  it('heads a void with the receipt it reverses and shows stamps taken back with a minus', () => {
    const stamp = {
      programId: 1,
      programName: '飲料卡',
      stampsNeeded: 10,
      rewardText: '任選飲品一杯',
      stampsBefore: 5,
      earned: -3,
      redeemed: 0,
      expired: 0,
      stampsAfter: 2,
    };
    const voidReceipt = receipt({ number: 5, kind: 'void', voidsNumber: 2, totalMinor: -150, stamps: [stamp] });
    const { unmount } = render(ReceiptView, { receipt: voidReceipt, settings: shopSettings() });
    expect(screen.getByTestId('receipt-kind').textContent?.trim()).toBe('作廢 #2 的收據');
    expect(screen.getByTestId('stamps-earned').textContent).toBe('−3');
    expect(screen.getByTestId('receipt-stamps').textContent).not.toContain('+-');
    unmount();
    setLocale('en');
    render(ReceiptView, { receipt: voidReceipt, settings: shopSettings() });
    expect(screen.getByTestId('receipt-kind').textContent?.trim()).toBe('Void of receipt #2');
    setLocale('zh-TW');
  });

  it('shows a voided redemption as a reward given back, not as −1 redeemed', () => {
    const stamp = {
      programId: 1,
      programName: '飲料卡',
      stampsNeeded: 10,
      rewardText: '任選飲品一杯',
      stampsBefore: 1,
      earned: 0,
      redeemed: -1,
      expired: 0,
      stampsAfter: 11,
    };
    render(ReceiptView, { receipt: receipt({ kind: 'void', voidsNumber: 4, stamps: [stamp] }), settings: shopSettings() });
    expect(screen.getByTestId('reward-returned').textContent).toBe('取消兌換 1 次：任選飲品一杯');
    expect(screen.getByTestId('receipt-stamps').textContent).not.toContain('兌換 -1');
  });

  it('shows each coupon and the points redeemed as their own lines, with the total after them, in each language', () => {
    const sale = receipt({
      totalMinor: 120,
      discounts: [
        { code: 'K7QX-M2PA', description: '回娘家折50', amountMinor: 50, extraStamps: 0, points: 0 },
        { code: '', description: '', amountMinor: 30, extraStamps: 0, points: 30 },
      ],
    });
    const { unmount } = render(ReceiptView, { receipt: sale, settings: shopSettings() });
    const lines = screen.getAllByTestId('receipt-discount').map((l) => l.textContent?.replace(/\s+/g, ' ').trim());
    expect(lines).toEqual(['優惠券 K7QX-M2PA 回娘家折50 −$50', '積分折抵 30 點 −$30']);
    expect(screen.getByTestId('receipt-items-total').textContent).toBe('$200');
    expect(screen.getByTestId('receipt-total').textContent).toBe('$120');
    unmount();
    setLocale('en');
    render(ReceiptView, { receipt: sale, settings: shopSettings() });
    const english = screen.getAllByTestId('receipt-discount').map((l) => l.textContent?.replace(/\s+/g, ' ').trim());
    expect(english).toEqual(['Coupon K7QX-M2PA 回娘家折50 −$50', '30 points redeemed −$30']);
    setLocale('zh-TW');
  });

  it("shows the member's points before and after, what lapsed, and how many lapse next and when", () => {
    const sale = receipt({
      points: { before: 1250, earned: 12, redeemed: 0, expired: 22, after: 1240, nextExpiry: { points: 120, lastDay: '2027-03-31' } },
    });
    render(ReceiptView, { receipt: sale, settings: shopSettings() });
    expect(screen.getByTestId('receipt-points').textContent?.replace(/\s+/g, ' ').trim()).toBe('積分 1,250 → 1,240 +12');
    expect(screen.getByTestId('receipt-points-lapsed').textContent?.trim()).toBe('已到期 22 點');
    expect(screen.getByTestId('receipt-points-expiring').textContent?.trim()).toBe('其中 120 點將於 2027-03-31 到期');
  });

  it("shows a referral reward's receipt with the member brought and the coupon's code to keep", () => {
    const reward = receipt({
      kind: 'reward',
      totalMinor: 0,
      payments: [],
      note: 'M000045 林小美',
      couponsGiven: [{ code: 'K7QXM2PA9', offerName: '推薦禮 50 元', validUntil: '2027-01-06' }],
    });
    render(ReceiptView, { receipt: reward, settings: shopSettings() });
    expect(screen.getByTestId('receipt-kind').textContent).toContain('推薦獎勵');
    expect(screen.getByTestId('receipt-coupon-given').textContent?.replace(/\s+/g, ' ').trim()).toBe(
      '送您優惠券 K7QXM2PA9 推薦禮 50 元，用到 2027-01-06',
    );
    expect(screen.getByTestId('receipt-note').textContent?.trim()).toBe('推薦的會員：M000045 林小美');
  });

  it('shows no discount lines on a sale without coupons or points', () => {
    render(ReceiptView, { receipt: receipt({ totalMinor: 150 }), settings: shopSettings() });
    expect(screen.queryByTestId('receipt-discount')).toBeNull();
    expect(screen.queryByTestId('receipt-items-total')).toBeNull();
  });
});
