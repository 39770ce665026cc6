import { fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import { describe, expect, it, vi } from 'vitest';
import App from './App.svelte';
import type { Backend } from './lib/types';
import { TWD, hit, memberCard } from './test/fixtures';

function fakeBackend(overrides: Partial<Backend> = {}): Backend {
  return {
    countMembers: vi.fn(async () => 0),
    findMembers: vi.fn(async () => [hit()]),
    getMemberCard: vi.fn(async () => memberCard()),
    getSettings: vi.fn(async () => ({
      name: '我的小店',
      address: '',
      phone: '',
      currency: TWD,
      timeZone: 'Asia/Taipei',
      receiptFooter: '',
    })),
    seedDemoData: vi.fn(async () => 36),
    ...overrides,
  };
}

describe('App', () => {
  it('offers demo data when there are no members, then shows the lookup', async () => {
    const backend = fakeBackend();
    render(App, { backend });
    await fireEvent.click(await screen.findByTestId('load-demo'));
    expect(backend.seedDemoData).toHaveBeenCalledOnce();
    await waitFor(() => expect(document.querySelector('#search')).not.toBeNull());
    expect(screen.getByTestId('notice').textContent).toContain('36');
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
    expect(screen.getByText('找會員')).toBeTruthy();
    await fireEvent.change(screen.getByTestId('language'), { target: { value: 'zh-CN' } });
    expect(screen.getByText('找会员')).toBeTruthy();
    await fireEvent.change(screen.getByTestId('language'), { target: { value: 'en' } });
    expect(screen.getByText('Find a member')).toBeTruthy();
    await fireEvent.change(screen.getByTestId('language'), { target: { value: 'zh-TW' } });
  });
});
