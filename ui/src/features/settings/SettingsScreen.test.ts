import { render, screen } from '@testing-library/svelte';
import { tick } from 'svelte';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { setLocale } from '../../i18n/i18n.svelte';
import { fakeBackend, shopSettings } from '../../test/fixtures';
import SettingsScreen from './SettingsScreen.svelte';

function renderSettings(signedIn: boolean) {
  return render(SettingsScreen, {
    backend: fakeBackend(),
    settings: shopSettings(),
    cashier: '',
    signedIn,
    onCashierChange: vi.fn(),
    onChanged: vi.fn(async () => undefined),
    onBack: vi.fn(),
    onRestored: vi.fn(),
  });
}

const chosen = (testId: string) => {
  const select = screen.getByTestId(testId) as HTMLSelectElement;
  return select.options[select.selectedIndex]?.textContent;
};

describe('SettingsScreen', () => {
  afterEach(() => setLocale('zh-TW'));

  it('shows the currency and the time zone by name in each language, not as codes', async () => {
    renderSettings(true);
    expect(chosen('currency')).toBe('新臺幣 (TWD)');
    expect(chosen('time-zone')).toBe('臺北 (UTC+8)');
    setLocale('zh-CN');
    await tick();
    expect(chosen('currency')).toBe('新台币 (TWD)');
    expect(chosen('time-zone')).toBe('台北 (UTC+8)');
    setLocale('en');
    await tick();
    expect(chosen('currency')).toBe('New Taiwan dollar (TWD)');
    expect(chosen('time-zone')).toBe('Taipei (UTC+8)');
    expect(chosen('time-zone')).not.toContain('Asia/');
  });

  it('asks for the till cashier only in a shop without staff accounts', () => {
    const { unmount } = renderSettings(true);
    expect(screen.queryByTestId('cashier-name')).toBeNull();
    unmount();
    renderSettings(false);
    expect(screen.getByTestId('cashier-name')).toBeTruthy();
  });
});
