import { afterEach, describe, expect, it } from 'vitest';
import { LOCALES, MESSAGES, errorText, setLocale, t } from './i18n.svelte';

type Messages = { [key: string]: string | Messages };

function keysOf(messages: Messages, prefix = ''): string[] {
  return Object.entries(messages).flatMap(([key, value]) =>
    typeof value === 'string' ? [`${prefix}${key}`] : keysOf(value, `${prefix}${key}.`),
  );
}

// Every component and module of the UI, as text (Vite's glob import).
const sources = import.meta.glob(['../**/*.svelte', '../**/*.ts', '!../**/*.test.ts'], {
  query: '?raw',
  import: 'default',
  eager: true,
}) as Record<string, string>;

describe('translations', () => {
  afterEach(() => setLocale('zh-TW'));

  it('every language has exactly the keys of Traditional Chinese', () => {
    const reference = keysOf(MESSAGES['zh-TW']).sort();
    for (const locale of LOCALES) {
      expect(keysOf(MESSAGES[locale]).sort(), locale).toEqual(reference);
    }
  });

  it('every literal key used in the source exists', () => {
    const known = new Set(keysOf(MESSAGES['zh-TW']));
    const used = Object.values(sources).flatMap((text) =>
      [...text.matchAll(/\bt\('([\w.]+)'/g)].map((match) => match[1]),
    );
    expect(used.length).toBeGreaterThan(20);
    expect(used.filter((key) => !known.has(key))).toEqual([]);
  });

  it('switches language and fills in parameters', () => {
    expect(t('lookup.resultCount', { count: 3 })).toBe('3 位會員');
    setLocale('zh-CN');
    expect(t('card.back')).toBe('返回搜索');
    setLocale('en');
    expect(t('lookup.resultCount', { count: 3 })).toBe('3 members');
  });

  it('translates backend errors by code and names unknown codes', () => {
    setLocale('en');
    expect(errorText({ code: 'MemberNotFound' })).toBe('This member could not be found.');
    expect(errorText({ code: 'SomethingNew' })).toBe('Something went wrong (SomethingNew).');
    expect(errorText({ code: 'MemberArchived', details: { memberNo: 'M000007' } })).toBe(
      'Member M000007 is archived.',
    );
  });

  it('formats amounts in error details and translates field names', () => {
    const money = (minor: number) => `NT$${minor}`;
    expect(errorText({ code: 'InsufficientBalance', details: { balance: '900', needed: '5000' } }, money)).toBe(
      '儲值餘額不足：只有 NT$900，需要 NT$5000。',
    );
    setLocale('en');
    expect(errorText({ code: 'AmountNotPositive', details: { field: 'total', value: '0' } }, money)).toBe(
      'The total must be more than zero (it is NT$0).',
    );
  });
});
