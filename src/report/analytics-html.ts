import { KefuError } from '../errors.js';
import { describe } from '../internal/assert.js';
import type { AnalyticsReport } from '../analytics/index.js';
import { int, kpi, num, page, pct, section, table, text } from './html.js';
import { barChart, columnChart } from './svg.js';

const EMOTION_NAMES: Readonly<Record<string, string>> = {
  angry: '愤怒 angry',
  anxious: '焦急 anxious',
  dissatisfied: '不满 dissatisfied',
  satisfied: '满意 satisfied',
  neutral: '平静 neutral',
  none: '未标注 none',
};
const EMOTION_COLORS: Readonly<Record<string, string>> = { angry: '#d64541', anxious: '#d68a00', dissatisfied: '#b0709b', satisfied: '#228b54', neutral: '#7d8797', none: '#c3c9d2' };

/**
 * Renders an analytics report (from `summarizeLogFile` / `kefu report`) as one self-contained HTML page: headline
 * figures (独立解决率, handoff, fallback, satisfaction), volume by day, hour and channel as inline SVG charts, top
 * intents and FAQ entries, handoff reasons, emotions, and the unanswered-question clusters with examples. No
 * scripts, no external assets (a Content-Security-Policy forbids them); all text is escaped; the report's JSON is
 * embedded as `<script type="application/json" id="kefu-report-data">`. Throws `INVALID_INPUT` for a value that is not
 * an analytics report.
 *
 * @example
 * ```ts
 * await writeFile('report.html', renderAnalyticsHtml(await summarizeLogFile({ path: 'logs/bot.jsonl' })));
 * ```
 */
