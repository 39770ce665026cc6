import { describe, expect, it } from 'vitest';
import { extraStamps, stampSlots } from './stamps';

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

describe('extraStamps', () => {
  it('counts the stamps beyond a full card, and none below it', () => {
    expect(extraStamps(11, 10)).toBe(1);
    expect(extraStamps(23, 10)).toBe(13);
    expect(extraStamps(10, 10)).toBe(0);
    expect(extraStamps(4, 10)).toBe(0);
  });
});
