import { writeFile } from 'node:fs/promises';
import { renderAnalyticsHtml, summarizeLogFile, type AnalyticsReport, type LogProgress } from '../index.js';
import { EXIT_FINDINGS, EXIT_OK, UsageError, parseCliArgs } from './common.js';

/**
 * `kefu report --logs FILE [--html OUT] [--json] [--tz ZONE]`: summarises a JSONL conversation log in one streaming
 * pass. Prints a text summary (or the report JSON with --json) on stdout, writes the HTML page with --html, and shows
 * a progress bar on stderr when it is a terminal. Exit 0, 1 when lines were skipped (the report is still written),
 * 2 for bad arguments or an unreadable log.
 */
export async function reportCommand(args: string[]): Promise<number> {
  const { values, positionals } = parseCliArgs(args, {
    logs: { type: 'string' },
    html: { type: 'string' },
    json: { type: 'boolean', default: false },
    tz: { type: 'string', default: 'Asia/Shanghai' },
  });
  if (typeof values.logs !== 'string' || values.logs === '') throw new UsageError('report needs --logs FILE (a JSONL conversation log)');
  if (positionals.length > 0) throw new UsageError(`report takes no positional arguments, got "${positionals[0]}"`);
  try {
    new Intl.DateTimeFormat('en', { timeZone: values.tz });
  } catch {
    throw new UsageError(`--tz must be an IANA time zone such as Asia/Shanghai, got "${values.tz}"`);
  }
  const tty = process.stderr.isTTY === true;
  const started = performance.now();
  const onProgress = (p: LogProgress): void => {
    if (!tty) return;
    const share = p.totalBytes === 0 ? 1 : Math.min(1, p.bytesRead / p.totalBytes);
    const width = 30;
    const done = Math.round(share * width);
    process.stderr.write(`\r[${'#'.repeat(done)}${'.'.repeat(width - done)}] ${(share * 100).toFixed(0).padStart(3)}% ${p.lines.toLocaleString('en-US')} lines`);
  };
  const report = await summarizeLogFile({ path: values.logs, timeZone: values.tz, onProgress });
  if (tty) process.stderr.write('\n');
  if (values.html !== undefined) {
    await writeFile(values.html, renderAnalyticsHtml(report));
  }
  if (values.json) process.stdout.write(`${JSON.stringify(report)}\n`);
  else process.stdout.write(summaryText(report));
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  for (const s of report.input.skippedSamples) process.stderr.write(`kefu: ${values.logs}:${s.line}: skipped: ${s.reason}\n`);
  if (report.input.skipped > report.input.skippedSamples.length) {
    process.stderr.write(`kefu: … and ${report.input.skipped - report.input.skippedSamples.length} more skipped line(s)\n`);
  }
  process.stderr.write(`kefu: ${report.input.events} events in ${seconds}s${values.html === undefined ? '' : ` → ${values.html}`}\n`);
  return report.input.skipped > 0 ? EXIT_FINDINGS : EXIT_OK;
}

function summaryText(r: AnalyticsReport): string {
  const pct = (x: number | null): string => (x === null ? '—' : `${(100 * x).toFixed(1)}%`);
  const lines = [
    `period          ${r.period.from ?? '—'} — ${r.period.to ?? '—'} (${r.timeZone})`,
    `conversations   ${r.totals.conversations}   turns ${r.totals.turns}   average turns ${r.rates.averageTurns.toFixed(2)}`,
    `独立解决率      ${pct(r.rates.botOnlyResolution)}   handoff ${pct(r.rates.handoff)}   fallback ${pct(r.rates.fallback)}`,
    `satisfaction    ${pct(r.satisfaction.satisfiedShare)} (≥ ${r.satisfaction.satisfiedMin}, ${r.satisfaction.ratings} ratings, mean ${r.satisfaction.mean === null ? '—' : r.satisfaction.mean.toFixed(2)})`,
    `top intents     ${r.topIntents.map((i) => `${i.name} ${i.count}`).join(', ') || '—'}`,
    `top FAQ         ${r.topFaq.map((i) => `${i.name} ${i.count}`).join(', ') || '—'}`,
    `handoff reasons ${r.handoff.reasons.map((i) => `${i.name} ${i.count}`).join(', ') || '—'}`,
    `emotions        ${Object.entries(r.emotions.counts).map(([k, v]) => `${k} ${v}`).join(', ')}`,
    `unanswered      ${r.unanswered.messages} messages, ${r.unanswered.clusters.length} candidate group(s):`,
    ...r.unanswered.clusters.map((c) => `  ${c.rank}. [${c.suggestion}] ${c.label} — ${c.messages} messages, e.g. ${c.examples.slice(0, 3).map((e) => e.text).join(' / ')}`),
    ...r.approximations.notes.map((n) => `note: ${n}`),
  ];
  return `${lines.join('\n')}\n`;
}
