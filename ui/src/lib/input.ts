// Parsing what the cashier types. Amounts are typed in major units
// ("1,000", "12.5") and become integer minor units exactly, through
// strings, never through a float. Full-width digits (from a Chinese input
// method) count as digits.

/** The core's per-operation ceiling (MAX_AMOUNT_MINOR). */
export const MAX_AMOUNT_MINOR = 100_000_000_000;

/** Turns full-width digits, dot and comma into their ASCII forms. */
export function toHalfWidth(text: string): string {
  return text.replace(/[\uFF10-\uFF19\uFF0E\uFF0C\u3002]/g, (ch) => {
    if (ch === '\uFF0E' || ch === '\u3002') return '.';
    if (ch === '\uFF0C') return ',';
    return String.fromCharCode(ch.charCodeAt(0) - 0xff10 + 0x30);
  });
}

/**
 * Parses a typed amount into minor units: `null` when it is not a plain
 * non-negative amount with at most `minorDigits` decimals, or exceeds the
 * ceiling. Thousands separators and spaces are ignored.
 */
export function parseAmount(text: string, minorDigits: number): number | null {
  const cleaned = toHalfWidth(text).replace(/[,\s_]/g, '');
  if (cleaned === '') return null;
  const match = /^(\d+)(?:\.(\d*))?$/.exec(cleaned);
  if (!match) return null;
  const whole = match[1];
  const fraction = match[2] ?? '';
  if (fraction.length > minorDigits) return null;
  const digits = (whole + fraction.padEnd(minorDigits, '0')).replace(/^0+(?=\d)/, '');
  if (digits.length > 16) return null;
  const minor = Number(digits);
  if (!Number.isSafeInteger(minor) || minor > MAX_AMOUNT_MINOR) return null;
  return minor;
}

/** Writes minor units as the text a cashier would type: 1234.5 -> "1234.50" (no grouping). */
export function amountToInput(minor: number, minorDigits: number): string {
  const digits = Math.abs(minor).toString().padStart(minorDigits + 1, '0');
  const sign = minor < 0 ? '-' : '';
  if (minorDigits === 0) return sign + digits;
  return `${sign}${digits.slice(0, -minorDigits)}.${digits.slice(-minorDigits)}`;
}

/** The digits of a phone as typed ("0912-345 678", "+886 912…"), or null if it is not phone-like. */
export function phoneDigits(text: string): string | null {
  const halfWidth = toHalfWidth(text).trim();
  if (!/^\+?[\d\s\-().]+$/.test(halfWidth)) return null;
  const digits = halfWidth.replace(/\D/g, '');
  return digits.length > 0 ? digits : null;
}

/** Splits an unanswered lookup into a new member's prefill: digits are a phone, anything else a name. */
export function prefillFromQuery(query: string): { name: string; phone: string } {
  const trimmed = query.trim();
  const digits = phoneDigits(trimmed);
  return digits !== null ? { name: '', phone: digits } : { name: trimmed, phone: '' };
}

/** A fresh id for one attempt at a write; repeating it makes the core replay the first result. */
export function newRequestId(): string {
  const c = globalThis.crypto;
  if (c && typeof c.randomUUID === 'function') return c.randomUUID();
  const bytes = new Uint8Array(16);
  c.getRandomValues(bytes);
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

/**
 * A phone as people read it: a bare Taiwan number grouped (0912-345-678,
 * 02-2700-1234), as the core's CSV does; anything else as entered.
 */
export function displayPhone(phone: string): string {
  const digits = phone.trim();
  if (!/^0\d{9}$/.test(digits)) return phone;
  return digits.startsWith('09')
    ? `${digits.slice(0, 4)}-${digits.slice(4, 7)}-${digits.slice(7)}`
    : `${digits.slice(0, 2)}-${digits.slice(2, 6)}-${digits.slice(6)}`;
}
