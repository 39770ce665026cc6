// Search-as-you-type: waits `delayMs` after the last keystroke, drops
// answers to queries that were superseded, and can be flushed at once
// (a scanner types a code and presses Enter faster than the debounce).
import type { MemberHit } from '../../lib/bindings/MemberHit';
import type { MemberLookup } from '../../lib/bindings/MemberLookup';

export const SEARCH_DEBOUNCE_MS = 100;

export interface SearchOutcome {
  query: string;
  hits: MemberHit[];
  /** How many members matched in all (more than `hits` when the list was cut). */
  matched: number;
  /** `matched` is a lower bound: too many matched to count. */
  matchedAtLeast: boolean;
}

const NOTHING: MemberLookup = { hits: [], matched: 0, matchedAtLeast: false };

export class LiveSearch {
  private timer: ReturnType<typeof setTimeout> | null = null;
  private pendingQuery: string | null = null;
  private latestRun = 0;
  private inflight: Promise<void> = Promise.resolve();

  constructor(
    private readonly search: (query: string) => Promise<MemberLookup>,
    private readonly onOutcome: (outcome: SearchOutcome) => void,
    private readonly onError: (error: unknown) => void,
    private readonly delayMs: number = SEARCH_DEBOUNCE_MS,
  ) {}

  /** Schedules a search for `query` after the debounce delay. */
  update(query: string): void {
    this.cancelTimer();
    this.pendingQuery = query;
    this.timer = setTimeout(() => void this.runPending(), this.delayMs);
  }

  /** Runs any scheduled search now and waits for the latest answer. */
  async flush(): Promise<void> {
    if (this.pendingQuery !== null) {
      this.cancelTimer();
      await this.runPending();
    } else {
      await this.inflight;
    }
  }

  dispose(): void {
    this.cancelTimer();
    this.pendingQuery = null;
    this.latestRun += 1;
  }

  private cancelTimer(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
  }

  private runPending(): Promise<void> {
    const query = this.pendingQuery ?? '';
    this.pendingQuery = null;
    this.timer = null;
    const run = ++this.latestRun;
    this.inflight = this.execute(query, run);
    return this.inflight;
  }

  private async execute(query: string, run: number): Promise<void> {
    const trimmed = query.trim();
    try {
      const found = trimmed === '' ? NOTHING : await this.search(trimmed);
      if (run === this.latestRun) this.onOutcome({ query: trimmed, ...found });
    } catch (error) {
      if (run === this.latestRun) this.onError(error);
    }
  }
}

/** Moves a list selection by `delta`, wrapping around; -1 when the list is empty. */
export function moveSelection(index: number, count: number, delta: number): number {
  if (count <= 0) return -1;
  if (index < 0) return delta > 0 ? 0 : count - 1;
  return (((index + delta) % count) + count) % count;
}

/**
 * Which hit Enter opens: the one the cashier moved to with the arrow keys;
 * otherwise the only exact hit (a scanned card code or member number);
 * otherwise the first hit.
 */
export function hitToOpen(hits: MemberHit[], selectedIndex: number, selectionMoved: boolean): MemberHit | null {
  if (hits.length === 0) return null;
  if (selectionMoved && selectedIndex >= 0 && selectedIndex < hits.length) return hits[selectedIndex];
  const exact = hits.filter((hit) => hit.matchKind === 'exact');
  if (exact.length === 1) return exact[0];
  return hits[0];
}
