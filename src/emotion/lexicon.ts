/** The five emotions kefu recognises in a customer message. */
export type EmotionLabel = 'angry' | 'anxious' | 'dissatisfied' | 'satisfied' | 'neutral';

/** The labels in a fixed order (reports and score objects use it). */
export const EMOTION_LABELS: readonly EmotionLabel[] = ['angry', 'anxious', 'dissatisfied', 'satisfied', 'neutral'];

/** A label a lexicon term can point at: every emotion except `neutral`, which is what is left when no cue fires. */
export type EmotionCueLabel = Exclude<EmotionLabel, 'neutral'>;

/**
 * The language data of the emotion detector. Terms are matched on folded text (full-width → half-width, Latin
 * lower-case), longest match first. A Latin term ending in `*` matches as a word prefix (`disappoint*` matches
 * "disappointed"); other Latin terms match whole words. Weights are summed per label.
 */
export interface EmotionLexicon {
  /** Phrases that signal a label, with their weight (1 is a clear single cue). */
  readonly terms: Readonly<Record<EmotionCueLabel, Readonly<Record<string, number>>>>;
  /** Escalation words (投诉, 12315, lawyer): they count towards `angry` and are reported with `kind: 'complaint'`. */
  readonly complaint: Readonly<Record<string, number>>;
  /** Words just before a term that strengthen it, with their multiplier (太, 非常, very). */
  readonly intensifiers: Readonly<Record<string, number>>;
  /** Words just after a term that strengthen it (死了, 极了), with their multiplier. */
  readonly postIntensifiers: Readonly<Record<string, number>>;
  /** Words just before a term that negate it (不, 没, not). */
  readonly negators: readonly string[];
  /** Contrast words (但是, but): cues after one weigh more than cues before it. */
  readonly contrast: readonly string[];
  /** Upper-case Latin words that are not shouting (SF, OK, FAQ). */
  readonly acronyms: readonly string[];
}

/**
 * The bundled Chinese + English lexicon, written for kefu from customer-service phrasing. Pass your own (or a
 * modified copy) through `detectEmotion(text, { lexicon })`.
 *
 * @example
 * ```ts
 * const lexicon = { ...DEFAULT_EMOTION_LEXICON, complaint: { ...DEFAULT_EMOTION_LEXICON.complaint, 黑猫投诉: 2 } };
 * detectEmotion('我要去黑猫投诉', { lexicon }).label; // 'angry'
 * ```
 */
