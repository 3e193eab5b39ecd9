/**
 * fmt: fills paragraphs, as GNU coreutils fmt: -w WIDTH (and -N), -g GOAL, -s (split only),
 * -u (uniform spacing), -c (crown margin), -t (tagged paragraph). The line breaking is GNU's
 * cost-minimising algorithm (fmt.c: short-line, raggedness, widow/orphan and sentence costs),
 * ported here so that filled output matches byte for byte; no npm package implements it.
 */
import { O_RDONLY } from "../fs/types.ts";
import type { CommandDefinition } from "../kernel/command-registry.ts";
import { describeError } from "./errors.ts";
import { parseArgs, UsageError, usageText } from "./lib/line-getopt.ts";
import { latin1, Output, quoteAlways } from "./lib/line-io.ts";

const TABWIDTH = 8;
const LEEWAY = 7;
const equiv = (n: number): number => n * n;
const shortCost = (n: number): number => equiv(n * 10);
const raggedCost = (n: number): number => Math.trunc(shortCost(n) / 2);
const LINE_COST = equiv(70);
const widowCost = (n: number): number => Math.trunc(equiv(200) / (n + 2));
const orphanCost = (n: number): number => Math.trunc(equiv(150) / (n + 2));
const SENTENCE_BONUS = equiv(50);
const NOBREAK_COST = equiv(600);
const PAREN_BONUS = equiv(40);
const PUNCT_BONUS = equiv(40);

interface Word {
  text: string;
  length: number;
  space: number;
  paren: boolean;
  period: boolean;
  punct: boolean;
  final: boolean;
  lineLength: number;
  bestCost: number;
  nextBreak: number;
}

interface Settings {
  maxWidth: number;
  goalWidth: number;
  split: boolean;
  uniform: boolean;
  crown: boolean;
  tagged: boolean;
}

/** A line of input: its indentation column and words (with the spacing after each). */
interface InputLine {
  indent: number;
  words: Word[];
  blank: boolean;
}

