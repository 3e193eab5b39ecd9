/**
 * patch: applies unified diffs, as GNU patch 2.7 does. Options: -p N, -R, --dry-run, -i FILE,
 * -N (--forward), -o FILE, -b (--backup), -d DIR, -E, -F N (--fuzz), -f, -t, -s,
 * --no-backup-if-mismatch, -r FILE. Hunks are located with GNU's search (expected place plus
 * the running offset, then alternately forward and backward, with fuzz 0..2 ignoring outer
 * context lines); messages ("Hunk #1 succeeded at 12 (offset 2 lines).", "FAILED", rejects to
 * FILE.rej, reversed-patch detection) follow GNU. Files are created and removed through
 * /dev/null headers (or when empty afterwards with -E). Context and normal diffs are not
 * supported yet.
 */
import { isKernelError } from "../fs/errors.ts";
import { isDirMode } from "../fs/types.ts";
import type { CommandDefinition } from "../kernel/command-registry.ts";
import type { ProcessContext } from "../kernel/process-context.ts";
import { describeError } from "./errors.ts";
import { getoptLong, type LongOption } from "./lib/diff-getopt.ts";
import { latin1, OutBuffer } from "./lib/diff-outbuf.ts";

const LONGS: LongOption[] = [
  { name: "backup", arg: "none", key: "b" },
  { name: "batch", arg: "none", key: "t" },
  { name: "directory", arg: "required", key: "d" },
  { name: "dry-run", arg: "none", key: "dry-run" },
  { name: "force", arg: "none", key: "f" },
  { name: "forward", arg: "none", key: "N" },
  { name: "fuzz", arg: "required", key: "F" },
  { name: "help", arg: "none", key: "help" },
  { name: "input", arg: "required", key: "i" },
  { name: "no-backup-if-mismatch", arg: "none", key: "no-backup-if-mismatch" },
  { name: "output", arg: "required", key: "o" },
  { name: "quiet", arg: "none", key: "s" },
  { name: "reject-file", arg: "required", key: "r" },
  { name: "remove-empty-files", arg: "none", key: "E" },
  { name: "reverse", arg: "none", key: "R" },
  { name: "silent", arg: "none", key: "s" },
  { name: "strip", arg: "required", key: "p" },
  { name: "unified", arg: "none", key: "u" },
  { name: "version", arg: "none", key: "v" },
];

interface HunkLine {
  kind: " " | "-" | "+";
  text: string;
  /** The line has no newline at its end ("\ No newline at end of file"). */
  noNewline: boolean;
}

interface Hunk {
  header: string;
  oldStart: number;
  oldCount: number;
  newStart: number;
  newCount: number;
  lines: HunkLine[];
}

interface FilePatch {
  /** Patch text lines before and including the "+++" line, for messages. */
  leading: string[];
  oldHeader: string;
  newHeader: string;
  oldName: string;
  newName: string;
  /** 1-based input line number of the first hunk header. */
  hunkLine: number;
  hunks: Hunk[];
}

interface PatchOptions {
  strip: number | undefined;
  reverse: boolean;
  dryRun: boolean;
  forward: boolean;
  output: string | undefined;
  backup: boolean;
  backupIfMismatch: boolean;
  removeEmpty: boolean;
  fuzz: number;
  force: boolean;
  batch: boolean;
  silent: boolean;
  rejectFile: string | undefined;
}

function headerName(rest: string): string {
  const tab = rest.indexOf("\t");
  let name = tab >= 0 ? rest.slice(0, tab) : rest;
  if (tab < 0) {
    // Without a tab, a trailing timestamp may follow after spaces.
    const m = /^(.*?)\s+\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(\.\d+)? [+-]\d{4}$/.exec(name);
    if (m) name = m[1];
  }
  name = name.replace(/\s+$/, "");
  if (name.startsWith('"') && name.endsWith('"') && name.length >= 2) {
    name = name.slice(1, -1).replace(/\\(.)/g, "$1");
  }
  return name;
}