export const DEFAULT_EMOTION_LEXICON: EmotionLexicon = {
  terms: {
    angry: {
      气死: 1.6, 气炸: 1.6, 火大: 1.4, 生气: 1.2, 愤怒: 1.5, 恼火: 1.3, 骗子: 1.8, 骗人: 1.6, 欺骗: 1.5, 诈骗: 1.6, 坑人: 1.4,
      黑心: 1.6, 垃圾: 1.5, 什么破: 1.4, 破玩意: 1.5, 滚: 1.2, 妈的: 1.8, 他妈: 1.8, 卧槽: 1.0, 去死: 1.8, 混蛋: 1.6, 无耻: 1.6,
      忍无可忍: 1.8, 太过分: 1.5, 过分了: 1.3, 欺负人: 1.4, 耍我: 1.5, 糊弄: 1.2, 敷衍: 1.1, 退钱: 1.3, 还钱: 1.2,
      赔钱: 1.2, 给个说法: 1.4, 什么态度: 1.5, 态度恶劣: 1.6, 有病: 1.3, 脑子: 0.9, 智障: 1.6, 废物: 1.5, 狗屁: 1.6,
      人工智障: 1.6, 别再: 0.6, 受够了: 1.6, 恶心: 1.3, '😡': 1.6, '🤬': 1.8, '💢': 1.2,
      angry: 1.3, furious: 1.6, 'ridiculous': 1.3, 'unacceptable': 1.4, scam: 1.7, 'scammer*': 1.7, fraud: 1.6, 'rip-off': 1.5,
      'ripoff': 1.5, useless: 1.1, garbage: 1.5, trash: 1.3, 'worst': 1.4, 'fed up': 1.5, 'sick of': 1.4, 'wtf': 1.6,
      'damn': 1.2, 'hell': 0.9, 'stupid': 1.3, 'idiot*': 1.5, 'liar*': 1.6, 'pissed': 1.6, 'outrage*': 1.6, 'disgust*': 1.4,
      'joke': 0.8, 'give me my money back': 1.4, 'refund my money': 1.0, 'how dare': 1.5,
    },
    anxious: {
      着急: 1.3, 急: 1.1, 急死: 1.6, 急用: 1.4, 赶紧: 1.1, 快点: 1.1, 尽快: 0.8, 马上: 0.7, 赶快: 1.0, 怎么还没: 1.2, 还没到: 0.9,
      还没收到: 1.0, 还没发货: 0.9, 还没退: 1.0, 到底: 0.8, 什么时候能: 0.7, 等了: 0.8, 等不及: 1.3, 担心: 1.3, 害怕: 1.3,
      怕: 0.7, 慌: 1.2, 焦虑: 1.5, 万一: 0.8, 会不会: 0.6, 怎么办: 1.1, 在吗: 0.6, 有人吗: 0.9, 人呢: 1.0, 求求: 1.3,
      求你: 1.2, 拜托: 1.0, 救命: 1.4, 来不及: 1.3, 明天就要: 1.1, 今天必须: 1.1, 急需: 1.3, 催: 0.9, 一直没: 0.8,
      被盗: 1.3, 盗刷: 1.4, 不见了: 1.0, 丢了: 0.9, 扣了钱: 0.8, 多扣: 0.9, 不安: 1.1, 坐立不安: 1.6, '😰': 1.4, '😱': 1.3, '😟': 1.1,
      urgent: 1.4, urgently: 1.4, asap: 1.3, hurry: 1.2, 'as soon as possible': 1.2, 'worried': 1.4, 'worry': 1.1, 'anxious': 1.5,
      'nervous': 1.3, 'scared': 1.3, 'afraid': 1.1, 'panic*': 1.4, 'still waiting': 1.1, 'still not': 0.9, "still haven't": 1.0,
      'where is my': 0.8, 'need it by': 1.1, 'need it today': 1.2, 'need it tomorrow': 1.1, 'please help': 0.9, 'charged twice': 1.0, 'help me': 0.6,
      'anyone there': 1.0, 'hello?': 0.6, 'stolen': 1.2, 'missing': 0.8, 'what if': 0.7, 'right now': 0.8, 'immediately': 1.0,
      'deadline': 0.9, 'emergency': 1.4,
    },
    dissatisfied: {
      不满意: 1.3, 不满: 1.2, 失望: 1.4, 太慢: 1.2, 好慢: 1.1, 很慢: 1.0, 慢死: 1.3, 差劲: 1.4, 太差: 1.4, 很差: 1.3, 质量差: 1.3,
      真差: 1.3, 不好用: 1.1, 不好: 0.7, 不行: 0.8, 不靠谱: 1.2, 坑: 0.9, 无语: 1.2, 服了: 1.0, 醉了: 1.0, 郁闷: 1.2, 烦: 1.0,
      麻烦死: 1.2, 心累: 1.3, 答非所问: 1.4, 听不懂: 1.0, 没用: 1.1, 没解决: 1.2, 还没解决: 1.3, 没有解决: 1.2, 解决不了: 1.2,
      不解决: 1.1, 又是: 0.6, 又坏了: 1.1, 又出问题: 1.2, 第三次: 0.8, 好几次: 0.8, 一直这样: 1.0, 后悔: 1.3, 算了: 0.8,
      差评: 1.0, 不推荐: 1.2, 不值: 1.1, 浪费: 1.1, 遗憾: 1.0, 可惜: 0.8, 不太行: 1.0, 体验差: 1.4, 太贵: 0.9, 有瑕疵: 0.8,
      破了: 0.8, 坏了: 1.0, 说好的: 1.0, 被坑: 1.3, 不一样: 0.6, 货不对板: 1.3, 和描述不符: 1.2, 将就: 0.7, 唉: 0.9, '😒': 1.2, '🙄': 1.2, '😞': 1.2,
      '😭': 0.8, '😤': 1.0, 'disappoint*': 1.4, 'unhappy': 1.3, 'not happy': 1.2, 'dissatisfied': 1.4, 'too slow': 1.2,
      'so slow': 1.2, 'poor': 1.0, 'bad': 0.9, 'terrible': 1.3, 'awful': 1.3, 'annoy*': 1.1, 'frustrat*': 1.3, 'again': 0.5,
      'not working': 0.9, "doesn't work": 0.9, 'broken': 0.7, 'waste': 1.1, 'wasted': 1.1, 'regret': 1.2, 'not what i ordered': 1.2,
      'not helpful': 1.2, 'unhelpful': 1.2, 'confusing': 0.9, 'meh': 0.9, 'sigh': 0.9, 'not satisfied': 1.3, 'never again': 1.2,
      'complicated': 0.7, 'overpriced': 1.0, 'nothing happened': 0.8, "didn't help": 1.2, 'did not help': 1.2, 'still broken': 1.1,
    },
    satisfied: {
      谢谢: 1.0, 多谢: 1.0, 感谢: 1.1, 谢啦: 1.0, 谢了: 0.9, 满意: 1.3, 很满意: 1.5, 好评: 1.3, 五星: 1.2, 给力: 1.3, 棒: 1.2,
      真棒: 1.4, 不错: 1.0, 挺好: 1.0, 很好: 1.0, 太好了: 1.3, 好的好的: 0.6, 赞: 1.2, 点赞: 1.3, 完美: 1.4, 开心: 1.2, 高兴: 1.2,
      辛苦了: 1.1, 靠谱: 1.1, 专业: 0.8, 贴心: 1.2, 耐心: 0.9, 效率高: 1.2, 真快: 1.1, 好快: 1.1, 很快: 0.8, 解决了: 1.2,
      搞定了: 1.1, 收到了: 0.6, 好用: 1.0, 喜欢: 1.1, 爱了: 1.3, 值: 0.7, 超值: 1.2, 放心了: 1.2, 明白了: 0.5, 懂了: 0.5,
      没问题了: 1.0, 有帮助: 1.1, 帮大忙: 1.4, 么么哒: 1.2, 亲亲: 0.6, '👍': 1.3, '😊': 1.1, '😄': 1.1, '❤': 1.0, '🙏': 0.8,
      '🎉': 1.1, thanks: 1.0, thank: 1.0, thx: 0.9, 'appreciate*': 1.2, great: 1.1, perfect: 1.3, awesome: 1.3, excellent: 1.3,
      amazing: 1.2, 'love it': 1.3, 'love': 0.8, helpful: 1.1, satisfied: 1.3, happy: 1.1, glad: 1.1, 'well done': 1.2,
      'good job': 1.2, 'nice': 0.9, 'good': 0.6, 'fast': 0.6, 'quick': 0.5, 'solved': 1.1, 'resolved': 1.0, 'works now': 1.2,
      'that worked': 1.2, 'fixed': 0.8, 'wonderful': 1.3, 'fantastic': 1.3, 'brilliant': 1.2, 'cheers': 0.9, 'lifesaver': 1.4,
      'recommend': 0.9,
    },
  },
  complaint: {
    投诉: 1.8, 举报: 1.6, '12315': 2.0, 消协: 1.9, 消费者协会: 1.9, 工商: 1.5, 市场监管: 1.7, 曝光: 1.6, 媒体: 1.1, 律师: 1.6,
    起诉: 1.8, 告你们: 1.9, 法院: 1.5, 维权: 1.5, 差评: 0.6, 黑猫: 1.4, 要求赔偿: 1.3, 叫你们领导: 1.5, 找你们经理: 1.4,
    'complain*': 1.6, 'lawyer': 1.7, 'sue': 1.7, 'legal action': 1.8, 'report you': 1.6, 'bbb': 1.5, 'chargeback': 1.4,
    'consumer protection': 1.7, 'your manager': 1.3, 'supervisor': 1.0, 'escalate': 1.1,
  },
  intensifiers: {
    太: 1.4, 非常: 1.5, 特别: 1.4, 真的: 1.3, 真: 1.2, 超: 1.3, 超级: 1.5, 极其: 1.6, 十分: 1.4, 很: 1.15, 好: 1.1, 巨: 1.4, 贼: 1.3,
    实在: 1.3, 简直: 1.4, 根本: 1.3, 完全: 1.3, 一直: 1.2, 都: 1.1, very: 1.4, really: 1.3, so: 1.3, extremely: 1.6, totally: 1.4,
    absolutely: 1.5, completely: 1.4, super: 1.3, 'too': 1.3, incredibly: 1.5,
  },
  postIntensifiers: { 死了: 1.5, 极了: 1.4, 透了: 1.4, 爆了: 1.4, 得很: 1.2, 到家: 1.3, 至极: 1.5 },
  negators: ['不', '没', '没有', '别', '不是', '并不', '一点也不', '不太', '毫不', 'not', 'no', 'never', "don't", "didn't", "isn't", "wasn't", "aren't", 'hardly', 'nothing', "not"],
  contrast: ['但是', '但', '可是', '不过', '然而', '结果', 'but', 'however', 'yet', 'though'],
  acronyms: ['SF', 'OK', 'FAQ', 'USB', 'ID', 'SMS', 'APP', 'VIP', 'PDF', 'DHL', 'UPS', 'EMS', 'USPS', 'FEDEX', 'SKU', 'QR', 'JD', 'CEO', 'ASAP', 'TV', 'PC', 'LED', 'HDMI', 'XL', 'XXL'],
};
