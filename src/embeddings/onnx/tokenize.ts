import { Tokenizer } from '@huggingface/tokenizers';
import { KefuError } from '../../errors.js';

/** A model's tokenizer as the embedder uses it: text → token ids with the model's special tokens, truncated. */
export interface ModelTokenizer {
  /**
   * True when the tokenizer splits words on whitespace and around each CJK character (BERT normaliser and
   * pre-tokeniser): whitespace runs are then interchangeable and CJK characters are word boundaries.
   */
  readonly isBertStyle: boolean;
  /** Special tokens the template puts before and after the text (`[CLS]` and `[SEP]` for BERT). */
  readonly prefix: readonly number[];
  readonly suffix: readonly number[];
  /** Ids of `text` with the special tokens, at most `maxTokens` long (the text is cut, the specials kept). */
  encode(text: string, maxTokens: number): number[];
  /** Ids of the text alone, untruncated: the reference `encode` is checked against. */
  encodeContent(text: string): number[];
  /**
   * A shorter string with the same token ids, for cache keys. To a BERT tokenizer a whitespace run is one separator,
   * and one next to a CJK ideograph separates nothing (each ideograph is a word of its own), so "我的 快递" and
   * "我的快递" share a key. Other tokenizers get the text unchanged.
   */
  cacheKey(text: string): string;
}

type Json = Record<string, unknown>;

/**
 * Builds the tokenizer from `tokenizer.json` (+ `tokenizer_config.json`) as `@huggingface/tokenizers` reads them.
 */
export function tokenizerFromJson(tokenizerJson: Json, tokenizerConfig: Json): ModelTokenizer {
  const tok = new Tokenizer(tokenizerJson, tokenizerConfig);
  const normalizer = tokenizerJson.normalizer as Json | null | undefined;
  const pre = tokenizerJson.pre_tokenizer as Json | null | undefined;
  const isBertStyle =
    normalizer?.type === 'BertNormalizer' && normalizer.clean_text !== false && normalizer.handle_chinese_chars !== false && pre?.type === 'BertPreTokenizer';
  return wrap(tok, isBertStyle);
}

/**
 * Builds a BERT WordPiece tokenizer from `vocab.txt` (one token per line, id = line number), the layout of older
 * exports that ship no `tokenizer.json`. Settings come from `tokenizer_config.json` with BertTokenizer's defaults.
 */
