import { describe, expect, it, vi } from 'vitest';
import { setLocale } from './i18n/i18n.svelte';
import { AppState, lazy } from './appState.svelte';
import { fakeBackend, receipt, shopSettings } from './test/fixtures';

describe('AppState', () => {
  it('starts on the lookup once the shop is set up, and on the welcome before', async () => {
    const setUp = new AppState(fakeBackend({ isShopSetUp: vi.fn(async () => true) }));
    await setUp.start();
    expect(setUp.screen.kind).toBe('lookup');
    expect(setUp.ready).toBe(true);
    const fresh = new AppState(fakeBackend({ isShopSetUp: vi.fn(async () => false) }));
    await fresh.start();
    expect(fresh.screen.kind).toBe('welcome');
    expect(fresh.ready).toBe(false);
  });

  it('goes back to the search after a sale with its receipt beside it, printing it when the shop prints automatically', async () => {
    setLocale('zh-TW');
    const printReceipt = vi.fn(async () => {
      throw { code: 'PrinterUnavailable', message: 'no printer' };
    });
    const app = new AppState(fakeBackend({ getSettings: vi.fn(async () => shopSettings({ autoPrint: true })), printReceipt }));
    await app.start();
    app.lastQuery = '0912';
    const sale = receipt({ number: 42 });
    app.afterMoneyMoved(sale);
    expect(app.screen.kind).toBe('lookup');
    expect(app.lastReceipt?.number).toBe(42);
    expect(app.lastQuery).toBe('');
    expect(printReceipt).toHaveBeenCalledWith(42, 'zhTw');
    // The print failed: the sale stands and the failure shows.
    await vi.waitFor(() => expect(app.actionError?.code).toBe('PrinterUnavailable'));
    expect(app.screen.kind).toBe('lookup');
  });

  it('puts the cashier set on this till on receipts, else a neutral name, and remembers it', () => {
    setLocale('zh-TW');
    localStorage.removeItem('regulars.cashier');
    const app = new AppState(fakeBackend());
    expect(app.cashierName).toBe('櫃檯');
    app.setCashier('阿明');
    expect(app.cashierName).toBe('阿明');
    expect(new AppState(fakeBackend()).cashier).toBe('阿明');
    localStorage.removeItem('regulars.cashier');
  });
});

describe('lazy', () => {
  it('loads once, when first asked', async () => {
    const load = vi.fn(async () => 'module');
    const get = lazy(load);
    expect(load).not.toHaveBeenCalled();
    expect(await get()).toBe('module');
    expect(await get()).toBe('module');
    expect(load).toHaveBeenCalledOnce();
  });
});
