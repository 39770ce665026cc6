import { fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import { describe, expect, it, vi } from 'vitest';
import App from './App.svelte';
import { fakeBackend, receipt } from './test/fixtures';

describe('App', () => {
  it('offers demo data on a new database, then shows the lookup', async () => {
    const backend = fakeBackend();
    render(App, { backend });
    const demo = await screen.findByTestId('load-demo');
    // No shop name yet on the welcome screen (only the default one exists).
    expect(screen.queryByTestId('shop-name')).toBeNull();
    await fireEvent.click(demo);
    expect(backend.seedDemoData).toHaveBeenCalledOnce();
    await waitFor(() => expect(document.querySelector('#search')).not.toBeNull());
    expect(screen.getByTestId('notice').textContent).toContain('36');
    expect(screen.getByTestId('shop-name')).toBeTruthy();
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
