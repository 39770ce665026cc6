import { fireEvent, render, screen, waitFor, within } from '@testing-library/svelte';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { dashboard, fakeBackend, lapsedRow, shopSettings } from '../../test/fixtures';
import OwnerScreen from './OwnerScreen.svelte';
import { setLocale } from '../../i18n/i18n.svelte';
import { tick } from 'svelte';

beforeAll(() => {
  // jsdom has no canvas; the charts' figures are in their tables.
  HTMLCanvasElement.prototype.getContext = (() => null) as unknown as HTMLCanvasElement['getContext'];
});

function renderOwner(overrides = {}) {
  const backend = fakeBackend(overrides);
  const onOpenMember = vi.fn();
  render(OwnerScreen, { backend, settings: shopSettings(), cashier: '老闆', onOpenMember, onBack: vi.fn(), onDayClose: vi.fn() });
  return { backend, onOpenMember };
}

describe('OwnerScreen', () => {
  it('shows the figures at a glance and the charts with their numbers', async () => {
    renderOwner();
    await waitFor(() => expect(screen.getByTestId('kpi-float').textContent).toContain('23,100'));
    expect(screen.getByTestId('kpi-top20').textContent).toBe('62.0%');
    await waitFor(() => expect(screen.getByTestId('kpi-win-back').textContent).toBe('25.0%'));
    const revenue = screen.getByTestId('chart-revenue');
    expect(revenue.textContent).toContain('每週會員營收與儲值餘額');
    expect(within(revenue).getAllByRole('row').length).toBe(13);
    expect(screen.getByTestId('chart-segments').textContent).toContain('半睡');
    expect(screen.getByTestId('chart-pareto').textContent).toContain('62.0%');
  });

  it('writes counts with thousands separators at a million members, in the figures and the charts', async () => {
    const big = dashboard({
      members: 1_000_000,
      segments: [
        { segment: 'E0', members: 646_627, spendMinor: 90_000_000 },
        { segment: 'S2', members: 353_373, spendMinor: 1_000_000 },
      ],
    });
    renderOwner({ ownerDashboard: vi.fn(async () => big) });
    await waitFor(() => expect(screen.getByTestId('kpi-members').textContent).toContain('1,000,000'));
    const segments = screen.getByTestId('chart-segments');
    expect(segments.textContent).toContain('646,627');
    expect(segments.textContent).toContain('353,373');
    expect(segments.textContent).not.toMatch(/646627|353373/);
  });

  it('puts who is slipping away, the VIPs and the birthdays of the week side by side', async () => {
    const { backend } = renderOwner();
    await waitFor(() => expect(screen.getByTestId('glance-lapsed').textContent).toContain('陳怡君'));
    expect(screen.getByTestId('glance-lapsed').textContent).toContain('75 天沒來 · 還有 $650');
    expect(screen.getByTestId('glance-vip').textContent).toContain('金卡 $5,400'); // spend in the 12-month window
    expect(screen.getByTestId('glance-birthdays').textContent).toContain('這份名單目前沒有會員。');
    expect(backend.ownerBirthdays).toHaveBeenCalledWith('thisWeek', expect.objectContaining({ limit: 5 }));
    await fireEvent.click(screen.getByTestId('see-all-vip'));
    await waitFor(() => expect(backend.ownerVip).toHaveBeenLastCalledWith(expect.objectContaining({ limit: 50, offset: 0 })));
    expect(screen.getByTestId('owner-tab-vip').getAttribute('aria-selected')).toBe('true');
  });

  it('opens on the lapsed list with the stored value still held and asks the win-back for 30 days', async () => {
    const { backend, onOpenMember } = renderOwner();
    const row = await screen.findByTestId('owner-row');
    expect(row.textContent).toContain('陳怡君');
    expect(row.textContent).toContain('75 天沒來');
    expect(row.textContent).toContain('平常 14 天來一次');
    expect(row.textContent).toContain('650');
    expect(backend.ownerLapsed).toHaveBeenCalledWith({ tags: [], tiers: [], segments: [], limit: 50, offset: 0 });
    await waitFor(() => expect(backend.ownerWinBack).toHaveBeenCalledWith('2026-10-27', '2026-11-26', 30));
    // The lapsed list narrows to the sleeping segments only.
    expect(screen.queryByTestId('segment-E0')).toBeNull();
    await fireEvent.click(screen.getByTestId('segment-S3'));
    await waitFor(() => expect(backend.ownerLapsed).toHaveBeenLastCalledWith(expect.objectContaining({ segments: ['S3'] })));
    await fireEvent.click(within(row).getByText('陳怡君'));
    expect(onOpenMember).toHaveBeenCalledWith(3);
  });

  it('marks a member contacted once, then shows the contact on the refreshed list', async () => {
    const contacted = lapsedRow({
      lastContact: { id: 1, memberId: 3, channel: 'line', outcome: 'promisedVisit', note: '送一杯', cashier: '老闆', contactedAt: Date.UTC(2026, 10, 26, 4) },
    });
    const ownerLapsed = vi.fn().mockResolvedValueOnce({ total: 1, rows: [lapsedRow()] }).mockResolvedValue({ total: 1, rows: [contacted] });
    const { backend } = renderOwner({ ownerLapsed });
    await fireEvent.click(await screen.findByTestId('mark-contacted'));
    await fireEvent.change(screen.getByTestId('contact-channel'), { target: { value: 'line' } });
    const save = screen.getByTestId('contact-save');
    // No outcome is assumed: saving without one asks for it and records nothing.
    await fireEvent.click(save);
    expect(screen.getByTestId('contact-error').textContent).toBe('請填寫聯絡結果。');
    expect(backend.recordContact).not.toHaveBeenCalled();
    await fireEvent.change(screen.getByTestId('contact-outcome'), { target: { value: 'promisedVisit' } });
    await fireEvent.input(screen.getByTestId('contact-note'), { target: { value: '送一杯' } });
    await fireEvent.click(save);
    await fireEvent.click(save);
    await waitFor(() => expect(screen.getByTestId('owner-notice').textContent).toContain('已記錄：聯繫了 陳怡君（答應會來）'));
    expect(backend.recordContact).toHaveBeenCalledTimes(1);
    expect(backend.recordContact).toHaveBeenCalledWith(
      expect.objectContaining({ memberId: 3, channel: 'line', outcome: 'promisedVisit', note: '送一杯', cashier: '老闆' }),
    );
    await waitFor(() => expect(screen.getByTestId('last-contact').textContent).toBe('2026-11-26 12:00 · LINE · 答應會來 · 「送一杯」'));
    expect(screen.queryByTestId('contact-form')).toBeNull();
  });

  it('filters by tag, switches lists, and exports the whole filtered list as CSV', async () => {
    const { backend } = renderOwner();
    await fireEvent.click(await screen.findByTestId('tag-上班族'));
    await waitFor(() =>
      expect(backend.ownerLapsed).toHaveBeenLastCalledWith(expect.objectContaining({ tags: ['上班族'], offset: 0 })),
    );
    await fireEvent.click(screen.getByTestId('owner-tab-birthdays'));
    await waitFor(() => expect(backend.ownerBirthdays).toHaveBeenCalledWith('thisWeek', expect.objectContaining({ tags: ['上班族'] })));
    await waitFor(() => expect(screen.getByTestId('owner-empty')).toBeTruthy());
    await fireEvent.click(screen.getByTestId('owner-tab-vip'));
    await fireEvent.click(await screen.findByTestId('export-csv'));
    await waitFor(() => expect(screen.getByTestId('export-note').textContent).toContain('lapsed-2026-11-26.csv'));
    expect(backend.exportOwnerList).toHaveBeenCalledWith({ kind: 'vip' }, expect.objectContaining({ tags: ['上班族'] }), null, 'zhTw');
    // The file can be shown in its folder (to open it in Excel); a failure is said in words.
    await fireEvent.click(screen.getByTestId('show-in-folder'));
    expect(backend.showInFolder).toHaveBeenCalledWith('/home/owner/Documents/Regulars exports/lapsed-2026-11-26.csv');
    vi.mocked(backend.showInFolder).mockRejectedValueOnce({ code: 'RevealFailed', message: '', details: { cause: 'notFound', reason: 'xdg-open: not found' } });
    await fireEvent.click(screen.getByTestId('show-in-folder'));
    await waitFor(() => expect(screen.getByTestId('show-in-folder-error').textContent).toBe('無法打開資料夾。找不到檔案或資料夾：它可能被移動或刪除了。'));
  });

  it('previews personal messages and shows a template typo as a translated error', async () => {
    const outreachMessages = vi
      .fn()
      .mockResolvedValueOnce([{ memberId: 3, memberNo: 'M000003', name: '陳怡君', phone: null, text: '陳怡君 您好' }])
      .mockRejectedValueOnce({ code: 'UnknownPlaceholder', message: 'x', details: { name: 'nmae', known: '{name} {balance}' } });
    renderOwner({ outreachMessages });
    await screen.findByTestId('owner-row');
    await fireEvent.click(screen.getByTestId('outreach-preview'));
    await waitFor(() => expect(screen.getByTestId('outreach-messages').textContent).toContain('陳怡君 您好'));
    expect(outreachMessages).toHaveBeenCalledWith([3], expect.stringContaining('{name}'));
    await fireEvent.input(screen.getByTestId('outreach-template'), { target: { value: '{nmae} 您好' } });
    await fireEvent.click(screen.getByTestId('outreach-preview'));
    await waitFor(() => expect(screen.getByTestId('outreach-error').textContent).toBe('範本裡有不認得的欄位 {nmae}，可用：{name} {balance}'));
  });
});

