import { fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import { describe, expect, it, vi } from 'vitest';
import App from './App.svelte';
import { APP_NOW, fakeBackend, receipt, session } from './test/fixtures';

describe('App', () => {
  it('offers demo data on a new database, shows its PINs, and opens the lookup once a PIN signs in', async () => {
    const signIn = vi.fn(async () => session({ staffId: 2, name: '店長', role: 'manager' }));
    const backend = fakeBackend({
      staffState: vi.fn(async () => ({ hasStaff: false, pinPad: { failures: 0, lockedUntil: 0 }, session: null, now: APP_NOW })),
      signIn,
    });
    render(App, { backend });
    const demo = await screen.findByTestId('load-demo');
    // No shop name yet on the welcome screen (only the default one exists).
    expect(screen.queryByTestId('shop-name')).toBeNull();
    await fireEvent.click(demo);
    expect(backend.seedDemoData).toHaveBeenCalledOnce();
    await fireEvent.click(await screen.findByTestId('demo-continue'));
    // The PIN pad, the demo's PINs beside it; digits typed on the keyboard.
    expect((await screen.findByTestId('pin-note')).textContent).toContain('店長：2222');
    expect(screen.queryByTestId('nav-lookup')).toBeNull();
    for (const key of ['2', '2', '２', '2']) await fireEvent.keyDown(window, { key });
    await fireEvent.keyDown(window, { key: 'Enter' });
    expect(signIn).toHaveBeenCalledWith('2222');
    await waitFor(() => expect(document.querySelector('#search')).not.toBeNull());
    expect(screen.getByTestId('notice').textContent).toContain('36');
    expect(screen.getByTestId('shop-name')).toBeTruthy();
    expect(screen.getByTestId('signed-in-name').textContent).toBe('店長');
    expect(screen.getByTestId('signed-in-role').textContent).toBe('店長');
    // A manager sees the owner's view, not the settings.
    expect(screen.getByTestId('nav-owner')).toBeTruthy();
    expect(screen.queryByTestId('nav-settings')).toBeNull();
  });

  it('says how many tries are left after a wrong PIN, and hands the till over with Ctrl+L', async () => {
    const signIn = vi
      .fn()
      .mockRejectedValueOnce({ code: 'WrongPin', message: '', details: { left: '4' } })
      .mockResolvedValueOnce(session({ staffId: 3, name: '小美', role: 'cashier' }));
    const backend = fakeBackend({ isShopSetUp: vi.fn(async () => true), signIn });
    render(App, { backend });
    await waitFor(() => expect(screen.getByTestId('signed-in-name').textContent).toBe('老闆'));
    await fireEvent.keyDown(window, { key: 'l', ctrlKey: true });
    await waitFor(() => expect(screen.getByTestId('pin-pad')).toBeTruthy());
    expect(backend.signOut).toHaveBeenCalledOnce();
    for (const digit of ['9', '9', '9', '9']) await fireEvent.click(screen.getByTestId(`pin-key-${digit}`));
    await fireEvent.click(screen.getByTestId('pin-back'));
    await fireEvent.click(screen.getByTestId('pin-key-8'));
    await fireEvent.click(screen.getByTestId('pin-enter'));
    expect(signIn).toHaveBeenCalledWith('9998');
    expect((await screen.findByTestId('pin-error')).textContent).toBe('密碼不對，再錯 4 次就會鎖住。');
    for (const digit of ['3', '3', '3', '3']) await fireEvent.click(screen.getByTestId(`pin-key-${digit}`));
    await fireEvent.click(screen.getByTestId('pin-enter'));
    await waitFor(() => expect(screen.getByTestId('signed-in-name').textContent).toBe('小美'));
    // A cashier has neither the owner's view nor the settings.
    expect(screen.queryByTestId('nav-owner')).toBeNull();
    expect(screen.queryByTestId('nav-settings')).toBeNull();
  });

  it('opens a locked pad saying until when', async () => {
    // Locked by the app's clock (the shell's, days from the test's own).
    const lockedUntil = APP_NOW + 5 * 60_000;
    const backend = fakeBackend({
      isShopSetUp: vi.fn(async () => true),
      staffState: vi.fn(async () => ({ hasStaff: true, pinPad: { failures: 0, lockedUntil }, session: null, now: APP_NOW })),
    });
    render(App, { backend });
    expect((await screen.findByTestId('pin-error')).textContent).toMatch(/^密碼錯太多次，已鎖住到 .*\d\d/);
  });

  it('asks a shop in use without staff for the owner\'s account before anything else', async () => {
    const backend = fakeBackend({
      isShopSetUp: vi.fn(async () => true),
      staffState: vi.fn(async () => ({ hasStaff: false, pinPad: { failures: 0, lockedUntil: 0 }, session: null, now: APP_NOW })),
    });
    render(App, { backend });
    expect((await screen.findByTestId('first-owner')).textContent).toContain('這家店已經有資料，但還沒有員工帳號');
    expect(screen.queryByTestId('nav-lookup')).toBeNull();
    await fireEvent.input(screen.getByTestId('owner-name'), { target: { value: '阿明' } });
    await fireEvent.input(screen.getByTestId('owner-pin'), { target: { value: '2580' } });
    await fireEvent.input(screen.getByTestId('owner-pin-again'), { target: { value: '2580' } });
    await fireEvent.click(screen.getByTestId('owner-create'));
    await waitFor(() => expect(document.querySelector('#search')).not.toBeNull());
    expect(backend.createFirstOwner).toHaveBeenCalledWith('阿明', '2580');
    expect(screen.getByTestId('signed-in-name').textContent).toBe('阿明');
  });

  it('warns the owner at start when the audit log is broken, naming the row', async () => {
    const backend = fakeBackend({ isShopSetUp: vi.fn(async () => true), verifyAudit: vi.fn(async () => ({ id: 42, problem: 'edited' })) });
    render(App, { backend });
    expect((await screen.findByTestId('audit-break')).textContent).toBe('稽核紀錄第 42 筆有問題：內容被改過。請檢查這台電腦與備份。');
  });

  it('goes straight to the lookup once the shop is set up, and opens a member', async () => {
    const backend = fakeBackend({ isShopSetUp: vi.fn(async () => true) });
    render(App, { backend });
    await waitFor(() => expect(document.querySelector('#search')).not.toBeNull());
    expect(screen.queryByTestId('welcome')).toBeNull();
    const input = document.querySelector<HTMLInputElement>('#search')!;
    await fireEvent.input(input, { target: { value: '5678' } });
    await fireEvent.keyDown(input, { key: 'Enter' });
    await waitFor(() => expect(screen.getByTestId('member-card')).toBeTruthy());
    expect(backend.getMemberCard).toHaveBeenCalledWith(1);
  });

  it('shows a translated error when the database cannot be opened', async () => {
    const backend = fakeBackend({
      getSettings: vi.fn(async () => {
        throw { code: 'SchemaTooNew', message: 'schema 9 is newer than 3', details: {} };
      }),
    });
    render(App, { backend });
    await waitFor(() => expect(screen.getByTestId('fatal-error').textContent).toContain('較新版本'));
  });

  it('switches the language from the header', async () => {
    render(App, { backend: fakeBackend({ isShopSetUp: vi.fn(async () => true) }) });
    await waitFor(() => expect(document.querySelector('#search')).not.toBeNull());
    const label = () => document.querySelector('#search-label')?.textContent;
    expect(label()).toBe('找會員');
    await fireEvent.change(screen.getByTestId('language'), { target: { value: 'zh-CN' } });
    expect(label()).toBe('找会员');
    await fireEvent.change(screen.getByTestId('language'), { target: { value: 'en' } });
    expect(label()).toBe('Find a member');
    await fireEvent.change(screen.getByTestId('language'), { target: { value: 'zh-TW' } });
  });

  it('never shows the welcome again once the shop is set up, even with no member yet', async () => {
    const backend = fakeBackend({ isShopSetUp: vi.fn(async () => true), countMembers: vi.fn(async () => 0) });
    render(App, { backend });
    await waitFor(() => expect(document.querySelector('#search')).not.toBeNull());
    expect(screen.queryByTestId('welcome')).toBeNull();
  });

  it('shows the reversing receipt after a void, with the form closed', async () => {
    const backend = fakeBackend({
      isShopSetUp: vi.fn(async () => true),
      voidReceipt: vi.fn(async () => receipt({ number: 9, kind: 'void', voidsNumber: 7 })),
    });
    render(App, { backend });
    await waitFor(() => expect(document.querySelector('#search')).not.toBeNull());
    const input = document.querySelector<HTMLInputElement>('#search')!;
    await fireEvent.input(input, { target: { value: '5678' } });
    await fireEvent.keyDown(input, { key: 'Enter' });
    await fireEvent.click((await screen.findAllByTestId('open-receipt'))[0]);
    await fireEvent.click(await screen.findByTestId('void-start'));
    await fireEvent.input(screen.getByTestId('void-reason'), { target: { value: '打錯了' } });
    await fireEvent.submit(screen.getByTestId('void-form'));
    await waitFor(() => expect(screen.getByTestId('receipt-kind').textContent?.trim()).toBe('作廢 #7 的收據'));
    expect(screen.queryByTestId('void-form')).toBeNull();
    expect(screen.queryByTestId('void-start')).toBeNull();
    expect(screen.getByTestId('voided-notice')).toBeTruthy();
  });

  it('says what was redeemed after a confirmed redemption', async () => {
    const redeemed = receipt({
      number: 43,
      kind: 'redeem',
      stamps: [
        {
          programId: 2,
          programName: '蛋糕集點',
          stampsNeeded: 5,
          rewardText: '免費蛋糕一塊',
          stampsBefore: 5,
          earned: 0,
          redeemed: 1,
          expired: 0,
          stampsAfter: 0,
        },
      ],
    });
    const backend = fakeBackend({ isShopSetUp: vi.fn(async () => true), redeemReward: vi.fn(async () => redeemed) });
    render(App, { backend });
    await waitFor(() => expect(document.querySelector('#search')).not.toBeNull());
    const input = document.querySelector<HTMLInputElement>('#search')!;
    await fireEvent.input(input, { target: { value: '5678' } });
    await fireEvent.keyDown(input, { key: 'Enter' });
    await fireEvent.click(await screen.findByTestId('redeem-now'));
    expect(backend.redeemReward).not.toHaveBeenCalled();
    await fireEvent.click(screen.getByTestId('redeem-confirm-yes'));
    await waitFor(() => expect(screen.getByTestId('card-notice').textContent).toBe('已兌換：免費蛋糕一塊（收據 #43）'));
  });
});
