// Streaming check of `kefu report`: writes a synthetic conversation log of about N events (default 1,000,000) to a
// temp file, summarises it in one pass, and prints events/s and peak RSS. Not a unit test: it takes a while.
//   npx tsx bench/report-stream.ts [--events N] [--keep]
import { createWriteStream } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { generateSyntheticLog, summarizeLogFile } from '../src/index.js';

const { values } = parseArgs({ options: { events: { type: 'string', default: '1000000' }, keep: { type: 'boolean', default: false } } });
const target = Number(values.events);
if (!Number.isInteger(target) || target < 1) {
  console.error(`--events must be a positive integer, got ${values.events}`);
  process.exit(2);
}
const dir = await mkdtemp(join(tmpdir(), 'kefu-report-stream-'));
const path = join(dir, 'log.jsonl');
const out = createWriteStream(path);
let written = 0;
const t0 = performance.now();
// About 3.9 events per conversation; generate until the target is reached.
for (const event of generateSyntheticLog({ conversations: Math.ceil(target / 3.5), seed: 42 })) {
  if (written >= target) break;
  if (!out.write(`${JSON.stringify(event)}\n`)) await new Promise<void>((resolve) => out.once('drain', () => resolve()));
  written += 1;
}
await new Promise<void>((resolve, reject) => out.end((e?: Error | null) => (e ? reject(e) : resolve())));
const bytes = (await stat(path)).size;
console.error(`wrote ${written.toLocaleString('en-US')} events (${(bytes / 2 ** 20).toFixed(0)} MiB) in ${((performance.now() - t0) / 1000).toFixed(1)} s`);

const rssBefore = process.memoryUsage().rss;
const t1 = performance.now();
let lastShare = -1;
const report = await summarizeLogFile({
  path,
  onProgress: (p) => {
    const share = Math.floor((10 * p.bytesRead) / p.totalBytes);
    if (share !== lastShare) {
      lastShare = share;
      process.stderr.write(`\r${share * 10}% `);
    }
  },
});
const seconds = (performance.now() - t1) / 1000;
const peakRss = process.resourceUsage().maxRSS * 1024;
console.error('');
console.log(
  JSON.stringify(
    {
      events: report.input.events,
      skipped: report.input.skipped,
      conversations: report.totals.conversations,
      seconds: Math.round(seconds * 10) / 10,
      eventsPerSecond: Math.round(report.input.events / seconds),
      fileMiB: Math.round(bytes / 2 ** 20),
      rssBeforeMiB: Math.round(rssBefore / 2 ** 20),
      peakRssMiB: Math.round(peakRss / 2 ** 20),
      exact: report.approximations.exact,
      unansweredClusters: report.unanswered.clusters.length,
      topCluster: report.unanswered.clusters[0]?.label ?? null,
      botOnlyResolution: Math.round(report.rates.botOnlyResolution * 1e4) / 1e4,
    },
    null,
    2,
  ),
);
if (values.keep) console.error(`log kept at ${path}`);
else await rm(dir, { recursive: true, force: true });
