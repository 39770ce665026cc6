import { afterEach, describe, expect, it, vi } from 'vitest';
import { LOCALES, MESSAGES, errorText, lookupMessage, setLocale, t } from './i18n.svelte';

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

  // One word per idea in each language, and each script kept pure: what a
  // reviewer found mixed (充值/储值, 小票/收据, 單據/收據) stays one word.
  const GLOSSARY: Record<'zh-TW' | 'zh-CN', { avoid: string[]; foreignScript: string }> = {
    'zh-TW': {
      avoid: ['單據', '小票', '充值', '收据'],
      // Characters written only in Simplified Chinese.
      foreignScript: '会员储这说时为们个过还发对开关门问间买卖号点账钱银级积电话码费记录设显选择认确结张数据经页东车长动书务写纸统计导让没应从业单览',
    },
    'zh-CN': {
      avoid: ['充值', '收据', '单据', '收據'],
      // Characters written only in Traditional Chinese.
      foreignScript: '會員儲這說時為們個過還發對開關門問間買賣號點帳賬錢銀級積電話碼費記錄設顯選擇認確結張數據經頁東車長動書務寫紙統計導讓沒應從業單覽',
    },
  };

  it('keeps one word per idea and one script in each Chinese language', () => {
    for (const locale of ['zh-TW', 'zh-CN'] as const) {
      const { avoid, foreignScript } = GLOSSARY[locale];
      const texts = keysOf(MESSAGES[locale]).map((key) => [key, lookupMessage(MESSAGES[locale], key) ?? ''] as const);
      for (const word of avoid) {
        expect(texts.filter(([, text]) => text.includes(word)).map(([key]) => key), `${locale} uses ${word}`).toEqual([]);
      }
      const mixed = texts.filter(([, text]) => [...text].some((ch) => foreignScript.includes(ch)));
      expect(mixed.map(([key, text]) => `${key}: ${text}`), `${locale} mixes scripts`).toEqual([]);
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

  it('writes counts with thousands separators in every language', () => {
    expect(t('lookup.resultCount', { count: 1_000_000 })).toBe('1,000,000 位會員');
    expect(t('lookup.moreThanShown', { matched: 1280, shown: 20 })).toBe(
      '1,280 位會員符合，顯示最近來店的 20 位。再多輸入幾碼或加上姓名。',
    );
    setLocale('en');
    expect(t('lookup.resultCount', { count: 12_345 })).toBe('12,345 members');
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

  it('loads zh-CN and English when chosen, staying in the current language until they are there', async () => {
    // A fresh copy of the module, as the app starts: only zh-TW is in it (the test setup loaded
    // every language into the shared copy).
    vi.resetModules();
    const fresh = await import('./i18n.svelte');
    expect(Object.keys(fresh.MESSAGES.en)).toHaveLength(0);
    const switching = fresh.setLocale('en');
    expect(fresh.getLocale()).toBe('zh-TW');
    expect(fresh.t('app.lookup')).toBe('找會員');
    await switching;
    expect(fresh.getLocale()).toBe('en');
    expect(fresh.t('app.lookup')).toBe('Find member');
    // Loaded once: switching back and forth is immediate.
    await fresh.setLocale('zh-TW');
    fresh.setLocale('en');
    expect(fresh.t('app.lookup')).toBe('Find member');
    await fresh.setLocale('zh-TW');
  });
});
