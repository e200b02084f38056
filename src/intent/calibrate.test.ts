import { describe, expect, it } from 'vitest';
import { createRandom } from '../internal/random.js';
import { fitTemperature, softmaxInto } from './calibrate.js';

function nll(logits: readonly Float64Array[], labels: readonly number[], t: number): number {
  let total = 0;
  for (let i = 0; i < logits.length; i++) {
    const z = logits[i] as Float64Array;
    const p = softmaxInto(z, t, new Float64Array(z.length));
    total -= Math.log(p[labels[i] as number] as number);
  }
  return total / logits.length;
}

function sample(seed: number, spread: number): { logits: Float64Array[]; labels: number[] } {
  const random = createRandom(seed);
  const logits: Float64Array[] = [];
  const labels: number[] = [];
  for (let i = 0; i < 400; i++) {
    const z = Float64Array.from({ length: 12 }, () => random() * spread);
    let top = 0;
    for (let k = 1; k < z.length; k++) if ((z[k] as number) > (z[top] as number)) top = k;
    labels.push(random() < 0.7 ? top : Math.floor(random() * z.length));
    logits.push(z);
  }
  return { logits, labels };
}

describe('fitTemperature', () => {
  it('finds the NLL minimum: no temperature on a fine grid does better', () => {
    for (const [seed, spread] of [
      [1, 1],
      [2, 5],
      [3, 30],
    ] as const) {
      const { logits, labels } = sample(seed, spread);
      const t = fitTemperature(logits, labels);
      const best = nll(logits, labels, t);
      for (let lt = Math.log(0.02); lt <= Math.log(50); lt += 0.01) {
        expect(nll(logits, labels, Math.exp(lt))).toBeGreaterThanOrEqual(best - 1e-9);
      }
      expect(fitTemperature(logits, labels)).toBe(t);
    }
  });

  it('stays inside [0.02, 50]: separable data gets the sharpest temperature, empty input 1', () => {
    expect(fitTemperature([Float64Array.of(1, 0), Float64Array.of(0, 2)], [0, 1])).toBeCloseTo(0.02, 4);
    const t = fitTemperature([Float64Array.of(3, 0), Float64Array.of(3, 0)], [1, 1]);
    expect(t).toBeCloseTo(50, 4);
    expect(fitTemperature([], [])).toBe(1);
  });
});