export function tokenizerFromVocab(vocabTxt: string, tokenizerConfig: Json): ModelTokenizer {
  const vocab: Record<string, number> = {};
  const lines = vocabTxt.split(/\r?\n/);
  if (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  lines.forEach((token, id) => {
    if (!(token in vocab)) vocab[token] = id;
  });
  const name = (key: string, fallback: string): string => (typeof tokenizerConfig[key] === 'string' ? (tokenizerConfig[key] as string) : fallback);
  const unk = name('unk_token', '[UNK]');
  const cls = name('cls_token', '[CLS]');
  const sep = name('sep_token', '[SEP]');
  const specials = [name('pad_token', '[PAD]'), unk, cls, sep, name('mask_token', '[MASK]')];
  for (const s of [unk, cls, sep]) {
    if (vocab[s] === undefined) {
      throw new KefuError('MODEL_INVALID', `vocab.txt has no "${s}" token; a BERT vocabulary needs ${unk}, ${cls} and ${sep}.`, { token: s });
    }
  }
  const bool = (key: string, fallback: boolean | null): boolean | null => (typeof tokenizerConfig[key] === 'boolean' ? (tokenizerConfig[key] as boolean) : fallback);
  const special = (t: string) => ({ SpecialToken: { id: t, type_id: 0 } });
  const json = {
    version: '1.0',
    truncation: null,
    padding: null,
    added_tokens: specials
      .filter((s) => vocab[s] !== undefined)
      .map((s) => ({ id: vocab[s], content: s, single_word: false, lstrip: false, rstrip: false, normalized: false, special: true })),
    normalizer: {
      type: 'BertNormalizer',
      clean_text: true,
      handle_chinese_chars: bool('tokenize_chinese_chars', true),
      strip_accents: bool('strip_accents', null),
      lowercase: bool('do_lower_case', true),
    },
    pre_tokenizer: { type: 'BertPreTokenizer' },
    post_processor: {
      type: 'TemplateProcessing',
      single: [special(cls), { Sequence: { id: 'A', type_id: 0 } }, special(sep)],
      pair: [special(cls), { Sequence: { id: 'A', type_id: 0 } }, special(sep), { Sequence: { id: 'B', type_id: 1 } }, { SpecialToken: { id: sep, type_id: 1 } }],
      special_tokens: {
        [cls]: { id: cls, ids: [vocab[cls]], tokens: [cls] },
        [sep]: { id: sep, ids: [vocab[sep]], tokens: [sep] },
      },
    },
    decoder: { type: 'WordPiece', prefix: '##', cleanup: true },
    model: { type: 'WordPiece', unk_token: unk, continuing_subword_prefix: '##', max_input_chars_per_word: 100, vocab },
  };
  return wrap(new Tokenizer(json, tokenizerConfig), json.normalizer.handle_chinese_chars !== false);
}

function wrap(tok: Tokenizer, isBertStyle: boolean): ModelTokenizer {
  const encodeContent = (text: string): number[] => tok.encode(text, { add_special_tokens: false }).ids;
  // Where the template puts its special tokens, found once on a probe: [prefix…] content [suffix…].
  const probeContent = encodeContent('a');
  const probeFull = tok.encode('a').ids;
  const at = indexOfRun(probeFull, probeContent);
  if (probeContent.length === 0 || at < 0) {
    throw new KefuError('MODEL_INVALID', 'The tokenizer\'s post-processor does not wrap a text as [special tokens] text [special tokens]; kefu/onnx cannot truncate it.', {});
  }
  const prefix = probeFull.slice(0, at);
  const suffix = probeFull.slice(at + probeContent.length);

  return {
    isBertStyle,
    prefix,
    suffix,
    encodeContent,
    cacheKey: isBertStyle ? bertCacheKey : (text) => text,
    encode(text: string, maxTokens: number): number[] {
      const limit = Math.max(0, maxTokens - prefix.length - suffix.length);
      return [...prefix, ...encodeTruncated(text, limit), ...suffix];
    },
  };

  /**
   * The first `limit` content ids of `text`, without tokenising all of a long text (a 100 KB message takes a third of
   * a second): tokenise growing prefixes cut at a word boundary, which the tokenizer never merges across, so the
   * first `limit` ids of the prefix are the first `limit` ids of the whole text.
   */
  function encodeTruncated(text: string, limit: number): number[] {
    let window = Math.max(256, limit * 4);
    while (text.length > window) {
      const cut = boundaryBefore(text, window, isBertStyle);
      if (cut > 0) {
        const ids = encodeContent(text.slice(0, cut));
        if (ids.length >= limit) return ids.slice(0, limit);
      }
      window *= 2;
    }
    return encodeContent(text).slice(0, limit);
  }
}

/**
 * A cut position in (window/2, window] such that text[0, cut) tokenises as a prefix of the whole text's tokens: just
 * before a space; for BERT-style tokenizers also before any whitespace or just after a CJK ideograph, both of which
 * always end a word there. 0 when there is none.
 */
function boundaryBefore(text: string, window: number, isBertStyle: boolean): number {
  for (let i = window; i > window / 2; i--) {
    const c = text.charCodeAt(i);
    if (c === 0x20) return i;
    if (isBertStyle) {
      if (c === 0x09 || c === 0x0a || c === 0x0d || c === 0x3000) return i;
      const p = text.charCodeAt(i - 1);
      if ((p >= 0x4e00 && p <= 0x9fff) || (p >= 0x3400 && p <= 0x4dbf) || (p >= 0xf900 && p <= 0xfaff)) return i;
    }
  }
  return 0;
}

function indexOfRun(haystack: readonly number[], needle: readonly number[]): number {
  outer: for (let i = 0; i + needle.length <= haystack.length; i++) {
    for (let j = 0; j < needle.length; j++) if (haystack[i + j] !== needle[j]) continue outer;
    return i;
  }
  return -1;
}

// The characters the BERT normaliser turns into spaces (JS \s less U+FEFF, which it deletes as a format character), and
// the BMP ideographs it splits around (the same ranges as its is_chinese_char, which also works on UTF-16 units).
const BERT_SPACE_RUN = /[\t\n\r \u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+/g;
const SPACE_BY_IDEOGRAPH = / (?=[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff])|(?<=[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]) /g;

function bertCacheKey(text: string): string {
  return text.replace(BERT_SPACE_RUN, ' ').trim().replace(SPACE_BY_IDEOGRAPH, '');
}
