/**
 * Writes a BERT encoder with random weights as an ONNX file, with the input/output contract of the transformers.js /
 * Optimum export of bge-small-zh-v1.5 (inputs input_ids, attention_mask, token_type_ids; output last_hidden_state).
 * It exists for timing only: with bge-small's shape (4 layers, hidden 512, 8 heads, FFN 2048, vocabulary 21128) it
 * does the same arithmetic as the real fp32 model, so latency measured on it is the real model's latency, while its
 * vectors mean nothing. The graph is the plain unfused form such exports contain; ONNX Runtime fuses it the same way.
 *
 * The protobuf is written by hand (a few ONNX message types), so the bench needs no extra dependency.
 */
import { writeFileSync } from 'node:fs';

export interface BertShape {
  readonly layers: number;
  readonly hidden: number;
  readonly heads: number;
  readonly ffn: number;
  readonly vocab: number;
  readonly positions: number;
}

/** bge-small-zh-v1.5 (config.json of BAAI/bge-small-zh-v1.5). */
export const BGE_SMALL_ZH_SHAPE: BertShape = { layers: 4, hidden: 512, heads: 8, ffn: 2048, vocab: 21128, positions: 512 };

// --- protobuf wire format ---------------------------------------------------------------------------------------
type Bytes = Buffer;
const varint = (value: number | bigint): Bytes => {
  let v = BigInt.asUintN(64, BigInt(value));
  const out: number[] = [];
  do {
    const byte = Number(v & 0x7fn);
    v >>= 7n;
    out.push(v > 0n ? byte | 0x80 : byte);
  } while (v > 0n);
  return Buffer.from(out);
};
const key = (field: number, wire: number): Bytes => varint((field << 3) | wire);
const fInt = (field: number, v: number | bigint): Bytes => Buffer.concat([key(field, 0), varint(v)]);
const fBytes = (field: number, b: Bytes): Bytes => Buffer.concat([key(field, 2), varint(b.length), b]);
const fStr = (field: number, s: string): Bytes => fBytes(field, Buffer.from(s, 'utf8'));
const fFloat = (field: number, v: number): Bytes => {
  const b = Buffer.alloc(4);
  b.writeFloatLE(v);
  return Buffer.concat([key(field, 5), b]);
};
const msg = (...parts: Bytes[]): Bytes => Buffer.concat(parts);

// --- ONNX messages (field numbers from onnx.proto) ----------------------------------------------------------------
const FLOAT = 1;
const INT32 = 6;
const INT64 = 7;

function tensor(name: string, dataType: number, dims: readonly number[], raw: Bytes): Bytes {
  return msg(...dims.map((d) => fInt(1, d)), fInt(2, dataType), fStr(8, name), fBytes(9, raw));
}
type Attr = { name: string } & ({ i: number } | { f: number } | { ints: readonly number[] });
function attribute(a: Attr): Bytes {
  if ('i' in a) return msg(fStr(1, a.name), fInt(3, a.i), fInt(20, 2));
  if ('f' in a) return msg(fStr(1, a.name), fFloat(2, a.f), fInt(20, 1));
  return msg(fStr(1, a.name), ...a.ints.map((x) => fInt(8, x)), fInt(20, 7));
}
function node(op: string, inputs: readonly string[], outputs: readonly string[], attrs: readonly Attr[] = []): Bytes {
  return msg(...inputs.map((x) => fStr(1, x)), ...outputs.map((x) => fStr(2, x)), fStr(3, `${op}_${outputs[0]}`), fStr(4, op), ...attrs.map((a) => fBytes(5, attribute(a))));
}
function valueInfo(name: string, elemType: number, dims: readonly (number | string)[]): Bytes {
  const shape = msg(...dims.map((d) => fBytes(1, typeof d === 'number' ? fInt(1, d) : fStr(2, d))));
  return msg(fStr(1, name), fBytes(2, fBytes(1, msg(fInt(1, elemType), fBytes(2, shape)))));
}

