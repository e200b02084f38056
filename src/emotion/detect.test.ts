import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { createNormalizer } from '../text/index.js';
import { createEmotionDetector, DEFAULT_EMOTION_LEXICON, detectEmotion, EMOTION_LABELS, evaluateEmotion } from './index.js';

describe('detectEmotion', () => {
  it.each([
    ['气死我了，我要投诉！！！', 'angry'],
    ['都三天了怎么还没发货？？？', 'anxious'],
    ['质量太差了，有点失望', 'dissatisfied'],
    ['谢谢亲，很满意', 'satisfied'],
    ['我想修改收货地址', 'neutral'],
    ['This is the WORST service, I want a lawyer', 'angry'],
    ['I need it by tomorrow, please hurry', 'anxious'],
    ['not helpful at all', 'dissatisfied'],
    ['thanks, that worked', 'satisfied'],
    ['Do you ship to Canada?', 'neutral'],
  ] as const)('%s → %s', (text, label) => {
    expect(detectEmotion(text).label).toBe(label);
  });

  it('negation turns satisfaction into dissatisfaction and cancels negative cues', () => {
    const r = detectEmotion('我不是很满意');
    expect(r.label).toBe('dissatisfied');
    expect(r.cues[0]).toMatchObject({ label: 'dissatisfied', text: '很满意', negated: true });
    expect(detectEmotion('我不着急，慢慢来').label).toBe('neutral');
    expect(detectEmotion('I am not angry').label).toBe('neutral');
  });

  it('an A-not-A question (是不是) is not a negation', () => {
    expect(detectEmotion('你们是不是在耍我').label).toBe('angry');
  });

  it('intensifiers and post-intensifiers raise the cue weight', () => {
    const plain = detectEmotion('慢').cues;
    expect(plain).toEqual([]);
    const a = detectEmotion('很慢').cues[0]?.weight ?? 0;
    const b = detectEmotion('烦').cues[0]?.weight ?? 0;
    const c = detectEmotion('烦死了').cues[0]?.weight ?? 0;
    expect(a).toBeGreaterThan(0);
    expect(c).toBeGreaterThan(b);
    expect(detectEmotion('非常满意').scores.satisfied).toBeGreaterThan(detectEmotion('满意').scores.satisfied);
  });

  it('after a contrast word the later clause wins', () => {
    expect(detectEmotion('谢谢，但是还是太慢了').label).toBe('dissatisfied');
    expect(detectEmotion('thanks, but the delivery was too slow').label).toBe('dissatisfied');
  });

  it('repeated question marks read as anxiety; repeated exclamation marks strengthen the lead emotion', () => {
    const q = detectEmotion('到底什么时候发货？？？');
    expect(q.cues.map((c) => c.kind)).toContain('question');
    expect(q.label).toBe('anxious');
    const once = detectEmotion('谢谢').scores.satisfied;
    expect(detectEmotion('谢谢!!!').scores.satisfied).toBeGreaterThan(once);
    expect(detectEmotion('谢谢!!!').cues.find((c) => c.kind === 'exclamation')?.label).toBe('satisfied');
  });

  it('shouted words count as anger, acronyms and all-caps messages do not', () => {
    expect(detectEmotion('refund me NOW please').cues.some((c) => c.kind === 'shouting')).toBe(false); // 3 letters
    expect(detectEmotion('give it back RIGHT NOW').cues.filter((c) => c.kind === 'shouting')).toHaveLength(1);
    expect(detectEmotion('send it by DHL express please').cues).toEqual([]);
    expect(detectEmotion('WHERE IS THE INVOICE').cues).toEqual([]);
  });

  it('cue spans index the original text, also through full-width folding and a normaliser', () => {
    const text = '😀ＴＨＡＮＫＳ，非常滿意';
    const r = detectEmotion(text, { normalizer: createNormalizer() });
    expect(r.label).toBe('satisfied');
    for (const c of r.cues) expect(text.slice(c.start, c.end)).toBe(c.text);
    expect(r.cues.map((c) => c.text)).toEqual(['ＴＨＡＮＫＳ', '滿意']);
    // Without a normaliser the traditional 滿 is not folded.
    expect(detectEmotion('非常滿意').label).toBe('neutral');
  });

  it('scores sum to 1 and confidence is the score of the label', () => {
    const r = detectEmotion('急死了，快点发货');
    const sum = EMOTION_LABELS.reduce((s, l) => s + r.scores[l], 0);
    expect(sum).toBeCloseTo(1, 9);
    expect(r.confidence).toBe(r.scores[r.label]);
  });

  it('takes its lexicon as data', () => {
    const lexicon = { ...DEFAULT_EMOTION_LEXICON, complaint: { ...DEFAULT_EMOTION_LEXICON.complaint, 黑猫投诉: 2 } };
    expect(detectEmotion('我要去黑猫投诉', { lexicon }).cues[0]).toMatchObject({ kind: 'complaint', text: '黑猫投诉' });
    const empty = { ...DEFAULT_EMOTION_LEXICON, terms: { angry: {}, anxious: {}, dissatisfied: {}, satisfied: {} }, complaint: {} };
    expect(detectEmotion('气死了', { lexicon: empty }).label).toBe('neutral');
  });

  it('rejects bad options and input with codes', () => {
    expect(() => detectEmotion(42 as unknown as string)).toThrow(expect.objectContaining({ code: 'INVALID_INPUT' }));
    expect(() => detectEmotion('x', { neutralWeight: 0 })).toThrow(expect.objectContaining({ code: 'INVALID_OPTION' }));
    expect(() => detectEmotion('x', { contrastBoost: 0.5 })).toThrow(expect.objectContaining({ code: 'INVALID_OPTION' }));
    const bad = { ...DEFAULT_EMOTION_LEXICON, intensifiers: { 太: -1 }, negators: 'not' } as unknown as typeof DEFAULT_EMOTION_LEXICON;
    expect(() => createEmotionDetector({ lexicon: bad })).toThrow(expect.objectContaining({ code: 'INVALID_OPTION', details: expect.objectContaining({ issues: expect.arrayContaining([expect.stringContaining('intensifiers'), expect.stringContaining('negators')]) }) }));
    expect(() => evaluateEmotion([{ text: 'x', label: 'happy' as 'satisfied' }])).toThrow(expect.objectContaining({ code: 'INVALID_INPUT' }));
  });

  it('copes with empty, huge, control-character and broken-surrogate input', () => {
    expect(detectEmotion('')).toMatchObject({ label: 'neutral', confidence: 1, cues: [] });
    const huge = '气死了'.repeat(40_000);
    const r = detectEmotion(huge);
    expect(r.label).toBe('angry');
    expect(r.cues.every((c) => c.end <= 20_000)).toBe(true);
    expect(detectEmotion('\u0000\u0007\ud800谢谢\udfff\u200b').label).toBe('satisfied');
  });

  const detector = createEmotionDetector({ normalizer: createNormalizer() });
  test.prop([fc.string({ unit: 'binary', maxLength: 200 })])('never throws; spans slice the original; scores are a distribution', (text) => {
    const r = detector.detect(text);
    expect(EMOTION_LABELS).toContain(r.label);
    const sum = EMOTION_LABELS.reduce((s, l) => s + r.scores[l], 0);
    expect(sum).toBeCloseTo(1, 9);
    for (const c of r.cues) {
      expect(c.start).toBeLessThanOrEqual(c.end);
      expect(text.slice(c.start, c.end)).toBe(c.text);
    }
  });
});
