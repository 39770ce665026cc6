// Translations. zh-TW is the default; the choice is kept in localStorage.
// `t()` reads reactive state, so templates re-render on a language switch.
//
// zh-TW (the default and every language's fallback) is in the start bundle;
// zh-CN and en are loaded when chosen (main.ts loads a saved choice before
// the first paint, `setLocale` on a switch), so a till that stays in one
// language keeps one language's strings in memory.
import zhTW from './zh-TW.json';

export const LOCALES = ['zh-TW', 'zh-CN', 'en'] as const;
export type Locale = (typeof LOCALES)[number];
export const DEFAULT_LOCALE: Locale = 'zh-TW';

type Messages = { [key: string]: string | Messages };
/** Each language's strings; empty until loaded (`t()` then falls back to zh-TW). */
export const MESSAGES: Record<Locale, Messages> = { 'zh-TW': zhTW, 'zh-CN': {}, en: {} };

const LOADERS: Record<Locale, () => Promise<Messages>> = {
  'zh-TW': () => Promise.resolve(zhTW),
  'zh-CN': () => import('./zh-CN.json').then((module) => module.default),
  en: () => import('./en.json').then((module) => module.default),
};
const loading = new Map<Locale, Promise<void>>();

/** Loads a language's strings (once); resolves when `t()` can use them. */
export function loadLocale(locale: Locale): Promise<void> {
  let done = loading.get(locale);
  if (!done) {
    done = LOADERS[locale]().then((messages) => {
      MESSAGES[locale] = messages;
    });
    // A failed load may be tried again on the next switch.
    done.catch(() => loading.delete(locale));
    loading.set(locale, done);
  }
  return done;
}

function isLoaded(locale: Locale): boolean {
  return locale === DEFAULT_LOCALE || Object.keys(MESSAGES[locale]).length > 0;
}

/** Each language's name, written in that language, for the switcher. */
export const LOCALE_NAMES: Record<Locale, string> = {
  'zh-TW': '繁體中文',
  'zh-CN': '简体中文',
  en: 'English',
};

const STORAGE_KEY = 'regulars.locale';

/** The language receipts are rendered in (the core's ReceiptLanguage) for each UI language. */
export const RECEIPT_LANGUAGE: Record<Locale, 'zhTw' | 'zhCn' | 'en'> = { 'zh-TW': 'zhTw', 'zh-CN': 'zhCn', en: 'en' };

function isLocale(value: unknown): value is Locale {
  return typeof value === 'string' && (LOCALES as readonly string[]).includes(value);
}

function initialLocale(): Locale {
  try {
    const saved = globalThis.localStorage?.getItem(STORAGE_KEY);
    if (isLocale(saved)) return saved;
  } catch {
    // Storage can be unavailable; fall back to the default.
  }
  return DEFAULT_LOCALE;
}

let current = $state<Locale>(initialLocale());

export function getLocale(): Locale {
  return current;
}

/** The language last asked for (a switch made while another loads wins). */
let wanted: Locale = current;

/**
 * Switches the language: at once when its strings are loaded, else once they
 * are (the screen stays in the current language meanwhile, never showing keys).
 */
export function setLocale(locale: Locale): Promise<void> {
  wanted = locale;
  if (isLoaded(locale)) {
    apply(locale);
    return Promise.resolve();
  }
  return loadLocale(locale).then(
    () => {
      if (wanted === locale) apply(locale);
    },
    (error: unknown) => console.error(`the ${locale} strings did not load`, error),
  );
}

function apply(locale: Locale): void {
  current = locale;
  try {
    globalThis.localStorage?.setItem(STORAGE_KEY, locale);
  } catch {
    // Not fatal: the choice just is not remembered.
  }
  if (typeof document !== 'undefined') document.documentElement.lang = locale;
}

export function lookupMessage(messages: Messages, key: string): string | undefined {
  let node: string | Messages | undefined = messages;
  for (const part of key.split('.')) {
    if (typeof node !== 'object' || node === null) return undefined;
    node = node[part];
  }
  return typeof node === 'string' ? node : undefined;
}

export function interpolate(template: string, params?: Record<string, string | number>): string {
  if (!params) return template;
  return template.replace(/\{(\w+)\}/g, (whole, name: string) =>
    name in params ? String(params[name]) : whole,
  );
}

/** The parameters that count something, in the order a sentence is about them. */
const COUNTED = ['count', 'matched', 'shown', 'days', 'visits', 'stamps', 'members'];

const countFormats = new Map<string, Intl.NumberFormat>();

