// How a stamp card is drawn: one slot per stamp needed, the first
// `stamps` of them filled.

export interface StampSlot {
  index: number;
  filled: boolean;
}

export function stampSlots(stamps: number, stampsNeeded: number): StampSlot[] {
  const needed = Math.max(0, Math.floor(stampsNeeded));
  const filled = Math.min(Math.max(0, Math.floor(stamps)), needed);
  return Array.from({ length: needed }, (_, index) => ({ index, filled: index < filled }));
}

/** Stamps beyond one full card (they count towards the next reward), shown as "+N". */
export function extraStamps(stamps: number, stampsNeeded: number): number {
  return Math.max(0, Math.floor(stamps) - Math.max(0, Math.floor(stampsNeeded)));
}
