import { describe, expect, it } from 'vitest';
import type { IntentExample } from '../intent/index.js';
import { benchIntent } from './run-intent.js';

const phrases: Record<string, string[]> = {
  refund: ['i want a refund', 'refund my order', 'give me my money back', 'how do i get a refund', 'refund please', 'money back for this order'],
  track: ['where is my parcel', 'track my package', 'where is my order', 'has my parcel shipped', 'tracking number status', 'when will my package arrive'],
  greet: ['hello there', 'hi', 'good morning', 'hey', 'hello', 'hi there friend'],
};
const train: IntentExample[] = [
  ...Object.entries(phrases).flatMap(([intent, texts]) => texts.map((text) => ({ text, intent }))),
  { text: 'what is the capital of france', intent: null },
  { text: 'play some jazz music', intent: null },
];
const test: IntentExample[] = [
  { text: 'i would like a refund for my order', intent: 'refund' },
  { text: 'where is my package now', intent: 'track' },
  { text: 'hello good morning', intent: 'greet' },
  { text: 'who won the football game', intent: null },
];

describe('benchIntent', () => {
  it('returns the result shape of kefu bench --json', async () => {
    const r = await benchIntent({ train, test, language: 'en', warmup: 5, minLatencySamples: 50, seed: 3 });
    expect(r.intent.accuracy).toBeGreaterThanOrEqual(0);
    expect(r.intent.accuracy).toBeLessThanOrEqual(1);
    expect(r.intent.oos).toEqual({ precision: expect.any(Number), recall: expect.any(Number) });
    expect(Object.keys(r.intent.perIntent)).toEqual(expect.arrayContaining(['greet', 'refund', 'track']));
    expect(r.intent.rows).toBe(4);
    expect(r.intent.oosRows).toBe(1);
    expect(r.intent.decisions.accept + r.intent.decisions.clarify + r.intent.decisions.fallback).toBe(4);
    expect(r.latency.samples).toBe(50);
    expect(r.latency.p50Ms).toBeLessThanOrEqual(r.latency.p95Ms);
    expect(r.latency.p95Ms).toBeLessThanOrEqual(r.latency.p99Ms);
    expect(r.trainSeconds).toBeGreaterThanOrEqual(0);
    expect(r.modelBytes).toBeGreaterThan(100);
    expect(r.examples).toBe(train.length);
    expect(r.testExamples).toBe(4);
    expect(r.env.seed).toBe(3);
    expect(JSON.parse(JSON.stringify(r))).toEqual(r);
  });

  it('rejects an empty test set and conflicting options', async () => {
    await expect(benchIntent({ train, test: [] })).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    await expect(benchIntent({ train, test, seed: 1, trainOptions: { seed: 2 } })).rejects.toMatchObject({ code: 'INVALID_OPTION' });
    await expect(benchIntent({ train, test, warmup: -1 })).rejects.toMatchObject({ code: 'INVALID_OPTION' });
  });
});
