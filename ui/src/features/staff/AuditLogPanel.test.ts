import { fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import { describe, expect, it, vi } from 'vitest';
import { auditRow, fakeBackend } from '../../test/fixtures';
import AuditLogPanel from './AuditLogPanel.svelte';

describe('AuditLogPanel', () => {
  it('shows who did what and who approved it, filters by staff member and kind, and saves the CSV', async () => {
    const auditLog = vi.fn(async () => [auditRow(), auditRow({ id: 6, kind: 'signIn', staffName: '小美', approverName: undefined, receiptNumber: undefined })]);
    const backend = fakeBackend({ auditLog });
    render(AuditLogPanel, { backend, timeZone: 'Asia/Taipei' });
    await waitFor(() => expect(screen.getAllByTestId('audit-row')).toHaveLength(2));
    const [refund] = screen.getAllByTestId('audit-row');
    expect(refund.textContent).toContain('2026-11-26 10:05');
    expect(refund.textContent).toContain('退還儲值');
    expect(screen.getAllByTestId('audit-row-approver')[0].textContent).toBe('店長');
    expect(auditLog).toHaveBeenLastCalledWith({ limit: 200 });

    await waitFor(() => expect(screen.getByTestId('audit-staff').querySelectorAll('option')).toHaveLength(5));
    await fireEvent.change(screen.getByTestId('audit-staff'), { target: { value: '3' } });
    await waitFor(() => expect(auditLog).toHaveBeenLastCalledWith({ limit: 200, staffId: 3 }));
    await fireEvent.change(screen.getByTestId('audit-kind'), { target: { value: 'refund' } });
    await waitFor(() => expect(auditLog).toHaveBeenLastCalledWith({ limit: 200, staffId: 3, kind: 'refund' }));
    await fireEvent.input(screen.getByTestId('audit-day'), { target: { value: '2026-11-26' } });
    await fireEvent.change(screen.getByTestId('audit-day'), { target: { value: '2026-11-26' } });
    await waitFor(() =>
      expect(auditLog).toHaveBeenLastCalledWith({ limit: 200, staffId: 3, kind: 'refund', from: Date.UTC(2026, 10, 25, 16), to: Date.UTC(2026, 10, 26, 16) }),
    );

    await fireEvent.click(screen.getByTestId('audit-export'));
    await waitFor(() => expect(screen.getByTestId('audit-saved').textContent).toContain('稽核紀錄-2026-11-26.csv'));
    const [title, csv, rows, language] = vi.mocked(backend.exportAuditLog).mock.calls[0];
    expect([title, rows, language]).toEqual(['稽核紀錄', 2, 'zhTw']);
    expect(csv).toContain('小美,店長,退還儲值,42');
    expect(auditLog).toHaveBeenLastCalledWith(expect.objectContaining({ limit: 0, staffId: 3 }));
  });

  it('says so when a manager may not read it or nothing matches', async () => {
    render(AuditLogPanel, { backend: fakeBackend({ auditLog: vi.fn(async () => []) }), timeZone: 'Asia/Taipei' });
    expect((await screen.findByTestId('audit-empty')).textContent).toBe('沒有符合的紀錄。');
  });
});
