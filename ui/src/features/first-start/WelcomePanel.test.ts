import { fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { setLocale } from '../../i18n/i18n.svelte';
import { shopSettings } from '../../test/fixtures';
import WelcomePanel from './WelcomePanel.svelte';

function props(overrides: Record<string, unknown> = {}) {
  return {
    settings: shopSettings(),
    seedDemoData: vi.fn(async () => 36),
    updateSettings: vi.fn(async () => shopSettings()),
    addProgram: vi.fn(),
    finishSetup: vi.fn(async () => undefined),
    onDone: vi.fn(),
    ...overrides,
  };
}

describe('WelcomePanel', () => {
  afterEach(() => setLocale('zh-TW'));

  it('loads demo data and reports how many members were made', async () => {
    const seedDemoData = vi.fn(async () => 36);
    const onDone = vi.fn();
    render(WelcomePanel, props({ seedDemoData, onDone }));
    await fireEvent.click(screen.getByTestId('load-demo'));
    await waitFor(() => expect(onDone).toHaveBeenCalledWith(36));
    expect(seedDemoData).toHaveBeenCalledWith('zhTw');
  });

  it('names the demo shop in the language on screen', async () => {
    setLocale('en');
    const seedDemoData = vi.fn(async () => 36);
    render(WelcomePanel, props({ seedDemoData }));
    await fireEvent.click(screen.getByTestId('load-demo'));
    await waitFor(() => expect(seedDemoData).toHaveBeenCalledWith('en'));
  });

  it('starts the setup of an empty shop from the focused choice, without seeding', async () => {
    const seedDemoData = vi.fn(async () => 36);
    const onDone = vi.fn();
    const finishSetup = vi.fn(async () => undefined);
    render(WelcomePanel, props({ seedDemoData, onDone, finishSetup }));
    // Enter on the welcome starts one's own shop, the choice a real shop makes.
    expect(document.activeElement).toBe(screen.getByTestId('start-empty'));
    await fireEvent.click(screen.getByTestId('start-empty'));
    expect(screen.getByTestId('setup').getAttribute('data-step')).toBe('name');
    for (let i = 0; i < 4; i += 1) await fireEvent.click(screen.getByTestId('setup-skip'));
    await waitFor(() => expect(finishSetup).toHaveBeenCalledOnce());
    await fireEvent.click(screen.getByTestId('setup-finish'));
    expect(onDone).toHaveBeenCalledWith(0);
    expect(seedDemoData).not.toHaveBeenCalled();
  });

  it('shows a translated error when seeding fails', async () => {
    const seedDemoData = vi.fn(async () => {
      throw { code: 'StoreUnavailable', message: 'disk full' };
    });
    render(WelcomePanel, props({ seedDemoData }));
    await fireEvent.click(screen.getByTestId('load-demo'));
    await waitFor(() => expect(screen.getByTestId('error').textContent).toBe('無法開啟資料庫。'));
  });

  it('says so in words when the database already holds a shop', async () => {
    const seedDemoData = vi.fn(async () => Promise.reject({ code: 'ShopNotEmpty', message: 'the shop already has data', details: {} }));
    render(WelcomePanel, props({ seedDemoData }));
    await fireEvent.click(screen.getByTestId('load-demo'));
    await waitFor(() => expect(screen.getByTestId('error').textContent).toBe('這個資料庫已經有資料，示範資料只能載入到全新的資料庫。'));
  });
});
