import { fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import { describe, expect, it, vi } from 'vitest';
import LookupScreen from './LookupScreen.svelte';
import { TWD, found, hit } from '../../test/fixtures';
import type { MemberHit } from '../../lib/bindings/MemberHit';
import type { MemberLookup } from '../../lib/bindings/MemberLookup';

function renderLookup(search: (query: string) => Promise<MemberHit[] | MemberLookup>) {
  const findMembers = async (query: string) => {
    const answer = await search(query);
    return Array.isArray(answer) ? found(answer) : answer;
  };
  const onOpen = vi.fn();
  render(LookupScreen, { findMembers, onOpen, currency: TWD, timeZone: 'Asia/Taipei', debounceMs: 10 });
  const input = document.querySelector<HTMLInputElement>('#search')!;
  return { input, onOpen };
}

describe('LookupScreen', () => {
  it('focuses the search box on start', () => {
    const { input } = renderLookup(async () => []);
    expect(document.activeElement).toBe(input);
  });

  it('shows results as you type', async () => {
    const findMembers = vi.fn(async () => [hit({ id: 1, name: '林小美' }), hit({ id: 2, name: '陳大文', phone: '0922005678' })]);
    const { input } = renderLookup(findMembers);
    await fireEvent.input(input, { target: { value: '5678' } });
    await waitFor(() => expect(screen.getAllByTestId('result')).toHaveLength(2));
    expect(findMembers).toHaveBeenCalledWith('5678');
    expect(screen.getAllByTestId('result')[0].textContent).toContain('$1,200');
  });

  it('marks an archived member found by the whole number', async () => {
    const { input } = renderLookup(async () => [hit({ id: 3, matchKind: 'exact', archived: true }), hit({ id: 4, name: '陳大文' })]);
    await fireEvent.input(input, { target: { value: '0912345678' } });
    await waitFor(() => expect(screen.getAllByTestId('result')).toHaveLength(2));
    expect(screen.getAllByTestId('result-archived').map((e) => e.textContent)).toEqual(['已封存']);
    expect(screen.getAllByTestId('result')[0].contains(screen.getByTestId('result-archived'))).toBe(true);
  });

  it('arrow keys and Enter open the chosen member', async () => {
    const { input, onOpen } = renderLookup(async () => [hit({ id: 1 }), hit({ id: 2, name: '陳大文' })]);
    await fireEvent.input(input, { target: { value: '5678' } });
    await waitFor(() => expect(screen.getAllByTestId('result')).toHaveLength(2));
    await fireEvent.keyDown(input, { key: 'ArrowDown' });
    expect(screen.getAllByTestId('result')[1].getAttribute('aria-selected')).toBe('true');
    await fireEvent.keyDown(input, { key: 'Enter' });
    expect(onOpen).toHaveBeenCalledWith(expect.objectContaining({ id: 2 }));
  });

  it('Enter right after a scanned code opens the exact hit without waiting', async () => {
    const { input, onOpen } = renderLookup(async (query) =>
      query === 'RG-0007' ? [hit({ id: 7, matchKind: 'exact' })] : [],
    );
    await fireEvent.input(input, { target: { value: 'RG-0007' } });
    await fireEvent.keyDown(input, { key: 'Enter' });
    await waitFor(() => expect(onOpen).toHaveBeenCalledWith(expect.objectContaining({ id: 7 })));
  });

  it('says how many matched when more members match than are shown', async () => {
    const recent = Array.from({ length: 20 }, (_, i) => hit({ id: i + 1, name: `會員${i + 1}` }));
    const { input } = renderLookup(async () => found(recent, 128));
    await fireEvent.input(input, { target: { value: '2345' } });
    await waitFor(() => expect(screen.getAllByTestId('result')).toHaveLength(20));
    expect(screen.getByTestId('result-count').textContent?.trim()).toBe(
      '128 位會員符合，顯示最近來店的 20 位。再多輸入幾碼或加上姓名。',
    );
  });

  it('counts the results plainly when all are shown', async () => {
    const { input } = renderLookup(async () => found([hit({ id: 1 }), hit({ id: 2, name: '陳大文' })]));
    await fireEvent.input(input, { target: { value: '5678' } });
    await waitFor(() => expect(screen.getByTestId('result-count').textContent?.trim()).toBe('2 位會員'));
  });

  it('says so when nothing matches', async () => {
    const { input } = renderLookup(async () => []);
    await fireEvent.input(input, { target: { value: '0000' } });
    await waitFor(() => expect(screen.getByTestId('no-results').textContent).toContain('0000'));
  });
});
