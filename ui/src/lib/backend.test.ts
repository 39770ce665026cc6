import { describe, expect, it } from 'vitest';
import { toBackendError } from './backend';

describe('toBackendError', () => {
  it('keeps the code and message the shell sends', () => {
    expect(toBackendError({ code: 'MemberNotFound', message: 'member 9 not found' })).toEqual({
      code: 'MemberNotFound',
      message: 'member 9 not found',
    });
  });

  it('wraps anything else as an internal error', () => {
    expect(toBackendError('boom')).toEqual({ code: 'Internal', message: 'boom' });
  });
});