/** Parses the unified diffs in `text` (latin1). */
function parsePatch(text: string): FilePatch[] {
  const lines = text.split("\n");
  if (lines[lines.length - 1] === "") lines.pop();
  const patches: FilePatch[] = [];
  let leadStart = 0;
  let i = 0;
  while (i < lines.length) {
    const line = lines[i];
    if (
      line.startsWith("--- ") &&
      i + 2 < lines.length + 1 &&
      lines[i + 1]?.startsWith("+++ ") &&
      lines[i + 2]?.startsWith("@@ -")
    ) {
      const fp: FilePatch = {
        leading: lines.slice(leadStart, i + 2),
        oldHeader: line,
        newHeader: lines[i + 1],
        oldName: headerName(line.slice(4)),
        newName: headerName(lines[i + 1].slice(4)),
        hunkLine: i + 3,
        hunks: [],
      };
      i += 2;
      while (i < lines.length && lines[i].startsWith("@@ -")) {
        const m = /^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@/.exec(lines[i]);
        if (!m) break;
        const hunk: Hunk = {
          header: lines[i],
          oldStart: Number(m[1]),
          oldCount: m[2] === undefined ? 1 : Number(m[2]),
          newStart: Number(m[3]),
          newCount: m[4] === undefined ? 1 : Number(m[4]),
          lines: [],
        };
        i++;
        let oldSeen = 0;
        let newSeen = 0;
        while (i < lines.length && (oldSeen < hunk.oldCount || newSeen < hunk.newCount)) {
          const l = lines[i];
          const c = l[0];
          if (c === "\\") {
            const last = hunk.lines[hunk.lines.length - 1];
            if (last) last.noNewline = true;
            i++;
            continue;
          }
          if (c === " " || c === undefined) {
            hunk.lines.push({ kind: " ", text: l.slice(1), noNewline: false });
            oldSeen++;
            newSeen++;
          } else if (c === "-") {
            hunk.lines.push({ kind: "-", text: l.slice(1), noNewline: false });
            oldSeen++;
          } else if (c === "+") {
            hunk.lines.push({ kind: "+", text: l.slice(1), noNewline: false });
            newSeen++;
          } else break;
          i++;
        }
        while (i < lines.length && lines[i].startsWith("\\")) {
          const last = hunk.lines[hunk.lines.length - 1];
          if (last) last.noNewline = true;
          i++;
        }
        fp.hunks.push(hunk);
      }
      patches.push(fp);
      leadStart = i;
      continue;
    }
    i++;
  }
  return patches;
}

function stripName(name: string, strip: number | undefined): string {
  if (strip === undefined) return name.slice(name.lastIndexOf("/") + 1);
  let rest = name;
  for (let k = 0; k < strip; k++) {
    const slash = rest.indexOf("/");
    if (slash < 0) return rest;
    rest = rest.slice(slash + 1).replace(/^\/+/, "");
  }
  return rest;
}

const isDevNull = (name: string): boolean => name === "/dev/null";

/** GNU patch takes a header dated at the Epoch (as diff -N writes) to mean "no such file". */
const EPOCH = /\t1970-01-01 00:00:00(\.0+)? \+0000$/;

class Patcher {
  readonly ctx: ProcessContext;
  readonly opts: PatchOptions;
  readonly out: OutBuffer;
  status = 0;

  constructor(ctx: ProcessContext, opts: PatchOptions) {
    this.ctx = ctx;
    this.opts = opts;
    this.out = new OutBuffer(ctx);
  }

  async say(s: string): Promise<void> {
    if (!this.opts.silent) await this.out.text(s);
  }

  async exists(name: string): Promise<boolean> {
    try {
      await this.ctx.stat(name);
      return true;
    } catch {
      return false;
    }
  }

