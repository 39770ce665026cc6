import { fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import { describe, expect, it, vi } from 'vitest';
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
});
