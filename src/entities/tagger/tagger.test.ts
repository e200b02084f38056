import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { loadPack, parseAnnotated, type Example, type Pack } from '../../pack/index.js';
import { createTextPipeline } from '../../text/index.js';
import { toAtoms, type Atom } from './atoms.js';
import { combine } from './hash.js';
import { createTaggerFeaturizer } from './features.js';
import { lexiconCodes, taggerLexicon } from './lexicon.js';
import { buildSurfaceIndex } from './surfaces.js';
import { allSpanFeatures, createSpanTyperScorer, windowBag } from './typer.js';
import { createSlotTagger, parseSlotTagger, serializeSlotTagger, trainSlotTagger, type SlotTaggerModel } from './index.js';

// A small synthetic address/reason corpus written for these tests: templates × fillers, so held-out combinations
// test generalisation to unseen surfaces.
const PREFIXES = ['地址改成', '帮我把地址换成', '寄到', '新地址是', '麻烦送到', '收货地址改为'];
const ADDRESSES = [
  '上海市闵行区七宝镇漕宝路1555弄12号',
  '杭州市西湖区文三路478号',
  '北京市朝阳区建国路93号',
  '成都市武侯区天府大道北段1700号',
  '深圳市南山区科技园南区8栋',
  '南京市玄武区中山路18号',
  '广州市天河区体育西路191号',
  '武汉市洪山区珞喻路1037号',
  '苏州市工业园区星湖街328号',
  '厦门市思明区环岛南路8号',
];
const SUFFIXES = ['', '，谢谢', '吧', '，麻烦尽快', '，之前那个不用了'];
const PLAIN = ['快递到哪了', '我要退货', '什么时候发货', '可以开发票吗', '你好', '谢谢', '退款多久到账'];

function corpus(addresses: readonly string[]): Example[] {
  const out: Example[] = [];
  addresses.forEach((a, i) => {
    for (let k = 0; k < 3; k++) {
      const p = PREFIXES[(i + k) % PREFIXES.length] as string;
      const s = SUFFIXES[(i * 2 + k) % SUFFIXES.length] as string;
      const parsed = parseAnnotated(`${p}[${a}](address)${s}`);
      out.push({ text: parsed.text, spans: parsed.spans });
    }
  });
  for (const t of PLAIN) out.push({ text: t, spans: [] });
  return out;
}

const pipeline = createTextPipeline({ language: 'zh' });
const train = corpus(ADDRESSES.slice(0, 8));
const model: SlotTaggerModel = trainSlotTagger(train, { pipeline, seed: 7 });
const tagger = createSlotTagger(model, { pipeline });

