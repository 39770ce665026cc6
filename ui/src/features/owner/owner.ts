// The owner's screen without the screen: which list asks which command,
// what a row shows, chart series from the core's figures, percentages
// from basis points. Money stays integer minor units throughout; charts
// plot minor units and format their ticks with the currency.
import type { BirthdayWindow } from '../../lib/bindings/BirthdayWindow';
import type { Contact } from '../../lib/bindings/Contact';
import type { ContactChannel } from '../../lib/bindings/ContactChannel';
import type { ContactOutcome } from '../../lib/bindings/ContactOutcome';
import type { Dashboard } from '../../lib/bindings/Dashboard';
import type { ListFilter } from '../../lib/bindings/ListFilter';
import type { MemberRow } from '../../lib/bindings/MemberRow';
import type { Nes } from '../../lib/bindings/Nes';
import type { OwnerList } from '../../lib/bindings/OwnerList';
import type { Pareto } from '../../lib/bindings/Pareto';
import type { RfmScore } from '../../lib/bindings/RfmScore';
import type { RfmSegment } from '../../lib/bindings/RfmSegment';
import type { RfmSegmentCount } from '../../lib/bindings/RfmSegmentCount';
import type { Backend } from '../../lib/types';
import { formatIsoDateTime } from '../../lib/time';

export const LIST_KINDS = ['lapsed', 'vip', 'birthdays', 'due', 'rfm', 'nes'] as const;
export type ListKind = (typeof LIST_KINDS)[number];

export const NES_ORDER: Nes[] = ['N', 'E0', 'S1', 'S2', 'S3', 'none'];
export const SLEEPING: Nes[] = ['S1', 'S2', 'S3'];
export const BIRTHDAY_WINDOWS: BirthdayWindow[] = ['today', 'thisWeek', 'thisMonth'];
export const DUE_DAYS = [3, 7, 14, 30] as const;
export const CHANNELS: ContactChannel[] = ['phone', 'line', 'sms', 'email', 'inPerson', 'other'];
export const OUTCOMES: ContactOutcome[] = ['reached', 'promisedVisit', 'noAnswer', 'declined', 'wrongNumber', 'other'];
export const PAGE_SIZE = 50;
/** Rows in each of the side-by-side panels at the top. */
export const GLANCE_ROWS = 5;
/** Win-back is judged on contacts in this many days, and a return within as many. */
export const WIN_BACK_DAYS = 30;

/** The options that shape one list besides the shared filter. */
export interface ListOptions {
  birthdayWindow: BirthdayWindow;
  dueWithinDays: number;
  /** Due back by this product's own repurchase cycle instead of the visit cycle. */
  dueProductId: number | null;
  rfmSegments: RfmSegment[];
}

/** A row of any list: the member's figures plus what that list adds. */
export interface ListRow extends MemberRow {
  lastContact?: Contact | null;
  rfm?: RfmScore;
  birthdayDate?: string;
  turning?: number | null;
  greeting?: string;
  predictedDate?: string;
  daysUntil?: number;
  productName?: string | null;
}

export interface ListPage {
  total: number;
  rows: ListRow[];
  /** RFM: counts and revenue share per named segment. */
  rfmSegments?: RfmSegmentCount[];
}

/** The export/`OwnerList` form of a list, as the core names it. */
export function ownerList(kind: ListKind, options: ListOptions): OwnerList {
  switch (kind) {
    case 'birthdays':
      return { kind, window: options.birthdayWindow };
    case 'due':
      return { kind, due: { withinDays: options.dueWithinDays, productId: options.dueProductId } };
    case 'rfm':
      return { kind, rfmSegments: options.rfmSegments };
    default:
      return { kind };
  }
}