  async apply(fp: FilePatch): Promise<void> {
    const o = this.opts;
    let reverse = o.reverse;
    const oldName = isDevNull(fp.oldName) ? fp.oldName : stripName(fp.oldName, o.strip);
    const newName = isDevNull(fp.newName) ? fp.newName : stripName(fp.newName, o.strip);
    const hunks = fp.hunks;
    const n = hunks.length;
    const plural = (k: number) => (k === 1 ? "hunk" : "hunks");
    const oldGone = isDevNull(oldName) || EPOCH.test(fp.oldHeader);
    const newGone = isDevNull(newName) || EPOCH.test(fp.newHeader);
    let creating = reverse ? newGone : oldGone;
    let deleting = reverse ? oldGone : newGone;
    let target: string | undefined;
    if (creating) {
      // Both names are new: prefer one whose directory exists, then GNU's shortest name.
      const names = [oldName, newName].filter((c) => !isDevNull(c) && c !== "");
      const withDir: string[] = [];
      for (const c of names) {
        const slash = c.lastIndexOf("/");
        if (slash < 0 || (await this.exists(c.slice(0, slash)))) withDir.push(c);
      }
      target = bestName(withDir.length > 0 ? withDir : names) ?? newName;
    } else if (deleting) target = reverse ? newName : oldName;
    else {
      const candidates = [oldName, newName].filter((c) => c !== "");
      const existing: string[] = [];
      for (const c of candidates) if (await this.exists(c)) existing.push(c);
      target = bestName(existing);
    }
    if (target === undefined || (deleting && !(await this.exists(target)))) {
      if (target === undefined) {
        let s = `can't find file to patch at input line ${fp.hunkLine}\n`;
        if (o.strip === undefined) s += "Perhaps you should have used the -p or --strip option?\n";
        s += "The text leading up to this was:\n--------------------------\n";
        for (const l of fp.leading) s += `|${l}\n`;
        s += "--------------------------\n";
        if (o.force || o.batch) s += `No file to patch.  Skipping patch.\n`;
        else s += "File to patch: \nSkip this patch? [y] \nSkipping patch.\n";
        s += `${n} out of ${n} ${plural(n)} ignored\n`;
        await this.say(s);
        this.status = Math.max(this.status, 1);
        return;
      }
      if (o.force) {
        await this.say(
          `The next patch would delete the file ${target},\nwhich does not exist!  Applying it anyway.\n`,
        );
      } else {
        await this.say(
          `The next patch would delete the file ${target},\nwhich does not exist!  Assume -R? [n] \nApply anyway? [n] \nSkipping patch.\n${n} out of ${n} ${plural(n)} ignored\n`,
        );
        this.status = Math.max(this.status, 1);
        return;
      }
    }
    const outName = o.output ?? target;
    // Read the input file.
    let inputLines: string[] = [];
    let missingNewline = false;
    let inputExists = false;
    let inputMode = 0o644;
    try {
      const st = await this.ctx.stat(target);
      if (isDirMode(st.mode)) {
        await this.say(`patching file ${target}\n`);
        await this.out.flush();
        await this.ctx.err(`patch: **** Can't open file ${target} : Is a directory\n`);
        this.status = 2;
        return;
      }
      inputMode = st.mode & 0o7777;
      const text = latin1(await this.ctx.readFile(target));
      inputExists = true;
      if (text.length > 0) {
        inputLines = text.split("\n");
        missingNewline = inputLines[inputLines.length - 1] !== "";
        if (!missingNewline) inputLines.pop();
      }
    } catch (err) {
      if (!(isKernelError(err) && err.code === "ENOENT")) throw err;
    }
    const verb = o.dryRun ? "checking" : "patching";
    await this.say(
      o.output !== undefined && !creating
        ? `${verb} file ${outName} (read from ${target})\n`
        : `${verb} file ${target}\n`,
    );
    if (creating && inputExists && inputLines.length > 0) {
      // Creating a file that already exists: GNU treats it as a reversed patch.
      creating = false;
    }

    const swapHunk = (h: Hunk): Hunk => ({
      header: h.header,
      oldStart: h.newStart,
      oldCount: h.newCount,
      newStart: h.oldStart,
      newCount: h.oldCount,
      lines: orderChanges(
        h.lines.map((l) => ({
          ...l,
          kind: l.kind === "-" ? "+" : l.kind === "+" ? "-" : " ",
        })),
      ),
    });
    let work = reverse ? hunks.map(swapHunk) : hunks;

    const output: string[] = [];
    let outputMissingNewline = false;
    let inPos = 0; // lines of input copied/consumed so far (0-based index of next line)
    let inOffset = 0;
    let outOffset = 0;
    let failed = 0;
    let mismatch = false;
    const rejects: Hunk[] = [];
    let skipRest = false;

    const locate = (h: Hunk, fuzz: number): number => {
      const pattern = h.lines.filter((l) => l.kind !== "+");
      const patLines = pattern.length;
      let prefixContext = 0;
      while (prefixContext < h.lines.length && h.lines[prefixContext].kind === " ") prefixContext++;
      let suffixContext = 0;
      while (
        suffixContext < h.lines.length &&
        h.lines[h.lines.length - 1 - suffixContext].kind === " "
      )
        suffixContext++;
      if (prefixContext === h.lines.length) suffixContext = prefixContext;
      const first = h.oldCount === 0 ? h.oldStart + 1 : h.oldStart;
      const firstGuess = first + inOffset;
      const context = Math.max(prefixContext, suffixContext);
      let prefixFuzz = fuzz + prefixContext - context;
      const suffixFuzz = fuzz + suffixContext - context;
      const inputCount = inputLines.length;
      const lastFrozen = inPos;
      const maxWhere = inputCount - (patLines - suffixFuzz) + 1;
      const minWhere = lastFrozen + 1 - (prefixContext - prefixFuzz);
      const maxPos = maxWhere - firstGuess;
      let maxNeg = firstGuess - minWhere;
      const maxOffset = Math.max(maxPos, maxNeg);
      if (patLines === 0) return firstGuess;
      if (firstGuess <= maxNeg) maxNeg = firstGuess - 1;
      const match = (base: number, pf: number, sf: number): boolean => {
        for (let k = pf; k < patLines - sf; k++) {
          const idx = base - 1 + k;
          if (idx < 0 || idx >= inputCount) return false;
          if (inputLines[idx] !== pattern[k].text) return false;
          const atEnd = idx === inputCount - 1;
          if (pattern[k].noNewline && !(atEnd && missingNewline)) return false;
        }
        return true;
      };
      if (prefixFuzz < 0 && first <= 1) {
        if (suffixFuzz < 0 && (patLines !== inputCount || prefixContext < lastFrozen)) return 0;
        const offset = 1 - firstGuess;
        if (
          lastFrozen <= prefixContext &&
          offset <= maxPos &&
          match(firstGuess + offset, 0, suffixFuzz)
        ) {
          inOffset += offset;
          return firstGuess + offset;
        }
        return 0;
      }
      if (prefixFuzz < 0) prefixFuzz = 0;
      if (suffixFuzz < 0) {
        const offset = firstGuess - (inputCount - patLines + 1);
        if (offset <= maxNeg && match(firstGuess - offset, prefixFuzz, 0)) {
          inOffset -= offset;
          return firstGuess - offset;
        }
        return 0;
      }
      for (let offset = 0; offset <= maxOffset; offset++) {
        if (offset <= maxPos && match(firstGuess + offset, prefixFuzz, suffixFuzz)) {
          inOffset += offset;
          return firstGuess + offset;
        }
        if (offset > 0 && offset <= maxNeg && match(firstGuess - offset, prefixFuzz, suffixFuzz)) {
          inOffset -= offset;
          return firstGuess - offset;
        }
      }
      return 0;
    };

    for (let hi = 0; hi < work.length; hi++) {
      let h = work[hi];
      const hunkNo = hi + 1;
      let where = 0;
      let fuzz = 0;
      let prefixContext = 0;
      while (prefixContext < h.lines.length && h.lines[prefixContext].kind === " ") prefixContext++;
      let suffixContext = 0;
      while (
        suffixContext < h.lines.length &&
        h.lines[h.lines.length - 1 - suffixContext].kind === " "
      )
        suffixContext++;
      const maxFuzz = Math.min(o.fuzz, Math.max(prefixContext, suffixContext));
      if (!skipRest) {
        do {
          where = locate(h, fuzz);
          if (!where || fuzz || inOffset) mismatch = true;
          if (hunkNo === 1 && !where && fuzz === 0 && !o.force) {
            const swapped = swapHunk(h);
            const savedOffset = inOffset;
            const w2 = locate(swapped, 0);
            if (w2) {
              const what = reverse
                ? "Unreversed patch detected!"
                : "Reversed (or previously applied) patch detected!";
              if (o.batch) {
                await this.say(`${what}  ${reverse ? "Ignoring -R." : "Assuming -R."}\n`);
                reverse = !reverse;
                work = work.map(swapHunk);
                h = work[hi];
                where = w2;
                if (creating || deleting) [creating, deleting] = [deleting, creating];
              } else if (o.forward && !reverse) {
                await this.say(`${what}  Skipping patch.\n`);
                skipRest = true;
                inOffset = savedOffset;
              } else {
                await this.say(
                  `${what}  ${reverse ? "Ignore -R?" : "Assume -R?"} [n] \nApply anyway? [n] \nSkipping patch.\n`,
                );
                skipRest = true;
                inOffset = savedOffset;
              }
            } else inOffset = savedOffset;
          }
        } while (!skipRest && !where && ++fuzz <= maxFuzz);
      }
      const first = h.oldCount === 0 ? h.oldStart + 1 : h.oldStart;
      if (skipRest) {
        failed++;
        rejects.push(h);
        continue;
      }
      if (!where) {
        failed++;
        rejects.push(h);
        await this.say(`Hunk #${hunkNo} FAILED at ${first + inOffset + outOffset}.\n`);
        continue;
      }
      // Apply: copy input up to where-1, then walk the hunk.
      while (inPos < where - 1) output.push(inputLines[inPos++]);
      for (const l of h.lines) {
        if (l.kind === " ") output.push(inputLines[inPos++]);
        else if (l.kind === "-") inPos++;
        else output.push(l.text);
      }
      const last = h.lines[h.lines.length - 1];
      if (inPos >= inputLines.length && last) {
        outputMissingNewline = last.kind === " " ? missingNewline : last.noNewline;
        if (last.kind === "-") outputMissingNewline = false;
        const lastNew = [...h.lines].reverse().find((l) => l.kind !== "-");
        if (lastNew)
          outputMissingNewline = lastNew.kind === " " ? missingNewline : lastNew.noNewline;
      }
      const newwhere = where + outOffset;
      const plusLines = h.lines.filter((l) => l.kind === "+").length;
      const minusLines = h.lines.filter((l) => l.kind === "-").length;
      outOffset += plusLines - minusLines;
      if (fuzz || inOffset) {
        let s = `Hunk #${hunkNo} succeeded at ${newwhere}`;
        if (fuzz) s += ` with fuzz ${fuzz}`;
        if (inOffset) s += ` (offset ${inOffset} line${Math.abs(inOffset) === 1 ? "" : "s"})`;
        await this.say(`${s}.\n`);
      }
    }
    // Copy the rest of the input.
    const copiedAll = inPos >= inputLines.length;
    while (inPos < inputLines.length) output.push(inputLines[inPos++]);
    if (!copiedAll) outputMissingNewline = missingNewline;
    else if (output.length === 0) outputMissingNewline = false;

    if (!o.dryRun) {
      const allFailed = failed === work.length;
      if (!(allFailed && failed > 0 && !inputExists)) {
        const content =
          output.length === 0 ? "" : output.join("\n") + (outputMissingNewline ? "" : "\n");
        const remove = failed === 0 && content === "" && (o.removeEmpty || deleting);
        if (!(skipRest && failed === work.length)) {
          if ((o.backup || (mismatch && o.backupIfMismatch)) && inputExists) {
            const original = latin1Join(inputLines, missingNewline);
            await this.ctx.writeFile(`${target}.orig`, Buffer.from(original, "latin1"));
          }
          if (remove && o.output === undefined) {
            await this.ctx.unlink(target);
          } else {
            await this.ensureDir(outName);
            await this.ctx.writeFile(outName, Buffer.from(content, "latin1"), inputMode);
          }
        }
      }
    }
    if (failed > 0) {
      const rejName = o.rejectFile ?? `${outName}.rej`;
      const what = skipRest ? "ignored" : "FAILED";
      const saving = o.dryRun ? "" : ` -- saving rejects to file ${rejName}`;
      await this.say(`${failed} out of ${work.length} ${plural(work.length)} ${what}${saving}\n`);
      if (!o.dryRun) {
        const oldRej = isDevNull(fp.oldName) ? fp.oldName : oldName;
        const newRej = isDevNull(fp.newName) ? fp.newName : newName;
        let rej = `--- ${oldRej}${tail(fp.oldHeader)}\n+++ ${newRej}${tail(fp.newHeader)}\n`;
        for (const h of rejects) {
          const range = (start: number, count: number): string => {
            const first = (count === 0 ? start + 1 : start) + outOffset;
            return count === 1 ? `${first}` : count === 0 ? `${first - 1},0` : `${first},${count}`;
          };
          rej += `@@ -${range(h.oldStart, h.oldCount)} +${range(h.newStart, h.newCount)} @@\n`;
          for (const l of h.lines) {
            rej += `${l.kind}${l.text}\n`;
            if (l.noNewline) rej += "\\ No newline at end of file\n";
          }
        }
        await this.ctx.writeFile(rejName, Buffer.from(rej, "latin1"));
      }
      this.status = Math.max(this.status, 1);
    }
  }