describe('trainSlotTagger', () => {
  it('learns every entity in the spans and records its figures', () => {
    expect(model.entities).toEqual(['address']);
    expect(model.scheme).toBe('bioes');
    expect(model.labels).toEqual(['O', 'B-address', 'I-address', 'E-address', 'S-address']);
    expect(model.stats.ensemble).toBe(3);
    expect(model.stats.examples).toBe(train.length);
    expect(model.stats.spans).toBe(24);
    expect(model.stats.unalignedSpans).toBe(0);
    expect(model.stats.trainUnitAccuracy).toBeGreaterThan(0.99);
    expect(model.text.dictionary).toBeNull();
  });

  it('finds unseen addresses after seen prefixes, with exact spans into the original text', () => {
    for (const a of ADDRESSES.slice(8)) {
      const text = `地址改成${a}`;
      const found = tagger.tag(text);
      expect(found).toHaveLength(1);
      const e = found[0];
      expect(e).toMatchObject({ entity: 'address', text: a, value: a, start: 4, end: 4 + a.length, source: 'learned' });
      expect(e?.confidence).toBeGreaterThan(0);
      expect(e?.confidence).toBeLessThanOrEqual(1);
    }
  });

  it('tags an existing analysis exactly like the text', () => {
    const text = '地址改成廈門市思明區環島南路８號';
    expect(tagger.tagAnalysis(pipeline.analyze(text))).toEqual(tagger.tag(text));
    expect(() => tagger.tagAnalysis({} as never)).toThrow(expect.objectContaining({ code: 'INVALID_OPTION' }));
  });

  it('finds nothing in messages without a slot', () => {
    expect(tagger.tag('快递到哪了')).toEqual([]);
    expect(tagger.tag('')).toEqual([]);
  });

  it('maps spans back through traditional characters and full-width digits', () => {
    const text = '地址改成廈門市思明區環島南路８號';
    const [e] = tagger.tag(text);
    expect(e?.text).toBe(text.slice(4));
    expect(e?.value).toBe('厦门市思明区环岛南路8号');
  });

  it('is deterministic: the same data and seed give the same bytes, another seed may differ only in weights', () => {
    const again = trainSlotTagger(train, { pipeline, seed: 7 });
    expect(serializeSlotTagger(again)).toBe(serializeSlotTagger(model));
  });

  it('trains from a pack: its annotated learned entities only, dictionary surfaces as features', async () => {
    const base = await loadPack('fixtures/packs/ecommerce-zh');
    const pack: Pack = {
      ...base,
      dictionary: [],
      intents: [{ name: 'change_address', examples: train }],
      outOfScope: [],
      entities: [
        { type: 'learned', name: 'address' },
        { type: 'learned', name: 'not_annotated_yet' },
        { type: 'dictionary', name: 'city', values: [{ value: '上海', synonyms: ['沪'] }] },
      ],
    };
    const m = trainSlotTagger(pack, { epochs: 3 });
    expect(m.entities).toEqual(['address']);
    expect(m.surfaces).toEqual([{ entity: 'city', surfaces: ['上海', '沪'] }]);
    expect(m.text.dictionary).toEqual([]);
    // The rebuilt pipeline (from model.text) tags like the training one.
    expect(createSlotTagger(m).tag('寄到杭州市西湖区文三路478号')[0]?.entity).toBe('address');
  });

  it('uses training surfaces as a gazetteer when asked', () => {
    const m = trainSlotTagger(train, { pipeline, gazetteer: true, epochs: 3 });
    expect(m.surfaces.find((s) => s.entity === 'address')?.surfaces).toContain(ADDRESSES[0]);
  });

  it('trains a linear-chain CRF with the same features that finds unseen addresses', () => {
    const m = trainSlotTagger(train, { pipeline, seed: 7, algorithm: 'crf' });
    expect(m.stats.trainUnitAccuracy).toBeGreaterThan(0.99);
    expect(serializeSlotTagger(trainSlotTagger(train, { pipeline, seed: 7, algorithm: 'crf' }))).toBe(serializeSlotTagger(m));
    const crf = createSlotTagger(m, { pipeline });
    for (const a of ADDRESSES.slice(8)) expect(crf.tag(`寄到${a}`)).toMatchObject([{ entity: 'address', text: a }]);
  });

  it('grades gazetteer surfaces by how often they are annotated where they occur', () => {
    const rows = [
      ...train,
      // 上海 occurs unannotated many times: a gazetteer surface of low reliability.
      ...Array.from({ length: 8 }, (_, i) => ({ text: `上海的天气${i}`, spans: [] })),
      { text: '寄到上海', spans: [{ entity: 'address', start: 2, end: 4 }] },
    ];
    const m = trainSlotTagger(rows, { pipeline, gazetteer: true, gazetteerLevels: true, epochs: 3, features: { longest: true } });
    const levelOf = (surface: string): number | undefined => m.surfaces.find((s) => s.entity === 'address' && s.surfaces.includes(surface))?.level;
    expect(levelOf('上海')).toBe(0);
    expect(levelOf(ADDRESSES[0] as string)).toBe(3);
    expect(parseSlotTagger(serializeSlotTagger(m))).toEqual(m);
  });

  it('labels spans BIO when asked, and BIOES by default: deterministic, round-trips and finds unseen addresses', () => {
    const bio = trainSlotTagger(train, { pipeline, seed: 7, scheme: 'bio' });
    expect(bio.scheme).toBeUndefined();
    expect(bio.labels).toEqual(['O', 'B-address', 'I-address']);
    expect(parseSlotTagger(serializeSlotTagger(bio))).toEqual(bio);
    for (const a of ADDRESSES.slice(8)) expect(createSlotTagger(bio, { pipeline }).tag(`寄到${a}`)).toMatchObject([{ entity: 'address', text: a }]);
    const m = trainSlotTagger(train, { pipeline, seed: 7, scheme: 'bioes' });
    expect(m.scheme).toBe('bioes');
    expect(m.labels).toEqual(['O', 'B-address', 'I-address', 'E-address', 'S-address']);
    expect(serializeSlotTagger(trainSlotTagger(train, { pipeline, seed: 7, scheme: 'bioes' }))).toBe(serializeSlotTagger(m));
    expect(parseSlotTagger(serializeSlotTagger(m))).toEqual(m);
    const t = createSlotTagger(m, { pipeline });
    for (const a of ADDRESSES.slice(8)) expect(t.tag(`寄到${a}`)).toMatchObject([{ entity: 'address', text: a }]);
    // One-unit spans are S labels.
    const single = trainSlotTagger([...train, ...['猫', '狗', '鱼'].map((x) => ({ text: `我要${x}`, spans: [{ entity: 'pet', start: 2, end: 3 }] }))], { pipeline, seed: 7, scheme: 'bioes' });
    expect(createSlotTagger(single, { pipeline }).tag('我要狗')).toMatchObject([{ entity: 'pet', text: '狗' }]);
    expect(() => trainSlotTagger(train, { pipeline, scheme: 'bilou' as never })).toThrow(expect.objectContaining({ code: 'INVALID_OPTION' }));
  });

  it('averages an ensemble of perceptrons (3 by default), deterministically; one model when asked', () => {
    const m = trainSlotTagger(train, { pipeline, seed: 7, ensemble: 2 });
    expect(m.stats.ensemble).toBe(2);
    expect(serializeSlotTagger(trainSlotTagger(train, { pipeline, seed: 7, ensemble: 2 }))).toBe(serializeSlotTagger(m));
    const single = trainSlotTagger(train, { pipeline, seed: 7, ensemble: 1 });
    expect(single.stats.ensemble).toBeUndefined();
    expect(serializeSlotTagger(single)).not.toBe(serializeSlotTagger(m));
    for (const a of ADDRESSES.slice(8)) expect(createSlotTagger(single, { pipeline }).tag(`寄到${a}`)).toMatchObject([{ entity: 'address', text: a }]);
    const t = createSlotTagger(m, { pipeline });
    for (const a of ADDRESSES.slice(8)) expect(t.tag(`寄到${a}`)).toMatchObject([{ entity: 'address', text: a }]);
    expect(() => trainSlotTagger(train, { pipeline, ensemble: 0 })).toThrow(expect.objectContaining({ code: 'INVALID_OPTION' }));
  });

  it('learns English word-level spans', () => {
    const en = createTextPipeline({ language: 'en' });
    const rows = ['play', 'put on', 'i want to hear'].flatMap((v) =>
      ['yesterday', 'hey jude', 'let it be', 'blackbird'].map((song) => {
        const p = parseAnnotated(`${v} [${song}](song) please`);
        return { text: p.text, spans: p.spans };
      }),
    );
    const m = trainSlotTagger(rows, { pipeline: en, seed: 1 });
    const found = createSlotTagger(m, { pipeline: en }).tag('Play Hey Jude please');
    expect(found).toMatchObject([{ entity: 'song', text: 'Hey Jude', value: 'hey jude', start: 5, end: 13 }]);
  });

  it('rejects bad training data and options with codes', () => {
    expect(() => trainSlotTagger([{ text: 'abc', spans: [{ entity: 'x', start: 2, end: 9 }] }])).toThrow(expect.objectContaining({ code: 'TRAINING_DATA_INVALID' }));
    expect(() => trainSlotTagger([{ text: 'abc', spans: [] }])).toThrow(expect.objectContaining({ code: 'TRAINING_DATA_INVALID' }));
    expect(() => trainSlotTagger(train, { pipeline, entities: ['missing'] })).toThrow(expect.objectContaining({ code: 'TRAINING_DATA_INVALID' }));
    expect(() => trainSlotTagger(train, { pipeline, epochs: 0 })).toThrow(expect.objectContaining({ code: 'INVALID_OPTION' }));
    expect(() => trainSlotTagger(train, { pipeline, features: { window: 9 } })).toThrow(expect.objectContaining({ code: 'INVALID_OPTION' }));
    expect(() => trainSlotTagger(train, { pipeline, algorithm: 'svm' as never })).toThrow(expect.objectContaining({ code: 'INVALID_OPTION' }));
    expect(() => trainSlotTagger(train, { pipeline, algorithm: 'crf', crf: { rate: -1 } })).toThrow(expect.objectContaining({ code: 'INVALID_OPTION' }));
    expect(() => trainSlotTagger('nope' as never)).toThrow(expect.objectContaining({ code: 'INVALID_OPTION' }));
    for (const dropout of [1, -0.1, Number.NaN, '0.2']) {
      expect(() => trainSlotTagger(train, { pipeline, dropout: dropout as number })).toThrow(expect.objectContaining({ code: 'INVALID_OPTION', details: expect.objectContaining({ option: 'dropout' }) }));
    }
    expect(() => trainSlotTagger(train, { pipeline, features: { lexicon: 'yes' as never } })).toThrow(expect.objectContaining({ code: 'INVALID_OPTION' }));
  });

  it('leaves out a random fifth of the features on each visit by default (dropout), deterministically; none when asked', () => {
    expect(model.stats.dropout).toBe(0.2);
    const none = trainSlotTagger(train, { pipeline, seed: 7, dropout: 0 });
    expect(none.stats.dropout).toBeUndefined();
    expect(serializeSlotTagger(none)).not.toBe(serializeSlotTagger(model));
    expect(serializeSlotTagger(trainSlotTagger(train, { pipeline, seed: 7, dropout: 0.5 }))).toBe(serializeSlotTagger(trainSlotTagger(train, { pipeline, seed: 7, dropout: 0.5 })));
    for (const m of [none, trainSlotTagger(train, { pipeline, seed: 7, dropout: 0.5 })]) {
      for (const a of ADDRESSES.slice(8)) expect(createSlotTagger(m, { pipeline }).tag(`寄到${a}`)).toMatchObject([{ entity: 'address', text: a }]);
    }
  });

  it('uses the lexicon (jieba\'s dictionary) for Chinese by default, not for English', () => {
    expect(trainSlotTagger(train, { pipeline, seed: 7, features: { lexicon: false } }).features.lexicon).toBeUndefined();
    const en = createTextPipeline({ language: 'en' });
    const m = trainSlotTagger([{ text: 'play hey jude', spans: [{ entity: 'song', start: 5, end: 13 }] }], { pipeline: en, seed: 1 });
    expect(m.features.lexicon).toBeUndefined();
    expect(trainSlotTagger([{ text: 'play hey jude', spans: [{ entity: 'song', start: 5, end: 13 }] }], { pipeline: en, seed: 1, typer: false }).formatVersion).toBe(1);
  });
});