/** Fetches one page of a list. */
export async function fetchList(
  backend: Backend,
  kind: ListKind,
  options: ListOptions,
  filter: ListFilter,
): Promise<ListPage> {
  switch (kind) {
    case 'lapsed':
      return backend.ownerLapsed(filter);
    case 'vip':
      return backend.ownerVip(filter);
    case 'birthdays':
      return backend.ownerBirthdays(options.birthdayWindow, filter);
    case 'due':
      return backend.ownerDue({ withinDays: options.dueWithinDays, productId: options.dueProductId }, filter);
    case 'rfm': {
      const report = await backend.ownerRfm(filter, options.rfmSegments);
      return { ...report.members, rfmSegments: report.segments };
    }
    case 'nes':
      return (await backend.ownerNes(filter)).members;
  }
}

/** A filter for page `page` (0-based) of the list. */
export function pageFilter(
  tags: string[],
  tiers: string[],
  segments: Nes[],
  page: number,
  pageSize = PAGE_SIZE,
): ListFilter {
  return { tags, tiers, segments, limit: pageSize, offset: page * pageSize };
}

/** `items` with `value` added, or removed when it was there. */
export function toggle<T>(items: readonly T[], value: T): T[] {
  return items.includes(value) ? items.filter((item) => item !== value) : [...items, value];
}

/** Basis points as a percentage with one decimal, without floats: 8049 -> "80.5%". */
export function percent(bp: number): string {
  const tenths = Math.round(bp / 10);
  const sign = tenths < 0 ? '-' : '';
  const abs = Math.abs(tenths);
  return `${sign}${Math.trunc(abs / 10)}.${abs % 10}%`;
}

/** A shop day `days` before `date` (both YYYY-MM-DD). */
export function daysBefore(date: string, days: number): string {
  const [y, m, d] = date.split('-').map(Number);
  return new Date(Date.UTC(y, m - 1, d - days)).toISOString().slice(0, 10);
}

/** One series of a chart. `axis` picks the scale: counts or money (minor units). */
export interface Series {
  label: string;
  data: number[];
  kind: 'bar' | 'line';
  axis: 'count' | 'money' | 'percent';
  /** A palette slot (the chart maps it to a theme colour). */
  tone: number;
  dashed?: boolean;
  /** Drawn against a second scale on the right (a much smaller or larger quantity). */
  secondAxis?: boolean;
}

export interface ChartData {
  labels: string[];
  series: Series[];
}

type Translate = (key: string, params?: Record<string, string | number>) => string;

/** Members per NES segment, in the N → S3 order, with "no visit yet" last. */
export function segmentChart(dashboard: Dashboard, t: Translate): ChartData {
  const count = (s: Nes) => dashboard.segments.find((c) => c.segment === s)?.members ?? 0;
  return {
    labels: NES_ORDER.map((s) => t(`owner.nes.${s}`)),
    series: [{ label: t('owner.charts.members'), data: NES_ORDER.map(count), kind: 'bar', axis: 'count', tone: 0 }],
  };
}

/** "11/24" for a week starting on 2026-11-24. */
function weekLabel(weekStart: string): string {
  const [, m, d] = weekStart.split('-').map(Number);
  return `${m}/${d}`;
}

/** Visits (bars) and new members (line) per week. */
export function weeklyChart(dashboard: Dashboard, t: Translate): ChartData {
  return {
    labels: dashboard.weeks.map((w) => weekLabel(w.weekStart)),
    series: [
      { label: t('owner.charts.visits'), data: dashboard.weeks.map((w) => w.visits), kind: 'bar', axis: 'count', tone: 0 },
      {
        label: t('owner.charts.newMembers'),
        data: dashboard.weeks.map((w) => w.newMembers),
        kind: 'line',
        axis: 'count',
        tone: 1,
        secondAxis: true,
      },
    ],
  };
}

