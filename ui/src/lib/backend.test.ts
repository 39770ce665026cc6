import { describe, expect, it } from 'vitest';
import { toBackendError } from './backend';

describe('toBackendError', () => {
  it('keeps the code and message the shell sends', () => {
    expect(
      toBackendError({ code: 'MemberNotFound', message: 'member 9 not found', details: { reference: '9' } }),
    ).toEqual({ code: 'MemberNotFound', message: 'member 9 not found', details: { reference: '9' } });
  });

  it('wraps anything else as an internal error', () => {
    expect(toBackendError('boom')).toEqual({ code: 'Internal', message: 'boom', details: {} });
  });
});
