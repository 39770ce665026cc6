import { fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import { describe, expect, it, vi } from 'vitest';
import { memberCard } from '../../test/fixtures';
import type { Member } from '../../lib/bindings/Member';
import type { MemberPatch } from '../../lib/bindings/MemberPatch';
import EditMemberScreen from './EditMemberScreen.svelte';

function renderEdit(editMember: (id: number, patch: MemberPatch) => Promise<Member> = vi.fn(async () => memberCard().member)) {
  const onDone = vi.fn();
  render(EditMemberScreen, {
    member: memberCard().member,
    knownTags: [{ tag: '上班族', members: 12 }, { tag: '少冰', members: 3 }],
    editMember,
    onDone,
    onCancel: vi.fn(),
  });
  return { editMember: editMember as ReturnType<typeof vi.fn>, onDone };
}

describe('EditMemberScreen', () => {
  it('opens with the member’s details and saves a tag picked from those in use', async () => {
    const { editMember, onDone } = renderEdit();
    expect((screen.getByTestId('edit-phone') as HTMLInputElement).value).toBe('0912345678');
    expect((screen.getByTestId('edit-birthday') as HTMLInputElement).value).toBe('03-01');
    expect((screen.getByTestId('edit-tags') as HTMLInputElement).value).toBe('少冰、半糖');
    await fireEvent.click(screen.getByText('上班族'));
    expect((screen.getByTestId('edit-tags') as HTMLInputElement).value).toBe('少冰、半糖、上班族');
    await fireEvent.click(screen.getByTestId('edit-save'));
    await waitFor(() => expect(onDone).toHaveBeenCalled());
    expect(editMember).toHaveBeenCalledWith(1, expect.objectContaining({ tags: ['少冰', '半糖', '上班族'], birthday: '03-01' }));
  });

  it("shows the core's refusal of a birthday under its field, and other refusals below the form", async () => {
    const editMember = vi.fn(async (_id: number, patch: MemberPatch): Promise<Member> => {
      if (patch.birthday === '02-30') throw { code: 'NoSuchDay', message: '', details: { value: '02-30', month: '2', day: '30' } };
      throw { code: 'DuplicatePhone', message: '', details: { phone: '0912-345-678', memberNo: 'M0002' } };
    });
    renderEdit(editMember);
    await fireEvent.input(screen.getByTestId('edit-birthday'), { target: { value: '02-30' } });
    await fireEvent.click(screen.getByTestId('edit-save'));
    await waitFor(() =>
      expect(screen.getByTestId('edit-birthday-error').textContent).toBe('沒有「02-30」這一天：請檢查月份和日期。'),
    );
    expect(screen.queryByTestId('edit-error')).toBeNull();
    await fireEvent.input(screen.getByTestId('edit-birthday'), { target: { value: '' } });
    await fireEvent.click(screen.getByTestId('edit-save'));
    await waitFor(() => expect(screen.getByTestId('edit-error').textContent).toBe('電話 0912-345-678 已登記給會員 M0002：在搜尋輸入這支電話就能開啟他的會員卡（封存的會員也找得到）。'));
    expect(screen.queryByTestId('edit-birthday-error')).toBeNull();
  });
});