/** Splits one input line (no newline) into GNU fmt words; `tabs` is set when a tab is seen. */
function scanLine(text: string, uniform: boolean, state: { tabs: boolean }): InputLine {
  let col = 0;
  let i = 0;
  const space = (): void => {
    while (i < text.length) {
      if (text[i] === " ") col++;
      else if (text[i] === "\t") {
        state.tabs = true;
        col = (Math.floor(col / TABWIDTH) + 1) * TABWIDTH;
      } else break;
      i++;
    }
  };
  space();
  const indent = col;
  const words: Word[] = [];
  if (i >= text.length) return { indent, words, blank: true };
  while (i < text.length) {
    const start = i;
    // A word runs to the next white space character (isspace).
    while (i < text.length && !/[ \t\n\v\f\r]/.test(text[i])) i++;
    if (i === start) {
      // Other white space (\v \f \r) is part of no word; skip it like GNU's getc loop would.
      i++;
      continue;
    }
    const wordText = text.slice(start, i);
    col += wordText.length;
    const first = wordText[0];
    let finish = wordText.length - 1;
    const w: Word = {
      text: wordText,
      length: wordText.length,
      space: 0,
      paren: "(['`\"".includes(first),
      punct: /[!-/:-@[-`{-~]/.test(wordText[finish]),
      period: false,
      final: false,
      lineLength: 0,
      bestCost: 0,
      nextBreak: 0,
    };
    while (finish > 0 && ")]'\"".includes(wordText[finish])) finish--;
    w.period = ".?!".includes(wordText[finish]);
    const before = col;
    space();
    w.space = col - before;
    const atEnd = i >= text.length;
    w.final = atEnd ? w.period : w.period && w.space > 1;
    if (atEnd || uniform) w.space = w.final ? 2 : 1;
    words.push(w);
  }
  return { indent, words, blank: false };
}

function baseCost(words: Word[], k: number): number {
  let cost = LINE_COST;
  const w = words[k];
  if (k > 0) {
    const prev = words[k - 1];
    if (prev.period) {
      if (prev.final) cost -= SENTENCE_BONUS;
      else cost += NOBREAK_COST;
    } else if (prev.punct) cost -= PUNCT_BONUS;
    else if (k > 1 && words[k - 2].final) cost += widowCost(prev.length);
  }
  if (w.paren) cost -= PAREN_BONUS;
  else if (w.final) cost += orphanCost(w.length);
  return cost;
}

/** GNU fmt_paragraph: chooses break points minimising the total cost. */
function breakParagraph(words: Word[], first: number, other: number, s: Settings): void {
  const limit = words.length;
  const sentinel: Word = {
    text: "",
    length: s.maxWidth,
    space: 0,
    paren: false,
    period: false,
    punct: false,
    final: false,
    lineLength: 0,
    bestCost: 0,
    nextBreak: limit,
  };
  const all = [...words, sentinel];
  const lineCost = (next: number, len: number): number => {
    if (next === limit) return 0;
    let cost = shortCost(s.goalWidth - len);
    if (all[next].nextBreak !== limit) cost += raggedCost(len - all[next].lineLength);
    return cost;
  };
  for (let start = limit - 1; start >= 0; start--) {
    let best = Number.MAX_SAFE_INTEGER;
    let len = (start === 0 ? first : other) + all[start].length;
    let w = start;
    do {
      w++;
      const cost = lineCost(w, len) + all[w].bestCost;
      if (cost < best) {
        best = cost;
        all[start].nextBreak = w;
        all[start].lineLength = len;
      }
      if (w === limit) break;
      len += all[w - 1].space + all[w].length;
    } while (len < s.maxWidth);
    all[start].bestCost = best + baseCost(all, start);
  }
}

function spaces(from: number, count: number, tabs: boolean): { text: string; column: number } {
  let column = from;
  const target = from + count;
  let text = "";
  if (tabs) {
    const tabTarget = Math.floor(target / TABWIDTH) * TABWIDTH;
    if (column + 1 < tabTarget) {
      while (column < tabTarget) {
        text += "\t";
        column = (Math.floor(column / TABWIDTH) + 1) * TABWIDTH;
      }
    }
  }
  while (column < target) {
    text += " ";
    column++;
  }
  return { text, column };
}

function renderParagraph(
  words: Word[],
  first: number,
  other: number,
  s: Settings,
  tabs: boolean,
): string {
  breakParagraph(words, first, other, s);
  let out = "";
  let k = 0;
  let indent = first;
  while (k < words.length) {
    const end = words[k].nextBreak;
    let line = spaces(0, indent, tabs);
    let text = line.text;
    let column = line.column;
    for (let j = k; j < end; j++) {
      text += words[j].text;
      column += words[j].length;
      if (j < end - 1) {
        line = spaces(column, words[j].space, tabs);
        text += line.text;
        column = line.column;
      }
    }
    out += `${text}\n`;
    k = end;
    indent = other;
  }
  return out;
}

export const fmt: CommandDefinition = {
  name: "fmt",
  async main(ctx) {
    const args = ctx.argv
      .slice(1)
      .map((a, i) => (i === 0 && /^-[0-9]+$/.test(a) ? `-w${a.slice(1)}` : a));
    let parsed: ReturnType<typeof parseArgs>;
    try {
      parsed = parseArgs(args, {
        short: "cstuw:g:p:",
        long: [
          { name: "crown-margin", arg: "none", key: "c" },
          { name: "split-only", arg: "none", key: "s" },
          { name: "tagged-paragraph", arg: "none", key: "t" },
          { name: "uniform-spacing", arg: "none", key: "u" },
          { name: "width", arg: "required", key: "w" },
          { name: "goal", arg: "required", key: "g" },
          { name: "prefix", arg: "required", key: "p" },
          { name: "help", arg: "none", key: "help" },
          { name: "version", arg: "none", key: "version" },
        ],
      });
    } catch (err) {
      if (err instanceof UsageError) {
        await ctx.err(usageText("fmt", err.message));
        return 1;
      }
      throw err;
    }
    const s: Settings = {
      maxWidth: 75,
      goalWidth: 0,
      split: false,
      uniform: false,
      crown: false,
      tagged: false,
    };
    let width: number | undefined;
    let goal: number | undefined;
    for (const opt of parsed.options) {
      const v = opt.value ?? "";
      switch (opt.key) {
        case "c":
          s.crown = true;
          break;
        case "s":
          s.split = true;
          break;
        case "t":
          s.tagged = true;
          break;
        case "u":
          s.uniform = true;
          break;
        case "w":
          if (!/^[0-9]+$/.test(v) || Number(v) > 2500) {
            await ctx.err(`fmt: invalid width: ${quoteAlways(v)}\n`);
            return 1;
          }
          width = Number(v);
          break;
        case "g":
          if (!/^[0-9]+$/.test(v) || Number(v) > 2500) {
            await ctx.err(`fmt: invalid width: ${quoteAlways(v)}\n`);
            return 1;
          }
          goal = Number(v);
          break;
        case "p":
          await ctx.err("fmt: option '--prefix' is not supported\n");
          return 1;
        case "help":
          await ctx.out("Usage: fmt [-WIDTH] [OPTION]... [FILE]...\n");
          return 0;
        default:
          await ctx.out("fmt (GNU coreutils) 9.1\n");
          return 0;
      }
    }
    if (width !== undefined) {
      s.maxWidth = width;
      s.goalWidth = goal ?? Math.trunc((width * (2 * (100 - LEEWAY) + 1)) / 200);
    } else if (goal !== undefined) {
      s.goalWidth = goal;
      s.maxWidth = goal + 10;
    } else s.goalWidth = Math.trunc((s.maxWidth * (2 * (100 - LEEWAY) + 1)) / 200);
    if (s.goalWidth > s.maxWidth) {
      await ctx.err(`fmt: invalid width: ${quoteAlways(String(goal))}\n`);
      return 1;
    }
    const files = parsed.operands.length > 0 ? parsed.operands : ["-"];
    const out = new Output(ctx);
    let status = 0;
    for (const name of files) {
      let data: Uint8Array;
      try {
        if (name === "-") data = await ctx.readAll(0);
        else {
          const fd = await ctx.open(name, O_RDONLY);
          try {
            data = await ctx.readAll(fd);
          } finally {
            ctx.close(fd);
          }
        }
      } catch (err) {
        if (!ctx.alive) throw err;
        await out.flush();
        await ctx.err(`fmt: cannot open ${quoteAlways(name)} for reading: ${describeError(err)}\n`);
        status = 1;
        continue;
      }
      await out.write(Buffer.from(formatText(latin1(data), s), "latin1"));
    }
    await out.flush();
    return status;
  },
};

/** Formats a whole input (latin1 text) the way GNU fmt does. */
export function formatText(text: string, s: Settings): string {
  const state = { tabs: false };
  const rawLines = text.split("\n");
  if (rawLines[rawLines.length - 1] === "") rawLines.pop();
  // Scanned lazily: GNU decides on tabs in the output from the input read so far.
  const scanned: InputLine[] = [];
  const lines = {
    get length(): number {
      return rawLines.length;
    },
    at(k: number): InputLine {
      while (scanned.length <= k)
        scanned.push(scanLine(rawLines[scanned.length], s.uniform, state));
      return scanned[k];
    },
  };
  let out = "";
  let i = 0;
  while (i < lines.length) {
    const line = lines.at(i);
    if (line.blank) {
      out += "\n";
      i++;
      continue;
    }
    const first = line.indent;
    const words = [...line.words];
    i++;
    let other = first;
    if (!s.split) {
      if (s.crown) {
        if (i < lines.length && !lines.at(i).blank) other = lines.at(i).indent;
        while (i < lines.length && !lines.at(i).blank && lines.at(i).indent === other) {
          words.push(...lines.at(i).words);
          i++;
        }
      } else if (s.tagged) {
        if (i < lines.length && !lines.at(i).blank && lines.at(i).indent !== first) {
          other = lines.at(i).indent;
          while (i < lines.length && !lines.at(i).blank && lines.at(i).indent === other) {
            words.push(...lines.at(i).words);
            i++;
          }
        }
      } else {
        while (i < lines.length && !lines.at(i).blank && lines.at(i).indent === first) {
          words.push(...lines.at(i).words);
          i++;
        }
      }
    }
    const last = words[words.length - 1];
    last.period = true;
    last.final = true;
    out += renderParagraph(words, first, other, s, state.tabs);
  }
  return out;
}
