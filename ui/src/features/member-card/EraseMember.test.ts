import { fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { setLocale } from '../../i18n/i18n.svelte';
import { formatMoney } from '../../lib/money';
import { TWD, memberCard } from '../../test/fixtures';
import IdentityPanel from './IdentityPanel.svelte';

const money = (minor: number) => formatMoney(minor, TWD, 'zh-TW');

describe('Erasing a member', () => {
  afterEach(() => setLocale('zh-TW'));

  it('asks once more naming the member, then asks the owner to confirm the forfeit the core reports', async () => {
    const onErase = vi
      .fn()
      .mockRejectedValueOnce({ code: 'MemberHoldsStoredValue', message: '', details: { memberNo: 'M0001', balance: '12000' } })
      .mockResolvedValueOnce(undefined);
    render(IdentityPanel, { card: memberCard(), money, onArchive: vi.fn(), onErase });
    await fireEvent.click(screen.getByTestId('start-erase'));
    expect(screen.getByTestId('erase-question').textContent).toBe('要刪除 林小美（M0001）的個人資料嗎？');
    expect(onErase).not.toHaveBeenCalled();
    await fireEvent.click(screen.getByTestId('confirm-erase'));
    expect(onErase).toHaveBeenNthCalledWith(1, false, expect.any(String));
    // The core said how much is held: the owner is asked to give it up, no error shown.
    const forfeit = await screen.findByTestId('erase-forfeit');
    expect(forfeit.textContent).toContain('林小美 還有 $12,000 的儲值');
    expect(screen.queryByTestId('erase-error')).toBeNull();
    expect(screen.getByTestId('confirm-erase').textContent?.trim()).toBe('放棄 $12,000 並刪除');
    await fireEvent.click(screen.getByTestId('confirm-erase'));
    expect(onErase).toHaveBeenNthCalledWith(2, true, expect.any(String));
    expect(onErase.mock.calls[1][1]).not.toBe(onErase.mock.calls[0][1]);
    await waitFor(() => expect(screen.queryByTestId('erase-confirm')).toBeNull());
  });

  it('shows a refusal in words and erases nothing on cancel', async () => {
    const onErase = vi.fn(async () =>
      Promise.reject({ code: 'PermissionDenied', message: '', details: { act: 'eraseMember', needed: 'owner', role: 'cashier' } }),
    );
    render(IdentityPanel, { card: memberCard(), money, onArchive: vi.fn(), onErase });
    await fireEvent.click(screen.getByTestId('start-erase'));
    await fireEvent.click(screen.getByTestId('confirm-erase'));
    expect((await screen.findByTestId('erase-error')).textContent).toBe('收銀員不能刪除會員資料，需要老闆的權限。請老闆輸入密碼核准。');
    await fireEvent.click(screen.getByRole('button', { name: '返回' }));
    expect(screen.queryByTestId('erase-confirm')).toBeNull();
    expect(onErase).toHaveBeenCalledOnce();
  });

  it('is not offered without the right, nor for a member with nothing left to erase', () => {
    const { unmount } = render(IdentityPanel, { card: memberCard(), money, onArchive: vi.fn() });
    expect(screen.queryByTestId('start-erase')).toBeNull();
    unmount();
    const erased = memberCard();
    erased.member = { ...erased.member, name: '已刪除會員', phone: null, birthday: null, tags: [], notes: '', archived: true };
    render(IdentityPanel, { card: erased, money, onArchive: vi.fn(), onErase: vi.fn() });
    expect(screen.queryByTestId('start-erase')).toBeNull();
  });

  it('shows an erased member as erased, with no way to restore, archive or erase them again', () => {
    const erased = memberCard();
    erased.member = { ...erased.member, name: '已刪除會員', phone: null, tags: [], notes: '', archived: true, erasedAt: Date.UTC(2026, 11, 1) };
    const onArchive = vi.fn();
    render(IdentityPanel, { card: erased, money, onArchive, onErase: vi.fn() });
    expect(screen.getByTestId('member-erased').textContent).toBe('已刪除');
    expect(screen.getByTestId('erased-hint').textContent).toBe('已應本人要求刪除：只保留收據，不能恢復或修改。');
    for (const id of ['restore-member', 'start-archive', 'start-erase']) expect(screen.queryByTestId(id)).toBeNull();
    expect(onArchive).not.toHaveBeenCalled();
  });
});