// Titles written for these tests: whether one is a film or a game is said only at the end of the message, out of the
// chain model's reach; the typer reads the whole message.
const TITLES = ['星际远航', '龙之谷传说', '深海迷城', '极速追踪', '夜幕行者', '风暴之眼', '银河守望', '荒原猎手', '雪山秘境', '黑色迷宫'];
const KINDS = [
  ['movie', '是电影频道推荐的'],
  ['game', '是游戏频道推荐的'],
] as const;
function titled(titles: readonly string[]): Example[] {
  return titles.flatMap((t, i) =>
    KINDS.flatMap(([entity, tail]) =>
      ['最近大家都在聊', '朋友跟我提起过', '我想了解一下'].map((head, k) => {
        const p = parseAnnotated(`${head}[${t}](${entity})，听说这个${['作品', '名字', '新作'][(i + k) % 3] as string}${tail}`);
        return { text: p.text, spans: p.spans };
      }),
    ),
  );
}

describe('span typer', () => {
  const titleTrain = titled(TITLES.slice(0, 7));
  const withTyper = trainSlotTagger(titleTrain, { pipeline, seed: 3 });
  const without = trainSlotTagger(titleTrain, { pipeline, seed: 3, typer: false });
  const tests = titled(TITLES.slice(7));
  const typed = (m: SlotTaggerModel): number => {
    const t = createSlotTagger(m, { pipeline });
    return tests.filter((ex) => {
      const found = t.tag(ex.text);
      const gold = ex.spans[0];
      return found.length === 1 && gold !== undefined && found[0]?.entity === gold.entity && found[0].start === gold.start && found[0].end === gold.end;
    }).length;
  };

  it('is trained by default and recorded with its figures; formatVersion 3', () => {
    expect(withTyper.formatVersion).toBe(3);
    expect(withTyper.typer?.weight).toBe(3);
    expect(withTyper.typer?.stats).toMatchObject({ spans: titleTrain.length, negatives: 0, epochs: 10, ensemble: 3 });
    expect(withTyper.typer?.stats.trainAccuracy).toBe(1);
    expect(without.typer).toBeUndefined();
    expect(without.formatVersion).toBe(2);
  });

  it('gives unseen spans the type that only the far end of the message tells', () => {
    expect(typed(withTyper)).toBe(tests.length);
    expect(typed(without)).toBeLessThan(tests.length);
  });

  it('learns unannotated occurrences of annotated surfaces as "none" and can drop such a span', () => {
    const company = (t: string): Example => {
      const p = parseAnnotated(t);
      return { text: p.text, spans: p.spans };
    };
    const rows = [
      ...['[苹果](company)公司今天发布了新手机', '[华为](company)公司今天发布了新手机', '[小米](company)公司的新品什么时候上市', '[苹果](company)公司的新品什么时候上市'].map(company),
      ...['我想买两斤苹果', '这个苹果多少钱一斤', '今天的苹果很新鲜'].map(company),
    ];
    const m = trainSlotTagger(rows, { pipeline, seed: 5 });
    expect(m.typer?.stats).toMatchObject({ spans: 4, negatives: 3 });
    expect(createSlotTagger(m, { pipeline }).tag('苹果公司今天发布了新手机')).toMatchObject([{ entity: 'company', text: '苹果' }]);
  });

  it('is deterministic, round-trips, and can be weighed or turned off', () => {
    expect(serializeSlotTagger(trainSlotTagger(titleTrain, { pipeline, seed: 3 }))).toBe(serializeSlotTagger(withTyper));
    const back = parseSlotTagger(serializeSlotTagger(withTyper));
    expect(back).toEqual(withTyper);
    const text = `朋友跟我提起过${TITLES[8] as string}，听说这个名字是游戏频道推荐的`;
    expect(createSlotTagger(back, { pipeline }).tag(text)).toEqual(createSlotTagger(withTyper, { pipeline }).tag(text));
    const light = trainSlotTagger(titleTrain, { pipeline, seed: 3, typer: { weight: 0.5, epochs: 4, ensemble: 1 } });
    expect(light.typer).toMatchObject({ weight: 0.5, stats: { epochs: 4, ensemble: 1 } });
    // Weight 0: the typer cannot outvote the best path, so the tags are the chain model's own.
    const zero = { ...withTyper, typer: { ...(withTyper.typer as NonNullable<SlotTaggerModel['typer']>), weight: 0 } };
    const chain: Record<string, unknown> = { ...withTyper, formatVersion: 2 };
    delete chain.typer;
    const chainOnly = createSlotTagger(chain as unknown as SlotTaggerModel, { pipeline });
    for (const ex of tests) expect(createSlotTagger(zero, { pipeline }).tag(ex.text)).toEqual(chainOnly.tag(ex.text));
  });

  it('scores a span at decoding exactly as the sum of the features it was trained on', () => {
    const typerModel = withTyper.typer as NonNullable<SlotTaggerModel['typer']>;
    const classes = withTyper.entities.length + 1;
    const scorer = createSpanTyperScorer(typerModel, classes);
    const weights = new Map<number, Float64Array>();
    typerModel.keys.forEach((key, r) => {
      const row = new Float64Array(classes);
      for (let k = typerModel.rowStarts[r] as number; k < (typerModel.rowStarts[r + 1] as number); k++) row[typerModel.cols[k] as number] = (typerModel.values[k] as number) * typerModel.scale * typerModel.weight;
      weights.set(key, row);
    });
    const featurizer = createTaggerFeaturizer(pipeline, withTyper.features, buildSurfaceIndex([], (x) => x, (x) => x.length));
    const got = new Float64Array(classes);
    for (const ex of [...tests, ...titleTrain.slice(0, 6)]) {
      const f = featurizer.featurize(ex.text);
      const n = f.atoms.length;
      scorer.window(f, 0, n);
      for (let i = 0; i < n; i += 3) {
        for (let j = i + 1; j <= Math.min(n, i + 7); j += 2) {
          const want = new Float64Array(classes);
          const feats: number[] = [];
          allSpanFeatures(f, i, j, windowBag(f, 0, n), feats);
          for (const h of feats) {
            const row = weights.get(h);
            if (row !== undefined) for (let c = 0; c < classes; c++) want[c] = (want[c] as number) + (row[c] as number);
          }
          scorer.score(f, i, j, got);
          for (let c = 0; c < classes; c++) expect(got[c]).toBeCloseTo(want[c] as number, 6);
        }
      }
    }
  });

  it('rejects bad typer options and malformed typers', () => {
    for (const typer of ['yes', 1, null, [], { epochs: 0 }, { epochs: 1.5 }, { weight: -1 }, { weight: Number.NaN }, { ensemble: 0 }, { ensemble: 17 }]) {
      expect(() => trainSlotTagger(titleTrain, { pipeline, typer: typer as never })).toThrow(expect.objectContaining({ code: 'INVALID_OPTION' }));
    }
    const json = JSON.parse(serializeSlotTagger(withTyper)) as Record<string, unknown> & { typer: Record<string, unknown> };
    expect(() => parseSlotTagger(JSON.stringify({ ...json, formatVersion: 2 }))).toThrow(expect.objectContaining({ code: 'MODEL_INVALID' }));
    const badCols = { ...json, typer: { ...json.typer, cols: (json.typer.cols as number[]).map(() => 3) } };
    expect(() => parseSlotTagger(JSON.stringify(badCols))).toThrow(expect.objectContaining({ code: 'MODEL_INVALID', details: { issues: [expect.stringContaining('typer.cols')] } }));
    for (const typer of [null, 'x', { ...json.typer, weight: -2 }, { ...json.typer, keys: [2, 1] }, { ...json.typer, stats: undefined }]) {
      expect(() => parseSlotTagger(JSON.stringify({ ...json, typer }))).toThrow(expect.objectContaining({ code: 'MODEL_INVALID' }));
    }
  });
});

