import { fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import { describe, expect, it, vi } from 'vitest';
import App from './App.svelte';
import { fakeBackend } from './test/fixtures';

describe('App', () => {
  it('offers demo data when there are no members, then shows the lookup', async () => {
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

  it('goes straight to the lookup when members exist, and opens a member', async () => {
    const backend = fakeBackend({ countMembers: vi.fn(async () => 36) });
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
    render(App, { backend: fakeBackend({ countMembers: vi.fn(async () => 36) }) });
    await waitFor(() => expect(document.querySelector('#search')).not.toBeNull());
    const label = () => document.querySelector('#search-label')?.textContent;
    expect(label()).toBe('找會員');
    await fireEvent.change(screen.getByTestId('language'), { target: { value: 'zh-CN' } });
    expect(label()).toBe('找会员');
    await fireEvent.change(screen.getByTestId('language'), { target: { value: 'en' } });
    expect(label()).toBe('Find a member');
    await fireEvent.change(screen.getByTestId('language'), { target: { value: 'zh-TW' } });
  });
});
