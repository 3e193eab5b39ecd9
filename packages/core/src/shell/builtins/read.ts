/** `read` and `mapfile`/`readarray`. */
import { isKernelError } from "../../fs/errors.ts";
import { S_IFMT, S_IFREG } from "../../fs/types.ts";
import type { Shell } from "../shell.ts";
import { isValidName } from "../variables.ts";
import type { Builtin } from "./index.ts";

const decoder = new TextDecoder();

/**
 * Reads up to and including `delim` (or `count` bytes) from `fd` without consuming more:
 * seekable files are read in blocks and rewound, pipes byte by byte (as bash does).
 */
export async function readRecord(
  sh: Shell,
  fd: number,
  delim: number,
  count: number | null,
  signal?: AbortSignal,
): Promise<{ bytes: Uint8Array; found: boolean }> {
  const out: number[] = [];
  let seekable = false;
  try {
    seekable = ((await sh.ctx.fstat(fd)).mode & S_IFMT) === S_IFREG;
  } catch {
    seekable = false;
  }
  for (;;) {
    if (signal?.aborted) return { bytes: Uint8Array.from(out), found: false };
    const want =
      count === null ? (seekable ? 4096 : 1) : Math.min(count - out.length, seekable ? 4096 : 1);
    if (count !== null && want <= 0) return { bytes: Uint8Array.from(out), found: true };
    const chunk = await sh.ctx.read(fd, want);
    if (chunk === null || chunk.length === 0) return { bytes: Uint8Array.from(out), found: false };
    for (let i = 0; i < chunk.length; i++) {
      const b = chunk[i];
      if (b === delim && count === null) {
        if (seekable && i + 1 < chunk.length) await sh.ctx.lseek(fd, i + 1 - chunk.length, 1);
        return { bytes: Uint8Array.from(out), found: true };
      }
      out.push(b);
      if (count !== null && out.length >= count) {
        if (seekable && i + 1 < chunk.length) await sh.ctx.lseek(fd, i + 1 - chunk.length, 1);
        return { bytes: Uint8Array.from(out), found: true };
      }
    }
  }
}

/** Splits a read line into `names.length` values with IFS, honouring backslash escapes. */
function splitForRead(chars: Array<[string, boolean]>, ifs: string, count: number): string[] {
  const isWhite = (c: string): boolean =>
    (c === " " || c === "\t" || c === "\n") && ifs.includes(c);
  const isSep = (c: string, escaped: boolean): boolean => !escaped && ifs.includes(c);
  let start = 0;
  let end = chars.length;
  while (start < end && !chars[start][1] && isWhite(chars[start][0])) start++;
  while (end > start && !chars[end - 1][1] && isWhite(chars[end - 1][0])) end--;
  const values: string[] = [];
  let i = start;
  for (let n = 0; n < count - 1 && i < end; n++) {
    let value = "";
    while (i < end && !isSep(chars[i][0], chars[i][1])) value += chars[i++][0];
    values.push(value);
    // Consume one separator with the whitespace around it.
    while (i < end && !chars[i][1] && isWhite(chars[i][0])) i++;
    if (i < end && isSep(chars[i][0], chars[i][1]) && !isWhite(chars[i][0])) {
      i++;
      while (i < end && !chars[i][1] && isWhite(chars[i][0])) i++;
    }
  }
  if (i < end || values.length < count) {
    let rest = "";
    for (let k = i; k < end; k++) rest += chars[k][0];
    // A trailing single non-whitespace separator is dropped from the last field.
    if (
      values.length === count - 1 &&
      end > i &&
      !chars[end - 1][1] &&
      ifs.includes(chars[end - 1][0]) &&
      !isWhite(chars[end - 1][0])
    ) {
      let inner = false;
      for (let k = i; k < end - 1; k++) if (isSep(chars[k][0], chars[k][1])) inner = true;
      if (!inner) rest = rest.slice(0, -1);
    }
    values.push(rest);
  }
  return values;
}