describe('lexicon features', () => {
  const lexicon = taggerLexicon();
  const atomsOf = (text: string): Atom[] => toAtoms(pipeline.normalizer.normalize(text));

  it('reads jieba\'s dictionary once: words with their tag, characters with their usual positions', () => {
    expect(lexicon.words.size).toBeGreaterThan(100_000);
    expect(lexicon.words.get('杭州')).toBe(lexicon.words.get('北京')); // both place names (ns)
    expect(lexicon.words.get('杭州')).not.toBe(lexicon.words.get('吃饭'));
    expect(lexicon.chars.get('杭')?.length).toBe(3);
    expect(taggerLexicon()).toBe(lexicon);
  });

  it('gives every Han unit inside a dictionary word the word\'s codes, and none to Latin, digits or unknown text', () => {
    const atoms = atomsOf('寄到杭州西湖ABC 123');
    const codes = lexiconCodes(atoms, lexicon);
    const hang = codes[2] ?? [];
    const zhou = codes[3] ?? [];
    expect(hang.length).toBeGreaterThan(3);
    // 杭州 covers both: its tag with B on the first unit and with E on the second.
    const tag = lexicon.words.get('杭州') as number;
    expect(hang).toContain(combine(tag, 1));
    expect(zhou).toContain(combine(tag, 3));
    expect(zhou).not.toContain(combine(tag, 1));
    for (const c of lexicon.chars.get('杭') ?? []) expect(hang).toContain(c);
    for (const unit of codes) if (unit !== undefined) expect(new Set(unit).size).toBe(unit.length);
    expect(codes[6]).toBeUndefined();
    expect(codes[7]).toBeUndefined();
    expect(lexiconCodes([], lexicon)).toEqual([]);
    expect(lexiconCodes(atomsOf('😀\u0000'), lexicon).every((c) => c === undefined)).toBe(true);
  });
});

