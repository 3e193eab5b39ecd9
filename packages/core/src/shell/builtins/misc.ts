/** alias/unalias, umask, ulimit, times, caller, compgen/complete, help, history. */
import { quoteForReuse } from "../quoting.ts";
import type { Shell } from "../shell.ts";
import { BUILTINS, type Builtin } from "./index.ts";
import { KEYWORDS } from "./lookup.ts";

const alias: Builtin = async (sh, argv) => {
  const args = argv.slice(1).filter((a) => a !== "-p");
  if (args.length === 0) {
    const names = [...sh.aliases.keys()].sort();
    await sh.out(names.map((n) => `alias ${n}=${quoteForReuse(sh.aliases.get(n)!)}\n`).join(""));
    return 0;
  }
  let status = 0;
  let text = "";
  for (const arg of args) {
    const eq = arg.indexOf("=");
    if (eq > 0) sh.aliases.set(arg.slice(0, eq), arg.slice(eq + 1));
    else if (sh.aliases.has(arg)) text += `alias ${arg}=${quoteForReuse(sh.aliases.get(arg)!)}\n`;
    else {
      sh.error(`alias: ${arg}: not found`);
      status = 1;
    }
  }
  await sh.out(text);
  return status;
};

const unalias: Builtin = async (sh, argv) => {
  if (argv[1] === "-a") {
    sh.aliases.clear();
    return 0;
  }
  let status = 0;
  for (const name of argv.slice(1)) {
    if (!sh.aliases.delete(name)) {
      sh.error(`unalias: ${name}: not found`);
      status = 1;
    }
  }
  return status;
};

function symbolicMask(mask: number): string {
  const perm = (shift: number): string => {
    const bits = (~mask >> shift) & 7;
    return `${bits & 4 ? "r" : ""}${bits & 2 ? "w" : ""}${bits & 1 ? "x" : ""}`;
  };
  return `u=${perm(6)},g=${perm(3)},o=${perm(0)}`;
}

/** Applies a symbolic umask like `u=rwx,g=rx,o=` or `g-w` to the current mask. */
function applySymbolic(mask: number, spec: string): number | undefined {
  let allowed = ~mask & 0o777;
  for (const clause of spec.split(",")) {
    const m = /^([ugoa]*)([-+=])([rwx]*)$/.exec(clause);
    if (!m) return undefined;
    const who = m[1] === "" || m[1].includes("a") ? "ugo" : m[1];
    let bits = 0;
    if (m[3].includes("r")) bits |= 4;
    if (m[3].includes("w")) bits |= 2;
    if (m[3].includes("x")) bits |= 1;
    for (const w of who) {
      const shift = w === "u" ? 6 : w === "g" ? 3 : 0;
      if (m[2] === "=") allowed = (allowed & ~(7 << shift)) | (bits << shift);
      else if (m[2] === "+") allowed |= bits << shift;
      else allowed &= ~(bits << shift);
    }
  }
  return ~allowed & 0o777;
}

const umask: Builtin = async (sh, argv) => {
  let symbolic = false;
  let reusable = false;
  let i = 1;
  for (; i < argv.length && /^-[Sp]+$/.test(argv[i]); i++) {
    if (argv[i].includes("S")) symbolic = true;
    if (argv[i].includes("p")) reusable = true;
  }
  const spec = argv[i];
  if (spec === undefined) {
    const mask = sh.ctx.umask;
    const text = symbolic ? symbolicMask(mask) : mask.toString(8).padStart(4, "0");
    await sh.out(`${reusable ? "umask " : ""}${symbolic && reusable ? "-S " : ""}${text}\n`);
    return 0;
  }
  if (/^\d/.test(spec)) {
    const value = /^[0-7]+$/.test(spec) ? Number.parseInt(spec, 8) : Number.NaN;
    if (!(value <= 0o7777)) {
      sh.error(`umask: ${spec}: octal number out of range`);
      return 1;
    }
    sh.ctx.umask = value & 0o777;
    return 0;
  }
  const mask = applySymbolic(sh.ctx.umask, spec);
  if (mask === undefined) {
    sh.error(
      `umask: \`${spec.replace(/^.*?([^ugoa=+,-].*)$/, "$1").slice(0, 1)}': invalid symbolic mode operator`,
    );
    return 1;
  }
  sh.ctx.umask = mask;
  return 0;
};

