import type { ResponseTemplate } from '../pack/index.js';

const ID = /^[a-z][a-z0-9_.]*$/;
const PLACEHOLDER = /\{([A-Za-z_][A-Za-z0-9_.]*)\}/g;

/** Variables a template can use: slot values (as the customer reads them) and action data. */
export type TemplateVars = Readonly<Record<string, unknown>>;

/**
 * Replaces `{name}` placeholders. A missing variable renders as an empty string rather than as `{name}`, which a
 * customer should never see; numbers and booleans render as text, objects are skipped.
 *
 * @example
 * ```ts
 * renderTemplate('订单 {order_id} 已受理', { order_id: '202611210001234567' }); // '订单 202611210001234567 已受理'
 * ```
 */
export function renderTemplate(template: string, vars: TemplateVars): string {
  return template.replace(PLACEHOLDER, (_, name: string) => {
    const v = vars[name];
    return typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' ? String(v) : '';
  });
}

/**
 * Picks the text of a reply reference: a response id (its channel variant if the channel has one) or inline text.
 * `seed` picks among variants deterministically, so the same session turn always reads the same.
 *
 * @example
 * ```ts
 * resolveReply('greet', responses, { channel: 'sms', seed: 3 });
 * ```
 */
export function resolveReply(
  ref: string,
  responses: Readonly<Record<string, ResponseTemplate>>,
  options: { readonly channel?: string | null; readonly seed?: number } = {},
): { readonly text: string; readonly template: string | null } | null {
  if (ID.test(ref)) {
    const t = responses[ref];
    if (!t) return null;
    const channel = options.channel ?? null;
    const variants = (channel !== null ? t.channels[channel] : undefined) ?? t.variants;
    const text = variants[Math.abs(options.seed ?? 0) % Math.max(1, variants.length)];
    return text === undefined ? null : { text, template: ref };
  }
  return { text: ref, template: null };
}
