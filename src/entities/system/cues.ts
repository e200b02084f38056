/** What a context word before a code says the code is. */
export type CueKind = 'order' | 'tracking' | 'card' | 'id' | 'phone';

export interface Cue {
  readonly kind: CueKind;
  /** Courier code, for courier names (`顺丰` → `SF`). */
  readonly courier?: string;
  readonly end: number;
}

/** Courier names and their codes. Longer names first, so `京东物流` is found before `京东`. */
export const COURIERS: readonly (readonly [string, string])[] = [
  ['顺丰速运', 'SF'],
  ['顺丰', 'SF'],
  ['京东物流', 'JD'],
  ['京东快递', 'JD'],
  ['京东', 'JD'],
  ['圆通', 'YT'],
  ['中通', 'ZTO'],
  ['申通', 'STO'],
  ['韵达', 'YD'],
  ['邮政', 'EMS'],
  ['极兔', 'JT'],
  ['德邦', 'DBL'],
  ['百世', 'BEST'],
  ['sf express', 'SF'],
  ['ems', 'EMS'],
  ['zto', 'ZTO'],
  ['sto', 'STO'],
  ['yto', 'YT'],
  ['ups', 'UPS'],
  ['fedex', 'FEDEX'],
  ['dhl', 'DHL'],
];

const CUE_WORDS: readonly (readonly [string, CueKind])[] = [
  ['快递单号', 'tracking'],
  ['物流单号', 'tracking'],
  ['运单号', 'tracking'],
  ['快递号', 'tracking'],
  ['运单', 'tracking'],
  ['物流号', 'tracking'],
  ['tracking number', 'tracking'],
  ['tracking no', 'tracking'],
  ['tracking', 'tracking'],
  ['waybill', 'tracking'],
  ['订单编号', 'order'],
  ['订单号', 'order'],
  ['订单', 'order'],
  ['单号', 'order'],
  ['order number', 'order'],
  ['order no', 'order'],
  ['order id', 'order'],
  ['order', 'order'],
  ['银行卡', 'card'],
  ['信用卡', 'card'],
  ['储蓄卡', 'card'],
  ['借记卡', 'card'],
  ['卡号', 'card'],
  ['card number', 'card'],
  ['card no', 'card'],
  ['card', 'card'],
  ['身份证号', 'id'],
  ['身份证', 'id'],
  ['证件号', 'id'],
  ['id card', 'id'],
  ['id number', 'id'],
  ['手机号', 'phone'],
  ['手机', 'phone'],
  ['电话', 'phone'],
  ['联系方式', 'phone'],
  ['phone', 'phone'],
  ['mobile', 'phone'],
  ['tel', 'phone'],
  ['call', 'phone'],
];

const WINDOW = 14;

/**
 * The context cue nearest before `start` (within 14 characters of normalised text): the one that ends last, and of
 * those the longest. English cues match case-insensitively and only as whole words.
 */
export function findCue(text: string, start: number): Cue | null {
  const from = Math.max(0, start - WINDOW);
  const window = text.slice(from, start).toLowerCase();
  let best: { cue: Cue; len: number } | null = null;
  const consider = (word: string, make: (end: number) => Cue): void => {
    let at = window.lastIndexOf(word);
    while (at >= 0) {
      const isAscii = /^[a-z ]+$/.test(word);
      const before = window[at - 1];
      const after = window[at + word.length];
      const wordOk = !isAscii || ((before === undefined || !/[a-z]/.test(before)) && (after === undefined || !/[a-z]/.test(after)));
      if (wordOk) {
        const end = from + at + word.length;
        if (best === null || end > best.cue.end || (end === best.cue.end && word.length > best.len)) best = { cue: make(end), len: word.length };
        return;
      }
      at = at > 0 ? window.lastIndexOf(word, at - 1) : -1;
    }
  };
  for (const [word, kind] of CUE_WORDS) consider(word, (end) => ({ kind, end }));
  for (const [word, courier] of COURIERS) consider(word, (end) => ({ kind: 'tracking', courier, end }));
  return best === null ? null : (best as { cue: Cue }).cue;
}

/** The nearest courier name before `start`, if any (a tracking cue may sit between it and the number). */
export function findCourier(text: string, start: number): string | undefined {
  const from = Math.max(0, start - WINDOW);
  const window = text.slice(from, start).toLowerCase();
  let best: { at: number; code: string } | null = null;
  for (const [word, code] of COURIERS) {
    const at = window.lastIndexOf(word);
    if (at < 0) continue;
    if (/^[a-z ]+$/.test(word)) {
      const before = window[at - 1];
      const after = window[at + word.length];
      if ((before !== undefined && /[a-z]/.test(before)) || (after !== undefined && /[a-z]/.test(after))) continue;
    }
    if (best === null || at + word.length > best.at) best = { at: at + word.length, code };
  }
  return best?.code;
}
