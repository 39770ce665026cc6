import { fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import { describe, expect, it, vi } from 'vitest';
import { TWD, fakeBackend, staffPolicy } from '../../test/fixtures';
import StaffPanel from './StaffPanel.svelte';

describe('StaffPanel', () => {
  it('adds a cashier, gives a member a new PIN and turns one off', async () => {
    const backend = fakeBackend();
    render(StaffPanel, { backend, currency: TWD });
    await waitFor(() => expect(screen.getAllByTestId('staff-row')).toHaveLength(4));
    expect(screen.getAllByTestId('staff-row')[2].textContent).toContain('小美');

    await fireEvent.input(screen.getByTestId('staff-add-name'), { target: { value: ' 阿珠 ' } });
    await fireEvent.input(screen.getByTestId('staff-add-pin'), { target: { value: '5678' } });
    await fireEvent.click(screen.getByTestId('staff-add'));
    await waitFor(() => expect(screen.getByTestId('staff-notice').textContent).toBe('已新增 阿珠。'));
    expect(backend.addStaff).toHaveBeenCalledWith({ name: '阿珠', role: 'cashier', pin: '5678' });

    await fireEvent.click(screen.getAllByTestId('staff-new-pin')[2]);
    await fireEvent.input(screen.getByTestId('staff-pin-input'), { target: { value: '7777' } });
    await fireEvent.click(screen.getByTestId('staff-pin-save'));
    await waitFor(() => expect(backend.setStaffPin).toHaveBeenCalledWith(3, '7777'));

    await fireEvent.click(screen.getAllByTestId('staff-disable')[3]);
    expect(screen.getByText(/停用 阿哲 的帳號？/)).toBeTruthy();
    await fireEvent.click(screen.getByTestId('staff-disable-confirm'));
    await waitFor(() => expect(backend.disableStaff).toHaveBeenCalledWith(4));
  });

  it('says why a PIN already in use is refused', async () => {
    const addStaff = vi.fn(async () => Promise.reject({ code: 'DuplicatePin', message: '' }));
    render(StaffPanel, { backend: fakeBackend({ addStaff }), currency: TWD });
    await fireEvent.input(screen.getByTestId('staff-add-name'), { target: { value: '阿珠' } });
    await fireEvent.input(screen.getByTestId('staff-add-pin'), { target: { value: '1111' } });
    await fireEvent.click(screen.getByTestId('staff-add'));
    await waitFor(() => expect(screen.getByTestId('staff-add-error').textContent).toBe('這個密碼已經有別的員工在用，請換一個。'));
  });

  it('saves the limits and tells the app the new idle lock', async () => {
    const setStaffPolicy = vi.fn(async (policy) => policy);
    const onPolicyChanged = vi.fn();
    render(StaffPanel, { backend: fakeBackend({ setStaffPolicy }), currency: TWD, onPolicyChanged });
    const idle = await screen.findByTestId('policy-idle');
    expect((idle as HTMLInputElement).value).toBe('5');
    await fireEvent.input(idle, { target: { value: '10' } });
    await fireEvent.input(screen.getByTestId('policy-void-max'), { target: { value: '2,000' } });
    await fireEvent.click(screen.getByTestId('policy-save'));
    await waitFor(() => expect(onPolicyChanged).toHaveBeenCalledWith(staffPolicy({ idleLockMinutes: 10, cashierVoidMaxMinor: 2000 })));
    await fireEvent.input(idle, { target: { value: 'ten' } });
    await fireEvent.click(screen.getByTestId('policy-save'));
    expect(screen.getByTestId('policy-error').textContent).toBe('請用數字填寫每一項限額。');
    expect(setStaffPolicy).toHaveBeenCalledOnce();
  });
});

describe('StaffPanel rights', () => {
  const row = (act: string) => document.querySelector(`[data-testid=right-row][data-act=${act}]`) as HTMLElement;
  const select = (act: string) => row(act).querySelector('select') as HTMLSelectElement;

  it('takes top-ups away from cashiers and managers, named in words, through the policy', async () => {
    const setStaffPolicy = vi.fn(async (policy) => policy);
    const onPolicyChanged = vi.fn();
    render(StaffPanel, { backend: fakeBackend({ setStaffPolicy }), currency: TWD, onPolicyChanged });
    await screen.findByTestId('staff-rights');
    expect(row('topUp').textContent).toContain('儲值');
    expect(select('topUp').value).toBe('cashier');
    expect([...select('refund').options].map((o) => o.textContent)).toEqual(['店長和老闆', '只有老闆']);
    expect((screen.getByTestId('rights-save') as HTMLButtonElement).disabled).toBe(true);
    await fireEvent.change(select('topUp'), { target: { value: 'owner' } });
    expect(row('topUp').querySelector('[data-testid=right-taken]')?.textContent).toBe('已收回');
    await fireEvent.click(screen.getByTestId('rights-save'));
    await waitFor(() => expect(screen.getByTestId('rights-saved').textContent).toBe('權限已儲存。'));
    expect(setStaffPolicy).toHaveBeenCalledWith(
      staffPolicy({ denied: [{ role: 'cashier', act: 'topUp' }, { role: 'manager', act: 'topUp' }] }),
    );
    expect(onPolicyChanged).toHaveBeenCalledOnce();
  });

  it('gives a right back and shows the core refusing a policy in words', async () => {
    const policy = staffPolicy({ denied: [{ role: 'cashier', act: 'void' }] });
    const setStaffPolicy = vi
      .fn()
      .mockRejectedValueOnce({ code: 'PermissionDenied', message: '', details: { act: 'staffPolicy', needed: 'owner', role: 'manager' } })
      .mockImplementation(async (p) => p);
    render(StaffPanel, { backend: fakeBackend({ getStaffPolicy: vi.fn(async () => policy), setStaffPolicy }), currency: TWD });
    await screen.findByTestId('staff-rights');
    expect(select('void').value).toBe('manager');
    expect(row('void').querySelector('[data-testid=right-taken]')).not.toBeNull();
    await fireEvent.change(select('void'), { target: { value: 'cashier' } });
    await fireEvent.click(screen.getByTestId('rights-save'));
    expect((await screen.findByTestId('rights-error')).textContent).toContain('店長不能');
    await fireEvent.click(screen.getByTestId('rights-save'));
    await waitFor(() => expect(setStaffPolicy).toHaveBeenLastCalledWith(staffPolicy({ denied: [] })));
    expect(row('void').querySelector('[data-testid=right-taken]')).toBeNull();
  });
});
