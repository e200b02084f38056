import { describe, expect, it } from 'vitest';
import { readPackSources, validatePackSources, type Pack } from '../pack/index.js';
import { runConversation } from './conversation.js';

// The golden conversations pin their understanding (intent, entities, FAQ, emotion) turn by turn, so they test the
// dialogue itself and never drift with the models.
const sources = [...(await readPackSources('fixtures/packs/ecommerce-zh')), ...(await readPackSources('fixtures/dialogue'))];
const validation = validatePackSources(sources);
if (!validation.ok) throw new Error(validation.issues.map((i) => `${i.file}:${i.line} ${i.message}`).join('\n'));
const pack: Pack = validation.pack;
const conversations = (pack.conversations ?? []).filter((c) => c.loc?.file.startsWith('fixtures/dialogue/'));

describe('golden conversations (fixtures/dialogue)', () => {
  it('has at least 30, every one asserting every turn', () => {
    expect(conversations.length).toBeGreaterThanOrEqual(30);
    for (const c of conversations) for (const t of c.turns) expect(Object.keys(t.expect).length, `${c.name}: ${t.user}`).toBeGreaterThan(0);
  });

  for (const conversation of conversations) {
    it(conversation.name, async () => {
      const result = await runConversation(conversation, { pack });
      const failures = result.turns.flatMap((t) => t.failures.map((f) => `turn ${t.turn} (${t.user}): ${f}`));
      expect(failures).toEqual([]);
    });
  }
});
