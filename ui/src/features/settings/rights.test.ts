import { describe, expect, it } from 'vitest';
import { RIGHTS, choicesFor, whoMay, withWhoMay } from './rights';

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
