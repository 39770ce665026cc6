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

  it('every language has exactly the keys of Traditional Chinese (plus its own forms for one)', () => {
    const reference = keysOf(MESSAGES['zh-TW'])
      .filter((key) => !key.endsWith('_one'))
      .sort();
    for (const locale of LOCALES) {
      const keys = keysOf(MESSAGES[locale]);
      expect(keys.filter((key) => !key.endsWith('_one')).sort(), locale).toEqual(reference);
      const orphans = keys.filter((key) => key.endsWith('_one') && !reference.includes(key.slice(0, -4)));
      expect(orphans, `${locale} singular forms without a plural`).toEqual([]);
    }
  });

  it('uses the singular form for one in English, and the same sentence in Chinese', () => {
    setLocale('en');
    expect(t('owner.row.daysAway', { days: 1 })).toBe('away 1 day');
    expect(t('owner.row.daysAway', { days: 12 })).toBe('away 12 days');
    expect(t('lookup.resultCount', { count: 1 })).toBe('1 member');
    setLocale('zh-TW');
    expect(t('owner.row.daysAway', { days: 1 })).toBe('1 天沒來');
    expect(t('lookup.resultCount', { count: 1 })).toBe('1 位會員');
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

  it('says what a refused value must be, in words, by the rule the core names', () => {
    const money = (minor: number) => `NT$${(minor / 100).toLocaleString('en')}`;
    const rising = { field: 'sleeping days', reason: 'each larger…', rule: 'rising', min: '1', max: '3650' };
    expect(errorText({ code: 'InvalidInput', details: rising })).toBe(
      '瞌睡、半睡、沉睡的天數須一個比一個大，並介於 1 到 3650 之間。',
    );
    const taken = { field: 'program name', reason: '…', rule: 'taken', value: '飲品集點卡' };
    expect(errorText({ code: 'InvalidInput', details: taken })).toBe('集點卡名稱「飲品集點卡」已經有了，請換一個。');
    const tiers = { field: 'tiers', reason: '300000 appears twice', rule: 'repeatedAmount', value: '300000' };
    expect(errorText({ code: 'InvalidInput', details: tiers }, money)).toBe(
      '兩個等級的門檻都是 NT$3,000，請改成不同金額。',
    );
    setLocale('zh-CN');
    expect(errorText({ code: 'InvalidInput', details: { field: 'stamps needed', rule: 'range', min: '1', max: '1000' } })).toBe(
      '需要点数须介于 1 到 1000 之间。',
    );
    setLocale('en');
    expect(errorText({ code: 'InvalidInput', details: { field: 'card code', rule: 'lettersDigitsDashes' } })).toBe(
      'The card code can only use letters, digits and dashes.',
    );
    // A reason without a rule (CLI syntax the forms cannot send) keeps the generic sentence.
    expect(errorText({ code: 'InvalidInput', details: { field: 'paper', reason: '"b5": use 58, 80, a4 or a5' } })).toBe(
      'Invalid paper: "b5": use 58, 80, a4 or a5',
    );
  });
});
