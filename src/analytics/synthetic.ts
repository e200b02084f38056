import { checkOption, assertOptions } from '../internal/assert.js';
import { createRandom } from '../internal/random.js';
import type { TurnLogRecord } from './event.js';

/**
 * Question groups planted among the unanswered messages of {@link generateSyntheticLog}: each is a topic the
 * knowledge base lacks, phrased several ways the way customers do (variants share the topic's key words, as real
 * repeats of one question do). Mining should recover each group as one cluster.
 */
export const SYNTHETIC_UNANSWERED_GROUPS: Readonly<Record<string, readonly string[]>> = {
  专票: ['能开专票吗', '可以开增值税专用发票吗', '专票怎么开', '我需要开专票', '公司报销要开专票可以吗', '增值税专票能开吗'],
  海外直邮: ['你们能寄到海外吗', '可以发海外吗', '海外能发货吗', '支持海外直邮吗', '寄海外要多久', '海外直邮运费多少'],
  以旧换新: ['有以旧换新活动吗', '以旧换新怎么参加', '以旧换新能抵多少钱', '手机以旧换新流程', '以旧换新可以线上办吗'],
  预约安装: ['空调可以预约安装吗', '怎么预约上门安装', '预约安装要收费吗', '安装可以预约周末吗', '能改预约安装时间吗'],
  giftWrap: ['do you offer gift wrapping', 'can you gift wrap my order', 'is gift wrapping available', 'gift wrapping option?', 'how much is gift wrapping'],
  installments: ['can I pay in installments', 'do you have installment plans', 'installment payment options?', 'pay by installments possible?', 'installments with credit card'],
};

/** Options of {@link generateSyntheticLog}. */
export interface SyntheticLogOptions {
  /** Conversations to generate (each 1–6 turns). */
  readonly conversations: number;
  /** PRNG seed (default 7). */
  readonly seed?: number;
  /** Time of the first turn (default `2026-11-01T00:00:00.000Z`); conversations follow every few seconds. */
  readonly start?: string;
  /** Share of conversations that contain a planted unanswered question (default 0.15). */
  readonly plantedShare?: number;
}

const CHANNELS = ['web', 'app', 'wechat', 'miniprogram'] as const;
const INTENTS = ['order.track', 'return_goods', 'refund', 'shipping', 'invoice', 'coupon', 'address.change', 'payment'] as const;
const FAQS = ['shipping_time', 'return_policy', 'refund_time', 'invoice_how', 'coupon_use', 'cod'] as const;
const PREFIXES = ['', '', '请问', '亲，', '你好，', '在吗，'] as const;
/** One-off chatter is built from random picks of these, so it rarely repeats and shares no planted topic. */
const NOISE_HAN =
  '今天天气真好你是机器人吗讲个笑话听听我家猫咪午饭吃什么周末去哪玩股票涨了足球比赛电影好看老板在不在哈哈嗯嗯测试一下随便问问' +
  '春夏秋冬山水花鸟风云雷电江河湖海日月星辰东南西北红黄蓝绿黑白金银铜铁书画琴棋诗酒茶米面油盐酱醋糖牛羊鸡鸭鱼虾蟹';
const NOISE_EN = ['hello', 'weather', 'music', 'robot', 'lol', 'joke', 'movie', 'lunch', 'football', 'stocks', 'weekend', 'cat', 'test', 'random', 'song', 'who', 'tell', 'guitar', 'pizza', 'rain', 'sunny', 'dance', 'coffee', 'tea', 'beach', 'mountain', 'river', 'game', 'chess', 'poem', 'novel', 'bike', 'train', 'plane', 'city', 'park', 'garden', 'flower', 'bird', 'dog'] as const;

/**
 * A deterministic synthetic conversation log for load tests, demos and the clustering check: conversations over
 * four channels with intents, FAQ answers, flows, fallbacks, handoffs, emotions and ratings, and planted unanswered
 * question groups ({@link SYNTHETIC_UNANSWERED_GROUPS}) among random one-off noise. Lazy: a million events cost no
 * memory until consumed.
 *
 * @example
 * ```ts
 * const report = summarizeConversations(generateSyntheticLog({ conversations: 1000 }), { timeZone: 'UTC' });
 * ```
 */
