import { describe, expect, it } from 'vitest';
import { t } from '../../i18n/i18n.svelte';
import { dashboard, lapsedRow, memberRow, pareto } from '../../test/fixtures';
import {
  daysBefore,
  lastContactText,
  ownerList,
  pageFilter,
  paretoChart,
  percent,
  revenueChart,
  rowReason,
  segmentChart,
  tierChart,
  toggle,
  weeklyChart,
} from './owner';

const options = { birthdayWindow: 'thisMonth' as const, dueWithinDays: 14, dueProductId: 2, rfmSegments: ['atRisk' as const] };

describe('owner helpers', () => {
  it('writes basis points as a percentage with one decimal', () => {
    expect(percent(8049)).toBe('80.5%');
    expect(percent(8000)).toBe('80.0%');
    expect(percent(0)).toBe('0.0%');
    expect(percent(10000)).toBe('100.0%');
    expect(percent(3333)).toBe('33.3%');
  });

  it('counts shop days back across month ends and leap days', () => {
    expect(daysBefore('2026-11-26', 30)).toBe('2026-10-27');
    expect(daysBefore('2024-03-01', 1)).toBe('2024-02-29');
    expect(daysBefore('2026-01-01', 1)).toBe('2025-12-31');
  });

  it('names each list as the core expects for export', () => {
    expect(ownerList('lapsed', options)).toEqual({ kind: 'lapsed' });
    expect(ownerList('birthdays', options)).toEqual({ kind: 'birthdays', window: 'thisMonth' });
    expect(ownerList('due', options)).toEqual({ kind: 'due', due: { withinDays: 14, productId: 2 } });
    expect(ownerList('rfm', options)).toEqual({ kind: 'rfm', rfmSegments: ['atRisk'] });
  });

  it('pages a filter and toggles chips', () => {
    expect(pageFilter(['學生'], [], ['S1'], 2)).toEqual({ tags: ['學生'], tiers: [], segments: ['S1'], limit: 50, offset: 100 });
    expect(toggle(['a', 'b'], 'a')).toEqual(['b']);
    expect(toggle(['a'], 'b')).toEqual(['a', 'b']);
  });

  it('charts every segment in order, zero where the core has none', () => {
    const c = segmentChart(dashboard(), t);
    expect(c.labels).toEqual(['新客', '活躍', '瞌睡', '半睡', '沉睡', '未消費']);
    expect(c.series[0].data).toEqual([4, 18, 0, 6, 0, 0]);
  });

  it('charts weeks with visits, new members and revenue against the stored value held', () => {
    const d = dashboard();
    const weekly = weeklyChart(d, t);
    expect(weekly.labels[0]).toBe('9/7');
    expect(weekly.series.map((s) => s.kind)).toEqual(['bar', 'line']);
    expect(weekly.series[0].data).toEqual(d.weeks.map((w) => w.visits));
    // A handful of new members would hug the floor of the visits' scale: they get their own.
    expect(weekly.series.map((s) => !!s.secondAxis)).toEqual([false, true]);
    const revenue = revenueChart(d, t);
    expect(revenue.series[0].data[11]).toBe(4100);
    // The stored value held as it stood at each week's end, on its own scale.
    expect(revenue.series[1].data).toEqual(d.weeks.map((w) => w.storedValueEndMinor));
    expect(revenue.series[1].data[11]).toBe(23300);
    expect(revenue.series.map((s) => !!s.secondAxis)).toEqual([false, true]);
    expect(revenue.series.every((s) => s.axis === 'money')).toBe(true);
  });

  it('charts the Pareto curve every 10 % of customers against an even spread', () => {
    const c = paretoChart(pareto(), t);
    expect(c.labels).toEqual(['0%', '10%', '20%', '30%', '40%', '50%', '60%', '70%', '80%', '90%', '100%']);
    expect(c.series[0].data[1]).toBe(2000);
    expect(c.series[1].data[5]).toBe(5000);
  });

  it('charts tiers with "no tier" named', () => {
    expect(tierChart(dashboard(), t).labels).toEqual(['金卡', '無等級']);
  });

  it('says why a member is on each list', () => {
    expect(rowReason('lapsed', lapsedRow(), t)).toBe('75 天沒來');
    expect(rowReason('lapsed', lapsedRow({ daysSinceLastVisit: null }), t)).toBe('還沒消費過');
    expect(rowReason('nes', lapsedRow({ daysSinceLastVisit: 0 }), t)).toBe('今天來過');
    expect(rowReason('lapsed', lapsedRow({ daysSinceLastVisit: 1234 }), t)).toBe('1,234 天沒來');
    expect(rowReason('due', { ...memberRow(), daysUntil: 0 }, t)).toBe('預計今天回購');
    expect(rowReason('due', { ...memberRow(), daysUntil: 1 }, t)).toBe('預計明天回購');
    expect(rowReason('due', { ...memberRow(), daysUntil: 3, productName: '珍珠奶茶' }, t)).toBe('珍珠奶茶 · 預計 3 天內回購');
    expect(rowReason('birthdays', { ...memberRow(), birthdayDate: '2026-11-28', turning: 30 }, t)).toBe('2026-11-28・滿 30 歲');
    // On the shop's today, the list says so rather than giving the date.
    expect(rowReason('birthdays', { ...memberRow(), birthdayDate: '2026-11-26', turning: 30 }, t, '2026-11-26')).toBe('今天生日・滿 30 歲');
    expect(rowReason('birthdays', { ...memberRow(), birthdayDate: '2026-11-28' }, t, '2026-11-26')).toBe('2026-11-28');
    expect(rowReason('rfm', { ...memberRow(), rfm: { r: 1, f: 5, m: 5, segment: 'cannotLose' } }, t)).toBe('R1 F5 M5 · 不能失去');
    // A VIP's visits have their own column; the reason says when they were last here.
    expect(rowReason('vip', { ...memberRow(), daysSinceLastVisit: 3 }, t)).toBe('3 天前來過');
    expect(rowReason('vip', { ...memberRow(), daysSinceLastVisit: 0 }, t)).toBe('今天來過');
  });

  it('says a last contact in a line, in the shop\'s time, with the start of its note', () => {
    const contact = {
      id: 1,
      memberId: 7,
      channel: 'phone' as const,
      outcome: 'promisedVisit' as const,
      note: '',
      cashier: '店長',
      // 12:30 in Taipei.
      contactedAt: Date.UTC(2026, 10, 26, 4, 30),
    };
    expect(lastContactText(null, 'Asia/Taipei', t)).toBe('');
    expect(lastContactText(contact, 'Asia/Taipei', t)).toBe('2026-11-26 12:30 · 電話 · 答應會來');
    expect(lastContactText({ ...contact, note: ' 送一杯 ' }, 'Asia/Taipei', t)).toBe('2026-11-26 12:30 · 電話 · 答應會來 · 「送一杯」');
    // A long note is cut after 24 characters, not in the middle of one.
    const long = '你好'.repeat(13) + '😀';
    expect(lastContactText({ ...contact, note: long }, 'Asia/Taipei', t)).toBe(`2026-11-26 12:30 · 電話 · 答應會來 · 「${'你好'.repeat(12)}…」`);
  });
});
