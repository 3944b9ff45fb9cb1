import { countTokens } from "gpt-tokenizer";
import { beforeAll, describe, expect, it } from "vitest";
import { countTokensWithin, tokenChunks } from "./tokens";

const PROSE = `The committee met on Tuesday, as it always had, in the long room above the old post office. Nobody could remember
who had first suggested the arrangement; it wasn't written down anywhere, and the minutes from 1987 were lost in the flood.
"We'll start with the budget," said Mrs. Abernathy, who'd chaired the meeting for eleven years. "Then the river path—if there's time."
There never was time. The budget alone took an hour and forty minutes: £12,450.75 for repairs, $3,200 (roughly) for the festival,
and a disputed 17.5% increase in the cost of printing. Mr. O'Neill asked, twice, whether the figures included VAT; they didn't.

By half past nine the tea had gone cold and the rain had started again. Someone opened a window. Someone else closed it.
It’s hard to say, in retrospect, what anyone expected to decide; the vote was 6–5, the same as last year's, and the year before's.
`;

const CODE = `import { readFile } from "node:fs/promises";

export async function loadConfig(path: string): Promise<Record<string, unknown>> {
    const text = await readFile(path, "utf8");
    if (text.trim() === "") {
        throw new Error(\`empty config at \${path}\`);
    }
    try {
        return JSON.parse(text) as Record<string, unknown>;
    } catch (error) {
        console.error("bad JSON:", error);
        return {};
    }
}

def fibonacci(n: int) -> list[int]:
\tseq = [0, 1]
\twhile len(seq) < n:
\t\tseq.append(seq[-1] + seq[-2])  # O(n) time, O(n) space
\treturn seq[:n]

SELECT u.id, COUNT(*) AS n FROM "User" u JOIN "Order" o ON o."userId" = u.id WHERE o.total >= 100.00 GROUP BY 1 HAVING n > 3;\r
for (let i = 0; i < 10_000; i++) { sum += arr[i] ** 2 / (i + 1); } // 0x1F, 1e-9, -42, 3.14159\r
`;

const PUNCTUATION = `Wait... what?! No -- really??? (Yes.) [Maybe]; {perhaps}: <never>. "Quoted," 'single', «guillemets», „low“ … §12(b)(iii) — see p. 4–7!
Email: first.last+tag@example.co.uk | URL: https://example.com/a/b?c=1&d=%20e#frag | path: C:\\Users\\me\\file.txt
Math: 2+2=4, x^2 - 3x + 2 ≥ 0, ∑ᵢ aᵢ ≈ 1.0e+10, ½ ¾ ⅞, 10°C → 50°F, ±0.001, 99.999%, #1, @user, $HOME, ~/.bashrc, a_b-c.d
`;

const CONTRACTIONS = `I'm sure they're right, but you'd think we'd've noticed. She's gone; he'll stay. It's John's, not Mary's. Don't, won't, can't, shouldn't.
I’M SURE THEY’RE RIGHT. y'all ain't seen nothin' yet. 'Tis the season. Rock 'n' roll. O'Brien's dog's bone's gone. We've, you've, they'd.
`;

const NUMBERS = `Order #4815162342 shipped 2026-06-15T12:34:56Z; tracking 1Z999AA10123456784. Phone +1 (555) 010-9999 ext. 12.
Totals: 1, 12, 123, 1234, 12345, 123456, 1234567, 3.141592653589793, -0.000001, 6.022e23, 0b1011, 0o777, 0xDEADBEEF, 1,000,000.00.
Roman: XIV, MMXXVI. Fractions: 22/7, 3/4. Versions: v1.2.3-beta.4+build.567. Coordinates: 51.5074° N, 0.1278° W.
`;

const CJK = `北京是中国的首都，有着三千多年的历史。故宫、长城和天坛都是世界闻名的古迹！你去过吗？
「今日は良い天気ですね」と彼女は言った。私たちは公園へ行き、桜の木の下でお弁当を食べました。
서울은 대한민국의 수도입니다. 한강이 도시를 가로질러 흐르고, 많은 사람들이 주말에 산책을 즐깁니다.
价格：人民币１２３元（含税）。电话：０１０－１２３４５６７８。会议将于2026年6月15日上午9点开始；请准时参加。
`;

const EMOJI = `Great job 👍🏽🎉! Family: 👨‍👩‍👧‍👦, flags: 🇫🇷🇯🇵🇧🇷, hearts ❤️🧡💛💚💙💜, keycaps 1️⃣2️⃣#️⃣, skin tones 👋🏻👋🏿.
Weather ☀️→🌧️→⛈️; food 🍕🍣🥐; "ok👌" and 🙂🙃😉 in a row; text-presentation ☺︎ vs emoji ☺️; 🏳️‍🌈 🏴‍☠️ 🧑🏽‍💻.
`;

