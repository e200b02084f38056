import { describe, expect, it } from 'vitest';
import { summarizeConversations, summarizeLogFile, type AnalyticsReport } from '../analytics/index.js';
import type { PredictionRow } from '../bench/index.js';
import { findChromium, renderInChromium } from './chromium.js';
import { buildReliabilityBins, confusionMatrix, latencyHistogram, renderAnalyticsHtml, renderBenchHtml, type BenchReportInput } from './index.js';

const chromium = findChromium();
if (chromium === null) {
  // Visible in the test output so a skipped browser check is never silent.
  process.stderr.write('report tests: no chromium binary found (set KEFU_CHROMIUM or apt-get install chromium); browser checks skipped\n');
}

/** The text of the element carrying `data-metric="id"`, tags stripped. */
const metric = (dom: string, id: string): string | undefined => {
  const m = new RegExp(`data-metric="${id}"[^>]*>([\\s\\S]*?)</(?:div|p)>`).exec(dom);
  return m?.[1]?.replace(/<[^>]+>/g, '|');
};
const count = (dom: string, needle: string): number => dom.split(needle).length - 1;

const rows: PredictionRow[] = [
  ...Array.from({ length: 8 }, (_, i) => ({ gold: 'refund', predicted: 'refund', confidence: 0.91 + i * 0.01 })),
  { gold: 'refund', predicted: 'return_goods', confidence: 0.55 },
  ...Array.from({ length: 6 }, () => ({ gold: 'return_goods', predicted: 'return_goods', confidence: 0.72 })),
  { gold: 'return_goods', predicted: null, confidence: 0.31, top: 'return_goods' },
  { gold: null, predicted: null, confidence: 0.2, top: 'refund' },
  { gold: null, predicted: 'refund', confidence: 0.62 },
];

const benchInput = (): BenchReportInput => ({
  dataset: 'ecommerce-zh <pack>',
  generatedAt: '2026-11-21T00:00:00.000Z',
  summary: { accuracy: 0.875, macroF1: 0.8667, ece: 0.0712, testExamples: 18, overallAccuracy: 0.8333, oosRecall: 0.5 },
  perIntent: [
    { name: 'refund', f1: 0.8421, precision: 0.8, recall: 0.8889, support: 9 },
    { name: 'return_goods', f1: 0.8571, precision: 0.8571, recall: 0.8571, support: 7 },
  ],
  confusion: confusionMatrix(rows),
  reliability: buildReliabilityBins(rows),
  latency: { p50Ms: 0.041, p95Ms: 0.088, p99Ms: 0.153, samples: 1000, histogram: latencyHistogram(Array.from({ length: 1000 }, (_, i) => 0.03 + (i % 97) / 1000)) },
  sideBySide: [
    { dataset: 'ecommerce-zh pack', metric: 'accuracy', kefu: 0.918, nlpjs: 0.612 },
    { dataset: 'ecommerce-zh pack', metric: 'p95 latency', kefu: 0.09, nlpjs: 0.36, unit: 'ms' },
  ],
});