describe('OwnerScreen: the suggested message template', () => {
  it('follows a change of language until the owner edits it', async () => {
    renderOwner();
    await screen.findByTestId('owner-row');
    const box = screen.getByTestId('outreach-template') as HTMLTextAreaElement;
    await waitFor(() => expect(box.value).toMatch(/^\{name\}您好，好久不見/));
    setLocale('en');
    await waitFor(() => expect(box.value).toMatch(/^Hi \{name\}, we miss you/));
    await fireEvent.input(box, { target: { value: 'Hi {name}, our own words' } });
    setLocale('zh-TW');
    await tick();
    expect(box.value).toBe('Hi {name}, our own words');
  });
});

describe('OwnerScreen: due back', () => {
  it('asks for a product’s own repurchase cycle when one is chosen', async () => {
    const product = { id: 2, name: '珍珠奶茶', priceMinor: 60, earnsStamps: true, category: '', active: true, sortOrder: 0 };
    const due = { ...lapsedRow(), predictedDate: '2026-11-29', daysUntil: 3, cycleDays: 10, productId: 2, productName: '珍珠奶茶' };
    const { backend } = renderOwner({
      listProducts: vi.fn(async () => [product]),
      ownerDue: vi.fn(async () => ({ total: 1, rows: [due] })),
    });
    await fireEvent.click(await screen.findByTestId('owner-tab-due'));
    await fireEvent.change(await screen.findByTestId('due-product'), { target: { value: '2' } });
    await waitFor(() => expect(backend.ownerDue).toHaveBeenLastCalledWith({ withinDays: 7, productId: 2 }, expect.anything()));
    await waitFor(() => expect(screen.getByTestId('owner-row').textContent).toContain('珍珠奶茶 · 預計 3 天內回購'));
    await fireEvent.click(screen.getByTestId('export-csv'));
    expect(backend.exportOwnerList).toHaveBeenLastCalledWith({ kind: 'due', due: { withinDays: 7, productId: 2 } }, expect.anything(), null, 'zhTw');
  });
});

