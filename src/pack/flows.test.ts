import { describe, expect, it } from 'vitest';
import { validatePackSources } from './load.js';
import type { PackIssue } from './types.js';

const manifest = { path: 'pack.yaml', content: 'version: 1\nname: t\nlanguage: zh\nintents:\n  - name: return_goods\n    examples: [我要退货]\n  - name: affirm\n    examples: [是的]\nresponses:\n  ask_order: 请问订单号？\n' };
const issues = (content: string): PackIssue[] => {
  const r = validatePackSources([manifest, { path: 'flows.yaml', content }]);
  return r.ok ? [] : [...r.issues];
};

describe('flows in the pack format', () => {
  it('loads the bundled flows, policy and replies', async () => {
    const { loadPack } = await import('./load.js');
    const pack = await loadPack('fixtures/packs/ecommerce-zh');
    expect(pack.flows?.map((f) => f.name)).toEqual(['return_goods', 'exchange_goods', 'change_address', 'query_logistics', 'cancel_order', 'invoice', 'transfer_human']);
    expect(pack.dialogue?.handoff?.maxFallbacks).toBe(2);
    const ret = pack.flows?.find((f) => f.name === 'return_goods');
    expect(ret?.slots.map((s) => [s.name, s.entity, s.required])).toEqual([['order_id', 'order_id', true], ['reason', 'reason', true]]);
    expect(ret?.outcomes.not_found).toMatchObject({ retry: 'order_id' });
  });

  it('reports every problem with file:line', () => {
    const found = issues(`flows:
  - name: ret
    intent: return_goods
    slots:
      - name: order_id
        entity: no_such_entity
        prompt: ask_order
      - name: reason
        entity: order_id
      - name: code
        entity: order_id
        prompt: missing_response_id
        validate: { pattern: '(a+)+$' }
        requiredUnless: ghost
    outcomes:
      ok: { next: nowhere }
      bad: { retry: nope }
  - name: other
    intent: [return_goods, unknown_intent]
    confirm: 确认吗？
`);
    const by = (code: string): PackIssue[] => found.filter((i) => i.code === code);
    expect(by('undefined_entity')[0]).toMatchObject({ file: 'flows.yaml', line: 6 });
    expect(found.find((i) => i.message.includes('needs a prompt'))).toMatchObject({ line: 8 });
    expect(by('undefined_response')[0]).toMatchObject({ line: 12 });
    expect(by('unsafe_regex')[0]).toMatchObject({ line: 13 });
    expect(by('undefined_slot').map((i) => i.line).sort()).toEqual([14, 17]);
    expect(by('undefined_flow')[0]).toMatchObject({ line: 16 });
    expect(by('undefined_intent')[0]).toMatchObject({ line: 19 });
    expect(found.find((i) => i.message.includes('already starts flow'))).toMatchObject({ line: 19 });
    expect(found.find((i) => i.message.includes('outcomes need an action'))).toBeDefined();
  });

  it('checks the dialogue policy and conversations', () => {
    const found = issues(`dialogue:
  cancelPatterns: ['(x|xy)*z']
  handoff: { serviceHours: { timeZone: Mars/Olympus, open: '09:00', close: '22:00' }, explicitIntents: [nobody] }
conversations:
  - name: c
    turns:
      - user: '123'
        expect: { flow: nope }
`);
    expect(found.map((i) => [i.code, i.line])).toEqual(expect.arrayContaining([['unsafe_regex', 2], ['schema', 3], ['undefined_intent', 3], ['undefined_flow', 8]]));
    const schema = issues('conversations:\n  - name: c\n    turns:\n      - user: 202611210001234567\n');
    expect(schema[0]).toMatchObject({ code: 'schema', line: 4 });
  });
});