const read: Builtin = async (sh, argv) => {
  let raw = false;
  let prompt: string | undefined;
  let arrayName: string | undefined;
  let delim = 0x0a;
  let count: number | null = null;
  let exact = false;
  let timeout: number | undefined;
  let fd = 0;
  let i = 1;
  for (; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === "--") {
      i++;
      break;
    }
    if (!arg.startsWith("-") || arg === "-") break;
    for (let k = 1; k < arg.length; k++) {
      const c = arg[k];
      const takeValue = (): string | undefined => {
        const rest = arg.slice(k + 1);
        k = arg.length;
        return rest !== "" ? rest : argv[++i];
      };
      switch (c) {
        case "r":
          raw = true;
          break;
        case "s":
        case "e":
          break;
        case "p":
          prompt = takeValue();
          break;
        case "a":
          arrayName = takeValue();
          break;
        case "d": {
          const d = takeValue() ?? "";
          delim = d === "" ? 0 : new TextEncoder().encode(d)[0];
          break;
        }
        case "n":
        case "N": {
          const v = takeValue() ?? "";
          if (!/^\d+$/.test(v)) {
            sh.error(`read: ${v}: invalid number`);
            return 1;
          }
          count = Number(v);
          exact = c === "N";
          break;
        }
        case "t": {
          const v = takeValue() ?? "";
          if (!/^\d*\.?\d+$/.test(v)) {
            sh.error(`read: ${v}: invalid timeout specification`);
            return 1;
          }
          timeout = Number(v);
          break;
        }
        case "u": {
          const v = takeValue() ?? "";
          if (!/^\d+$/.test(v)) {
            sh.error(`read: ${v}: invalid file descriptor specification`);
            return 1;
          }
          fd = Number(v);
          break;
        }
        case "i":
          takeValue();
          break;
        default:
          sh.error(`read: -${c}: invalid option`);
          sh.usage(
            "read: usage: read [-ers] [-a array] [-d delim] [-i text] [-n nchars] [-N nchars] [-p prompt] [-t timeout] [-u fd] [name ...]",
          );
          return 2;
      }
    }
  }
  const names = argv.slice(i);
  for (const name of names) {
    if (!isValidName(name)) {
      sh.error(`read: \`${name}': not a valid identifier`);
      return 1;
    }
  }
  if (prompt !== undefined && sh.ctx.isatty(fd)) await sh.err(prompt);
  if (timeout === 0) return 0;
  let _controller: AbortController | undefined;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let timedOut = false;
  const run = async (): Promise<{ bytes: Uint8Array; found: boolean }> => {
    const chars: number[] = [];
    for (;;) {
      const record = await readRecord(
        sh,
        fd,
        exact ? -1 : delim,
        count === null ? null : count - chars.length,
      );
      for (const b of record.bytes) chars.push(b);
      // Without -r, a backslash-newline continues the line.
      if (!raw && record.found && count === null && endsWithOddBackslashes(chars)) {
        chars.pop();
        continue;
      }
      return { bytes: Uint8Array.from(chars), found: record.found };
    }
  };
  let record: { bytes: Uint8Array; found: boolean };
  try {
    if (timeout !== undefined) {
      _controller = new AbortController();
      record = await Promise.race([
        run(),
        new Promise<{ bytes: Uint8Array; found: boolean }>((resolve) => {
          timer = setTimeout(() => {
            timedOut = true;
            resolve({ bytes: new Uint8Array(), found: false });
          }, timeout! * 1000);
        }),
      ]);
    } else record = await run();
  } catch (err) {
    if (isKernelError(err, "EBADF")) {
      sh.error(`read: ${fd}: invalid file descriptor: Bad file descriptor`);
      return 1;
    }
    throw err;
  } finally {
    if (timer) clearTimeout(timer);
  }
  if (timedOut) return 142;
  const text = decoder.decode(record.bytes);
  const chars: Array<[string, boolean]> = [];
  for (let k = 0; k < text.length; k++) {
    const c = text[k];
    if (!raw && c === "\\" && k + 1 < text.length) {
      const next = text[++k];
      if (next !== "\n") chars.push([next, true]);
      continue;
    }
    if (!raw && c === "\\") continue;
    chars.push([c, false]);
  }
  const ifs = sh.vars.get("IFS") ?? " \t\n";
  if (arrayName !== undefined) {
    sh.vars.setArray(arrayName, splitAll(chars, ifs));
  } else if (names.length === 0) {
    sh.assignVariable("REPLY", chars.map(([c]) => c).join(""));
  } else {
    const values = splitForRead(chars, ifs, names.length);
    for (let k = 0; k < names.length; k++) sh.assignVariable(names[k], values[k] ?? "");
  }
  return record.found ? 0 : 1;
};

