/** `trap`: EXIT, ERR, DEBUG, RETURN and signals; actions run between commands. */
import { quoteForReuse } from "../quoting.ts";
import type { Shell } from "../shell.ts";
import type { Builtin } from "./index.ts";
import { parseSignal, signalName } from "./jobs.ts";

const PSEUDO = ["EXIT", "ERR", "DEBUG", "RETURN"];

/** Canonical trap key: EXIT/ERR/DEBUG/RETURN or a signal name without SIG. */
function trapKey(spec: string): { key: string; signal?: number } | undefined {
  const upper = spec.toUpperCase();
  if (spec === "0" || upper === "EXIT" || upper === "SIGEXIT") return { key: "EXIT" };
  if (PSEUDO.includes(upper)) return { key: upper };
  const n = parseSignal(spec);
  if (n === undefined || n === 0) return undefined;
  return { key: signalName(n)!.replace(/^SIG/, ""), signal: n };
}

function displayName(key: string): string {
  return PSEUDO.includes(key) ? key : `SIG${key}`;
}

async function print(sh: Shell, keys: string[] | null): Promise<void> {
  let text = "";
  const order = (k: string): number => {
    if (k === "EXIT") return 0;
    const n = parseSignal(k);
    return n === undefined ? 100 + PSEUDO.indexOf(k) : n;
  };
  const list = keys ?? [...sh.traps.keys()].sort((a, b) => order(a) - order(b));
  for (const key of list) {
    const action = sh.traps.get(key);
    if (action === undefined) continue;
    text += `trap -- ${quoteForReuse(action)} ${displayName(key)}\n`;
  }
  await sh.out(text);
}

const trap: Builtin = async (sh, argv) => {
  let args = argv.slice(1);
  if (args[0] === "-l") {
    const entries: string[] = [];
    for (let n = 1; n <= 64; n++) {
      const name = signalName(n);
      if (name) entries.push(`${String(n).padStart(2)}) ${name}`);
    }
    let text = "";
    entries.forEach((e, i) => {
      text += e + ((i + 1) % 5 === 0 || i === entries.length - 1 ? "\n" : "\t");
    });
    await sh.out(text);
    return 0;
  }
  if (args[0] === "-p") {
    const keys = args.slice(1).map((s) => trapKey(s)?.key ?? s);
    await print(sh, keys.length ? keys : null);
    return 0;
  }
  if (args[0] === "--") args = args.slice(1);
  if (args.length === 0) {
    await print(sh, null);
    return 0;
  }
  let action: string | null = args[0];
  let specs = args.slice(1);
  // `trap SIG` (one operand that is a signal) and `trap - SIG` reset.
  if (specs.length === 0) {
    if (trapKey(action) === undefined) {
      sh.error(`trap: ${action}: invalid signal specification`);
      return 1;
    }
    specs = [action];
    action = null;
  } else if (action === "-") action = null;
  else if (/^\d+$/.test(action) && trapKey(action)) {
    specs = args;
    action = null;
  }
  let status = 0;
  for (const spec of specs) {
    const key = trapKey(spec);
    if (!key) {
      sh.error(`trap: ${spec}: invalid signal specification`);
      status = 1;
      continue;
    }
    if (action === null) sh.traps.delete(key.key);
    else sh.traps.set(key.key, action);
    if (key.signal !== undefined && key.signal !== 9 && key.signal !== 19) {
      sh.trapSignal(key.signal, action);
    }
  }
  return status;
};

export const TRAP_BUILTINS: Array<[string, Builtin]> = [["trap", trap]];
