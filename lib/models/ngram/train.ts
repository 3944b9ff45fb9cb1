// Trains the Brown-corpus n-gram model and reads/writes its compact file (gzipped binary).
import { randomBytes } from "node:crypto";
import { mkdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import { endianness } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { gunzip, gzip } from "node:zlib";
import { z } from "zod";
import { readCorpusSentences } from "./corpus";
import {
  BOS,
  BOS_ID,
  EOS,
  EOS_ID,
  UNK,
  UNK_ID,
  createModel,
  type NgramLevelData,
  type NgramModel,
  type NgramModelData,
} from "./model";

const gzipAsync = promisify(gzip);
const gunzipAsync = promisify(gunzip);

const FORMAT = "gatehouse-ngram";
/** Brown writes "Af" in place of every formula; it is no English word, so it only ever stands as <unk>. */
const PLACEHOLDERS: ReadonlySet<string> = new Set(["Af"]);
/** Bump when the file layout or training recipe changes; stale files are then rebuilt. */
export const MODEL_FORMAT_VERSION = 1;

export const trainOptionsSchema = z.object({
  order: z.union([z.literal(3), z.literal(4)]).default(4),
  /** Words seen fewer times become <unk>, which keeps the vocabulary small and gives unknown words a context. */
  minWordCount: z.number().int().min(1).default(2),
  /** Minimum (adjusted) count for an n-gram of order 2, 3, 4 to be stored. */
  minCounts: z.tuple([z.number().int().min(1), z.number().int().min(1), z.number().int().min(1)]).default([2, 2, 2]),
  /** At most this many continuations per context for orders 2, 3, 4; the rest is left to back-off. */
  maxPerContext: z.tuple([z.number().int().min(1), z.number().int().min(1), z.number().int().min(1)]).default([1000, 500, 250]),
  discount: z.number().gt(0).lt(1).default(0.75),
  limitFiles: z.number().int().min(1).optional(),
});
export type TrainOptions = z.input<typeof trainOptionsSchema>;

/** Every k-gram type seen, by dense id: its (k-1)-gram prefix id, last and first word, raw and continuation counts. */
type GramTable = {
  index: Map<number, number>;
  prefix: number[];
  word: number[];
  first: number[];
  raw: number[];
  continuation: number[];
};

function newTable(): GramTable {
  return { index: new Map(), prefix: [], word: [], first: [], raw: [], continuation: [] };
}

/** Trains on the Brown corpus (or its first `limitFiles` files). */
export async function trainModel(options: TrainOptions = {}): Promise<NgramModel> {
  const parsed = trainOptionsSchema.parse(options);
  const sentences = await readCorpusSentences({ limitFiles: parsed.limitFiles });
  return trainFromSentences(sentences, parsed);
}

/**
 * Interpolated Kneser-Ney with one absolute discount: the highest order (and n-grams starting at <s>)
 * use raw counts, lower orders use continuation counts, and pruned mass flows to the back-off weight.
 */
export function trainFromSentences(sentences: readonly (readonly string[])[], options: TrainOptions = {}): NgramModel {
  const { order, minWordCount, minCounts, maxPerContext, discount, limitFiles } = trainOptionsSchema.parse(options);

  const frequency = new Map<string, number>();
  for (const sentence of sentences) for (const word of sentence) frequency.set(word, (frequency.get(word) ?? 0) + 1);
  const kept = [...frequency].filter(([word, count]) => count >= minWordCount && !PLACEHOLDERS.has(word));
  kept.sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  const vocab = [UNK, BOS, EOS, ...kept.map(([word]) => word)];
  const vocabSize = vocab.length;
  const ids = new Map(vocab.map((word, id) => [word, id]));

  // tables[k] holds k-grams; unigrams are the word ids themselves, so only continuation counts are kept.
  const tables: GramTable[] = Array.from({ length: order + 1 }, newTable);
  const unigramContinuation = new Array<number>(vocabSize).fill(0);
  const previous = new Array<number>(order + 1).fill(-1);
  const current = new Array<number>(order + 1).fill(-1);
  let tokenCount = 0;

  for (const sentence of sentences) {
    const tokens = [BOS_ID, ...sentence.map((word) => ids.get(word) ?? UNK_ID), EOS_ID];
    tokenCount += sentence.length;
    for (let i = 0; i < tokens.length; i++) {
      const word = tokens[i] ?? UNK_ID;
      current[1] = word;
      for (let k = 2; k <= order && i - k + 1 >= 0; k++) {
        const table = tables[k];
        const prefixId = previous[k - 1] ?? -1;
        if (!table || prefixId < 0) break;
        const key = prefixId * vocabSize + word;
        let gram = table.index.get(key);
        if (gram === undefined) {
          gram = table.prefix.length;
          table.index.set(key, gram);
          table.prefix.push(prefixId);
          table.word.push(word);
          table.first.push(k === 2 ? prefixId : (tables[k - 1]?.first[prefixId] ?? -1));
          table.raw.push(0);
          table.continuation.push(0);
          // A new k-gram type adds one distinct left extension to its (k-1)-gram suffix.
          const suffix = current[k - 1] ?? -1;
          if (k === 2) unigramContinuation[suffix] = (unigramContinuation[suffix] ?? 0) + 1;
          else {
            const lower = tables[k - 1];
            if (lower) lower.continuation[suffix] = (lower.continuation[suffix] ?? 0) + 1;
          }
        }
        table.raw[gram] = (table.raw[gram] ?? 0) + 1;
        current[k] = gram;
      }
      for (let k = 1; k <= order; k++) previous[k] = i - k + 1 >= 0 ? (current[k] ?? -1) : -1;
    }
  }

  // Numeric keys of k-grams, built up from their prefixes, identify contexts of order k+1.
  const gramKeys: number[][] = [[], Array.from({ length: vocabSize }, (_, w) => w)];
  for (let k = 2; k < order; k++) {
    const table = tables[k];
    const lowerKeys = gramKeys[k - 1] ?? [];
    gramKeys.push(table ? table.prefix.map((p, g) => (lowerKeys[p] ?? 0) * vocabSize + (table.word[g] ?? 0)) : []);
  }

  const levels: NgramLevelData[] = [];
  for (let k = 2; k <= order; k++) {
    const table = tables[k];
    if (!table) continue;
    const minCount = minCounts[k - 2] ?? 1;
    const maxEntries = maxPerContext[k - 2] ?? Number.MAX_SAFE_INTEGER;
    const totals = new Map<number, number>();
    const entries = new Map<number, { word: number; count: number }[]>();
    for (let g = 0; g < table.prefix.length; g++) {
      const context = table.prefix[g] ?? 0;
      const word = table.word[g] ?? UNK_ID;
      const usesRaw = k === order || table.first[g] === BOS_ID;
      const count = usesRaw ? (table.raw[g] ?? 0) : (table.continuation[g] ?? 0);
      totals.set(context, (totals.get(context) ?? 0) + count);
      if (word === UNK_ID || count < minCount) continue;
      const list = entries.get(context);
      if (list) list.push({ word, count });
      else entries.set(context, [{ word, count }]);
    }
    const contextKeys = gramKeys[k - 1] ?? [];
    const contexts = [...entries.keys()].sort((a, b) => (contextKeys[a] ?? 0) - (contextKeys[b] ?? 0));
    const width = k - 1;
    const contextIds = new Uint32Array(contexts.length * width);
    const contextTotals = new Uint32Array(contexts.length);
    const entryStart = new Uint32Array(contexts.length + 1);
    const words: number[] = [];
    const counts: number[] = [];
    contexts.forEach((context, c) => {
      let key = contextKeys[context] ?? 0;
      for (let j = width - 1; j >= 0; j--) {
        contextIds[c * width + j] = key % vocabSize;
        key = Math.floor(key / vocabSize);
      }
      contextTotals[c] = totals.get(context) ?? 0;
      const list = (entries.get(context) ?? []).sort((a, b) => b.count - a.count || a.word - b.word).slice(0, maxEntries);
      for (const entry of list) {
        words.push(entry.word);
        counts.push(entry.count);
      }
      entryStart[c + 1] = words.length;
    });
    levels.push({ order: k, contextIds, contextTotals, entryStart, entryWords: Uint32Array.from(words), entryCounts: Uint32Array.from(counts) });
  }

  return createModel({
    order,
    discount,
    vocab,
    unigramCounts: Uint32Array.from(unigramContinuation),
    levels,
    meta: { corpus: "brown", files: limitFiles ?? 500, sentences: sentences.length, tokens: tokenCount },
  });
}

const headerSchema = z.object({
  format: z.literal(FORMAT),
  version: z.number().int(),
  order: z.number().int().min(2),
  discount: z.number(),
  vocabBytes: z.number().int().min(0),
  vocabSize: z.number().int().min(3),
  levels: z.array(z.object({ order: z.number().int(), contexts: z.number().int().min(0), entries: z.number().int().min(0) })),
  meta: z.object({ corpus: z.string(), files: z.number(), sentences: z.number(), tokens: z.number() }),
});

/** Thrown when a model file is missing pieces or was written by another format version. */
export class ModelFormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ModelFormatError";
  }
}

