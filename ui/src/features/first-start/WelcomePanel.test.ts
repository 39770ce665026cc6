import { fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { setLocale } from '../../i18n/i18n.svelte';
import WelcomePanel from './WelcomePanel.svelte';

describe('WelcomePanel', () => {
  afterEach(() => setLocale('zh-TW'));

  it('loads demo data and reports how many members were made', async () => {
    const seedDemoData = vi.fn(async () => 36);
    const onDone = vi.fn();
    render(WelcomePanel, { seedDemoData, onDone });
    await fireEvent.click(screen.getByTestId('load-demo'));
    await waitFor(() => expect(onDone).toHaveBeenCalledWith(36));
    expect(seedDemoData).toHaveBeenCalledWith('zhTw');
  });

  it('names the demo shop in the language on screen', async () => {
    setLocale('en');
    const seedDemoData = vi.fn(async () => 36);
    render(WelcomePanel, { seedDemoData, onDone: vi.fn() });
    await fireEvent.click(screen.getByTestId('load-demo'));
    await waitFor(() => expect(seedDemoData).toHaveBeenCalledWith('en'));
  });

  it('can start empty without seeding', async () => {
    const seedDemoData = vi.fn(async () => 36);
    const onDone = vi.fn();
    render(WelcomePanel, { seedDemoData, onDone });
    await fireEvent.click(screen.getByTestId('start-empty'));
    expect(onDone).toHaveBeenCalledWith(0);
    expect(seedDemoData).not.toHaveBeenCalled();
  });

  it('shows a translated error when seeding fails', async () => {
    const seedDemoData = vi.fn(async () => {
      throw { code: 'StoreUnavailable', message: 'disk full' };
    });
    render(WelcomePanel, { seedDemoData, onDone: vi.fn() });
    await fireEvent.click(screen.getByTestId('load-demo'));
    await waitFor(() => expect(screen.getByTestId('error').textContent).toBe('無法開啟資料庫。'));
  });
});