const MIXED = `## Release notes (v2.3)
- Fixed: crash when the title contained "😀" or 中文 characters (#1234).
- Changed: \`maxTokens\` now defaults to 256; see docs → https://docs.example.com/limits.
| Name | Größe | 数量 |
|------|-------|------|
| Äpfel | 1,5 kg | 三 |
> Note: don't forget — the café's Wi‑Fi password is "naïve-résumé-2026".
Ελληνικά: Καλημέρα κόσμε! Русский: Привет, мир. العربية: مرحبا بالعالم. עברית: שלום עולם. हिन्दी: नमस्ते दुनिया।
`;

/** Several KB of a kind of text: its sample repeated with numbered variations, so no two paragraphs are the same. */
/** A word a line with Windows and old Mac line ends, long enough to need cuts: one is safe before a carriage return. */
const CARRIAGE_RETURNS = "alpha\r\nbeta\r\ngamma\r\r\ndelta\rx\r ".repeat(30);
/** Combining marks: on letters (Devanagari, decomposed accents) they belong to the word; after a digit or punctuation
 * they start or join a punctuation run, so no cut is made after them. */
const MARKS = "नमस्ते दुनिया, यह एक परीक्षण है। Cafe\u0301 re\u0301sume\u0301 9\u0301-3 .\u0301-- «\u0301» ";

function severalKb(sample: string, bytes = 8_000): string {
  let text = "";
  for (let i = 1; Buffer.byteLength(text) < bytes; i++) text += `${i}. ${sample.replaceAll("the", i % 2 ? "the" : "The")}\n`;
  return text;
}

/** Deterministic pseudo-random letters: one unbroken "word" with nowhere to cut safely. */
function unbrokenWord(length: number, alphabet: string, seed = 12345): string {
  let word = "";
  for (let i = 0; i < length; i++) {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    word += alphabet[seed % alphabet.length];
  }
  return word;
}

/**
 * Runs `work` while a setImmediate ticker runs, and returns the longest stretch the ticker was kept waiting. The stretch
 * is measured in CPU time of this process: that is the work done without yielding, and it does not count the moments
 * a busy machine gives to other processes (wall time is reported alongside for the failure message).
 */
async function longestSynchronousStretch(work: () => Promise<unknown>): Promise<{ cpuMs: number; wallMs: number; ticks: number }> {
  let lastWall = performance.now();
  let lastCpu = process.cpuUsage();
  let longest = { cpuMs: 0, wallMs: 0, ticks: 0 };
  let isRunning = true;
  const measure = () => {
    const cpu = process.cpuUsage(lastCpu);
    const now = performance.now();
    longest = { cpuMs: Math.max(longest.cpuMs, (cpu.user + cpu.system) / 1000), wallMs: Math.max(longest.wallMs, now - lastWall), ticks: longest.ticks + 1 };
    lastWall = now;
    lastCpu = process.cpuUsage();
  };
  const tick = () => {
    measure();
    if (isRunning) setImmediate(tick);
  };
  setImmediate(tick);
  await work();
  isRunning = false;
  // The stretch from the last tick to the end counts too.
  measure();
  return longest;
}

beforeAll(() => {
  // Loads the encoder, as the server's warm-up does, so the first measured chunk is not the tokenizer's set-up.
  countTokens("warm up");
});