describe('bench report helpers', () => {
  it('builds reliability bins like the bench ECE (top-ranked intent counts)', () => {
    const bins = buildReliabilityBins(rows);
    expect(bins).toHaveLength(10);
    expect(bins[9]).toMatchObject({ lower: 0.9, upper: 1, count: 8, accuracy: 1 });
    expect(bins[9]?.confidence).toBeCloseTo(0.945, 10);
    expect(bins[7]).toMatchObject({ count: 6, accuracy: 1 });
    expect(bins[3]).toMatchObject({ count: 1, accuracy: 1 }); // declined, but its top intent was right
    expect(bins[2]).toMatchObject({ count: 1, accuracy: 0 });
    expect(bins[0]).toMatchObject({ count: 0, accuracy: 0, confidence: 0.05 });
    expect(bins.reduce((s, b) => s + b.count, 0)).toBe(rows.length);
    expect(() => buildReliabilityBins(rows, { bins: 0 })).toThrow(expect.objectContaining({ code: 'INVALID_OPTION' }));
    expect(() => buildReliabilityBins([{ gold: 'a', predicted: 'a', confidence: 2 }])).toThrow(expect.objectContaining({ code: 'INVALID_INPUT' }));
  });

  it('builds the full confusion matrix with (none) first, and a latency histogram', () => {
    const m = confusionMatrix(rows);
    expect(m.labels).toEqual(['(none)', 'refund', 'return_goods']);
    expect(m.counts).toEqual([
      [1, 1, 0],
      [0, 8, 1],
      [1, 0, 6],
    ]);
    const h = latencyHistogram([0.1, 0.2, 0.2, 0.9], { bins: 4 });
    expect(h.map((b) => b.count)).toEqual([3, 0, 0, 1]);
    expect(h[0]?.startMs).toBeCloseTo(0.1, 10);
    expect(latencyHistogram([])).toEqual([]);
  });

  it('rejects malformed input with INVALID_INPUT and lists the problems', () => {
    const bad = { ...benchInput(), confusion: { labels: ['a', 'b'], counts: [[1]] }, summary: { accuracy: 'x' } } as unknown as BenchReportInput;
    expect(() => renderBenchHtml(bad)).toThrow(expect.objectContaining({ code: 'INVALID_INPUT', details: { issues: expect.arrayContaining([expect.stringContaining('confusion')]) } }));
    expect(() => renderAnalyticsHtml({} as AnalyticsReport)).toThrow(expect.objectContaining({ code: 'INVALID_INPUT' }));
  });

  it('pages are self-contained: no external URL, no executable script, escaped text', () => {
    const html = renderBenchHtml(benchInput());
    expect(html).not.toMatch(/(?:src|href)=["']?(?:https?:)?\/\//);
    expect(html).not.toMatch(/<script(?![^>]*type="application\/json")/);
    expect(html).toContain('ecommerce-zh &lt;pack&gt;');
    const data = /<script type="application\/json" id="kefu-report-data">([\s\S]*?)<\/script>/.exec(html)?.[1] ?? '';
    expect(JSON.parse(data)).toEqual(JSON.parse(JSON.stringify(benchInput())));
  });
});

describe.skipIf(chromium === null)('HTML reports in headless Chromium (network disabled)', () => {
  const binary = chromium as string;

  it('the helper does catch console errors (a blocked external image)', async () => {
    const r = await renderInChromium('<!DOCTYPE html><html><head><meta http-equiv="Content-Security-Policy" content="default-src \'none\'"></head><body><img src="https://example.com/x.png"></body></html>', { binary });
    expect(r.console.length).toBeGreaterThan(0);
    expect(r.console.join('\n')).toContain('Content Security Policy');
  });

  it('analytics page: renders without console messages and shows the fixture figures', async () => {
    const report = await summarizeLogFile({ path: 'fixtures/analytics/known.jsonl' });
    const r = await renderInChromium(renderAnalyticsHtml(report), { binary });
    expect(r.console).toEqual([]);
    expect(metric(r.dom, 'botOnlyResolution')).toContain('40.0%');
    expect(metric(r.dom, 'handoff')).toContain('60.0%');
    expect(metric(r.dom, 'fallback')).toContain('21.4%');
    expect(metric(r.dom, 'averageTurns')).toContain('2.80');
    expect(metric(r.dom, 'satisfaction')).toContain('50.0%');
    expect(metric(r.dom, 'meanRating')).toContain('3.50');
    expect(metric(r.dom, 'conversations')).toContain('5');
    expect(metric(r.dom, 'skipped')).toContain('5 of 20 line(s) skipped');
    for (const id of ['chart-by-day', 'chart-by-hour', 'chart-by-channel', 'chart-top-intents', 'chart-top-faq', 'chart-handoff-reasons', 'chart-ratings', 'chart-emotion-angry']) {
      expect(r.dom).toContain(`id="${id}"`);
    }
    expect(count(r.dom, '<g class="col">')).toBe(2 + 24);
    expect(r.dom).toContain('order.track: 2 (28.6%)');
    expect(r.dom).toContain('user_request: 1 (33.3%)');
    expect(r.dom).toContain('发票能开专票吗');
  });

  it('analytics page: hostile text is shown as text', async () => {
    const base = JSON.parse(
      '{"type":"turn","session":"x","turn":1,"time":"2026-11-21T00:00:00Z","channel":"<img src=x onerror=alert(1)>","user":null,"text":"</script><script>alert(1)</script>","intent":"<b>bold</b>","confidence":0.1,"decision":"fallback","faq":null,"flow":null,"slotsFilled":[],"completed":null,"resolved":false,"handoff":null,"emotion":null,"rating":null}',
    );
    const report = summarizeConversations([base, { ...base, turn: 2 }], { timeZone: 'UTC' });
    const r = await renderInChromium(renderAnalyticsHtml(report), { binary });
    expect(r.console).toEqual([]);
    expect(r.dom).not.toContain('<b>bold</b>');
    expect(r.dom).toContain('&lt;b&gt;bold&lt;/b&gt;');
    expect(r.dom).not.toMatch(/<img/);
    expect(count(r.dom, '<script')).toBe(1);
  });

  it('bench page: renders without console messages and shows every figure', async () => {
    const r = await renderInChromium(renderBenchHtml(benchInput()), { binary });
    expect(r.console).toEqual([]);
    expect(metric(r.dom, 'accuracy')).toContain('87.5%');
    expect(metric(r.dom, 'macroF1')).toContain('86.7%');
    expect(metric(r.dom, 'ece')).toContain('0.071');
    expect(metric(r.dom, 'latency')).toContain('p50 0.041 ms · p95 0.088 ms · p99 0.153 ms over 1,000 messages');
    expect(count(r.dom, '<g class="bar">')).toBe(2);
    expect(r.dom).toContain('refund: 84.2% (n=9)');
    expect(count(r.dom, '<g class="cell"')).toBe(6);
    expect(r.dom).toMatch(/data-gold="refund" data-predicted="return_goods" data-count="1"/);
    expect(count(r.dom, '<g class="bin"')).toBe(6);
    expect(count(r.dom, '<g class="hbin">')).toBe(30);
    expect(count(r.dom, '<g class="mark">')).toBe(3);
    expect(r.dom).toContain('<td class="n">1.50×</td>');
    expect(r.dom).toContain('<td class="n">0.25×</td>');
  });
});
