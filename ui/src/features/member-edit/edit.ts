// The member edit form without the form: tags typed as text, the birthday
// as the cashier would write it, and the patch the core expects.
import type { Birthday } from '../../lib/bindings/Birthday';
import type { Member } from '../../lib/bindings/Member';
import type { MemberPatch } from '../../lib/bindings/MemberPatch';

/** Tags as typed: separated by commas (half or full width), 、 or spaces; blanks and repeats dropped. */
export function parseTags(text: string): string[] {
  const out: string[] = [];
  for (const tag of text.split(/[,，、;；\s]+/)) {
    const t = tag.trim();
    if (t !== '' && !out.includes(t)) out.push(t);
  }
  return out;
}

/** A stored birthday as the form shows it: `03-15` or `1990-03-15`. */
export function birthdayText(b: Birthday | null): string {
  if (!b) return '';
  const mmdd = `${String(b.month).padStart(2, '0')}-${String(b.day).padStart(2, '0')}`;
  return b.year ? `${b.year}-${mmdd}` : mmdd;
}

export interface EditForm {
  name: string;
  phone: string;
  birthday: string;
  email: string;
  tags: string;
  notes: string;
  cardCode: string;
}

export function formOf(m: Member): EditForm {
  return {
    name: m.name,
    phone: m.phone ?? '',
    birthday: birthdayText(m.birthday),
    email: m.email ?? '',
    tags: m.tags.join('、'),
    notes: m.notes,
    cardCode: m.cardCode,
  };
}

/**
 * The patch for the core (every field sent: an empty one clears it). The
 * phone and birthday go as typed: the core reads every notation (full width,
 * 民國 years) and says what is wrong, in one place for every interface.
 */
export function patchOf(form: EditForm): MemberPatch {
  return {
    name: form.name.trim(),
    phone: form.phone.trim(),
    email: form.email.trim(),
    birthday: form.birthday.trim(),
    notes: form.notes,
    tags: parseTags(form.tags),
    cardCode: form.cardCode.trim(),
  };
}