/** Variations of the input contract that other exports have (DistilBERT and XLM-R take no token_type_ids…). */
export interface RandomBertOptions {
  readonly seed?: number;
  /** Standard deviation of the weights. */
  readonly std?: number;
  /** Declare a token_type_ids input. Default true. */
  readonly tokenTypes?: boolean;
  /** Element type of the id and mask inputs. Default 'int64'. */
  readonly inputType?: 'int64' | 'int32';
}

/** Writes the model to `file`; weights are normal(0, std) from a seeded generator, so the file is reproducible. */
export function writeRandomBert(file: string, shape: BertShape, options: RandomBertOptions = {}): void {
  const { seed = 1, std = 0.05, tokenTypes = true, inputType = 'int64' } = options;
  const { layers, hidden: H, heads, ffn: F, vocab: V, positions: P } = shape;
  const headDim = H / heads;
  let s = seed >>> 0;
  const uniform = (): number => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (((t ^ (t >>> 14)) >>> 0) + 0.5) / 4294967296;
  };
  const inits: Bytes[] = [];
  const floats = (name: string, dims: number[], fill: 'random' | 'zeros' | 'ones'): void => {
    const n = dims.reduce((a, b) => a * b, 1);
    const data = new Float32Array(n);
    if (fill === 'ones') data.fill(1);
    if (fill === 'random') {
      for (let i = 0; i < n; i += 2) {
        // Box-Muller: two normals per pair of uniforms.
        const r = Math.sqrt(-2 * Math.log(uniform()));
        const a = 2 * Math.PI * uniform();
        data[i] = r * Math.cos(a) * std;
        if (i + 1 < n) data[i + 1] = r * Math.sin(a) * std;
      }
    }
    inits.push(tensor(name, FLOAT, dims, Buffer.from(data.buffer, data.byteOffset, data.byteLength)));
  };
  const ints = (name: string, values: number[], dims: number[] = [values.length]): void => {
    inits.push(tensor(name, INT64, dims, Buffer.from(BigInt64Array.from(values.map(BigInt)).buffer)));
  };
  const scalar = (name: string, v: number): void => {
    const data = Float32Array.of(v);
    inits.push(tensor(name, FLOAT, [], Buffer.from(data.buffer)));
  };

  const nodes: Bytes[] = [];
  const n = (op: string, inputs: string[], output: string, attrs: Attr[] = []): string => {
    nodes.push(node(op, inputs, [output], attrs));
    return output;
  };
  const ln = (x: string, prefix: string): string => {
    floats(`${prefix}.g`, [H], 'ones');
    floats(`${prefix}.b`, [H], 'zeros');
    return n('LayerNormalization', [x, `${prefix}.g`, `${prefix}.b`], `${prefix}.out`, [{ name: 'axis', i: -1 }, { name: 'epsilon', f: 1e-12 }]);
  };
  const dense = (x: string, prefix: string, inDim: number, outDim: number): string => {
    floats(`${prefix}.w`, [inDim, outDim], 'random');
    floats(`${prefix}.bias`, [outDim], 'zeros');
    return n('Add', [n('MatMul', [x, `${prefix}.w`], `${prefix}.mm`), `${prefix}.bias`], `${prefix}.out`);
  };

  ints('c.zero', [0], []);
  ints('c.one', [1], []);
  ints('c.maskAxes', [1, 2]);
  ints('c.splitHeads', [0, 0, heads, headDim]);
  ints('c.mergeHeads', [0, 0, H]);
  scalar('c.scale', 1 / Math.sqrt(headDim));
  scalar('c.fone', 1);
  scalar('c.neg', -10000);
  scalar('c.half', 0.5);
  scalar('c.invSqrt2', Math.SQRT1_2);

  // Embeddings: word + position + token type, then LayerNorm.
  floats('emb.word', [V, H], 'random');
  floats('emb.pos', [P, H], 'random');
  if (tokenTypes) floats('emb.type', [2, H], 'random');
  const seqLen = n('Gather', [n('Shape', ['input_ids'], 'ids.shape'), 'c.one'], 'seq.len', [{ name: 'axis', i: 0 }]);
  const posIds = n('Range', ['c.zero', seqLen, 'c.one'], 'pos.ids');
  let x = n('Add', [n('Gather', ['emb.word', 'input_ids'], 'emb.w'), n('Gather', ['emb.pos', posIds], 'emb.p')], 'emb.wp');
  if (tokenTypes) x = n('Add', [x, n('Gather', ['emb.type', 'token_type_ids'], 'emb.t')], 'emb.sum');
  x = ln(x, 'emb.ln');

  // Additive attention mask: 0 where attended, -10000 where padded, shaped [batch, 1, 1, seq].
  const maskF = n('Cast', ['attention_mask'], 'mask.f', [{ name: 'to', i: FLOAT }]);
  const mask = n('Unsqueeze', [n('Mul', [n('Sub', ['c.fone', maskF], 'mask.inv'), 'c.neg'], 'mask.add'), 'c.maskAxes'], 'mask.4d');

  for (let l = 0; l < layers; l++) {
    const p = `l${l}`;
    const heads4 = (t: string, name: string, perm: number[]): string =>
      n('Transpose', [n('Reshape', [t, 'c.splitHeads'], `${p}.${name}.r`)], `${p}.${name}.t`, [{ name: 'perm', ints: perm }]);
    const q = heads4(dense(x, `${p}.q`, H, H), 'q', [0, 2, 1, 3]);
    const k = heads4(dense(x, `${p}.k`, H, H), 'k', [0, 2, 3, 1]);
    const v = heads4(dense(x, `${p}.v`, H, H), 'v', [0, 2, 1, 3]);
    const scores = n('Add', [n('Mul', [n('MatMul', [q, k], `${p}.qk`), 'c.scale'], `${p}.scaled`), mask], `${p}.masked`);
    const probs = n('Softmax', [scores], `${p}.probs`, [{ name: 'axis', i: -1 }]);
    const ctx = n('Reshape', [n('Transpose', [n('MatMul', [probs, v], `${p}.ctx`)], `${p}.ctx.t`, [{ name: 'perm', ints: [0, 2, 1, 3] }]), 'c.mergeHeads'], `${p}.ctx.m`);
    x = ln(n('Add', [dense(ctx, `${p}.o`, H, H), x], `${p}.res1`), `${p}.ln1`);
    const h = dense(x, `${p}.ff1`, H, F);
    const gelu = n('Mul', [n('Mul', [h, n('Add', [n('Erf', [n('Mul', [h, 'c.invSqrt2'], `${p}.g.d`)], `${p}.g.e`), 'c.fone'], `${p}.g.a`)], `${p}.g.m`), 'c.half'], `${p}.gelu`);
    x = ln(n('Add', [dense(gelu, `${p}.ff2`, F, H), x], `${p}.res2`), `${p}.ln2`);
  }
  nodes.push(node('Identity', [x], ['last_hidden_state']));

  const graph = msg(
    ...nodes.map((b) => fBytes(1, b)),
    fStr(2, 'random_bert'),
    ...inits.map((b) => fBytes(5, b)),
    ...['input_ids', 'attention_mask', ...(tokenTypes ? ['token_type_ids'] : [])].map((name) =>
      fBytes(11, valueInfo(name, inputType === 'int32' ? INT32 : INT64, ['batch_size', 'sequence_length'])),
    ),
    fBytes(12, valueInfo('last_hidden_state', FLOAT, ['batch_size', 'sequence_length', H])),
  );
  const model = msg(fInt(1, 8), fStr(2, 'kefu-bench'), fBytes(7, graph), fBytes(8, msg(fStr(1, ''), fInt(2, 17))));
  writeFileSync(file, model);
}
