import { describe, expect, it } from 'vitest';
import { checkRegexSafety } from './regex-safety.js';

describe('checkRegexSafety', () => {
  it.each(['(a+)+$', '(a|a)*b', '^(\\w+\\s?)*$', '(.*a){12}', '\\d+\\d+$', '(?:ab|ac)+', '.*.*x', '(x+x+)+y'])('rejects %s', (p) => {
    const r = checkRegexSafety(p, 'u');
    expect(r.safe).toBe(false);
    expect(r.reason).toBeTruthy();
  });

  it.each(['\\d(?: ?\\d){11,19}', '[A-Z]{2,3}\\d{10,15}', '(?:SF|JD)\\d{12}', '#?\\d{8,12}', '(a|b)*c', '[a-z]+\\d+', '\\s*,\\s*', '(?<y>\\d{4})-\\d{2}', '(?<![0-9])[0-9](?: ?[0-9]){11,19}(?![0-9])'])(
    'accepts %s',
    (p) => {
      expect(checkRegexSafety(p, 'u')).toEqual({ safe: true });
    },
  );

  it('throws SyntaxError for patterns that do not compile', () => {
    expect(() => checkRegexSafety('([a-z', 'u')).toThrow(SyntaxError);
    expect(() => checkRegexSafety('a++', 'u')).toThrow(SyntaxError);
  });
});
