/**
 * The md5sum / sha*sum / b2sum family (GNU coreutils 9.1): print or check (-c) message
 * digests, with --tag, -b/-t, -z, --quiet, --status, --strict, -w, --ignore-missing and GNU's
 * escaping of file names containing backslash or newline. Digests come from node:crypto.
 */
import { createHash } from "node:crypto";
import type { ProcessContext } from "../../kernel/process-context.ts";
import { describeError, quoteName } from "../errors.ts";
import { getopt, type LongOption, UsageError } from "./text-getopt.ts";
import { argToLatin1, bytesToLatin1, latin1ToBytes, OutBuffer, openInput } from "./text-io.ts";

export interface DigestAlgo {
  /** Program name, e.g. "md5sum". */
  program: string;
  /** node:crypto algorithm. */
  hash: string;
  /** Name in --tag lines and messages, e.g. "MD5". */
  tag: string;
  /** Hex digits in a digest. */
  hexLength: number;
}

export const DIGESTS: Record<string, DigestAlgo> = {
  md5sum: { program: "md5sum", hash: "md5", tag: "MD5", hexLength: 32 },
  sha1sum: { program: "sha1sum", hash: "sha1", tag: "SHA1", hexLength: 40 },
  sha224sum: { program: "sha224sum", hash: "sha224", tag: "SHA224", hexLength: 56 },
  sha256sum: { program: "sha256sum", hash: "sha256", tag: "SHA256", hexLength: 64 },
  sha384sum: { program: "sha384sum", hash: "sha384", tag: "SHA384", hexLength: 96 },
  sha512sum: { program: "sha512sum", hash: "sha512", tag: "SHA512", hexLength: 128 },
  b2sum: { program: "b2sum", hash: "blake2b512", tag: "BLAKE2b", hexLength: 128 },
};

const LONGS: LongOption[] = [
  { name: "binary", arg: "none", key: "b" },
  { name: "check", arg: "none", key: "c" },
  { name: "ignore-missing", arg: "none", key: "ignore-missing" },
  { name: "quiet", arg: "none", key: "quiet" },
  { name: "status", arg: "none", key: "status" },
  { name: "text", arg: "none", key: "t" },
  { name: "warn", arg: "none", key: "w" },
  { name: "strict", arg: "none", key: "strict" },
  { name: "tag", arg: "none", key: "tag" },
  { name: "zero", arg: "none", key: "z" },
  { name: "help", arg: "none" },
  { name: "version", arg: "none" },
];

/** Digest of a whole input, streamed; throws the kernel error when it cannot be read. */
export async function digestInput(
  ctx: ProcessContext,
  name: string,
  hash: string,
): Promise<{ hex: string; size: number }> {
  const input = await openInput(ctx, name);
  try {
    const h = createHash(hash);
    let size = 0;
    for (;;) {
      const chunk = await ctx.read(input.fd);
      if (chunk === null || chunk.length === 0) break;
      h.update(chunk);
      size += chunk.length;
    }
    return { hex: h.digest("hex"), size };
  } finally {
    input.close();
  }
}

/** GNU's escaping of a file name in a checksum line: returns [prefix, escaped name]. */
function escapeName(name: string): [string, string] {
  if (!/[\\\n\r]/.test(name)) return ["", name];
  return ["\\", name.replace(/\\/g, "\\\\").replace(/\n/g, "\\n").replace(/\r/g, "\\r")];
}

function unescapeName(name: string): string | undefined {
  let out = "";
  for (let i = 0; i < name.length; i++) {
    if (name[i] !== "\\") {
      out += name[i];
      continue;
    }
    const next = name[++i];
    if (next === "\\") out += "\\";
    else if (next === "n") out += "\n";
    else if (next === "r") out += "\r";
    else return undefined;
  }
  return out;
}

interface CheckLine {
  hex: string;
  name: string;
}