const ulimit: Builtin = async (sh, argv) => {
  const limits = sh.ctx.kernel.limits;
  const table: Record<string, [string, string, () => string]> = {
    n: ["open files", "", () => String(limits.maxOpenFiles)],
    u: ["max user processes", "", () => String(limits.maxProcesses)],
    f: ["file size", "(blocks, -f)", () => String(Math.floor(limits.maxFileSizeBytes / 1024))],
    p: ["pipe size", "(512 bytes, -p)", () => String(Math.floor(limits.pipeBufferBytes / 512))],
    s: ["stack size", "(kbytes, -s)", () => "8192"],
    c: ["core file size", "(blocks, -c)", () => "0"],
    v: ["virtual memory", "(kbytes, -v)", () => "unlimited"],
  };
  const args = argv.slice(1).filter((a) => !/^-[HS]$/.test(a));
  if (args.length === 0) {
    await sh.out(
      `${limits.maxFileSizeBytes === Number.POSITIVE_INFINITY ? "unlimited" : table.f[2]()}\n`,
    );
    return 0;
  }
  if (args[0] === "-a") {
    let text = "";
    for (const [flag, [name, unit, value]] of Object.entries(table)) {
      text += `${`${name} ${unit || `(-${flag})`}`.padEnd(31)} ${value()}\n`;
    }
    await sh.out(text);
    return 0;
  }
  const m = /^-([a-zA-Z])$/.exec(args[0]);
  if (!m || !(m[1] in table)) {
    sh.error(`ulimit: ${args[0]}: invalid option`);
    return 2;
  }
  if (args[1] !== undefined) {
    sh.error(`ulimit: ${table[m[1]][0]}: cannot modify limit: Operation not permitted`);
    return 1;
  }
  await sh.out(`${table[m[1]][2]()}\n`);
  return 0;
};

const times: Builtin = async (sh) => {
  const elapsed = (Date.now() - sh.startTime) / 1000;
  const fmt = (s: number): string => `${Math.floor(s / 60)}m${(s % 60).toFixed(3)}s`;
  await sh.out(`${fmt(elapsed)} 0m0.000s\n0m0.000s 0m0.000s\n`);
  return 0;
};

const caller: Builtin = async (sh, argv) => {
  const level = argv[1] === undefined ? 0 : Number(argv[1]);
  const stack = sh.functionStack;
  const frame = stack[stack.length - 1 - level];
  if (!frame) return 1;
  const callerName = stack[stack.length - 2 - level]?.name ?? "main";
  const source = sh.sourceKind === "file" ? sh.sourceName : "NULL";
  await sh.out(
    argv[1] === undefined ? `${frame.line} ${source}\n` : `${frame.line} ${callerName} ${source}\n`,
  );
  return 0;
};