export function* generateSyntheticLog(options: SyntheticLogOptions): Generator<TurnLogRecord> {
  assertOptions(options, 'generateSyntheticLog');
  const n = options?.conversations;
  checkOption(Number.isInteger(n) && n >= 0, 'generateSyntheticLog', 'conversations', n, 'a non-negative integer');
  const seed = options.seed ?? 7;
  checkOption(Number.isInteger(seed), 'generateSyntheticLog', 'seed', seed, 'an integer');
  const startMs = Date.parse(options.start ?? '2026-11-01T00:00:00.000Z');
  checkOption(!Number.isNaN(startMs), 'generateSyntheticLog', 'start', options.start, 'an ISO 8601 date-time');
  const planted = options.plantedShare ?? 0.15;
  checkOption(typeof planted === 'number' && planted >= 0 && planted <= 1, 'generateSyntheticLog', 'plantedShare', planted, 'a number in [0, 1]');
  const random = createRandom(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)] as T;
  const groups = Object.values(SYNTHETIC_UNANSWERED_GROUPS);
  const noise = (): string => {
    if (random() < 0.5) return Array.from({ length: 2 + Math.floor(random() * 3) }, () => pick(NOISE_EN)).join(' ');
    const chars = [...NOISE_HAN];
    return Array.from({ length: 3 + Math.floor(random() * 5) }, () => pick(chars)).join('');
  };
  let clock = startMs;
  for (let c = 0; c < n; c++) {
    clock += Math.floor(random() * 6000);
    const session = `c${seed}-${c}`;
    const channel = pick(CHANNELS);
    const turns = 1 + Math.floor(random() * 6);
    const plantedTurn = random() < planted ? Math.floor(random() * turns) : -1;
    const handoffAt = random() < 0.12 ? turns - 1 : -1;
    let resolved = false;
    let t = clock;
    for (let k = 0; k < turns; k++) {
      t += 5000 + Math.floor(random() * 60_000);
      const base = {
        type: 'turn' as const,
        session,
        turn: k + 1,
        time: new Date(t).toISOString(),
        channel,
        user: `u${c % 5000}`,
        flow: null,
        slotsFilled: [] as string[],
        completed: null,
        rating: null,
      };
      if (k === plantedTurn) {
        const text = `${pick(PREFIXES)}${pick(pick(groups))}`;
        yield { ...base, text, intent: null, confidence: round(random() * 0.3), decision: random() < 0.8 ? 'fallback' : 'no_answer', faq: null, resolved: false, handoff: null, emotion: 'neutral' };
        continue;
      }
      if (k === handoffAt) {
        yield { ...base, text: '转人工', intent: 'human', confidence: 0.97, decision: 'handoff', faq: null, resolved: false, handoff: { reason: pick(['user_request', 'angry', 'repeated_fallback']) }, emotion: pick(['angry', 'dissatisfied', 'neutral']) };
        continue;
      }
      const roll = random();
      if (roll < 0.05) {
        yield { ...base, text: noise(), intent: null, confidence: round(random() * 0.3), decision: 'fallback', faq: null, resolved: false, handoff: null, emotion: 'neutral' };
      } else if (roll < 0.45) {
        const faq = pick(FAQS);
        resolved = true;
        yield { ...base, text: `关于${faq}的问题`, intent: null, confidence: round(0.6 + random() * 0.4), decision: 'faq', faq, resolved: true, handoff: null, emotion: pick(['neutral', 'neutral', 'satisfied', 'anxious']) };
      } else {
        const intent = pick(INTENTS);
        const done = random() < 0.3;
        if (done) resolved = true;
        yield {
          ...base,
          text: `我想办理${intent}`,
          intent,
          confidence: round(0.5 + random() * 0.5),
          decision: 'accept',
          faq: null,
          flow: intent,
          slotsFilled: done ? ['order_id'] : [],
          completed: done ? intent : null,
          resolved: done,
          handoff: null,
          emotion: pick(['neutral', 'neutral', 'anxious', 'dissatisfied', 'angry', 'satisfied']),
        };
      }
    }
    if (resolved && handoffAt < 0 && random() < 0.4) {
      t += 3000;
      yield {
        type: 'turn',
        session,
        turn: turns + 1,
        time: new Date(t).toISOString(),
        channel,
        user: `u${c % 5000}`,
        text: '',
        intent: null,
        confidence: 0,
        decision: 'rating',
        faq: null,
        flow: null,
        slotsFilled: [],
        completed: null,
        resolved: false,
        handoff: null,
        emotion: null,
        rating: 1 + Math.floor(random() * 5),
      };
    }
  }
}

function round(x: number): number {
  return Math.round(x * 1e3) / 1e3;
}