function assertLittleEndian(): void {
  // Typed arrays are written in host byte order; every supported host is little-endian.
  if (endianness() !== "LE") throw new ModelFormatError("The n-gram model file format needs a little-endian host");
}

/** Narrowest unsigned array that holds every value, to keep the file small. */
function packUints(values: Uint32Array): Uint8Array {
  let max = 0;
  for (const value of values) if (value > max) max = value;
  const packed = max <= 0xff ? Uint8Array.from(values) : max <= 0xffff ? Uint16Array.from(values) : values;
  const bytes = new Uint8Array(1 + packed.byteLength);
  bytes[0] = packed.BYTES_PER_ELEMENT;
  bytes.set(new Uint8Array(packed.buffer, packed.byteOffset, packed.byteLength), 1);
  return bytes;
}

/** Serializes a model to a gzipped buffer. */
export async function serializeModel(model: NgramModel): Promise<Buffer> {
  assertLittleEndian();
  const vocabBytes = Buffer.from(model.vocab.join("\n"), "utf8");
  const header = Buffer.from(
    JSON.stringify({
      format: FORMAT,
      version: MODEL_FORMAT_VERSION,
      order: model.order,
      discount: model.discount,
      vocabBytes: vocabBytes.length,
      vocabSize: model.vocab.length,
      levels: model.levels.map((level) => ({ order: level.order, contexts: level.contextTotals.length, entries: level.entryWords.length })),
      meta: model.meta,
    } satisfies z.infer<typeof headerSchema>),
    "utf8",
  );
  const headerLength = Buffer.alloc(4);
  headerLength.writeUInt32LE(header.length);
  const sections: Uint8Array[] = [headerLength, header, vocabBytes, packUints(model.unigramCounts)];
  for (const level of model.levels) {
    sections.push(packUints(level.contextIds), packUints(level.contextTotals), packUints(level.entryStart));
    sections.push(packUints(level.entryWords), packUints(level.entryCounts));
  }
  return gzipAsync(Buffer.concat(sections), { level: 9 });
}