describe('serializeSlotTagger / parseSlotTagger', () => {
  it('round-trips to an identical model', () => {
    const json = serializeSlotTagger(model);
    const back = parseSlotTagger(json);
    expect(back).toEqual(model);
    expect(serializeSlotTagger(back)).toBe(json);
    expect(createSlotTagger(back, { pipeline }).tag('地址改成厦门市思明区环岛南路8号')).toEqual(tagger.tag('地址改成厦门市思明区环岛南路8号'));
  });

  it('reads BIO models saved before the label scheme and ensembles existed', () => {
    const bio = trainSlotTagger(train, { pipeline, seed: 7, scheme: 'bio', ensemble: 1 });
    const json = JSON.parse(serializeSlotTagger(bio)) as Record<string, unknown>;
    expect(json).not.toHaveProperty('scheme');
    const old = parseSlotTagger(JSON.stringify(json));
    expect(createSlotTagger(old, { pipeline }).tag('地址改成厦门市思明区环岛南路8号')).toMatchObject([{ entity: 'address', text: '厦门市思明区环岛南路8号' }]);
    // BIOES labels without the scheme field are malformed.
    const bioes = JSON.parse(serializeSlotTagger(model)) as Record<string, unknown>;
    delete bioes.scheme;
    expect(() => parseSlotTagger(JSON.stringify(bioes))).toThrow(expect.objectContaining({ code: 'MODEL_INVALID' }));
  });

  it('reads models saved before the context, longest and lexicon feature families and gazetteer levels existed', () => {
    const plain = trainSlotTagger(train, { pipeline, seed: 7, features: { context: false, lexicon: false }, typer: false });
    expect(plain.formatVersion).toBe(1);
    const json = JSON.parse(serializeSlotTagger(plain)) as { features: Record<string, unknown> };
    const older = { ...json.features };
    delete older.context;
    delete older.longest;
    delete older.lexicon;
    const old = parseSlotTagger(JSON.stringify({ ...json, features: older }));
    const text = '地址改成厦门市思明区环岛南路8号';
    expect(createSlotTagger(old, { pipeline }).tag(text)).toEqual(createSlotTagger(plain, { pipeline }).tag(text));
  });

  it('writes formatVersion 3 for a typer, 2 for the lexicon alone, and refuses lexicon features under version 1', () => {
    expect(model.features.lexicon).toBe(true);
    expect(model.formatVersion).toBe(3);
    const lexiconOnly = trainSlotTagger(train, { pipeline, seed: 7, typer: false });
    expect(lexiconOnly.formatVersion).toBe(2);
    const json = JSON.parse(serializeSlotTagger(lexiconOnly)) as Record<string, unknown>;
    expect(parseSlotTagger(JSON.stringify(json))).toEqual(lexiconOnly);
    expect(() => parseSlotTagger(JSON.stringify({ ...json, formatVersion: 1 }))).toThrow(expect.objectContaining({ code: 'MODEL_INVALID' }));
  });

  it('rejects another format or version with FORMAT_VERSION_UNSUPPORTED', () => {
    const json = JSON.parse(serializeSlotTagger(model)) as Record<string, unknown>;
    expect(() => parseSlotTagger(JSON.stringify({ ...json, formatVersion: 4 }))).toThrow(expect.objectContaining({ code: 'FORMAT_VERSION_UNSUPPORTED' }));
    expect(() => parseSlotTagger(JSON.stringify({ ...json, format: 'kefu/intent-model' }))).toThrow(expect.objectContaining({ code: 'FORMAT_VERSION_UNSUPPORTED' }));
  });

  it('rejects malformed content with MODEL_INVALID listing the problems', () => {
    const json = JSON.parse(serializeSlotTagger(model)) as Record<string, unknown>;
    expect(() => parseSlotTagger('{')).toThrow(expect.objectContaining({ code: 'MODEL_INVALID' }));
    expect(() => parseSlotTagger('[]')).toThrow(expect.objectContaining({ code: 'MODEL_INVALID' }));
    const broken = { ...json, keys: [3, 2, 1], transitions: [1], labels: ['O'] };
    try {
      parseSlotTagger(JSON.stringify(broken));
      expect.unreachable();
    } catch (e) {
      expect(e).toMatchObject({ code: 'MODEL_INVALID' });
      expect((e as { details: { issues: string[] } }).details.issues.length).toBeGreaterThanOrEqual(2);
    }
    expect(() => parseSlotTagger(JSON.stringify({ ...json, cols: [...(json.cols as number[]), 99] }))).toThrow(expect.objectContaining({ code: 'MODEL_INVALID' }));
  });

  it('refuses a pipeline other than the training one with PIPELINE_MISMATCH', () => {
    expect(() => createSlotTagger(model)).toThrow(expect.objectContaining({ code: 'PIPELINE_MISMATCH' }));
    expect(() => createSlotTagger(model, { pipeline: createTextPipeline({ language: 'en' }) })).toThrow(expect.objectContaining({ code: 'PIPELINE_MISMATCH' }));
  });
});

