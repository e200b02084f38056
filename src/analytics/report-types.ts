import type { EmotionLabel } from '../emotion/index.js';
import type { UnansweredCluster } from './mine.js';

/** A line of the log that was not used, and why (1-based line number). */
export interface SkippedLine {
  readonly line: number;
  readonly reason: string;
}

/** A named count with its share of the whole (0–1). */
export interface ShareCount {
  readonly name: string;
  readonly count: number;
  readonly share: number;
}

/**
 * The analytics report of a conversation log (`kefu report --json` prints it; `renderAnalyticsHtml` draws it).
 * Every rate is a number in [0, 1] (0 when its denominator is 0). docs/analytics.md defines each figure.
 */
export interface AnalyticsReport {
  readonly format: 'kefu/analytics-report';
  readonly formatVersion: 1;
  /** IANA zone used for days and hours. */
  readonly timeZone: string;
  /** Earliest and latest event time (ISO, as logged); null without events. */
  readonly period: { readonly from: string | null; readonly to: string | null };
  readonly input: {
    /** Lines read, blank lines included. */
    readonly lines: number;
    readonly events: number;
    readonly skipped: number;
    /** The first skipped lines (at most 20) with their reasons. */
    readonly skippedSamples: readonly SkippedLine[];
  };
  readonly totals: {
    readonly turns: number;
    readonly conversations: number;
    /** Conversations with at least one resolved turn (with or without handoff). */
    readonly resolvedConversations: number;
    /** Conversations resolved with no handoff: the numerator of the bot-only resolution rate. */
    readonly botOnlyResolvedConversations: number;
    readonly handoffConversations: number;
    readonly fallbackTurns: number;
    readonly unansweredTurns: number;
  };
  readonly rates: {
    /** 独立解决率: botOnlyResolvedConversations / conversations. */
    readonly botOnlyResolution: number;
    /** handoffConversations / conversations. */
    readonly handoff: number;
    /** Turns whose decision is a fallback / turns. */
    readonly fallback: number;
    /** Turns whose decision is a fallback or no-answer / turns (the messages mined below). */
    readonly unanswered: number;
    /** turns / conversations. */
    readonly averageTurns: number;
  };
  readonly volume: {
    readonly byDay: readonly { readonly day: string; readonly turns: number; readonly conversations: number }[];
    /** Always 24 entries, hour 0–23 in `timeZone`. */
    readonly byHour: readonly { readonly hour: number; readonly turns: number }[];
    readonly byChannel: readonly { readonly channel: string; readonly turns: number; readonly conversations: number }[];
  };
  /** Most frequent intents over turns with an intent; share of those turns. */
  readonly topIntents: readonly ShareCount[];
  /** Most frequent FAQ answers over turns with an FAQ id; share of those turns. */
  readonly topFaq: readonly ShareCount[];
  readonly handoff: {
    readonly conversations: number;
    /** Turns that carried a handoff. */
    readonly events: number;
    /** By reason, over handoff events. */
    readonly reasons: readonly ShareCount[];
  };
  readonly satisfaction: {
    readonly ratings: number;
    readonly mean: number | null;
    readonly distribution: readonly { readonly rating: number; readonly count: number }[];
    /** Share of ratings at or above `satisfiedMin`; null without ratings. */
    readonly satisfiedShare: number | null;
    readonly satisfiedMin: number;
    readonly ratedConversations: number;
    /** ratedConversations / resolvedConversations (how often a resolved customer answered the rating question). */
    readonly responseRate: number;
  };
  readonly emotions: {
    /** Turns per detected label; `none` counts turns logged without an emotion. */
    readonly counts: Readonly<Record<EmotionLabel | 'none', number>>;
    /** Conversations with at least one angry turn. */
    readonly angryConversations: number;
  };
  readonly unanswered: {
    readonly messages: number;
    readonly distinct: number;
    readonly clusters: readonly UnansweredCluster[];
  };
  /** What in this report is approximate; all zero / exact when the log fitted the bounds. */
  readonly approximations: {
    readonly exact: boolean;
    /** Sessions evicted from the bounded session table before the log ended (see `maxSessions`). */
    readonly evictedSessions: number;
    /** Estimated evicted sessions that came back later and were counted again as new conversations. */
    readonly reappearedSessions: number;
    /** Distinct unanswered texts forgotten (see `maxUnanswered`). */
    readonly droppedUnanswered: number;
    /** Largest count a bounded top-k counter forgot; counts in top lists may be low by at most this. */
    readonly counterErrorBound: number;
    readonly notes: readonly string[];
  };
}