/** Members' revenue per week (bars) against the stored value held at each week's end (line). */
export function revenueChart(dashboard: Dashboard, t: Translate): ChartData {
  return {
    labels: dashboard.weeks.map((w) => weekLabel(w.weekStart)),
    series: [
      {
        label: t('owner.charts.revenue'),
        data: dashboard.weeks.map((w) => w.revenueMinor),
        kind: 'bar',
        axis: 'money',
        tone: 0,
      },
      {
        label: t('owner.charts.storedValue'),
        data: dashboard.weeks.map((w) => w.storedValueEndMinor),
        kind: 'line',
        axis: 'money',
        tone: 2,
        secondAxis: true,
      },
    ],
  };
}

/** Members per tier, highest first, "no tier" last. */
export function tierChart(dashboard: Dashboard, t: Translate): ChartData {
  return {
    labels: dashboard.tiers.map((c) => c.tier ?? t('owner.noTier')),
    series: [{ label: t('owner.charts.members'), data: dashboard.tiers.map((c) => c.members), kind: 'bar', axis: 'count', tone: 3 }],
  };
}

/**
 * The Pareto curve: cumulative share of revenue (line, percent) after the
 * best 0…100 % of customers, every 10 %, and the even-spread diagonal.
 */
export function paretoChart(p: Pareto, t: Translate): ChartData {
  const points = p.points.filter((pt) => pt.customersBp % 1000 === 0);
  return {
    labels: points.map((pt) => `${pt.customersBp / 100}%`),
    series: [
      {
        label: t('owner.charts.revenueShare'),
        data: points.map((pt) => pt.revenueBp),
        kind: 'line',
        axis: 'percent',
        tone: 0,
      },
      {
        label: t('owner.charts.evenSpread'),
        data: points.map((pt) => pt.customersBp),
        kind: 'line',
        axis: 'percent',
        tone: 4,
        dashed: true,
      },
    ],
  };
}

/** A birthday's date, or "today" when it is the shop's today (`asOf`). */
export function birthdayWhen(row: ListRow, t: Translate, asOf?: string): string {
  const date = row.birthdayDate ?? '';
  return asOf && date === asOf ? t('owner.row.birthdayToday') : date;
}

/** Why a member is on the list, in a few words for the row. */
export function rowReason(kind: ListKind, row: ListRow, t: Translate, asOf?: string): string {
  switch (kind) {
    case 'lapsed':
    case 'nes':
      if (row.daysSinceLastVisit === null) return t('owner.row.neverVisited');
      return row.daysSinceLastVisit === 0 ? t('owner.row.cameToday') : t('owner.row.daysAway', { days: row.daysSinceLastVisit });
    case 'birthdays':
      return row.turning ? t('owner.row.turning', { date: birthdayWhen(row, t, asOf), age: row.turning }) : birthdayWhen(row, t, asOf);
    case 'due': {
      const when = row.daysUntil === 0 ? t('owner.row.dueToday') : t('owner.row.dueIn', { days: row.daysUntil ?? 0 });
      return row.productName ? `${row.productName} · ${when}` : when;
    }
    case 'rfm':
      return row.rfm ? `R${row.rfm.r} F${row.rfm.f} M${row.rfm.m} · ${t(`owner.rfm.${row.rfm.segment}`)}` : '';
    case 'vip':
      // The visits have their own column: say when the VIP was last here.
      if (row.daysSinceLastVisit === null) return t('owner.row.neverVisited');
      return row.daysSinceLastVisit === 0 ? t('owner.row.seenToday') : t('owner.row.lastSeen', { days: row.daysSinceLastVisit });
  }
}

/** A row's last contact in a line: when, how, what came of it, and the start of its note. */
export function lastContactText(c: Contact | null | undefined, timeZone: string, t: Translate): string {
  if (!c) return '';
  const text = `${formatIsoDateTime(c.contactedAt, timeZone)} · ${t(`owner.channels.${c.channel}`)} · ${t(`owner.outcomes.${c.outcome}`)}`;
  // The note says what was offered: the next call needs it.
  const note = [...c.note.trim()];
  return note.length ? `${text} · 「${note.length > 24 ? `${note.slice(0, 24).join('')}…` : note.join('')}」` : text;
}
