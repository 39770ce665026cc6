// The rights an owner may take from a role, and who may use each right under
// a policy. The core holds the rule (crate::staff: `Act::least_role`,
// `Act::can_be_denied`, `StaffPolicy::deny` and `validate`); this list names
// the deniable acts with the least role that has each by default, and a core
// test (core/tests/suite/staff_records.rs) fails when it disagrees.
import type { Act } from '../../lib/bindings/Act';
import type { Denied } from '../../lib/bindings/Denied';
import type { Role } from '../../lib/bindings/Role';

export interface Right {
  act: Act;
  least: 'cashier' | 'manager';
}

export const RIGHTS: readonly Right[] = [
  { act: 'sale', least: 'cashier' },
  { act: 'topUp', least: 'cashier' },
  { act: 'redeem', least: 'cashier' },
  { act: 'void', least: 'cashier' },
  { act: 'issueCoupon', least: 'cashier' },
  { act: 'registerMember', least: 'cashier' },
  { act: 'editMember', least: 'cashier' },
  { act: 'refund', least: 'manager' },
  { act: 'adjust', least: 'manager' },
  { act: 'countDrawer', least: 'manager' },
  { act: 'archiveMember', least: 'manager' },
  { act: 'importMembers', least: 'manager' },
  { act: 'contact', least: 'manager' },
  { act: 'ownerLists', least: 'manager' },
  { act: 'export', least: 'manager' },
  { act: 'couponCampaign', least: 'manager' },
];

/** The roles, lowest first. */
const ORDER: Role[] = ['cashier', 'manager', 'owner'];

/** Who may use `right` under `denied`: the least role that still has it. */
export function whoMay(denied: readonly Denied[], right: Right): Role {
  let role: Role = right.least;
  while (role !== 'owner' && denied.some((d) => d.role === role && d.act === right.act)) {
    role = ORDER[ORDER.indexOf(role) + 1];
  }
  return role;
}

/** The roles that could be given the right, lowest first (the owner always has it). */
export function choicesFor(right: Right): Role[] {
  return ORDER.slice(ORDER.indexOf(right.least));
}

/**
 * `denied` with `right` left to `who` and the roles above: taken from every
 * role below `who` that has it by default (a manager keeps all a cashier may
 * do, so a right is never taken from managers and left to cashiers).
 */
export function withWhoMay(denied: readonly Denied[], right: Right, who: Role): Denied[] {
  const others = denied.filter((d) => d.act !== right.act);
  const taken = ORDER.slice(ORDER.indexOf(right.least), ORDER.indexOf(who)).map((role) => ({ role, act: right.act }));
  return [...others, ...taken];
}

/**
 * Whether `role` may use the deniable `act` under `denied` (an act that is
 * not in [`RIGHTS`] is not asked here).
 */
export function roleMay(denied: readonly Denied[], act: Act, role: Role): boolean {
  const right = RIGHTS.find((r) => r.act === act);
  if (!right) return true;
  return ORDER.indexOf(role) >= ORDER.indexOf(whoMay(denied, right));
}