describe('OwnerScreen: win-back', () => {
  it('lists who was contacted, whether they came back and with which coupon', async () => {
    const rows = [
      { memberId: 3, memberNo: 'M000003', name: '陳怡君', contactedAt: Date.UTC(2026, 10, 2, 4), channel: 'line', outcome: 'promisedVisit', returnedAt: Date.UTC(2026, 10, 5, 4), visitsSince: 2, spendSinceMinor: 300, couponCode: 'K7QXM2PA9' },
      { memberId: 4, memberNo: 'M000004', name: '張雅婷', contactedAt: Date.UTC(2026, 10, 3, 4), channel: 'phone', outcome: 'noAnswer', returnedAt: null, visitsSince: 0, spendSinceMinor: 0, couponCode: null },
    ];
    renderOwner({
      ownerWinBack: vi.fn(async () => ({ from: '2026-10-27', to: '2026-11-26', withinDays: 30, contacted: 2, cameBack: 1, cameBackWithCoupon: 1, rateBp: 5000, revenueMinor: 300, rows })),
    });
    const found = await screen.findAllByTestId('win-back-row');
    expect(found[0].textContent).toContain('陳怡君');
    expect(found[0].textContent).toContain('2026-11-05 12:00');
    expect(found[0].textContent).toContain('$300');
    expect(found[1].textContent).toContain('還沒回來');
    expect(screen.getByTestId('kpi-win-back').textContent).toBe('50.0%');
    expect(screen.getAllByTestId('win-back-coupon').map((c) => c.textContent)).toEqual(['用券 K7QXM2PA9']);
    expect(screen.getByTestId('win-back-summary').textContent?.trim()).toBe('聯繫 2 位，回來 1 位，其中 1 位用了優惠券。');
  });
});

