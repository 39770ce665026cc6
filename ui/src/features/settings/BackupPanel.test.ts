import { fireEvent, render, screen, waitFor, within } from '@testing-library/svelte';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { setLocale } from '../../i18n/i18n.svelte';
import { backup, fakeBackend } from '../../test/fixtures';
import BackupPanel from './BackupPanel.svelte';

function renderPanel(overrides = {}) {
  const backend = fakeBackend(overrides);
  const onRestored = vi.fn();
  render(BackupPanel, { backend, timeZone: 'Asia/Taipei', onRestored });
  return { backend, onRestored };
}

describe('backups in the settings', () => {
  afterEach(() => setLocale('zh-TW'));

  it('lists each backup with what it holds, on the shop clock', async () => {
    const { backend } = renderPanel();
    const [row] = await screen.findAllByTestId('backup-row');
    const cells = within(row).getAllByRole('cell').map((c) => c.textContent?.trim());
    // 01:00 UTC is 09:00 in Taipei; the last receipt 12:30 UTC is 20:30.
    expect(cells.slice(0, 6)).toEqual(['2026-11-26 09:00:00', '每日自動', '36', '748', '2026-11-25 20:30', '2.4 MB']);
    // The folder opens on the newest backup, to copy it to a USB stick.
    await fireEvent.click(screen.getByTestId('show-in-folder'));
    expect(backend.showInFolder).toHaveBeenCalledWith('/docs/Regulars backups/regulars-auto-2026-11-26.db');
  });

  it("exports everything as one workbook named in the UI's language and says where", async () => {
    setLocale('en');
    const { backend } = renderPanel({ exportEverything: vi.fn(async () => '/home/owner/Documents/Regulars exports/regulars-all-data-2026-12-01.xlsx') });
    await fireEvent.click(await screen.findByTestId('export-everything'));
    expect(backend.exportEverything).toHaveBeenCalledWith('en');
    expect((await screen.findByTestId('export-done')).textContent).toBe(
      'Exported: /home/owner/Documents/Regulars exports/regulars-all-data-2026-12-01.xlsx',
    );
  });

  it('backs up now, says where, and lists the new file', async () => {
    const listBackups = vi
      .fn()
      .mockResolvedValueOnce([])
      .mockResolvedValueOnce([backup({ fileName: 'regulars-2026-11-26-153000.db', path: '/b/regulars-2026-11-26-153000.db', automatic: false }), backup()]);
    renderPanel({ listBackups });
    // With no backup yet the panel says how to make one, and does not point
    // to a folder button that is not there.
    expect((await screen.findByTestId('backup-none')).textContent).toBe('還沒有備份：按「立即備份」做第一份。');
    expect(screen.queryByTestId('show-in-folder')).toBeNull();
    expect(screen.queryByTestId('backup-elsewhere')).toBeNull();
    expect(screen.getByTestId('backup-new-computer').textContent).toContain('文件／熟客備份');
    await fireEvent.click(screen.getByTestId('backup-now'));
    expect((await screen.findByTestId('backup-made')).textContent).toBe('已備份到 /docs/Regulars backups/regulars-2026-11-26-153000.db');
    await waitFor(() => expect(screen.getAllByTestId('backup-row')).toHaveLength(2));
    expect(screen.getAllByTestId('backup-row')[0].textContent).toContain('手動');
    expect(screen.getByTestId('backup-elsewhere').textContent).toContain('打開所在資料夾');
  });

  it('restores only after a second word that counts what is lost', async () => {
    const { backend, onRestored } = renderPanel();
    await fireEvent.click(await screen.findByTestId('backup-restore'));
    expect(backend.restoreBackup).not.toHaveBeenCalled();
    // Now 37 members and 760 receipts; the backup 36 and 748.
    expect(screen.getByTestId('restore-compare').textContent).toBe('目前資料：37 位會員、760 張收據；這份備份：36 位會員、748 張收據。');
    expect(screen.getByTestId('restore-warning').textContent).toContain('還原後會少掉 12 張收據、1 位會員：2026-11-25 20:30 之後');
    await waitFor(() => expect(document.activeElement).toBe(screen.getByTestId('confirm-restore')));
    await fireEvent.click(screen.getByTestId('confirm-restore'));
    await waitFor(() => expect(onRestored).toHaveBeenCalledWith('/docs/Regulars backups/regulars-before-restore-2026-11-26-160000.db'));
    expect(backend.restoreBackup).toHaveBeenCalledWith('/docs/Regulars backups/regulars-auto-2026-11-26.db');
  });

  it('Escape closes the question and nothing else', async () => {
    const onWindowEscape = vi.fn();
    window.addEventListener('keydown', onWindowEscape);
    const { backend } = renderPanel();
    await fireEvent.click(await screen.findByTestId('backup-restore'));
    await fireEvent.keyDown(await screen.findByTestId('confirm-restore'), { key: 'Escape' });
    expect(screen.queryByTestId('confirm-restore')).toBeNull();
    expect(onWindowEscape).not.toHaveBeenCalled();
    expect(backend.restoreBackup).not.toHaveBeenCalled();
    window.removeEventListener('keydown', onWindowEscape);
  });

  it('says in words why a restore or a backup failed', async () => {
    const restoreBackup = vi.fn(async () => Promise.reject({ code: 'NotABackup', message: '', details: { path: '/x', cause: 'damaged', reason: 'damaged (page 3)' } }));
    const { onRestored } = renderPanel({ restoreBackup });
    await fireEvent.click(await screen.findByTestId('backup-restore'));
    await fireEvent.click(screen.getByTestId('confirm-restore'));
    expect((await screen.findByTestId('backup-error')).textContent).toBe('這不是可用的備份檔。這份備份已損壞：請選另一份備份。');
    expect(onRestored).not.toHaveBeenCalled();
  });
});
