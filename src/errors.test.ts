import { describe, expect, it } from 'vitest';
import { isKefuError, KefuError, KEFU_ERROR_CODES } from './errors.js';

describe('KefuError', () => {
  it('carries a stable code, details and cause', () => {
    const cause = new Error('boom');
    const e = new KefuError('PACK_INVALID', 'bad pack', { issues: [] }, { cause });
    expect(e).toBeInstanceOf(Error);
    expect(e.name).toBe('KefuError');
    expect(e.code).toBe('PACK_INVALID');
    expect(e.details).toEqual({ issues: [] });
    expect(e.cause).toBe(cause);
  });

  it('isKefuError recognises copies from another module instance by shape', () => {
    const foreign = Object.assign(new Error('x'), { name: 'KefuError', code: 'PACK_INVALID' });
    expect(isKefuError(foreign)).toBe(true);
    expect(isKefuError(new Error('x'))).toBe(false);
    expect(isKefuError({ name: 'KefuError', code: 'X' })).toBe(false);
  });

  it('every code has a catalogue entry', () => {
    for (const [code, text] of Object.entries(KEFU_ERROR_CODES)) {
      expect(code).toMatch(/^[A-Z_]+$/);
      expect(text.length).toBeGreaterThan(10);
    }
  });
});