  async ensureDir(path: string): Promise<void> {
    const parts = path.split("/").slice(0, -1);
    let cur = path.startsWith("/") ? "" : ".";
    for (const p of parts) {
      if (p === "") continue;
      cur = `${cur}/${p}`;
      try {
        await this.ctx.mkdir(cur);
      } catch {
        // exists
      }
    }
  }
}

/** GNU's choice among names: fewest components, then shortest base name, then shortest. */
function bestName(names: string[]): string | undefined {
  const sorted = [...names].sort((a, b) => {
    const ca = a.split("/").length;
    const cb = b.split("/").length;
    if (ca !== cb) return ca - cb;
    const ba = a.slice(a.lastIndexOf("/") + 1).length;
    const bb = b.slice(b.lastIndexOf("/") + 1).length;
    if (ba !== bb) return ba - bb;
    return a.length - b.length;
  });
  return sorted[0];
}

/** Swapped hunks list removed lines before added ones in each change, as GNU writes them. */
function orderChanges(lines: HunkLine[]): HunkLine[] {
  const out: HunkLine[] = [];
  let k = 0;
  while (k < lines.length) {
    if (lines[k].kind === " ") {
      out.push(lines[k++]);
      continue;
    }
    const run: HunkLine[] = [];
    while (k < lines.length && lines[k].kind !== " ") run.push(lines[k++]);
    out.push(...run.filter((l) => l.kind === "-"), ...run.filter((l) => l.kind === "+"));
  }
  return out;
}

