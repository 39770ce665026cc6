import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { LiveSearch, hitToOpen, moveSelection, type SearchOutcome } from './liveSearch';
import { found, hit } from '../../test/fixtures';
import type { MemberLookup } from '../../lib/bindings/MemberLookup';

describe('LiveSearch', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  function setup(search: (query: string) => Promise<MemberLookup>) {
    const outcomes: SearchOutcome[] = [];
    const errors: unknown[] = [];
    const live = new LiveSearch(search, (o) => outcomes.push(o), (e) => errors.push(e), 100);
    return { live, outcomes, errors };
  }

  it('searches once after typing pauses', async () => {
    const search = vi.fn(async (query: string) => found([hit({ name: query })]));
    const { live, outcomes } = setup(search);
    live.update('5');
    live.update('56');
    live.update('567');
    await vi.advanceTimersByTimeAsync(99);
    expect(search).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(1);
    expect(search).toHaveBeenCalledTimes(1);
    expect(search).toHaveBeenCalledWith('567');
    expect(outcomes.map((o) => o.query)).toEqual(['567']);
  });

  it('flush runs a pending search at once', async () => {
    const search = vi.fn(async () => found([hit({ matchKind: 'exact' })]));
    const { live, outcomes } = setup(search);
    live.update('RG-0001');
    await live.flush();
    expect(outcomes).toHaveLength(1);
    expect(outcomes[0].query).toBe('RG-0001');
  });

  it('ignores an answer that arrives after a newer query', async () => {
    const resolvers: Array<(lookup: MemberLookup) => void> = [];
    const search = vi.fn(() => new Promise<MemberLookup>((resolve) => resolvers.push(resolve)));
    const { live, outcomes } = setup(search);
    live.update('12');
    await vi.advanceTimersByTimeAsync(100);
    live.update('123');
    await vi.advanceTimersByTimeAsync(100);
    resolvers[1](found([hit({ id: 2 })]));
    resolvers[0](found([hit({ id: 1 })]));
    await vi.runAllTimersAsync();
    expect(outcomes.map((o) => o.query)).toEqual(['123']);
  });

  it('an empty query clears results without asking the backend', async () => {
    const search = vi.fn(async () => found([hit()]));
    const { live, outcomes } = setup(search);
    live.update('   ');
    await live.flush();
    expect(search).not.toHaveBeenCalled();
    expect(outcomes).toEqual([{ query: '', hits: [], matched: 0, matchedAtLeast: false }]);
  });

  it('reports backend errors', async () => {
    const { live, errors } = setup(async () => {
      throw { code: 'Internal', message: 'x' };
    });
    live.update('1');
    await live.flush();
    expect(errors).toEqual([{ code: 'Internal', message: 'x' }]);
  });
});

describe('moveSelection', () => {
  it('wraps in both directions', () => {
    expect(moveSelection(0, 3, 1)).toBe(1);
    expect(moveSelection(2, 3, 1)).toBe(0);
    expect(moveSelection(0, 3, -1)).toBe(2);
    expect(moveSelection(-1, 3, -1)).toBe(2);
    expect(moveSelection(-1, 0, 1)).toBe(-1);
  });
});

describe('hitToOpen', () => {
  const a = hit({ id: 1, matchKind: 'phoneSuffix' });
  const b = hit({ id: 2, matchKind: 'exact' });
  const c = hit({ id: 3, matchKind: 'name' });

  it('opens the row chosen with the arrow keys', () => {
    expect(hitToOpen([a, b, c], 2, true)?.id).toBe(3);
  });

  it('opens the single exact hit when nothing was chosen', () => {
    expect(hitToOpen([a, b, c], 0, false)?.id).toBe(2);
  });

  it('opens the first hit otherwise', () => {
    expect(hitToOpen([a, c], 0, false)?.id).toBe(1);
    expect(hitToOpen([], -1, false)).toBeNull();
  });
});