/** Parses one line of a checksum file (standard or --tag format). */
function parseCheckLine(line: string, algo: DigestAlgo): CheckLine | undefined {
  let s = line.replace(/^[ \t]+/, "");
  let escaped = false;
  if (s.startsWith("\\")) {
    escaped = true;
    s = s.slice(1);
  }
  const tagPrefix = `${algo.tag} (`;
  if (s.startsWith(tagPrefix)) {
    const close = s.lastIndexOf(") = ");
    if (close < tagPrefix.length) return undefined;
    const hex = s.slice(close + 4);
    if (!isHex(hex, algo.hexLength)) return undefined;
    let name: string | undefined = s.slice(tagPrefix.length, close);
    if (escaped) name = unescapeName(name);
    return name === undefined ? undefined : { hex: hex.toLowerCase(), name };
  }
  const hex = s.slice(0, algo.hexLength);
  if (!isHex(hex, algo.hexLength)) return undefined;
  const rest = s.slice(algo.hexLength);
  if (rest.length < 2 || (rest[0] !== " " && rest[0] !== "\t")) return undefined;
  let name: string | undefined = rest[1] === " " || rest[1] === "*" ? rest.slice(2) : rest.slice(1);
  if (name === "") return undefined;
  if (escaped) name = unescapeName(name);
  return name === undefined ? undefined : { hex: hex.toLowerCase(), name };
}

function isHex(s: string, len: number): boolean {
  return s.length === len && /^[0-9a-fA-F]+$/.test(s);
}

const plural = (n: number, one: string, many: string): string => `${n} ${n === 1 ? one : many}`;

