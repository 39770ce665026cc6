import { fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import { describe, expect, it, vi } from 'vitest';
import { setLocale } from '../../i18n/i18n.svelte';
import RegisterScreen from './RegisterScreen.svelte';
import { memberCard } from '../../test/fixtures';
import type { Member } from '../../lib/bindings/Member';
import type { NewMember } from '../../lib/bindings/NewMember';

function renderRegister(addMember: (member: NewMember, requestId: string) => Promise<Member>) {
  const onDone = vi.fn();
  render(RegisterScreen, { prefill: { name: '', phone: '' }, addMember, onDone, onCancel: vi.fn() });
  return { onDone };
}

const ok = async (_member: NewMember, _requestId: string): Promise<Member> => memberCard().member;

describe('RegisterScreen', () => {
  it('sends the phone and birthday as typed, full width and ROC year included, for the core to read', async () => {
    const addMember = vi.fn(ok);
    const { onDone } = renderRegister(addMember);
    await fireEvent.input(screen.getByTestId('reg-name'), { target: { value: '高梓涵' } });
    await fireEvent.input(screen.getByTestId('reg-phone'), { target: { value: '０９２８－７７６－５４３' } });
    await fireEvent.input(screen.getByTestId('reg-birthday'), { target: { value: '民國79年3月15日' } });
    await fireEvent.click(screen.getByTestId('reg-save'));
    await waitFor(() => expect(onDone).toHaveBeenCalled());
    expect(addMember.mock.calls[0][0]).toMatchObject({ phone: '０９２８－７７６－５４３', birthday: '民國79年3月15日' });
  });

  it('sends who brought the new member, and says so under the field when no such member exists', async () => {
    const addMember = vi.fn(async (member: NewMember): Promise<Member> => {
      if (member.referredBy === 'M000099') throw { code: 'MemberNotFound', message: '', details: { reference: 'M000099' } };
      return memberCard().member;
    });
    const { onDone } = renderRegister(addMember);
    await fireEvent.input(screen.getByTestId('reg-name'), { target: { value: '高梓涵' } });
    await fireEvent.input(screen.getByTestId('reg-referrer'), { target: { value: ' M000099 ' } });
    await fireEvent.click(screen.getByTestId('reg-save'));
    const error = await screen.findByTestId('reg-error');
    expect(error.textContent).toBe('找不到推薦人「M000099」：請輸入會員編號或電話。');
    expect(error.previousElementSibling).toBe(screen.getByTestId('reg-referrer'));
    await fireEvent.input(screen.getByTestId('reg-referrer'), { target: { value: '0912345678' } });
    await fireEvent.click(screen.getByTestId('reg-save'));
    await waitFor(() => expect(onDone).toHaveBeenCalled());
    expect(addMember.mock.calls[1][0].referredBy).toBe('0912345678');
  });

  it("shows the core's sentence for a day that does not exist under the birthday", async () => {
    const addMember = vi.fn(async (): Promise<Member> => {
      throw { code: 'NoSuchDay', message: '', details: { value: '02-30', month: '2', day: '30', year: '' } };
    });
    renderRegister(addMember);
    await fireEvent.input(screen.getByTestId('reg-name'), { target: { value: '高梓涵' } });
    await fireEvent.input(screen.getByTestId('reg-birthday'), { target: { value: '02-30' } });
    await fireEvent.click(screen.getByTestId('reg-save'));
    const error = await screen.findByTestId('reg-error');
    expect(error.textContent).toBe('沒有「02-30」這一天：請檢查月份和日期。');
    // Under the birthday field, not at the bottom of the form.
    expect(error.previousElementSibling).toBe(screen.getByTestId('reg-birthday'));
  });

  it('refuses a malformed phone in words under the phone, registers no one, and sends a corrected one as a new attempt', async () => {
    setLocale('zh-TW');
    const addMember = vi.fn(async (member: NewMember, _requestId: string): Promise<Member> => {
      if (member.phone === '0912-abc') throw { code: 'InvalidPhone', message: 'invalid phone number: 0912-abc', details: { value: '0912-abc' } };
      return memberCard().member;
    });
    const { onDone } = renderRegister(addMember);
    await fireEvent.input(screen.getByTestId('reg-name'), { target: { value: '高梓涵' } });
    await fireEvent.input(screen.getByTestId('reg-phone'), { target: { value: '0912-abc' } });
    await fireEvent.click(screen.getByTestId('reg-save'));
    const error = await screen.findByTestId('reg-error');
    expect(error.textContent).toBe('電話「0912-abc」格式不對：請輸入 6 到 15 位數字。');
    expect(error.textContent).not.toMatch(/invalid phone/);
    expect(error.previousElementSibling).toBe(screen.getByTestId('reg-phone'));
    expect(onDone).not.toHaveBeenCalled();

    // Typing again clears the refusal; the corrected phone is a new attempt.
    await fireEvent.input(screen.getByTestId('reg-phone'), { target: { value: '0912-345-678' } });
    expect(screen.queryByTestId('reg-error')).toBeNull();
    await fireEvent.click(screen.getByTestId('reg-save'));
    await waitFor(() => expect(onDone).toHaveBeenCalledOnce());
    const [first, second] = addMember.mock.calls.map(([, requestId]) => requestId);
    expect(second).not.toBe(first);
  });

  it('registers once on a double Enter, and sends empty fields as nothing rather than blanks', async () => {
    let answer: ((member: Member) => void) | undefined;
    const addMember = vi.fn((_member: NewMember, _requestId: string) => new Promise<Member>((resolve) => (answer = resolve)));
    const { onDone } = renderRegister(addMember);
    await fireEvent.input(screen.getByTestId('reg-name'), { target: { value: '  高梓涵 ' } });
    await fireEvent.input(screen.getByTestId('reg-phone'), { target: { value: '   ' } });
    const form = screen.getByTestId('reg-save').closest('form')!;
    await fireEvent.submit(form);
    await fireEvent.submit(form);
    expect(addMember).toHaveBeenCalledOnce();
    expect(screen.getByTestId('reg-save')).toHaveProperty('disabled', true);
    expect(addMember.mock.calls[0][0]).toMatchObject({ name: '高梓涵', phone: null, birthday: null, email: null });
    answer?.(memberCard().member);
    await waitFor(() => expect(onDone).toHaveBeenCalledOnce());
  });

  it('starts where the cashier still has to type, and Escape cancels', async () => {
    const onCancel = vi.fn();
    render(RegisterScreen, { prefill: { name: '高梓涵', phone: '' }, addMember: vi.fn(ok), onDone: vi.fn(), onCancel });
    expect((screen.getByTestId('reg-name') as HTMLInputElement).value).toBe('高梓涵');
    expect(document.activeElement).toBe(screen.getByTestId('reg-phone'));
    await fireEvent.keyDown(window, { key: 'Escape' });
    expect(onCancel).toHaveBeenCalledOnce();
  });
});

