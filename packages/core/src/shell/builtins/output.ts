/** `echo` and `printf` (with `-v`), byte-exact like bash's builtins. */
import { byteStringToBytes, formatPrintf } from "../../commands/lib/printf-format.ts";
import { decodeEchoEscapes } from "../prompt.ts";
import type { Shell } from "../shell.ts";
import type { Builtin } from "./index.ts";

const encoder = new TextEncoder();

const echo: Builtin = async (sh, argv) => {
  let newline = true;
  let escapes = sh.shopt.xpg_echo;
  let i = 1;
  for (; i < argv.length; i++) {
    const arg = argv[i];
    if (!/^-[neE]+$/.test(arg)) break;
    for (const c of arg.slice(1)) {
      if (c === "n") newline = false;
      else if (c === "e") escapes = true;
      else escapes = false;
    }
  }
  const text = argv.slice(i).join(" ");
  if (!escapes) {
    await writeOut(sh, newline ? `${text}\n` : text);
    return 0;
  }
  const decoded = decodeEchoEscapes(text);
  const bytes =
    decoded.stop || !newline ? decoded.bytes : concat(decoded.bytes, encoder.encode("\n"));
  await writeOut(sh, bytes);
  return 0;
};

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}

/** Writes to stdout; a closed or broken stdout is bash's "write error". */
async function writeOut(sh: Shell, data: string | Uint8Array): Promise<void> {
  await sh.out(data);
}

const printf: Builtin = async (sh, argv) => {
  let i = 1;
  let target: string | undefined;
  if (argv[i] === "-v") {
    target = argv[i + 1];
    if (target === undefined) {
      sh.error("printf: -v: option requires an argument");
      sh.usage("printf: usage: printf [-v var] format [arguments]");
      return 2;
    }
    if (!/^[A-Za-z_][A-Za-z0-9_]*(\[.*\])?$/s.test(target)) {
      sh.error(`printf: \`${target}': not a valid identifier`);
      return 2;
    }
    i += 2;
  } else if (argv[i]?.startsWith("-v") && argv[i].length > 2) {
    target = argv[i].slice(2);
    i++;
  }
  if (argv[i] === "--") i++;
  const format = argv[i];
  if (format === undefined) {
    sh.usage("printf: usage: printf [-v var] format [arguments]");
    return 2;
  }
  if (format.startsWith("-") && format.length > 1 && i === 1) {
    sh.error(`printf: ${format.slice(0, 2)}: invalid option`);
    sh.usage("printf: usage: printf [-v var] format [arguments]");
    return 2;
  }
  const result = formatPrintf(format, argv.slice(i + 1), "bash", {
    tz: sh.vars.get("TZ"),
    shellStart: sh.startTime,
  });
  for (const message of result.errors) sh.error(`printf: ${message}`);
  const bytes = byteStringToBytes(result.output);
  if (target !== undefined) {
    const value = new TextDecoder().decode(bytes);
    const m = /^([A-Za-z_][A-Za-z0-9_]*)\[(.*)\]$/s.exec(target);
    if (m) {
      const v = sh.vars.lookup(m[1]);
      if (v?.assoc) sh.vars.setAssoc(m[1], m[2], value);
      else sh.vars.setIndexed(m[1], Number(sh.arithmeticText(m[2])), value);
    } else sh.assignVariable(target, value);
  } else if (bytes.length > 0) await writeOut(sh, bytes);
  return result.exitStatus;
};

export const OUTPUT_BUILTINS: Array<[string, Builtin]> = [
  ["echo", echo],
  ["printf", printf],
];