/** The whole md5sum-like command. */
export async function runDigestCommand(
  ctx: ProcessContext,
  algo: DigestAlgo,
  args: string[] = ctx.argv.slice(1),
): Promise<number> {
  const prog = algo.program;
  const usage = async (message: string): Promise<number> => {
    await ctx.err(`${prog}: ${message}\nTry '${prog} --help' for more information.\n`);
    return 1;
  };
  let binary: boolean | undefined;
  let check = false;
  let ignoreMissing = false;
  let quiet = false;
  let status = false;
  let warn = false;
  let strict = false;
  let tag = false;
  let zero = false;
  let operands: string[];
  try {
    const parsed = getopt(args, algo.program === "b2sum" ? "bcl:twz" : "bctwz", [
      ...LONGS,
      ...(algo.program === "b2sum" ? [{ name: "length", arg: "required" as const, key: "l" }] : []),
    ]);
    operands = parsed.operands;
    for (const opt of parsed.options) {
      switch (opt.key) {
        case "b":
          binary = true;
          break;
        case "t":
          binary = false;
          break;
        case "c":
          check = true;
          break;
        case "ignore-missing":
          ignoreMissing = true;
          break;
        case "quiet":
          quiet = true;
          break;
        case "status":
          status = true;
          break;
        case "w":
          warn = true;
          break;
        case "strict":
          strict = true;
          break;
        case "tag":
          tag = true;
          break;
        case "z":
          zero = true;
          break;
        case "l":
          if (opt.value !== "512" && opt.value !== "0") {
            await ctx.err(`${prog}: option '-l ${opt.value}' is not supported\n`);
            return 1;
          }
          break;
        case "help":
          await ctx.out(`Usage: ${prog} [OPTION]... [FILE]...\n`);
          return 0;
        default:
          await ctx.out(`${prog} (GNU coreutils) 9.1\n`);
          return 0;
      }
    }
  } catch (err) {
    if (err instanceof UsageError) return await usage(err.message);
    throw err;
  }
  if (tag && binary === false) return await usage("--tag does not support --text mode");
  if (tag && check) return await usage("the --tag option is meaningless when verifying checksums");
  if (zero && check)
    return await usage("the --zero option is not supported when verifying checksums");
  if (binary !== undefined && check)
    return await usage("the --binary and --text options are meaningless when verifying checksums");
  if (ignoreMissing && !check)
    return await usage("the --ignore-missing option is meaningful only when verifying checksums");
  if (status && !check)
    return await usage("the --status option is meaningful only when verifying checksums");
  if (warn && !check)
    return await usage("the --warn option is meaningful only when verifying checksums");
  if (quiet && !check)
    return await usage("the --quiet option is meaningful only when verifying checksums");
  if (strict && !check)
    return await usage("the --strict option is meaningful only when verifying checksums");

  const files = operands.length > 0 ? operands : ["-"];
  const out = new OutBuffer(ctx);
  const err = async (text: string): Promise<void> => {
    await out.flush();
    await ctx.err(latin1ToBytes(`${prog}: ${text}\n`));
  };
  let ok = true;
  if (!check) {
    for (const name of files) {
      let hex: string;
      try {
        hex = (await digestInput(ctx, name, algo.hash)).hex;
      } catch (e) {
        if (!ctx.alive) throw e;
        await err(`${argToLatin1(quoteName(name))}: ${describeError(e)}`);
        ok = false;
        continue;
      }
      const raw = argToLatin1(name);
      const [prefix, shown] = zero ? ["", raw] : escapeName(raw);
      const eol = zero ? "\0" : "\n";
      if (tag) await out.write(`${prefix}${algo.tag} (${shown}) = ${hex}${eol}`);
      else await out.write(`${prefix}${hex} ${binary ? "*" : " "}${shown}${eol}`);
    }
    await out.flush();
    return ok ? 0 : 1;
  }

  for (const checkName of files) {
    let text: string;
    try {
      const input = await openInput(ctx, checkName);
      try {
        text = bytesToLatin1(await ctx.readAll(input.fd));
      } finally {
        input.close();
      }
    } catch (e) {
      if (!ctx.alive) throw e;
      await err(`${argToLatin1(quoteName(checkName))}: ${describeError(e)}`);
      ok = false;
      continue;
    }
    const shownCheck = argToLatin1(checkName === "-" ? "standard input" : quoteName(checkName));
    const lines = text.split("\n");
    if (text.endsWith("\n")) lines.pop();
    let badFormat = 0;
    let unreadable = 0;
    let mismatched = 0;
    let properLines = 0;
    let matched = 0;
    for (let i = 0; i < lines.length; i++) {
      const line = lines[i];
      if (line.startsWith("#")) continue;
      const parsed = parseCheckLine(line, algo);
      if (!parsed) {
        badFormat++;
        if (warn)
          await err(`${shownCheck}: ${i + 1}: improperly formatted ${algo.tag} checksum line`);
        continue;
      }
      properLines++;
      // Check output escapes only names with a newline or carriage return.
      const [prefix, shown] = /[\n\r]/.test(parsed.name)
        ? escapeName(parsed.name)
        : ["", parsed.name];
      let hex: string;
      try {
        hex = (
          await digestInput(ctx, Buffer.from(parsed.name, "latin1").toString("utf8"), algo.hash)
        ).hex;
      } catch (e) {
        if (!ctx.alive) throw e;
        if (ignoreMissing && describeError(e) === "No such file or directory") continue;
        await err(`${quoteName(parsed.name)}: ${describeError(e)}`);
        if (!status) await out.write(`${prefix}${shown}: FAILED open or read\n`);
        unreadable++;
        continue;
      }
      matched++;
      if (hex === parsed.hex) {
        if (!status && !quiet) await out.write(`${prefix}${shown}: OK\n`);
      } else {
        mismatched++;
        if (!status) await out.write(`${prefix}${shown}: FAILED\n`);
      }
    }
    await out.flush();
    if (properLines === 0) {
      await err(`${shownCheck}: no properly formatted checksum lines found`);
      ok = false;
      continue;
    }
    if (!status) {
      if (badFormat)
        await err(`WARNING: ${plural(badFormat, "line is", "lines are")} improperly formatted`);
      if (unreadable)
        await err(
          `WARNING: ${plural(unreadable, "listed file", "listed files")} could not be read`,
        );
      if (mismatched)
        await err(
          `WARNING: ${plural(mismatched, "computed checksum", "computed checksums")} did NOT match`,
        );
    }
    if (ignoreMissing && matched === 0) {
      await err(`${shownCheck}: no file was verified`);
      ok = false;
    }
    if (unreadable || mismatched || (strict && badFormat)) ok = false;
  }
  await out.flush();
  return ok ? 0 : 1;
}
