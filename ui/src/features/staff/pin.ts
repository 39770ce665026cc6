// The staff side's small rules: full-width digits typed on the PIN pad, the
// demo shop's PINs, and the idle lock's clock.
import { t } from '../../i18n/i18n.svelte';
import type { Role } from '../../lib/bindings/Role';
import type { StaffMember } from '../../lib/bindings/StaffMember';

/** A full-width digit (from a Chinese input method) as its ASCII one; anything else as it is. */
export function fold(key: string): string {
  if (key.length !== 1) return key;
  const code = key.charCodeAt(0);
  return code >= 0xff10 && code <= 0xff19 ? String.fromCharCode(code - 0xff10 + 48) : key;
}

/**
 * The demo shop's PINs (core/src/store/demo.rs, DEMO_STAFF_PINS): its staff
 * are created first, in this order, so the n-th account has the n-th PIN.
 */
export const DEMO_PINS = ['1111', '2222', '3333', '4444'];

export interface DemoLogin {
  name: string;
  role: Role;
  pin: string;
}

/** The demo's staff with their PINs, the owner first; accounts beyond the demo's four are left out. */
export function demoLogins(staff: StaffMember[]): DemoLogin[] {
  return [...staff]
    .sort((a, b) => a.id - b.id)
    .slice(0, DEMO_PINS.length)
    .map((s, i) => ({ name: s.name, role: s.role, pin: DEMO_PINS[i] }));
}

/** The demo's PINs as lines for the PIN pad: "小美（收銀員）：3333", the role left out when it is the name ("店長：2222"). */
export function demoNote(logins: DemoLogin[]): string {
  return logins
    .map((l) => {
      const role = t(`staff.roles.${l.role}`);
      return l.name.toLowerCase() === role.toLowerCase() ? t('staff.pad.demoLoginByRole', { name: l.name, pin: l.pin }) : t('staff.pad.demoLogin', { name: l.name, role, pin: l.pin });
    })
    .join('\n');
}

/**
 * Locks the till after `minutes` without input: `touch` on every key or
 * pointer press restarts the wait, `stop` ends it. 0 minutes: never.
 */
export class IdleLock {
  #timer: ReturnType<typeof setTimeout> | undefined;
  #ms = 0;
  readonly #onIdle: () => void;

  constructor(onIdle: () => void) {
    this.#onIdle = onIdle;
  }

  start(minutes: number): void {
    this.#ms = Math.max(0, minutes) * 60_000;
    this.touch();
  }

  touch(): void {
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = this.#ms > 0 ? setTimeout(this.#onIdle, this.#ms) : undefined;
  }

  stop(): void {
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#ms = 0;
  }
}

/** The approver's PIN as the optional last argument of a write: none when not typed. */
export function approval(approverPin?: string): [] | [string] {
  return approverPin ? [approverPin] : [];
}
