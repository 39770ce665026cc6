import { fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import { describe, expect, it, vi } from 'vitest';
import MemberCardScreen from './MemberCardScreen.svelte';
import { setLocale } from '../../i18n/i18n.svelte';
import { HKD, memberCard } from '../../test/fixtures';

describe('MemberCardScreen', () => {
  it('shows who the member is and what they hold', () => {
    render(MemberCardScreen, { card: memberCard(), onBack: vi.fn() });
    expect(screen.getByTestId('member-name').textContent).toBe('林小美');
    expect(screen.getByTestId('member-no').textContent).toBe('M0001');
    expect(screen.getByTestId('member-phone').textContent).toBe('0912-345-678');
    // The card code (scanned or read off the member's card) without opening the edit form.
    expect(screen.getByTestId('member-card-code').textContent).toBe('RG-0001');
    expect(screen.getByTestId('member-tier').textContent?.trim()).toBe('一般會員');
    expect(screen.getAllByTestId('member-tag').map((e) => e.textContent)).toEqual(['少冰', '半糖']);
    expect(screen.getByTestId('wallet-balance').textContent).toBe('$1,200');
    expect(screen.getByTestId('wallet-paid').textContent).toContain('$1,000');
    expect(screen.getByTestId('wallet-bonus').textContent).toContain('$200');
    expect(screen.getByTestId('visit-count').textContent).toBe('23');
  });

  it("shows this year's visits and spend and what the member usually buys", () => {
    render(MemberCardScreen, { card: memberCard(), onBack: vi.fn() });
    expect(screen.getByTestId('this-year').textContent?.trim()).toBe('4 次・$820');
    expect(screen.getByTestId('favourites').textContent?.trim()).toBe('珍珠奶茶 ×12');
  });

  it('lists favourites whole, with the separator of the language', () => {
    const favouriteItems = [
      { description: '珍珠奶茶', quantity: 12 },
      { description: '檸檬綠茶', quantity: 5 },
    ];
    const { unmount } = render(MemberCardScreen, { card: memberCard({ favouriteItems }), onBack: vi.fn() });
    expect(screen.getByTestId('favourites').textContent?.trim()).toBe('珍珠奶茶 ×12、檸檬綠茶 ×5');
    expect(screen.getByTestId('favourites').querySelectorAll('.favourite')).toHaveLength(2);
    unmount();
    setLocale('en');
    render(MemberCardScreen, { card: memberCard({ favouriteItems }), onBack: vi.fn() });
    expect(screen.getByTestId('favourites').textContent?.trim()).toBe('珍珠奶茶 ×12, 檸檬綠茶 ×5');
    setLocale('zh-TW');
  });

  it('leaves favourites out for a member who has bought nothing itemised', () => {
    render(MemberCardScreen, { card: memberCard({ favouriteItems: [] }), onBack: vi.fn() });
    expect(screen.queryByTestId('favourites')).toBeNull();
  });

  it('draws each stamp card and says when a reward is ready', () => {
    render(MemberCardScreen, { card: memberCard(), onBack: vi.fn() });
    const [drinks, cakes] = screen.getAllByTestId('stamp-card');
    expect(drinks.querySelectorAll('[data-testid=stamp-filled]')).toHaveLength(7);
    expect(drinks.querySelectorAll('[data-testid=stamp-empty]')).toHaveLength(3);
    expect(drinks.querySelector('[data-testid=reward-ready]')).toBeNull();
    expect(cakes.querySelector('[data-testid=reward-ready]')?.textContent).toContain('免費蛋糕一塊');
  });

  it('celebrates a birthday today', () => {
    render(MemberCardScreen, { card: memberCard({ birthdayToday: true }), onBack: vi.fn() });
    expect(screen.getByTestId('birthday-banner').textContent).toContain('林小美');
  });

  it('shows the tier when the member has one and HKD with cents', () => {
    const card = memberCard({ currency: HKD, wallet: { paidMinor: 10000, bonusMinor: 550, totalMinor: 10550 } });
    card.member.tier = '金卡';
    render(MemberCardScreen, { card, onBack: vi.fn() });
    expect(screen.getByTestId('member-tier').textContent?.trim()).toBe('金卡');
    expect(screen.getByTestId('wallet-balance').textContent).toBe('$105.50');
  });

  it('lists recent receipts and marks voided ones', () => {
    render(MemberCardScreen, { card: memberCard(), onBack: vi.fn() });
    const rows = screen.getAllByTestId('receipt');
    expect(rows).toHaveLength(2);
    expect(rows[0].textContent).toContain('#42');
    expect(rows[1].classList.contains('voided')).toBe(true);
  });

  it('counts stamps beyond one full card as more rewards', () => {
    const card = memberCard();
    card.stampCards = [
      { ...card.stampCards[1], stamps: 42, stampsNeeded: 8, rewardsAvailable: 5, rewardReady: true },
    ];
    render(MemberCardScreen, { card, onBack: vi.fn() });
    const [stampCard] = screen.getAllByTestId('stamp-card');
    expect(stampCard.querySelectorAll('[data-testid=stamp-filled]')).toHaveLength(8);
    expect(screen.getByTestId('stamp-progress').textContent?.trim()).toBe('共 42 點');
    expect(screen.getByTestId('rewards-available').textContent?.trim()).toBe('共 5 次');
  });

  it('tells the cashier the shop called this member back, until they buy again', () => {
    const openContact = {
      id: 3,
      memberId: 1,
      channel: 'line' as const,
      outcome: 'promisedVisit' as const,
      note: '送一杯招待',
      cashier: '老闆',
      contactedAt: Date.UTC(2026, 10, 20, 4),
    };
    render(MemberCardScreen, { card: memberCard({ openContact }), onBack: vi.fn() });
    expect(screen.getByTestId('open-contact').textContent?.trim()).toBe('店裡 2026/11/20 以LINE聯繫過：答應會來「送一杯招待」');
  });

  it('shows no call when there is none open', () => {
    render(MemberCardScreen, { card: memberCard(), onBack: vi.fn() });
    expect(screen.queryByTestId('open-contact')).toBeNull();
  });

  it('offers a refund only while paid value is held, and a correction always', async () => {
    const onRefund = vi.fn();
    const onAdjust = vi.fn();
    render(MemberCardScreen, { card: memberCard(), onBack: vi.fn(), onRefund, onAdjust });
    await fireEvent.click(screen.getByTestId('start-refund'));
    await fireEvent.click(screen.getByTestId('start-adjust'));
    expect([onRefund.mock.calls.length, onAdjust.mock.calls.length]).toEqual([1, 1]);
  });

  it('has no refund for a member with only bonus left', () => {
    const card = memberCard({ wallet: { paidMinor: 0, bonusMinor: 200, totalMinor: 200 } });
    render(MemberCardScreen, { card, onBack: vi.fn(), onRefund: vi.fn(), onAdjust: vi.fn() });
    expect(screen.queryByTestId('start-refund')).toBeNull();
    expect(screen.getByTestId('start-adjust')).toBeTruthy();
  });

  it('offers no refund or correction for an erased member', () => {
    const card = memberCard();
    card.member = { ...card.member, name: '已刪除會員', phone: null, archived: true, erasedAt: Date.UTC(2026, 11, 1) };
    render(MemberCardScreen, { card, onBack: vi.fn(), onRefund: vi.fn(), onAdjust: vi.fn() });
    expect(screen.queryByTestId('start-refund')).toBeNull();
    expect(screen.queryByTestId('start-adjust')).toBeNull();
  });

  it('archives only after a second word, warning of stored value still held', async () => {
    const onArchive = vi.fn(async () => undefined);
    render(MemberCardScreen, { card: memberCard(), onBack: vi.fn(), onArchive });
    await fireEvent.click(screen.getByTestId('start-archive'));
    expect(onArchive).not.toHaveBeenCalled();
    expect(screen.getByTestId('archive-balance-warning').textContent).toBe('他還有儲值 $1,200，通常應先退還再封存。');
    await fireEvent.click(screen.getByTestId('confirm-archive'));
    await waitFor(() => expect(onArchive).toHaveBeenCalledWith(true));
  });

  it('an archived member can be restored, but not sold to', async () => {
    const onArchive = vi.fn(async () => undefined);
    const card = memberCard();
    card.member.archived = true;
    render(MemberCardScreen, { card, onBack: vi.fn(), onArchive, onCheckout: vi.fn(), onTopUp: vi.fn() });
    expect(screen.queryByTestId('start-checkout')).toBeNull();
    expect(screen.queryByTestId('start-top-up')).toBeNull();
    await fireEvent.click(screen.getByTestId('restore-member'));
    await waitFor(() => expect(onArchive).toHaveBeenCalledWith(false));
  });

  it('asks before redeeming: Escape keeps the reward and stays on the card', async () => {
    const onRedeem = vi.fn(async () => undefined);
    const onBack = vi.fn();
    render(MemberCardScreen, { card: memberCard(), onBack, onRedeem });
    await fireEvent.click(screen.getByTestId('redeem-now'));
    const confirm = screen.getByTestId('redeem-confirm');
    expect(confirm.textContent).toContain('兌換蛋糕集點的獎勵「免費蛋糕一塊」？');
    expect(document.activeElement).toBe(screen.getByTestId('redeem-confirm-yes'));
    await fireEvent.keyDown(screen.getByTestId('redeem-confirm-yes'), { key: 'Escape' });
    expect(screen.queryByTestId('redeem-confirm')).toBeNull();
    expect(onRedeem).not.toHaveBeenCalled();
    expect(onBack).not.toHaveBeenCalled();
  });

  it('redeems on confirmation and says what was redeemed', async () => {
    const onRedeem = vi.fn(async () => undefined);
    const { rerender } = render(MemberCardScreen, { card: memberCard(), onBack: vi.fn(), onRedeem });
    await fireEvent.click(screen.getByTestId('redeem-now'));
    // Enter on the focused confirm button is a click.
    await fireEvent.click(screen.getByTestId('redeem-confirm-yes'));
    await waitFor(() => expect(onRedeem).toHaveBeenCalledWith(2));
    await rerender({ notice: '已兌換：免費蛋糕一塊（收據 #43）' });
    expect(screen.getByTestId('card-notice').textContent).toBe('已兌換：免費蛋糕一塊（收據 #43）');
  });

  it('shows stamps beyond a full card as +N beside its circles', () => {
    const full = {
      programId: 1,
      programName: '飲料集點',
      stamps: 11,
      stampsNeeded: 10,
      rewardText: '免費中杯飲料',
      rewardReady: true,
      rewardsAvailable: 1,
      active: true,
    };
    render(MemberCardScreen, { card: memberCard({ stampCards: [full] }), onBack: vi.fn() });
    const card = screen.getByTestId('stamp-card');
    expect(card.querySelectorAll('[data-testid=stamp-filled]')).toHaveLength(10);
    expect(screen.getByTestId('stamps-extra').textContent).toBe('+1');
    expect(screen.getByTestId('stamps-extra').getAttribute('title')).toBe('多集的 1 點，算進下一張');
  });
});
