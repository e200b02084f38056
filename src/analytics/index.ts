export { turnLogRecordSchema, parseTurnLogLine, type TurnLogRecord, type ParsedLogLine } from './event.js';
export { createJsonlLogSink, DEFAULT_JSONL_SINK_OPTIONS, type JsonlLogSink, type JsonlLogSinkOptions } from './sink.js';
export { readLogEvents, type LogReadItem } from './read.js';
export {
  createConversationAggregator,
  summarizeConversations,
  summarizeLogFile,
  DEFAULT_SUMMARIZE_OPTIONS,
  type ConversationAggregator,
  type LogProgress,
  type SummarizeOptions,
  type SummarizeLogFileOptions,
} from './summarize.js';
export { mineUnanswered, DEFAULT_MINE_OPTIONS, type MineOptions, type UnansweredCluster, type UnansweredMessage } from './mine.js';
export type { AnalyticsReport, ShareCount, SkippedLine } from './report-types.js';
export { generateSyntheticLog, SYNTHETIC_UNANSWERED_GROUPS, type SyntheticLogOptions } from './synthetic.js';