function endsWithOddBackslashes(chars: number[]): boolean {
  let n = 0;
  for (let k = chars.length - 1; k >= 0 && chars[k] === 0x5c; k--) n++;
  return n % 2 === 1;
}

/** Fields for `read -a`: every IFS-separated field. */
function splitAll(chars: Array<[string, boolean]>, ifs: string): string[] {
  const values: string[] = [];
  const isWhite = (c: string): boolean =>
    (c === " " || c === "\t" || c === "\n") && ifs.includes(c);
  let i = 0;
  const end = chars.length;
  while (i < end && !chars[i][1] && isWhite(chars[i][0])) i++;
  while (i < end) {
    let value = "";
    while (i < end && (chars[i][1] || !ifs.includes(chars[i][0]))) value += chars[i++][0];
    values.push(value);
    while (i < end && !chars[i][1] && isWhite(chars[i][0])) i++;
    if (i < end && !chars[i][1] && ifs.includes(chars[i][0]) && !isWhite(chars[i][0])) {
      i++;
      while (i < end && !chars[i][1] && isWhite(chars[i][0])) i++;
      if (i >= end) break;
    }
  }
  return values;
}

const mapfile: Builtin = async (sh, argv) => {
  let delim = "\n";
  let max = 0;
  let origin = 0;
  let skip = 0;
  let trim = false;
  let fd = 0;
  let i = 1;
  for (; i < argv.length; i++) {
    const arg = argv[i];
    if (!arg.startsWith("-") || arg === "-") break;
    const value = (): string => argv[++i] ?? "";
    switch (arg) {
      case "-d":
        delim = value() || "\0";
        break;
      case "-n":
        max = Number(value());
        break;
      case "-O":
        origin = Number(value());
        break;
      case "-s":
        skip = Number(value());
        break;
      case "-t":
        trim = true;
        break;
      case "-u":
        fd = Number(value());
        break;
      case "-C":
      case "-c":
        value();
        break;
      default:
        sh.error(`${argv[0]}: ${arg}: invalid option`);
        return 2;
    }
  }
  const name = argv[i] ?? "MAPFILE";
  const text = decoder.decode(await sh.ctx.readAll(fd));
  const lines: string[] = [];
  let start = 0;
  while (start < text.length) {
    const at = text.indexOf(delim, start);
    const end = at < 0 ? text.length : at + delim.length;
    let line = text.slice(start, end);
    if (trim && line.endsWith(delim)) line = line.slice(0, -delim.length);
    lines.push(line);
    start = end;
  }
  const selected = lines.slice(skip, max > 0 ? skip + max : undefined);
  const existing = sh.vars.lookup(name);
  const values = origin > 0 && existing?.indexed ? existing.indexed.slice() : [];
  selected.forEach((line, k) => {
    values[origin + k] = line;
  });
  sh.vars.setArray(name, values);
  return 0;
};

export const READ_BUILTINS: Array<[string, Builtin]> = [
  ["read", read],
  ["mapfile", mapfile],
  ["readarray", mapfile],
];
