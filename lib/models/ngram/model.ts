// The in-memory n-gram model: stored count tables plus lookup structures derived from them.

export const UNK = "<unk>";
export const BOS = "<s>";
export const EOS = "</s>";
export const UNK_ID = 0;
export const BOS_ID = 1;
export const EOS_ID = 2;

/** Words this frequent (by continuation count rank) are too common to mark a prompt's topic. */
const COMMON_WORD_RANK = 300;
/** How many of the likeliest unigrams serve as candidates when no context matches at all. */
const UNIGRAM_FALLBACK_SIZE = 200;

/** Count tables for one order n >= 2: contexts are (n-1)-grams, entries the words seen after them. */
export type NgramLevelData = {
  order: number;
  /** n-1 word ids per context, contexts sorted lexicographically. */
  contextIds: Uint32Array;
  /** c(h): total (adjusted) count of the context before pruning, so pruned mass goes to back-off. */
  contextTotals: Uint32Array;
  /** Entries of context i are entryStart[i] .. entryStart[i+1]-1, most frequent first. */
  entryStart: Uint32Array;
  entryWords: Uint32Array;
  entryCounts: Uint32Array;
};

export type NgramModelData = {
  order: number;
  discount: number;
  vocab: string[];
  /** Kneser-Ney continuation counts N1+(. w) for the unigram distribution. */
  unigramCounts: Uint32Array;
  /** levels[0] is order 2, levels[order-2] is the highest order. */
  levels: NgramLevelData[];
  meta: { corpus: string; files: number; sentences: number; tokens: number };
};

export type NgramLevel = NgramLevelData & {
  /** Numeric key per context (ids in base vocab size), ascending, for binary search. */
  contextKeys: Float64Array;
  /** Back-off weight per context: 1 - sum of its kept discounted probabilities. */
  gammas: Float64Array;
};

export type NgramModel = Omit<NgramModelData, "levels"> & {
  levels: NgramLevel[];
  unigramProbs: Float64Array;
  unigramTop: Uint32Array;
  ids: ReadonlyMap<string, number>;
  /** Lowercased spelling -> ids of every cased variant, most frequent first. */
  lowerIds: ReadonlyMap<string, readonly number[]>;
  isCommon: Uint8Array;
};

/** Numeric key of a context given as ids[from..to); exact while vocabSize^(to-from) < 2^53. */
export function contextKey(ids: ArrayLike<number>, from: number, to: number, vocabSize: number): number {
  let key = 0;
  for (let i = from; i < to; i++) key = key * vocabSize + (ids[i] ?? 0);
  return key;
}

/** Index of `key` in the ascending `keys`, or -1. */
export function findContext(keys: Float64Array, key: number): number {
  let low = 0;
  let high = keys.length - 1;
  while (low <= high) {
    const mid = (low + high) >>> 1;
    const value = keys[mid] ?? 0;
    if (value < key) low = mid + 1;
    else if (value > key) high = mid - 1;
    else return mid;
  }
  return -1;
}

/** Derives lookup structures; used by both training and loading so both give identical models. */
export function createModel(data: NgramModelData): NgramModel {
  const vocabSize = data.vocab.length;
  if (Math.pow(vocabSize, data.order - 1) >= Number.MAX_SAFE_INTEGER) {
    throw new Error(`Vocabulary of ${vocabSize} is too large for order ${data.order} context keys`);
  }
  const levels = data.levels.map((level): NgramLevel => {
    const width = level.order - 1;
    const contexts = level.contextTotals.length;
    const contextKeys = new Float64Array(contexts);
    const gammas = new Float64Array(contexts);
    for (let c = 0; c < contexts; c++) {
      contextKeys[c] = contextKey(level.contextIds, c * width, (c + 1) * width, vocabSize);
      const total = level.contextTotals[c] ?? 1;
      let kept = 0;
      for (let e = level.entryStart[c] ?? 0, end = level.entryStart[c + 1] ?? 0; e < end; e++) {
        kept += ((level.entryCounts[e] ?? 0) - data.discount) / total;
      }
      gammas[c] = Math.max(0, 1 - kept);
    }
    return { ...level, contextKeys, gammas };
  });

  let unigramTotal = 0;
  for (const count of data.unigramCounts) unigramTotal += count;
  const unigramProbs = new Float64Array(vocabSize);
  for (let w = 0; w < vocabSize; w++) unigramProbs[w] = (data.unigramCounts[w] ?? 0) / Math.max(1, unigramTotal);

  const byFrequency = Array.from({ length: vocabSize }, (_, w) => w)
    .filter((w) => w !== UNK_ID && w !== BOS_ID)
    .sort((a, b) => (data.unigramCounts[b] ?? 0) - (data.unigramCounts[a] ?? 0) || a - b);
  const unigramTop = Uint32Array.from(byFrequency.filter((w) => w !== EOS_ID).slice(0, UNIGRAM_FALLBACK_SIZE));
  const isCommon = new Uint8Array(vocabSize);
  for (const w of byFrequency.slice(0, COMMON_WORD_RANK)) isCommon[w] = 1;

  const ids = new Map<string, number>();
  data.vocab.forEach((word, w) => ids.set(word, w));
  const lowerIds = new Map<string, number[]>();
  for (const w of byFrequency) {
    const lower = (data.vocab[w] ?? "").toLowerCase();
    const list = lowerIds.get(lower);
    if (list) list.push(w);
    else lowerIds.set(lower, [w]);
  }

  return { ...data, levels, unigramProbs, unigramTop, ids, lowerIds, isCommon };
}

/** Id of a prompt word: exact spelling, else its most frequent cased variant, else <unk>. */
export function lookupWord(model: NgramModel, word: string): number {
  return model.ids.get(word) ?? model.lowerIds.get(word.toLowerCase())?.[0] ?? UNK_ID;
}

/** Continuation count of a word (0 when unknown); a cheap frequency proxy for tokenizer decisions. */
export function wordWeight(model: NgramModel, word: string): number {
  const id = model.ids.get(word);
  return id === undefined ? 0 : (model.unigramCounts[id] ?? 0);
}