/** Parses a buffer written by `serializeModel`. */
export async function deserializeModel(file: Buffer): Promise<NgramModel> {
  assertLittleEndian();
  const raw = await gunzipAsync(file).catch(() => {
    throw new ModelFormatError("Model file is not gzip data");
  });
  let offset = 0;
  const take = (length: number): Buffer => {
    if (offset + length > raw.length) throw new ModelFormatError("Model file is truncated");
    const slice = raw.subarray(offset, offset + length);
    offset += length;
    return slice;
  };
  const headerLength = take(4).readUInt32LE(0);
  const parsedHeader = headerSchema.safeParse(JSON.parse(take(headerLength).toString("utf8")));
  if (!parsedHeader.success || parsedHeader.data.version !== MODEL_FORMAT_VERSION) {
    throw new ModelFormatError(`Model file is not ${FORMAT} version ${MODEL_FORMAT_VERSION}`);
  }
  const header = parsedHeader.data;
  const vocab = take(header.vocabBytes).toString("utf8").split("\n");
  if (vocab.length !== header.vocabSize) throw new ModelFormatError("Model vocabulary size does not match its header");

  const readUints = (count: number): Uint32Array => {
    const width = take(1)[0];
    if (width !== 1 && width !== 2 && width !== 4) throw new ModelFormatError("Model file has a bad array width");
    // Copying into a fresh buffer gives the alignment typed arrays need.
    const bytes = Uint8Array.from(take(count * width));
    if (width === 4) return new Uint32Array(bytes.buffer);
    return Uint32Array.from(width === 2 ? new Uint16Array(bytes.buffer) : bytes);
  };

  const unigramCounts = readUints(header.vocabSize);
  const levels = header.levels.map(
    (level): NgramLevelData => ({
      order: level.order,
      contextIds: readUints(level.contexts * (level.order - 1)),
      contextTotals: readUints(level.contexts),
      entryStart: readUints(level.contexts + 1),
      entryWords: readUints(level.entries),
      entryCounts: readUints(level.entries),
    }),
  );
  if (offset !== raw.length) throw new ModelFormatError("Model file has trailing data");
  const data: NgramModelData = { order: header.order, discount: header.discount, vocab, unigramCounts, levels, meta: header.meta };
  return createModel(data);
}

/** Writes bytes to `outPath` via a temporary file and a rename, so readers never see a partial file. */
export async function writeFileAtomic(outPath: string, bytes: Uint8Array): Promise<void> {
  await mkdir(path.dirname(outPath), { recursive: true });
  const temporary = `${outPath}.${process.pid}.${randomBytes(6).toString("hex")}.tmp`;
  try {
    await writeFile(temporary, bytes);
    await rename(temporary, outPath);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
}

/** Trains the model and writes it to `outPath` atomically. */
export async function buildModelFile(outPath: string, options: TrainOptions = {}): Promise<{ bytes: number; ms: number }> {
  const started = performance.now();
  const model = await trainModel(options);
  const file = await serializeModel(model);
  await writeFileAtomic(outPath, file);
  return { bytes: file.length, ms: Math.round(performance.now() - started) };
}

/** Loads a model file written by `buildModelFile`. */
export async function loadModel(filePath: string): Promise<NgramModel> {
  return deserializeModel(await readFile(filePath));
}