const chatChar = fc.oneof(
  fc.constantFrom(...'地址改成上海市闵行区路号弄栋单元室寄到吧，。！？ 　ＡＢＣ１２３abc0123456789訂單'),
  fc.constantFrom('😀', '👨‍👩‍👧', '\u0000', '\u200b', '\u0301', '\ud800', '\udc00', '㈱', '①'),
  fc.string({ unit: 'binary', maxLength: 2 }),
);
const chatText = fc.array(chatChar, { maxLength: 50 }).map((a) => a.join(''));

describe('tag on arbitrary input', () => {
  test.prop([chatText], { numRuns: 300 })('never throws; spans slice the original, are sorted and do not overlap', (s) => {
    const found = tagger.tag(s);
    let end = 0;
    for (const e of found) {
      expect(s.slice(e.start, e.end)).toBe(e.text);
      expect(e.start).toBeGreaterThanOrEqual(end);
      expect(e.end).toBeGreaterThan(e.start);
      end = e.end;
    }
  });

  it('handles a 100 KB message', () => {
    const big = `地址改成${ADDRESSES[9] as string}。`.repeat(5000).slice(0, 100_000);
    const found = tagger.tag(big);
    expect(found.length).toBeGreaterThan(100);
    for (const e of found.slice(0, 50)) expect(big.slice(e.start, e.end)).toBe(e.text);
  });

  it('rejects a non-string with INVALID_INPUT', () => {
    expect(() => tagger.tag(42 as never)).toThrow(expect.objectContaining({ code: 'INVALID_INPUT' }));
  });
});
