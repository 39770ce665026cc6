import { describe, expect, it } from 'vitest';
import { stampSlots } from './stamps';

describe('stampSlots', () => {
  it('fills the first stamps of the card', () => {
    const slots = stampSlots(7, 10);
    expect(slots).toHaveLength(10);
    expect(slots.filter((s) => s.filled)).toHaveLength(7);
    expect(slots[6].filled).toBe(true);
    expect(slots[7].filled).toBe(false);
  });

  it('never draws more stamps than the card holds', () => {
    expect(stampSlots(12, 10).filter((s) => s.filled)).toHaveLength(10);
    expect(stampSlots(-1, 3).filter((s) => s.filled)).toHaveLength(0);
  });
});
