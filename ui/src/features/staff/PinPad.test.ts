import { fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { setLocale } from '../../i18n/i18n.svelte';
import { APP_NOW, session } from '../../test/fixtures';
import PinPad from './PinPad.svelte';

describe('PinPad', () => {
  afterEach(() => setLocale('zh-TW'));

  it('signs in with the digits typed, Backspace taking one back', async () => {
    const signIn = vi.fn(async () => session());
    const onSignedIn = vi.fn();
    render(PinPad, { signIn, onSignedIn });
    for (const key of ['1', '1', '7', 'Backspace', '1', '1']) await fireEvent.keyDown(window, { key });
    expect(screen.getByTestId('pin-dots').getAttribute('data-length')).toBe('4');
    await fireEvent.keyDown(window, { key: 'Enter' });
    await waitFor(() => expect(onSignedIn).toHaveBeenCalledWith(session()));
    expect(signIn).toHaveBeenCalledWith('1111');
  });

  it('says in English when the pad is locked, and after the fifth wrong PIN', async () => {
    setLocale('en');
    const signIn = vi.fn(async () => Promise.reject({ code: 'PinLocked', message: '', details: { until: String(Date.UTC(2026, 10, 26, 4, 5)) } }));
    render(PinPad, { signIn, onSignedIn: vi.fn() });
    for (const digit of ['5', '5', '5', '5']) await fireEvent.click(screen.getByTestId(`pin-key-${digit}`));
    await fireEvent.click(screen.getByTestId('pin-enter'));
    await waitFor(() => expect(screen.getByTestId('pin-error').textContent).toMatch(/^Too many wrong PINs/));
    expect(screen.getByTestId('pin-dots').getAttribute('data-length')).toBe('0');
  });

  it('shows the lock it opens with', () => {
    render(PinPad, { signIn: vi.fn(), onSignedIn: vi.fn(), pad: { lock: { failures: 0, lockedUntil: APP_NOW + 60_000 }, now: APP_NOW } });
    expect(screen.getByTestId('pin-error').textContent).toMatch(/^密碼錯太多次/);
  });

  it("judges the lock by the app's clock, not the webview's", () => {
    // The app's time is ahead of the webview's: a lock still ahead of the
    // webview's clock has run out by the app's.
    const now = Date.now() + 10 * 86_400_000;
    render(PinPad, { signIn: vi.fn(), onSignedIn: vi.fn(), pad: { lock: { failures: 0, lockedUntil: Date.now() + 60_000 }, now } });
    expect(screen.queryByTestId('pin-error')).toBeNull();
  });

  it("shows a lock that is ahead of the app's clock although the webview's clock is past it", () => {
    const now = Date.now() - 10 * 86_400_000;
    render(PinPad, { signIn: vi.fn(), onSignedIn: vi.fn(), pad: { lock: { failures: 0, lockedUntil: now + 60_000 }, now } });
    expect(screen.getByTestId('pin-error').textContent).toMatch(/^密碼錯太多次/);
  });
});