describe('OwnerScreen: VIP and export errors', () => {
  it('ranks VIPs by the spend of the tier window and says so', async () => {
    renderOwner({ ownerVip: vi.fn(async () => ({ total: 1, rows: [{ ...lapsedRow(), windowSpendMinor: 5400, spendMinor: 7200, referred: 3 }] })) });
    await waitFor(() => expect(screen.getByTestId('glance-vip').textContent).toContain('金卡 $5,400'));
    await fireEvent.click(screen.getByTestId('owner-tab-vip'));
    await waitFor(() => expect(screen.getByTestId('owner-list').textContent).toContain('近 12 個月消費'));
    expect(screen.getByTestId('owner-row').textContent).toContain('$5,400');
    expect(screen.getByTestId('owner-row').textContent).toContain('累計 $7,200');
    expect(screen.getByTestId('vip-referred').textContent).toBe('推薦了 3 位會員');
  });

  it('shows a failed export beside the button, in words the owner can act on', async () => {
    const exportOwnerList = vi.fn(async () => {
      throw { code: 'ExportFailed', message: 'x', details: { path: 'C:\\Users\\店長\\Documents\\Regulars exports\\lapsed-2026-11-26.csv', cause: 'fileLocked', reason: 'sharing violation' } };
    });
    renderOwner({ exportOwnerList });
    await fireEvent.click(await screen.findByTestId('export-csv'));
    await waitFor(() => expect(screen.getByTestId('export-error').textContent).toContain('在 PDF 閱讀器或 Excel 裡開著'));
    expect(screen.getByTestId('export-error').textContent).not.toContain('sharing violation');
    expect(screen.getByTestId('export-error').textContent).toContain('lapsed-2026-11-26.csv');
    expect(screen.queryByTestId('export-note')).toBeNull();
  });

  it('goes back to the last page when the list gets shorter than the page shown', async () => {
    const many = { total: 51, rows: Array.from({ length: 50 }, (_, i) => lapsedRow({ memberId: 100 + i, name: `會員${i}` })) };
    const ownerLapsed = vi
      .fn()
      .mockResolvedValueOnce(many) // the glance panel
      .mockResolvedValueOnce(many) // page 1
      .mockResolvedValueOnce({ total: 50, rows: [] }) // page 2, now empty
      .mockResolvedValue(many);
    const { backend } = renderOwner({ ownerLapsed });
    await waitFor(() => expect(screen.getAllByTestId('owner-row').length).toBe(50));
    await fireEvent.click(screen.getByText('›'));
    await waitFor(() => expect(backend.ownerLapsed).toHaveBeenLastCalledWith(expect.objectContaining({ offset: 0 })));
    await waitFor(() => expect(screen.getAllByTestId('owner-row').length).toBe(50));
  });
});

describe('OwnerScreen: contact form', () => {
  it('closes with Escape and records nothing', async () => {
    const { backend } = renderOwner();
    await fireEvent.click(await screen.findByTestId('mark-contacted'));
    expect(screen.getByTestId('contact-form')).toBeTruthy();
    await fireEvent.keyDown(window, { key: 'Escape' });
    await waitFor(() => expect(screen.queryByTestId('contact-form')).toBeNull());
    expect(backend.recordContact).not.toHaveBeenCalled();
  });
});
