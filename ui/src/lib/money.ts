// Money arrives as integer minor units plus the currency's minor digits.
// Arithmetic stays in integers; the only division is the decimal string
// built for display, which never goes through a float.
import type { Currency } from './bindings/Currency';

/** Writes `minor` as an exact decimal string, e.g. (123456, 2) -> "1234.56". */
export function minorToDecimalString(minor: number, minorDigits: number): string {
  if (!Number.isSafeInteger(minor)) {
    throw new RangeError(`money amount out of range: ${minor}`);
  }
  const negative = minor < 0;
  const digits = Math.abs(minor).toString().padStart(minorDigits + 1, '0');
  const whole = minorDigits > 0 ? digits.slice(0, -minorDigits) : digits;
  const fraction = minorDigits > 0 ? digits.slice(-minorDigits) : '';
  return `${negative ? '-' : ''}${whole}${fraction ? `.${fraction}` : ''}`;
}

const formatters = new Map<string, Intl.NumberFormat>();

function formatterFor(locale: string, currency: Currency): Intl.NumberFormat {
  const key = `${locale}|${currency.code}|${currency.minorDigits}`;
  let formatter = formatters.get(key);
  if (!formatter) {
    formatter = new Intl.NumberFormat(locale, {
      style: 'currency',
      currency: currency.code,
      currencyDisplay: 'narrowSymbol',
      minimumFractionDigits: currency.minorDigits,
      maximumFractionDigits: currency.minorDigits,
    });
    formatters.set(key, formatter);
  }
  return formatter;
}

/** Formats integer minor units for people, e.g. 12000 TWD(0) -> "$12,000". */
export function formatMoney(minor: number, currency: Currency, locale: string): string {
  const decimal = minorToDecimalString(minor, currency.minorDigits);
  // Intl accepts exact decimal strings (Intl.NumberFormat v3).
  return formatterFor(locale, currency).format(decimal as unknown as number);
}
