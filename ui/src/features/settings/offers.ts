// The owner's coupon offers without the screen: the form as typed, the
// `OfferInput` it sends (only its kind's values, one validity), and an offer
// in words for the lists. The core checks the terms again; this only reads
// what was typed and catches what the form can say at once (a percent
// offer without its cap, an amount that is not a number).
import type { CouponOffer } from '../../lib/bindings/CouponOffer';
import type { OfferInput } from '../../lib/bindings/OfferInput';
import type { OfferKind } from '../../lib/bindings/OfferKind';
import type { BackendError } from '../../lib/types';
import { amountToInput, parseAmount } from '../../lib/input';

export const OFFER_KINDS: OfferKind[] = ['amountOff', 'percentOff', 'freeItem', 'extraStamps'];

/** The offer form as typed: text fields stay text until sent. */
export interface OfferForm {
  /** The offer being edited, or null for a new one. */
  id: number | null;
  name: string;
  kind: OfferKind;
  amount: string;
  percent: string;
  cap: string;
  productId: number | null;
  programId: number | null;
  stamps: string;
  minSpend: string;
  validity: 'days' | 'dates';
  days: string;
  from: string;
  until: string;
  combinable: boolean;
}

export function emptyOfferForm(): OfferForm {
  return {
    id: null,
    name: '',
    kind: 'amountOff',
    amount: '',
    percent: '',
    cap: '',
    productId: null,
    programId: null,
    stamps: '1',
    minSpend: '',
    validity: 'days',
    days: '30',
    from: '',
    until: '',
    combinable: false,
  };
}

/** An offer's terms in the form, to edit them. */
export function formFromOffer(offer: CouponOffer, minorDigits: number): OfferForm {
  const money = (minor: number | undefined) => (minor === undefined ? '' : amountToInput(minor, minorDigits));
  return {
    id: offer.id,
    name: offer.name,
    kind: offer.kind,
    amount: money(offer.amountOffMinor),
    percent: offer.percentOff === undefined ? '' : String(offer.percentOff),
    cap: money(offer.capMinor),
    productId: offer.productId ?? null,
    programId: offer.programId ?? null,
    stamps: offer.extraStamps === undefined ? '1' : String(offer.extraStamps),
    minSpend: offer.minSpendMinor === 0 ? '' : amountToInput(offer.minSpendMinor, minorDigits),
    validity: offer.validDays === undefined ? 'dates' : 'days',
    days: offer.validDays === undefined ? '30' : String(offer.validDays),
    from: offer.validFrom ?? '',
    until: offer.validUntil ?? '',
    combinable: offer.combinable,
  };
}

const empty = (field: string): BackendError => ({ code: 'EmptyField', message: '', details: { field } });
const unreadable = (value: string): BackendError => ({ code: 'InvalidAmount', message: '', details: { value } });

/** A whole number as typed (full-width digits too), or null. */
export function wholeNumber(text: string): number | null {
  const folded = text.trim().replace(/[\uFF10-\uFF19]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0));
  return /^\d{1,9}$/.test(folded) ? Number(folded) : null;
}

/**
 * What the form sends: its kind's values only and one validity, the dates
 * already read (`from`, `until` as YYYY-MM-DD), or the first thing missing
 * or unreadable, as the core's own error would say it.
 */
export function offerInput(
  form: OfferForm,
  minorDigits: number,
  dates: { from: string | null; until: string | null } = { from: null, until: null },
): { input: OfferInput } | { error: BackendError } {
  if (form.name.trim() === '') return { error: empty('offer name') };
  const money = (text: string, field: string): number | BackendError => {
    if (text.trim() === '') return empty(field);
    return parseAmount(text, minorDigits) ?? unreadable(text);
  };
  const whole = (text: string, field: string): number | BackendError => {
    if (text.trim() === '') return empty(field);
    return wholeNumber(text) ?? { code: 'InvalidInput', message: '', details: { field, reason: text } };
  };
  const input: OfferInput = { name: form.name, kind: form.kind, minSpendMinor: 0, combinable: form.combinable };
  const fail = (v: number | BackendError): v is BackendError => typeof v !== 'number';
  switch (form.kind) {
    case 'amountOff': {
      const amount = money(form.amount, 'amount off');
      if (fail(amount)) return { error: amount };
      input.amountOffMinor = amount;
      break;
    }
    case 'percentOff': {
      const percent = whole(form.percent, 'percent off');
      if (fail(percent)) return { error: percent };
      const cap = money(form.cap, 'discount cap');
      if (fail(cap)) return { error: cap };
      input.percentOff = percent;
      input.capMinor = cap;
      break;
    }
    case 'freeItem':
      if (form.productId === null) return { error: empty('free item') };
      input.productId = form.productId;
      break;
    case 'extraStamps': {
      if (form.programId === null) return { error: empty('stamp program') };
      const stamps = whole(form.stamps, 'extra stamps');
      if (fail(stamps)) return { error: stamps };
      input.programId = form.programId;
      input.extraStamps = stamps;
      break;
    }
  }
  if (form.minSpend.trim() !== '') {
    const min = parseAmount(form.minSpend, minorDigits);
    if (min === null) return { error: unreadable(form.minSpend) };
    input.minSpendMinor = min;
  }
  if (form.validity === 'days') {
    const days = whole(form.days, 'valid days');
    if (fail(days)) return { error: days };
    input.validDays = days;
  } else {
    if (!dates.from) return { error: empty('valid from') };
    if (!dates.until) return { error: empty('valid until') };
    input.validFrom = dates.from;
    input.validUntil = dates.until;
  }
  return { input };
}

/** Names the offer's free item or stamp program, for its description. */
export interface OfferNames {
  product: (id: number) => string | undefined;
  program: (id: number) => string | undefined;
}

/** What an offer gives, in words: a translation key and its values (money already formatted). */
export function offerBenefit(
  offer: OfferInput,
  money: (minor: number) => string,
  names: OfferNames,
): { key: string; values: Record<string, string | number> } {
  switch (offer.kind) {
    case 'amountOff':
      return { key: 'coupons.amountOff', values: { amount: money(offer.amountOffMinor ?? 0) } };
    case 'percentOff':
      return { key: 'coupons.percentOffCapped', values: { percent: offer.percentOff ?? 0, cap: money(offer.capMinor ?? 0) } };
    case 'freeItem':
      return { key: 'offers.freeItemNamed', values: { product: names.product(offer.productId ?? 0) ?? '?' } };
    case 'extraStamps':
      return {
        key: 'offers.extraStampsNamed',
        values: { program: names.program(offer.programId ?? 0) ?? '?', stamps: offer.extraStamps ?? 0 },
      };
  }
}
