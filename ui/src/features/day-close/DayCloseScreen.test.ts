import { fireEvent, render, screen, waitFor, within } from '@testing-library/svelte';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { setLocale } from '../../i18n/i18n.svelte';
import { dayClose, fakeBackend, shopSettings } from '../../test/fixtures';
import DayCloseScreen from './DayCloseScreen.svelte';
import { addDays, floatBalances, floatRows, weekday } from './dayClose';
import { drawerPreview, overShortKind } from './drawer';

function renderDayClose(overrides = {}) {
  const backend = fakeBackend(overrides);
  const onBack = vi.fn();
  render(DayCloseScreen, { backend, settings: shopSettings(), cashier: '小美', onBack });
  return { backend, onBack };
}

describe('day close', () => {
  afterEach(() => setLocale('zh-TW'));

  it('counts the drawer against float + cash, previews the short and shows what the core recorded', async () => {
    const counted = dayClose({
      drawer: {
        id: 1,
        date: '2026-11-26',
        floatMinor: 2000,
        countedMinor: 2790,
        expectedMinor: 2820,
        overShortMinor: -30,
        cashier: '小美',
        note: '',
        countedAt: Date.UTC(2026, 10, 26, 12),
      },
      drawerCounts: 1,
    });
    const countDrawer = vi.fn(async () => counted);
    renderDayClose({ countDrawer });
    const float = (await screen.findByTestId('drawer-float')) as HTMLInputElement;
    await fireEvent.input(float, { target: { value: '2000' } });
    expect(screen.getByTestId('drawer-count').textContent).toContain('應有現金 $2,820');
    await fireEvent.input(screen.getByTestId('drawer-counted'), { target: { value: '２７９０' } });
    expect(screen.getByTestId('drawer-preview').textContent).toContain('短 $30');
    await fireEvent.click(screen.getByTestId('drawer-record'));
    await waitFor(() => expect(countDrawer).toHaveBeenCalledOnce());
    expect(countDrawer).toHaveBeenCalledWith(
      expect.objectContaining({ date: '2026-11-26', floatMinor: 2000, countedMinor: 2790, cashier: '小美' }),
    );
    expect((await screen.findByTestId('drawer-over-short')).textContent).toBe('短 $30');
    expect(screen.getByTestId('drawer-record').textContent?.trim()).toBe('重新點鈔');
  });

  it("says a negative count cannot be, in the shop's language, from the core's error", async () => {
    const countDrawer = vi.fn(async () => {
      throw { code: 'AmountNegative', message: '', details: { field: 'counted cash', value: '-5' } };
    });
    renderDayClose({ countDrawer });
    await fireEvent.input(await screen.findByTestId('drawer-counted'), { target: { value: '5' } });
    await fireEvent.click(screen.getByTestId('drawer-record'));
    expect((await screen.findByTestId('drawer-error')).textContent).toBe('實點現金不能是負數（現在是 -$5）。');
  });

  it('says over, short or even, and how many counts the day had', async () => {
    renderDayClose({
      dayClose: vi.fn(async () =>
        dayClose({
          drawer: { id: 2, date: '2026-11-26', floatMinor: 0, countedMinor: 830, expectedMinor: 820, overShortMinor: 10, cashier: 'x', note: '', countedAt: 0 },
          drawerCounts: 2,
          drawerOutdated: true,
        }),
      ),
    });
    expect((await screen.findByTestId('drawer-over-short')).textContent).toBe('多 $10');
    expect(screen.getByTestId('drawer-recounts').textContent).toBe('今天點了 2 次，以最後一次為準');
    expect(screen.getByTestId('drawer-outdated')).toBeTruthy();
    expect(drawerPreview('1,000', '1820', 820, 0)).toEqual({ floatMinor: 1000, countedMinor: 1820, expectedMinor: 1820, overShortMinor: 0 });
    expect(drawerPreview('', '', 820, 0).overShortMinor).toBeNull();
    expect([overShortKind(5), overShortKind(-5), overShortKind(0)]).toEqual(['over', 'short', 'even']);
  });

  it("names the shop's own methods in the money per method", async () => {
    const named = dayClose({
      methods: [{ method: 'eWallet', methodId: 4, name: 'LINE Pay', salesMinor: 150, topUpsMinor: 0, refundsMinor: 0, voidsMinor: 0, netMinor: 150 }],
      cashMinor: 0,
    });
    renderDayClose({ dayClose: vi.fn(async () => named) });
    const row = await screen.findByTestId('day-method-eWallet');
    expect(row.textContent).toContain('LINE Pay');
    expect(within(row).getByTestId('net').textContent).toBe('$150');
  });

  it("shows today's money per method, what the drawer should hold, and the float from opening to closing", async () => {
    const { backend } = renderDayClose();
    const cash = await screen.findByTestId('day-method-cash');
    expect(backend.dayClose).toHaveBeenCalledWith(null);
    expect(within(cash).getByTestId('net').textContent).toBe('$820');
    expect(cash.textContent).toContain('-$300');
    expect(within(screen.getByTestId('day-method-card')).getByTestId('net').textContent).toBe('$0');
    expect(screen.getByTestId('day-drawer').textContent).toBe('現金抽屜應比開店零用金多 $820');
    expect(screen.getByTestId('day-sales').textContent).toBe('3 筆，$380');
    const float = screen.getByTestId('day-float');
    expect(float.textContent).toContain('結束');
    expect(float.textContent).toContain('-$300'); // refunds, signed
    expect(float.textContent).toContain('$6,140');
    // Movements that did not happen are not listed.
    expect(float.textContent).not.toContain('手動調整');
    expect(screen.getByTestId('day-balanced').textContent).toContain('帳平');
  });

  it('steps back a day, never past today, and says when a day was quiet', async () => {
    const quiet = dayClose({ date: '2026-11-25', methods: [] });
    const dayCloseFn = vi.fn(async (date: string | null) => (date === null ? dayClose() : quiet));
    const { backend } = renderDayClose({ dayClose: dayCloseFn });
    const next = (await screen.findByTestId('day-next')) as HTMLButtonElement;
    expect(next.disabled).toBe(true);
    await fireEvent.click(screen.getByTestId('day-prev'));
    await waitFor(() => expect(backend.dayClose).toHaveBeenLastCalledWith('2026-11-25'));
    expect(await screen.findByTestId('day-empty')).toBeTruthy();
    expect((screen.getByTestId('day-date') as HTMLInputElement).value).toBe('2026-11-25');
    expect((screen.getByTestId('day-next') as HTMLButtonElement).disabled).toBe(false);
    await fireEvent.click(screen.getByTestId('day-today'));
    await waitFor(() => expect(backend.dayClose).toHaveBeenLastCalledWith(null));
  });

  it('takes a typed day in the lists\' date form and refuses a slip of the keys or a day to come', async () => {
    const { backend } = renderDayClose({ dayClose: vi.fn(async (date: string | null) => dayClose(date ? { date } : {})) });
    const input = (await screen.findByTestId('day-date')) as HTMLInputElement;
    expect(screen.getByTestId('day-weekday').textContent).toBe('週四');
    await fireEvent.input(input, { target: { value: '２０２６/11/2' } });
    await fireEvent.change(input);
    await waitFor(() => expect(backend.dayClose).toHaveBeenLastCalledWith('2026-11-02'));
    await waitFor(() => expect(input.value).toBe('2026-11-02'));
    const calls = (backend.dayClose as ReturnType<typeof vi.fn>).mock.calls.length;
    await fireEvent.input(input, { target: { value: '2026-02-30' } });
    await fireEvent.change(input);
    await waitFor(() => expect(screen.getByTestId('day-date-error').textContent).toBe('沒有 2026-02-30 這一天，仍顯示 2026-11-02。'));
    // The field goes back to the day on screen.
    expect(input.value).toBe('2026-11-02');
    await fireEvent.input(input, { target: { value: 'yesterday' } });
    await fireEvent.change(input);
    await waitFor(() => expect(screen.getByTestId('day-date-error').textContent).toContain('看不懂「yesterday」'));
    expect(screen.getByTestId('day-date-error').textContent).toBe('看不懂「yesterday」，仍顯示 2026-11-02。請輸入日期，例如 2026-11-27 或民國 115/11/27。');
    await fireEvent.input(input, { target: { value: '2026-11-27' } });
    await fireEvent.keyDown(input, { key: 'Enter' });
    await waitFor(() => expect(screen.getByTestId('day-date-error').textContent).toContain('還沒到'));
    expect(screen.getByTestId('day-date-error').textContent).toBe('2026-11-27 還沒到，仍顯示 2026-11-02；只能看今天以前的日結。');
    expect(input.value).toBe('2026-11-02');
    expect(backend.dayClose).toHaveBeenCalledTimes(calls);
  });

  it('has room for a Republic-of-China date written out in full, which a 10-character field cut to another day', async () => {
    renderDayClose();
    const input = (await screen.findByTestId('day-date')) as HTMLInputElement;
    // Typed into a field of 10, 民國１１５年１１月３０日 lost its last two
    // characters and was read as 11/3 (the core's reading: tests/e2e/app.test.mjs).
    for (const typed of ['民國１１５年１１月３０日', '民國 115 年 11 月 30 日']) expect(input.maxLength).toBeGreaterThanOrEqual(typed.length);
  });

  it('steps from the day typed, and shows only the last answer', async () => {
    const { backend } = renderDayClose({ dayClose: vi.fn(async (date: string | null) => dayClose(date ? { date } : {})) });
    const input = (await screen.findByTestId('day-date')) as HTMLInputElement;
    await fireEvent.input(input, { target: { value: '2026-11-10' } });
    await fireEvent.click(screen.getByTestId('day-prev'));
    await waitFor(() => expect(backend.dayClose).toHaveBeenLastCalledWith('2026-11-09'));
    await waitFor(() => expect(input.value).toBe('2026-11-09'));
    expect(screen.getByTestId('day-weekday').textContent).toBe('週一');
  });

  it('prints the slip or saves it as PDF for the day shown, in the UI language', async () => {
    const printDayClose = vi.fn(async () => Promise.reject({ code: 'PrintFailed', message: '', details: { reason: 'no printer' } }));
    const { backend } = renderDayClose({ printDayClose });
    await fireEvent.click(await screen.findByTestId('day-prev'));
    await waitFor(() => expect((screen.getByTestId('day-date') as HTMLInputElement).value).toBe('2026-11-25'));
    await fireEvent.click(screen.getByTestId('day-pdf'));
    await waitFor(() => expect(screen.getByTestId('day-output').textContent).toContain('日結單-2026-11-25.pdf'));
    expect(backend.saveDayClosePdf).toHaveBeenCalledWith('2026-11-25', 'zhTw');
    await fireEvent.click(screen.getByTestId('day-print'));
    await waitFor(() => expect(screen.getByTestId('day-output-error').textContent).toBe('印表機沒有接受這份列印。請確認印表機已開機、有紙並已連線，或先存成 PDF。'));
    expect(printDayClose).toHaveBeenCalledWith('2026-11-25', 'zhTw');
  });

  it('shows a refusal in words', async () => {
    renderDayClose({ dayClose: vi.fn(async () => Promise.reject({ code: 'Database', message: 'locked', details: {} })) });
    expect((await screen.findByTestId('day-error')).textContent).toBe('資料庫發生錯誤。');
  });

  it('names the day of the week in the language on screen', () => {
    expect(weekday('2026-11-27', 'en')).toBe('Fri');
  });

  it('moves dates by the calendar and checks the float adds up', () => {
    expect(addDays('2026-03-01', -1)).toBe('2026-02-28');
    expect(addDays('2028-02-28', 1)).toBe('2028-02-29');
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
    const f = dayClose().float;
    expect(floatBalances(f)).toBe(true);
    expect(floatBalances({ ...f, closing: { paidMinor: f.closing.paidMinor + 1, bonusMinor: f.closing.bonusMinor } })).toBe(false);
    expect(floatRows(f).map((r) => r.key)).toEqual(['opening', 'topUps', 'spends', 'refunds', 'closing']);
  });
});
