import { describe, expect, it, vi } from 'vitest';
import type { BackendError } from './types';
import { createSubmit, onEscape } from './submit.svelte';

const refused: BackendError = { code: 'InvalidAmount', message: 'invalid amount' };

/** A call the test settles by hand, recording the ids it was sent. */
function pendingCall() {
  const ids: string[] = [];
  let settle: { resolve: () => void; reject: (e: unknown) => void } | null = null;
  const call = (id: string) =>
    new Promise<void>((resolve, reject) => {
      ids.push(id);
      settle = { resolve, reject };
    });
  return { ids, call, resolve: () => settle?.resolve(), reject: (e: unknown) => settle?.reject(e) };
}

describe('createSubmit', () => {
  it('is busy while an attempt is in flight and ignores a second submit meanwhile', async () => {
    const submit = createSubmit();
    const pending = pendingCall();
    const first = submit.run(pending.call);
    expect(submit.busy).toBe(true);
    expect(await submit.run(pending.call)).toBe(false);
    expect(pending.ids).toHaveLength(1);
    pending.resolve();
    expect(await first).toBe(true);
    expect(submit.busy).toBe(false);
    expect(submit.error).toBeNull();
  });

  it('sends the same attempt again with the same id, so the core replays it', async () => {
    const submit = createSubmit();
    const ids: string[] = [];
    await submit.run(async (id) => void ids.push(id));
    await submit.run(async (id) => void ids.push(id));
    expect(ids[0]).toBe(ids[1]);
  });

  it('keeps a rejection to show and sends the next attempt with a new id', async () => {
    const submit = createSubmit();
    const ids: string[] = [];
    const ok = await submit.run(async (id) => {
      ids.push(id);
      throw refused;
    });
    expect(ok).toBe(false);
    expect(submit.error).toEqual(refused);
    expect(submit.busy).toBe(false);
    await submit.run(async (id) => void ids.push(id));
    expect(ids[1]).not.toBe(ids[0]);
    expect(submit.error).toBeNull();
  });

  it('starts a new attempt when what the form would send changes, and clears the error', async () => {
    const submit = createSubmit();
    const before = submit.requestId;
    submit.error = refused;
    submit.changed();
    expect(submit.requestId).not.toBe(before);
    expect(submit.error).toBeNull();
    const kept = submit.requestId;
    submit.error = refused;
    submit.renew();
    expect(submit.requestId).not.toBe(kept);
    expect(submit.error).toEqual(refused);
  });

  it('keeps one id per form after a rejection when asked to', async () => {
    const submit = createSubmit({ oneIdPerForm: true });
    const ids: string[] = [];
    await submit.run(async (id) => {
      ids.push(id);
      throw refused;
    });
    await submit.run(async (id) => void ids.push(id));
    expect(ids[1]).toBe(ids[0]);
  });
});

describe('onEscape', () => {
  it('runs its action on Escape only', () => {
    const action = vi.fn();
    const handler = onEscape(action);
    const enter = new KeyboardEvent('keydown', { key: 'Enter', cancelable: true });
    handler(enter);
    expect(action).not.toHaveBeenCalled();
    expect(enter.defaultPrevented).toBe(false);
    const escape = new KeyboardEvent('keydown', { key: 'Escape', cancelable: true });
    handler(escape);
    expect(action).toHaveBeenCalledOnce();
    expect(escape.defaultPrevented).toBe(true);
  });
});
