import { afterEach, describe, expect, it, vi } from 'vitest';
import { setLocale } from '../../i18n/i18n.svelte';
import { staffList } from '../../test/fixtures';
import { IdleLock, approval, demoLogins, demoNote, fold } from './pin';

describe('the PIN pad rules', () => {
  afterEach(() => vi.useRealTimers());

  it('reads full-width digits as ASCII ones and leaves other keys alone', () => {
    expect(['１', '９', '０', '5', 'Enter', 'a'].map(fold)).toEqual(['1', '9', '0', '5', 'Enter', 'a']);
  });

  it("pairs the demo's staff with their PINs in the order the demo creates them", () => {
    const logins = demoLogins([...staffList()].reverse());
    expect(logins.map((l) => `${l.name}:${l.pin}`)).toEqual(['老闆:1111', '店長:2222', '小美:3333', '阿哲:4444']);
  });

  it('says each PIN with its name, and the role only when it is not the name', () => {
    expect(demoNote(demoLogins(staffList())).split('\n')).toEqual(['老闆：1111', '店長：2222', '小美（收銀員）：3333', '阿哲（收銀員）：4444']);
    setLocale('en');
    const english = demoLogins([{ id: 1, name: 'Owner', role: 'owner', active: true, createdAt: 0 }, { id: 3, name: 'Mei', role: 'cashier', active: true, createdAt: 0 }]);
    expect(demoNote(english)).toBe('Owner: 1111\nMei (cashier): 2222');
    setLocale('zh-TW');
  });

  it('adds the approver PIN as an argument only when one was typed', () => {
    expect(approval()).toEqual([]);
    expect(approval('')).toEqual([]);
    expect(approval('2222')).toEqual(['2222']);
  });

  it('locks after the minutes without input, each touch restarting the wait, never at 0', () => {
    vi.useFakeTimers();
    const onIdle = vi.fn();
    const lock = new IdleLock(onIdle);
    lock.start(5);
    vi.advanceTimersByTime(4 * 60_000);
    lock.touch();
    vi.advanceTimersByTime(4 * 60_000);
    expect(onIdle).not.toHaveBeenCalled();
    vi.advanceTimersByTime(60_000);
    expect(onIdle).toHaveBeenCalledOnce();
    lock.start(0);
    vi.advanceTimersByTime(24 * 60 * 60_000);
    expect(onIdle).toHaveBeenCalledOnce();
  });
});