/** Counts read with the language's thousands separators: 1,000,000 位會員. */
export function formatCount(value: number): string {
  let format = countFormats.get(current);
  if (!format) {
    format = new Intl.NumberFormat(current, { maximumFractionDigits: 0 });
    countFormats.set(current, format);
  }
  return format.format(value);
}

/** Formats the counted parameters that are numbers; other values as given. */
function withCounts(params?: Record<string, string | number>): Record<string, string | number> | undefined {
  if (!params) return params;
  const out: Record<string, string | number> = { ...params };
  for (const name of COUNTED) {
    const value = out[name];
    if (typeof value === 'number' && Number.isSafeInteger(value)) out[name] = formatCount(value);
  }
  return out;
}

/**
 * Translates `key` in the current language, falling back to zh-TW, then the
 * key itself. When the counted parameter is 1 and the language has a
 * form for one (`key_one`), that is used: "away 1 day", "預計明天回購".
 */
export function t(key: string, params?: Record<string, string | number>): string {
  const counted = params && COUNTED.map((name) => params[name]).find((v) => v !== undefined);
  const singular = Number(counted) === 1 ? lookupMessage(MESSAGES[current], `${key}_one`) : undefined;
  const template =
    singular ?? lookupMessage(MESSAGES[current], key) ?? lookupMessage(MESSAGES[DEFAULT_LOCALE], key) ?? key;
  return interpolate(template, withCounts(params));
}

/** Translates `key` if it exists, else returns `fallback` (for codes from the backend). */
export function tOr(key: string, fallback: string, params?: Record<string, string | number>): string {
  const template = lookupMessage(MESSAGES[current], key);
  return template === undefined ? fallback : interpolate(template, params);
}

/**
 * Detail values that are amounts in minor units, by error code (or by the
 * `rule` of an `InvalidInput`).
 */
const MONEY_DETAILS: Record<string, string[]> = {
  InsufficientBalance: ['balance', 'needed'],
  MemberHoldsStoredValue: ['balance'],
  PaymentMismatch: ['paid', 'total'],
  LinesMismatch: ['lines', 'total'],
  AmountNotPositive: ['value'],
  AmountTooLarge: ['value', 'max'],
  AmountNegative: ['value'],
  TenderedTooLow: ['tendered', 'due'],
  CouponMinimumSpend: ['minimum', 'spend'],
  repeatedAmount: ['value'],
};

/**
 * The translated text for a backend error, its details filled in: amounts
 * formatted with `formatMoney` when given, field names translated. An
 * `InvalidInput` with a `rule` (range, taken, …) gets that rule's own
 * sentence; without one, the generic sentence with the English reason.
 */
export function errorText(
  error: { code: string; details?: Record<string, string> },
  formatMoney?: (minor: number) => string,
): string {
  const details: Record<string, string> = { ...(error.details ?? {}) };
  const rule = error.code === 'InvalidInput' ? details.rule : undefined;
  if (formatMoney) {
    for (const key of MONEY_DETAILS[rule ?? error.code] ?? []) {
      const minor = Number(details[key]);
      if (key in details && Number.isSafeInteger(minor)) details[key] = formatMoney(minor);
    }
  }
  if (typeof details.field === 'string') details.field = tOr(`fields.${details.field}`, details.field);
  // An unnamed payment method is named by its kind (the core's `e_wallet` is the UI's `eWallet`).
  if (typeof details.method === 'string') {
    const kind = details.method.replace(/_(\w)/g, (_, c: string) => c.toUpperCase());
    details.method = tOr(`payment.${kind}`, details.method);
  }
  // Who may do what is said in the screen's words: the act and the roles.
  if (typeof details.act === 'string') details.act = tOr(`staff.acts.${details.act}`, details.act);
  for (const key of ['needed', 'role']) {
    if (typeof details[key] === 'string') details[key] = tOr(`staff.roles.${details[key]}`, details[key]);
  }
  if (error.code === 'PinLocked' && Number.isSafeInteger(Number(details.until))) {
    details.until = new Date(Number(details.until)).toLocaleTimeString(current, { hour: '2-digit', minute: '2-digit' });
  }
  const generic = tOr(`errors.${error.code}`, t('errors.Unknown', { code: error.code }), details);
  const sentence = rule ? tOr(`errors.invalid.${rule}`, generic, details) : generic;
  // A file or database error says what lies behind it (disk full, in use
  // by another program …) and what to do, never the OS's English.
  const cause = typeof details.cause === 'string' ? lookupMessage(MESSAGES[current], `errors.causes.${details.cause}`) : undefined;
  return cause ? `${sentence}${interpolate(cause, details)}` : sentence;
}
