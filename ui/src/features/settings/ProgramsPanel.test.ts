import { fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import { describe, expect, it, vi } from 'vitest';
import { fakeBackend, TWD } from '../../test/fixtures';
import type { StampProgram } from '../../lib/bindings/StampProgram';
import ProgramsPanel from './ProgramsPanel.svelte';

const drinks: StampProgram = {
  id: 1,
  name: '飲料卡',
  stampsNeeded: 10,
  rewardText: '任選飲品一杯',
  earnRule: { kind: 'perItem' },
  expiryDays: null,
  active: true,
};

function renderPanel(editProgram = vi.fn(async (_id: number, edit) => ({ ...drinks, ...edit }))) {
  const backend = fakeBackend({ listPrograms: vi.fn(async () => [drinks]), editProgram });
  const onChanged = vi.fn(async () => undefined);
  render(ProgramsPanel, { backend, currency: TWD, money: (m: number) => `$${m}`, onChanged });
  return { backend, onChanged };
}

describe('ProgramsPanel', () => {
  it("edits a program's name, reward and expiry", async () => {
    const { backend, onChanged } = renderPanel();
    await fireEvent.click(await screen.findByTestId('program-edit-start'));
    expect(document.activeElement).toBe(screen.getByTestId('program-edit-name'));
    await fireEvent.input(screen.getByTestId('program-edit-name'), { target: { value: '茶飲卡' } });
    await fireEvent.input(screen.getByTestId('program-edit-reward'), { target: { value: '任選大杯飲品' } });
    await fireEvent.input(screen.getByTestId('program-edit-expiry'), { target: { value: '180' } });
    await fireEvent.submit(screen.getByTestId('program-edit'));
    await waitFor(() =>
      expect(backend.editProgram).toHaveBeenCalledWith(1, { name: '茶飲卡', rewardText: '任選大杯飲品', stampsNeeded: 10, expiryDays: 180 }),
    );
    await waitFor(() => expect(screen.queryByTestId('program-edit')).toBeNull());
    expect(onChanged).toHaveBeenCalled();
  });

  it('explains why the stamps needed cannot change once cards have started', async () => {
    const editProgram = vi.fn(async () =>
      Promise.reject({ code: 'StampsNeededLocked', message: '', details: { program: '飲料卡', cards: '12' } }),
    );
    renderPanel(editProgram);
    await fireEvent.click(await screen.findByTestId('program-edit-start'));
    expect(screen.getByTestId('program-edit').textContent).toContain('需要點數只能在還沒有會員開始集點前修改');
    await fireEvent.input(screen.getByTestId('program-edit-needed'), { target: { value: '8' } });
    await fireEvent.submit(screen.getByTestId('program-edit'));
    const error = await screen.findByTestId('program-edit-error');
    expect(error.textContent).toBe('飲料卡已有 12 位會員開始集點，需要點數不能再改（名稱、獎勵和效期可以改）。要換點數，請新增一張集點卡並停用這張。');
    expect(screen.getByTestId('program-edit')).toBeTruthy();
  });

  it('Escape cancels an edit without leaving the settings', async () => {
    renderPanel();
    await fireEvent.click(await screen.findByTestId('program-edit-start'));
    const escape = new KeyboardEvent('keydown', { key: 'Escape', bubbles: true, cancelable: true });
    screen.getByTestId('program-edit-name').dispatchEvent(escape);
    await waitFor(() => expect(screen.queryByTestId('program-edit')).toBeNull());
    expect(escape.defaultPrevented).toBe(true);
  });
});