function tail(header: string): string {
  const tab = header.indexOf("\t");
  return tab >= 0 ? header.slice(tab) : "";
}

function latin1Join(lines: string[], missingNewline: boolean): string {
  if (lines.length === 0) return "";
  return lines.join("\n") + (missingNewline ? "" : "\n");
}

export const patch: CommandDefinition = {
  name: "patch",
  async main(ctx) {
    const parsed = getoptLong(ctx.argv.slice(1), "bd:EfF:i:No:p:r:Rstuv", LONGS);
    const usage = async (msg: string): Promise<number> => {
      await ctx.err(`patch: ${msg}\npatch: Try 'patch --help' for more information.\n`);
      return 2;
    };
    if (!parsed.ok) return usage(parsed.message);
    const opts: PatchOptions = {
      strip: undefined,
      reverse: false,
      dryRun: false,
      forward: false,
      output: undefined,
      backup: false,
      backupIfMismatch: true,
      removeEmpty: false,
      fuzz: 2,
      force: false,
      batch: false,
      silent: false,
      rejectFile: undefined,
    };
    let input: string | undefined;
    let dir: string | undefined;
    for (const { key, value } of parsed.options) {
      switch (key) {
        case "p":
          if (!/^[0-9]+$/.test(value ?? "")) {
            await ctx.err(`patch: **** strip count ${value} is not a number\n`);
            return 2;
          }
          opts.strip = Number(value);
          break;
        case "R":
          opts.reverse = true;
          break;
        case "dry-run":
          opts.dryRun = true;
          break;
        case "N":
          opts.forward = true;
          break;
        case "o":
          opts.output = value;
          break;
        case "b":
          opts.backup = true;
          break;
        case "no-backup-if-mismatch":
          opts.backupIfMismatch = false;
          break;
        case "E":
          opts.removeEmpty = true;
          break;
        case "F":
          if (!/^[0-9]+$/.test(value ?? "")) {
            await ctx.err(`patch: **** fuzz factor ${value} is not a number\n`);
            return 2;
          }
          opts.fuzz = Number(value);
          break;
        case "f":
          opts.force = true;
          break;
        case "t":
          opts.batch = true;
          break;
        case "s":
          opts.silent = true;
          break;
        case "r":
          opts.rejectFile = value;
          break;
        case "i":
          input = value;
          break;
        case "d":
          dir = value;
          break;
        case "u":
          break;
        case "help":
          await ctx.out("Usage: patch [OPTION]... [ORIGFILE [PATCHFILE]]\n");
          return 0;
        case "v":
          await ctx.out("GNU patch 2.7.6\n");
          return 0;
      }
    }
    if (parsed.operands.length > 2) {
      return usage(`extra operand ${parsed.operands[2]}`);
    }
    if (parsed.operands.length > 0) {
      await ctx.err("patch: an ORIGFILE operand is not supported; use -p and the patch's names\n");
      return 2;
    }
    let data: Uint8Array;
    try {
      data =
        input === undefined || input === "-" ? await ctx.readAll(0) : await ctx.readFile(input);
    } catch (err) {
      if (!ctx.alive) throw err;
      await ctx.err(`patch: **** Can't open patch file ${input} : ${describeError(err)}\n`);
      return 2;
    }
    if (dir !== undefined) {
      try {
        await ctx.chdir(dir);
      } catch (err) {
        await ctx.err(`patch: **** Can't change to directory ${dir} : ${describeError(err)}\n`);
        return 2;
      }
    }
    const patches = parsePatch(latin1(data));
    const p = new Patcher(ctx, opts);
    if (patches.length === 0) {
      await ctx.err("patch: **** Only garbage was found in the patch input.\n");
      return 2;
    }
    for (const fp of patches) await p.apply(fp);
    await p.out.flush();
    return p.status;
  },
};
