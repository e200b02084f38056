export { renderAnalyticsHtml } from './analytics-html.js';
export {
  renderBenchHtml,
  benchReportInputFromResult,
  buildReliabilityBins,
  confusionMatrix,
  latencyHistogram,
  NONE_LABEL,
  type BenchReportInput,
  type LatencyBin,
  type ReliabilityBin,
  type SideBySideRow,
} from './bench-html.js';
