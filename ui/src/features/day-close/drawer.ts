// The drawer count's arithmetic as the screen previews it; the core
// computes and records the over/short (`Store::count_drawer`).
import { parseAmount } from '../../lib/input';

export interface DrawerPreview {
  floatMinor: number | null;
  countedMinor: number | null;
  /** Float + the day's cash. */
  expectedMinor: number | null;
  /** Counted − expected: over when positive, short when negative. */
  overShortMinor: number | null;
}

/** What the typed float and count come to against the day's cash (full-width digits too). */
export function drawerPreview(floatText: string, countedText: string, cashMinor: number, minorDigits: number): DrawerPreview {
  const floatMinor = floatText.trim() === '' ? 0 : parseAmount(floatText, minorDigits);
  const countedMinor = countedText.trim() === '' ? null : parseAmount(countedText, minorDigits);
  const expectedMinor = floatMinor === null ? null : floatMinor + cashMinor;
  const overShortMinor = expectedMinor === null || countedMinor === null ? null : countedMinor - expectedMinor;
  return { floatMinor, countedMinor, expectedMinor, overShortMinor };
}

/** Which word an over/short takes: 多 (over), 短 (short) or even. */
export function overShortKind(minor: number): 'over' | 'short' | 'even' {
  return minor > 0 ? 'over' : minor < 0 ? 'short' : 'even';
}