export async function completions(sh: Shell, argv: string[]): Promise<string[]> {
  const word = argv[argv.length - 1]?.startsWith("-") ? "" : (argv[argv.length - 1] ?? "");
  const out: string[] = [];
  for (let i = 1; i < argv.length; i++) {
    const arg = argv[i];
    let action: string | undefined;
    if (arg === "-A") action = argv[++i];
    else if (/^-[cbkfdvaeu]+$/.test(arg)) action = arg.slice(1);
    else if (arg === "-W") {
      for (const w of (argv[++i] ?? "").split(/\s+/)) if (w?.startsWith(word)) out.push(w);
      continue;
    }
    if (!action) continue;
    for (const a of action.length > 1 &&
    ![
      "command",
      "builtin",
      "keyword",
      "function",
      "file",
      "directory",
      "variable",
      "alias",
      "export",
      "user",
    ].includes(action)
      ? action.split("")
      : [action]) {
      if (a === "c" || a === "command" || a === "b" || a === "builtin")
        for (const name of BUILTINS.keys()) if (name.startsWith(word)) out.push(name);
      if (a === "c" || a === "command" || a === "k" || a === "keyword")
        for (const name of KEYWORDS) if (name.startsWith(word)) out.push(name);
      if (a === "c" || a === "command" || a === "function")
        for (const name of sh.functions.keys()) if (name.startsWith(word)) out.push(name);
      if (a === "c" || a === "command") {
        for (const dir of (sh.vars.get("PATH") ?? "").split(":")) {
          try {
            for (const e of await sh.ctx.readdir(dir || "."))
              if (e.name.startsWith(word)) out.push(e.name);
          } catch {
            // Missing PATH entries are skipped.
          }
        }
      }
      if (a === "v" || a === "variable")
        for (const name of sh.vars.names()) if (name.startsWith(word)) out.push(name);
      if (a === "e" || a === "export")
        for (const name of Object.keys(sh.environment())) if (name.startsWith(word)) out.push(name);
      if (a === "a" || a === "alias")
        for (const name of sh.aliases.keys()) if (name.startsWith(word)) out.push(name);
      if (a === "f" || a === "file" || a === "d" || a === "directory") {
        const slash = word.lastIndexOf("/");
        const dir = slash >= 0 ? word.slice(0, slash + 1) : "";
        try {
          for (const e of await sh.ctx.readdir(dir || ".")) {
            const name = dir + e.name;
            if (
              !name.startsWith(word) ||
              (e.name.startsWith(".") && !word.slice(slash + 1).startsWith("."))
            )
              continue;
            if ((a === "d" || a === "directory") && e.kind !== "directory") continue;
            out.push(name);
          }
        } catch {
          // Unreadable directory: no completions.
        }
      }
    }
  }
  return [...new Set(out)].sort();
}

const compgen: Builtin = async (sh, argv) => {
  const list = await completions(sh, argv);
  await sh.out(list.map((w) => `${w}\n`).join(""));
  return list.length > 0 ? 0 : 1;
};

const complete: Builtin = async (sh, argv) => {
  if (argv.length === 1 || argv[1] === "-p") return 0;
  const name = argv[argv.length - 1];
  sh.completionSpecs.set(name, argv.slice(1, -1));
  return 0;
};

const help: Builtin = async (sh, argv) => {
  const names = [...BUILTINS.keys()].sort();
  if (argv.length > 1) {
    const pattern = argv[1];
    if (!BUILTINS.has(pattern)) {
      sh.error(
        `help: no help topics match \`${pattern}'.  Try \`help help' or \`man -k ${pattern}' or \`info ${pattern}'.`,
      );
      return 1;
    }
    await sh.out(`${pattern}: a shell builtin of agentOS's bash-compatible shell.\n`);
    return 0;
  }
  await sh.out(
    `GNU bash-compatible shell (agentOS). These shell commands are defined internally:\n\n${names.join(" ")}\n`,
  );
  return 0;
};

const history: Builtin = async (sh, argv) => {
  if (argv[1] === "-c") {
    sh.history.length = 0;
    return 0;
  }
  const count = argv[1] && /^\d+$/.test(argv[1]) ? Number(argv[1]) : sh.history.length;
  const start = Math.max(0, sh.history.length - count);
  let text = "";
  for (let i = start; i < sh.history.length; i++)
    text += `${String(i + 1).padStart(5)}  ${sh.history[i]}\n`;
  await sh.out(text);
  return 0;
};

export const MISC_BUILTINS: Array<[string, Builtin]> = [
  ["alias", alias],
  ["unalias", unalias],
  ["umask", umask],
  ["ulimit", ulimit],
  ["times", times],
  ["caller", caller],
  ["compgen", compgen],
  ["complete", complete],
  ["compopt", async () => 0],
  ["help", help],
  ["history", history],
];
