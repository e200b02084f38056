import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

function kefu(args: string[], input?: string): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], { encoding: 'utf8', timeout: 120_000, ...(input === undefined ? {} : { input }) });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('kefu chat and kefu test', () => {
  it('chat --json writes one line per turn with the contract fields', () => {
    const r = kefu(['chat', '--pack', 'fixtures/packs/ecommerce-zh', '--json', '--session', 's1'], '订单202611210001234567的衣服尺码不合适，我要退货\n确认\n转人工\n');
    expect(r.code).toBe(0);
    const lines = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines).toHaveLength(3);
    expect(Object.keys(lines[0] ?? {})).toEqual(['turn', 'user', 'replies', 'intent', 'flow', 'slots', 'completed', 'faq', 'handoff']);
    expect(lines[0]).toMatchObject({ turn: 1, intent: 'return_goods', flow: 'return_goods', slots: { order_id: '202611210001234567', reason: 'size_unfit' }, completed: null, handoff: null });
    expect(lines[1]).toMatchObject({ turn: 2, flow: null, completed: 'return_goods' });
    expect(lines[2]).toMatchObject({ turn: 3, handoff: { reason: 'explicit' } });
  }, 120_000);

  it('test runs the pack and golden conversations (exit 0), a failing one (exit 1), a broken file (exit 2)', () => {
    expect(kefu(['test', '--pack', 'fixtures/packs/ecommerce-zh', '--conversations', 'fixtures/dialogue/handoff.yaml', '--model', '/nonexistent']).code).toBe(2);
    const dir = mkdtempSync(join(tmpdir(), 'kefu-test-'));
    writeFileSync(join(dir, 'bad.yaml'), 'conversations:\n  - name: wrong\n    turns:\n      - user: 我要退货\n        nlu: { intent: return_goods }\n        expect: { flow: invoice }\n');
    writeFileSync(join(dir, 'broken.yaml'), 'conversations:\n  - name: x\n    turns: []\n');
    const pinnedOnly = ['--pack', 'fixtures/packs/ecommerce-zh'];
    const bad = kefu(['test', ...pinnedOnly, '--conversations', join(dir, 'bad.yaml'), '--conversations', 'fixtures/dialogue', '--json']);
    expect(bad.code).toBe(1);
    const report = JSON.parse(bad.stdout) as { ok: boolean; failed: number; passed: number };
    expect(report).toMatchObject({ ok: false, failed: 1 });
    expect(report.passed).toBeGreaterThanOrEqual(33);
    const broken = kefu(['test', ...pinnedOnly, '--conversations', join(dir, 'broken.yaml')]);
    expect(broken.code).toBe(2);
    expect(broken.stdout).toMatch(/broken\.yaml:3:\d+: error \[schema\]/);
  }, 120_000);

  it('chat and test read the model file kefu train writes, and refuse stray arguments', () => {
    const dir = mkdtempSync(join(tmpdir(), 'kefu-chat-model-'));
    const model = join(dir, 'model.json');
    expect(kefu(['train', '--pack', 'fixtures/packs/ecommerce-zh', '--out', model]).code).toBe(0);
    const chat = kefu(['chat', '--pack', 'fixtures/packs/ecommerce-zh', '--model', model, '--json'], '我要转人工\n');
    expect(chat.code).toBe(0);
    expect(JSON.parse(chat.stdout.trim())).toMatchObject({ turn: 1, handoff: { reason: 'explicit' } });
    expect(kefu(['test', '--pack', 'fixtures/packs/ecommerce-zh', '--model', model]).code).toBe(0);
    expect(kefu(['chat', '--pack', 'fixtures/packs/ecommerce-zh', 'hello']).code).toBe(2);
  }, 120_000);
});