describe("countTokensWithin", () => {
  const samples = { prose: PROSE, code: CODE, punctuation: PUNCTUATION, contractions: CONTRACTIONS, numbers: NUMBERS, cjk: CJK, emoji: EMOJI, mixed: MIXED, "carriage returns": CARRIAGE_RETURNS, "combining marks": MARKS };

  for (const [name, sample] of Object.entries(samples)) {
    it(`counts several KB of ${name} exactly as gpt-tokenizer counts the whole text`, async () => {
      const text = severalKb(sample);
      expect([...tokenChunks(text)].length).toBeGreaterThan(5);
      expect(await countTokensWithin([text], Number.MAX_SAFE_INTEGER)).toBe(countTokens(text));
    });
  }

  it("counts all the kinds mixed in one long text, several texts and the overhead exactly", async () => {
    const texts = Object.values(samples).map((sample) => severalKb(sample, 5_000));
    const all = texts.join("");
    const expected = texts.reduce((sum, text) => sum + countTokens(text), 0);
    expect(await countTokensWithin(texts, Number.MAX_SAFE_INTEGER, 7)).toBe(expected + 7);
    expect(await countTokensWithin([all], Number.MAX_SAFE_INTEGER)).toBe(countTokens(all));
    expect(await countTokensWithin(["Hi there", ""], 100, 9)).toBe(countTokens("Hi there") + 9);
  });

  it("stops soon after passing the limit and returns a number above it", async () => {
    const text = severalKb(PROSE, 200_000);
    const total = countTokens(text);
    const counted = await countTokensWithin([text], 100);
    expect(counted).toBeGreaterThan(100);
    // At most one chunk (512 characters) past the limit: nowhere near the whole text.
    expect(counted).toBeLessThanOrEqual(100 + 512);
    expect(total).toBeGreaterThan(10 * counted);
    // A later text is not counted once an earlier one passed the limit.
    expect(await countTokensWithin([text, text], 100)).toBe(counted);
    // At the limit exactly is not past it.
    expect(await countTokensWithin([text], total)).toBe(total);
    expect(await countTokensWithin([text], total - 1)).toBeGreaterThan(total - 1);
  });

  it("counts a 200 KB unbroken word without keeping the event loop for more than 50 ms at a time", async () => {
    const word = unbrokenWord(200_000, "abcdefghijklmnopqrstuvwxyz");
    let counted = 0;
    const stretch = await longestSynchronousStretch(async () => {
      counted = await countTokensWithin([word], Number.MAX_SAFE_INTEGER);
    });
    expect(stretch.cpuMs, `longest stretch ${stretch.cpuMs.toFixed(1)} ms CPU (${stretch.wallMs.toFixed(1)} ms wall) over ${stretch.ticks} ticks`).toBeLessThan(50);
    // Counted chunk by chunk (no safe boundary: the count is approximate), every character of it.
    const chunks = [...tokenChunks(word)];
    expect(chunks.join("")).toBe(word);
    expect(counted).toBe(chunks.reduce((sum, chunk) => sum + countTokens(chunk), 0));
    expect(counted).toBeGreaterThan(word.length / 10);
  });

  it("yields between many short texts too: 300 messages of 512 unbroken letters for a key with a large prompt limit", async () => {
    // Each text is short enough to be counted whole (about 5 ms each); together they took 1.5 s without a yield.
    // All different: the tokenizer caches what it has seen.
    const texts = Array.from({ length: 300 }, (_, i) => unbrokenWord(512, "abcdefghijklmnopqrstuvwxyz", i + 1));
    let counted = 0;
    const stretch = await longestSynchronousStretch(async () => {
      counted = await countTokensWithin(texts, 1_000_000, 903);
    });
    expect(stretch.cpuMs, `longest stretch ${stretch.cpuMs.toFixed(1)} ms CPU (${stretch.wallMs.toFixed(1)} ms wall) over ${stretch.ticks} ticks`).toBeLessThan(50);
    expect(counted).toBe(texts.reduce((sum, text) => sum + countTokens(text), 903));
  });

  it("counts 200 KB of unpunctuated CJK and emoji without keeping the event loop for more than 50 ms at a time", async () => {
    const han = unbrokenWord(100_000, "的一是不了人我在有他这中大来上国个到说们为子和你地出道也时年");
    const emoji = "👨‍👩‍👧‍👦🇫🇷👍🏽".repeat(4_000);
    const stretch = await longestSynchronousStretch(() => countTokensWithin([han, emoji], Number.MAX_SAFE_INTEGER));
    expect(stretch.cpuMs, `longest stretch ${stretch.cpuMs.toFixed(1)} ms CPU (${stretch.wallMs.toFixed(1)} ms wall)`).toBeLessThan(50);
  });
});

describe("tokenChunks", () => {
  it("splits text into chunks that join back, never splitting a surrogate pair", () => {
    for (const text of [severalKb(MIXED), severalKb(EMOJI), "😀".repeat(5_000), unbrokenWord(3_000, "ab"), "a😀".repeat(2_000)]) {
      const chunks = [...tokenChunks(text)];
      expect(chunks.join("")).toBe(text);
      for (const chunk of chunks) {
        expect(chunk.isWellFormed()).toBe(true);
        expect(chunk.length).toBeGreaterThan(0);
        expect(chunk.length).toBeLessThanOrEqual(513);
      }
    }
  });

  it("leaves short text whole", () => {
    expect([...tokenChunks("Hello, world.")]).toEqual(["Hello, world."]);
    expect([...tokenChunks("")]).toEqual([]);
  });
});
