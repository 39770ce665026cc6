import { describe, expect, it } from 'vitest';
import { memberCard } from '../../test/fixtures';
import { birthdayText, formOf, parseTags, patchOf } from './edit';

describe('member edit helpers', () => {
  it('reads tags however a cashier separates them', () => {
    expect(parseTags('上班族、少冰, 學生，學生  常客')).toEqual(['上班族', '少冰', '學生', '常客']);
    expect(parseTags('  ')).toEqual([]);
  });

  it('shows a birthday as it would be typed', () => {
    expect(birthdayText({ month: 3, day: 1, year: null })).toBe('03-01');
    expect(birthdayText({ month: 12, day: 25, year: 1990 })).toBe('1990-12-25');
    expect(birthdayText(null)).toBe('');
  });

  it('sends every field, an emptied one to be cleared', () => {
    const form = { ...formOf(memberCard().member), phone: '０９１２-３４５-６７８', birthday: '', tags: '少冰、學生' };
    expect(patchOf(form)).toEqual({
      name: '林小美',
      phone: '０９１２-３４５-６７８',
      email: '',
      birthday: '',
      notes: '',
      tags: ['少冰', '學生'],
      cardCode: 'RG-0001',
    });
    // The core reads the birthday in any notation and names what is wrong.
    expect(patchOf({ ...form, birthday: ' 民國79年3月1日 ' })).toMatchObject({ birthday: '民國79年3月1日' });
  });
});
