import { describe, expect, it } from 'vitest';
import { RIGHTS, choicesFor, whoMay, withWhoMay, roleMay } from './rights';

const right = (act: string) => RIGHTS.find((r) => r.act === act)!;

describe('rights', () => {
  it('takes a right from managers together with cashiers, and gives it back to both', () => {
    const topUp = right('topUp');
    const ownerOnly = withWhoMay([], topUp, 'owner');
    expect(ownerOnly).toEqual([
      { role: 'cashier', act: 'topUp' },
      { role: 'manager', act: 'topUp' },
    ]);
    expect(whoMay(ownerOnly, topUp)).toBe('owner');
    const managers = withWhoMay(ownerOnly, topUp, 'manager');
    expect(managers).toEqual([{ role: 'cashier', act: 'topUp' }]);
    expect(whoMay(managers, topUp)).toBe('manager');
    expect(withWhoMay(managers, topUp, 'cashier')).toEqual([]);
  });

  it('offers a manager-level right to managers and the owner only, and keeps other rights as they were', () => {
    const refund = right('refund');
    expect(choicesFor(refund)).toEqual(['manager', 'owner']);
    expect(choicesFor(right('sale'))).toEqual(['cashier', 'manager', 'owner']);
    const denied = withWhoMay([{ role: 'cashier', act: 'void' }], refund, 'owner');
    expect(denied).toEqual([
      { role: 'cashier', act: 'void' },
      { role: 'manager', act: 'refund' },
    ]);
    expect(whoMay(denied, right('void'))).toBe('manager');
    expect(whoMay(denied, right('sale'))).toBe('cashier');
  });
});

describe('Whether a role may use a right under the owner’s policy', () => {
  it('follows the default roles when nothing was taken', () => {
    expect(roleMay([], 'ownerLists', 'manager')).toBe(true);
    expect(roleMay([], 'ownerLists', 'cashier')).toBe(false);
    expect(roleMay([], 'topUp', 'cashier')).toBe(true);
  });

  it('leaves a right taken from managers to the owner alone', () => {
    const denied = [
      { role: 'cashier' as const, act: 'ownerLists' as const },
      { role: 'manager' as const, act: 'ownerLists' as const },
    ];
    expect(roleMay(denied, 'ownerLists', 'manager')).toBe(false);
    expect(roleMay(denied, 'ownerLists', 'owner')).toBe(true);
    // Other rights are untouched.
    expect(roleMay(denied, 'export', 'manager')).toBe(true);
  });

  it('keeps a manager a right taken from cashiers only', () => {
    const denied = [{ role: 'cashier' as const, act: 'topUp' as const }];
    expect(roleMay(denied, 'topUp', 'cashier')).toBe(false);
    expect(roleMay(denied, 'topUp', 'manager')).toBe(true);
  });
});