export function renderAnalyticsHtml(report: AnalyticsReport): string {
  if (typeof report !== 'object' || report === null || (report as { format?: unknown }).format !== 'kefu/analytics-report') {
    throw new KefuError('INVALID_INPUT', `renderAnalyticsHtml: expected a kefu/analytics-report object from summarizeLogFile, got ${describe(report)}.`, {
      got: describe(report),
    });
  }
  const r = report;
  const period = r.period.from === null ? 'no events' : `${text(r.period.from)} — ${text(r.period.to)}`;
  const subtitle = `${period} · ${int(r.totals.conversations)} conversations · ${int(r.totals.turns)} turns · time zone ${text(r.timeZone)}`;

  const kpis = `<div class="kpis">${[
    kpi('botOnlyResolution', '独立解决率 bot-only resolution', pct(r.rates.botOnlyResolution)),
    kpi('handoff', '转人工率 handoff rate', pct(r.rates.handoff)),
    kpi('fallback', '兜底率 fallback rate', pct(r.rates.fallback)),
    kpi('averageTurns', '平均轮次 average turns', num(r.rates.averageTurns, 2)),
    kpi('satisfaction', `满意度 satisfied (≥ ${r.satisfaction.satisfiedMin})`, pct(r.satisfaction.satisfiedShare)),
    kpi('meanRating', '平均评分 mean rating', num(r.satisfaction.mean, 2)),
    kpi('conversations', '会话 conversations', int(r.totals.conversations)),
    kpi('turns', '消息 turns', int(r.totals.turns)),
  ].join('')}</div>`;
  const notes = [
    ...(r.input.skipped > 0
      ? [`<p class="note" data-metric="skipped">${int(r.input.skipped)} of ${int(r.input.lines)} line(s) skipped: ${r.input.skippedSamples
          .slice(0, 5)
          .map((s) => `line ${s.line} (${text(s.reason, 80)})`)
          .join('; ')}${r.input.skipped > 5 ? '; …' : ''}</p>`]
      : []),
    ...r.approximations.notes.map((n) => `<p class="note">Approximate: ${text(n, 300)}</p>`),
  ].join('');

  const byDay = columnChart(r.volume.byDay.map((d) => ({ label: d.day.slice(5), value: d.turns })), { id: 'chart-by-day' });
  const byHour = columnChart(r.volume.byHour.map((h) => ({ label: String(h.hour), value: h.turns })), { id: 'chart-by-hour', labelEvery: 3 });
  const byChannel = barChart(
    r.volume.byChannel.map((c) => ({ label: c.channel, value: c.turns, display: `${int(c.turns)} turns · ${int(c.conversations)} conv.` })),
    { id: 'chart-by-channel' },
  );
  const shareBars = (id: string, items: AnalyticsReport['topIntents'], color?: string): string =>
    items.length === 0 ? '<p class="muted">none</p>' : barChart(items.map((i) => ({ label: i.name, value: i.count, display: `${int(i.count)} (${pct(i.share)})` })), { id, ...(color === undefined ? {} : { color }) });

  const emotionItems = Object.entries(r.emotions.counts).map(([k, v]) => ({ label: EMOTION_NAMES[k] ?? k, value: v, key: k }));
  const emotionTotal = emotionItems.reduce((s, e) => s + e.value, 0);
  const emotions = emotionItems
    .map((e) => barChart([{ label: e.label, value: e.value, display: `${int(e.value)} (${pct(emotionTotal === 0 ? 0 : e.value / emotionTotal)})` }], { id: `chart-emotion-${e.key}`, max: Math.max(1, ...emotionItems.map((x) => x.value)), color: EMOTION_COLORS[e.key] ?? '#3b7dd8' }))
    .join('');

  const satisfaction =
    r.satisfaction.ratings === 0
      ? '<p class="muted">no ratings logged</p>'
      : barChart(r.satisfaction.distribution.map((d) => ({ label: `${d.rating} ★`, value: d.count, display: int(d.count) })), { id: 'chart-ratings', color: '#d68a00' }) +
        `<p>${int(r.satisfaction.ratings)} ratings from ${int(r.satisfaction.ratedConversations)} conversations; response rate ${pct(r.satisfaction.responseRate)} of resolved conversations.</p>`;

  const clusters =
    r.unanswered.clusters.length === 0
      ? '<p class="muted">no recurring unanswered questions</p>'
      : table(
          ['#', 'candidate', 'messages', 'distinct', 'key terms', 'examples'],
          r.unanswered.clusters.map((c) => [
            String(c.rank),
            `<b>${text(c.label, 80)}</b><br><span class="muted">new ${c.suggestion === 'faq' ? 'FAQ entry' : 'intent'} · cohesion ${num(c.cohesion, 2)}</span>`,
            int(c.messages),
            int(c.distinct),
            text(c.terms.join(' · '), 80),
            c.examples.map((e) => `${text(e.text, 80)} <span class="muted">×${e.count}</span>`).join('<br>'),
          ]),
          [0, 2, 3],
        );

  const body = [
    section('概览 Overview', kpis + notes, { wide: true, id: 'overview' }),
    section('每日消息量 Turns per day', byDay, { id: 'volume-day' }),
    section('分时消息量 Turns per hour', byHour, { id: 'volume-hour' }),
    section('渠道 Channels', byChannel, { id: 'volume-channel' }),
    section('热门意图 Top intents', shareBars('chart-top-intents', r.topIntents), { id: 'top-intents' }),
    section('热门问答 Top FAQ entries', shareBars('chart-top-faq', r.topFaq, '#228b54'), { id: 'top-faq' }),
    section(
      '转人工原因 Handoff reasons',
      `<p>${int(r.handoff.conversations)} conversations handed off (${int(r.handoff.events)} handoff turns).</p>` + shareBars('chart-handoff-reasons', r.handoff.reasons, '#d64541'),
      { id: 'handoff' },
    ),
    section('满意度 Satisfaction', satisfaction, { id: 'satisfaction' }),
    section('情绪分布 Emotions', emotions + `<p>${int(r.emotions.angryConversations)} conversations with an angry turn.</p>`, { id: 'emotions' }),
    section(
      `未解决问题挖掘 Unanswered questions (${int(r.unanswered.messages)} messages, ${int(r.unanswered.distinct)} distinct)`,
      clusters,
      { wide: true, id: 'unanswered' },
    ),
  ].join('\n');
  return page('kefu 客服数据报告 · conversation analytics', subtitle, body, r);
}
