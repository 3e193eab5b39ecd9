/** `set` and `shopt`. */
import { quoteForSet } from "../quoting.ts";
import type { Shell, ShellOptions } from "../shell.ts";
import { arrayIndices, assocEntries } from "../variables.ts";
import type { Builtin } from "./index.ts";

const LETTERS: Record<string, keyof ShellOptions> = {
  a: "allexport",
  b: "notify",
  e: "errexit",
  f: "noglob",
  h: "hashall",
  k: "keyword",
  m: "monitor",
  n: "noexec",
  p: "privileged",
  t: "onecmd",
  u: "nounset",
  v: "verbose",
  x: "xtrace",
  B: "braceexpand",
  C: "noclobber",
  E: "errtrace",
  H: "histexpand",
  P: "physical",
  T: "functrace",
};

/** Options `set -o` lists, in bash's order. */
const LISTED: Array<keyof ShellOptions | "pipefail"> = [
  "allexport",
  "braceexpand",
  "emacs",
  "errexit",
  "errtrace",
  "functrace",
  "hashall",
  "histexpand",
  "history",
  "ignoreeof",
  "interactive-comments" as keyof ShellOptions,
  "keyword",
  "monitor",
  "noclobber",
  "noexec",
  "noglob",
  "nolog",
  "notify",
  "nounset",
  "onecmd",
  "physical",
  "pipefail",
  "posix",
  "privileged",
  "verbose",
  "vi",
  "xtrace",
];

function optionValue(sh: Shell, name: string): boolean | undefined {
  if (name === "interactive-comments") return true;
  const options = sh.options as unknown as Record<string, boolean>;
  return name in options ? options[name] : undefined;
}

function setOption(sh: Shell, name: string, on: boolean): boolean {
  if (name === "interactive-comments") return true;
  const options = sh.options as unknown as Record<string, boolean>;
  if (!(name in options) || name === "interactive") return false;
  options[name] = on;
  if (name === "vi" && on) options.emacs = false;
  if (name === "emacs" && on) options.vi = false;
  return true;
}

async function listOptions(sh: Shell, reusable: boolean): Promise<void> {
  let text = "";
  for (const name of LISTED) {
    const on = optionValue(sh, name) ?? false;
    text += reusable
      ? `set ${on ? "-" : "+"}o ${name}\n`
      : `${name.padEnd(15)}\t${on ? "on" : "off"}\n`;
  }
  await sh.out(text);
}

async function printVariables(sh: Shell): Promise<void> {
  let text = "";
  for (const name of sh.vars.names()) {
    const v = sh.vars.lookup(name);
    if (!v) continue;
    if (v.indexed) {
      const items = arrayIndices(v.indexed).map((i) => `[${i}]=${quoteValue(v.indexed![i])}`);
      text += `${name}=(${items.join(" ")})\n`;
    } else if (v.assoc) {
      const items = assocEntries(v.assoc).map(([k, val]) => `[${k}]=${quoteValue(val)}`);
      text += `${name}=(${items.map((i) => `${i} `).join("")})\n`;
    } else if (v.value !== undefined) text += `${name}=${quoteForSet(v.value)}\n`;
  }
  for (const [, fn] of [...sh.functions].sort(([a], [b]) => (a < b ? -1 : 1)))
    text += `${fn.source}\n`;
  await sh.out(text);
}

function quoteValue(value: string): string {
  return `"${value.replace(/[\\"$`]/g, "\\$&")}"`;
}

const set: Builtin = async (sh, argv) => {
  if (argv.length === 1) {
    await printVariables(sh);
    return 0;
  }
  let i = 1;
  for (; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === "--") {
      sh.positional = argv.slice(i + 1);
      return 0;
    }
    if (arg === "-" || arg === "+") {
      if (arg === "-") {
        sh.options.xtrace = false;
        sh.options.verbose = false;
      }
      sh.positional = argv.slice(i + 1);
      return 0;
    }
    if (!/^[-+]/.test(arg)) break;
    const on = arg[0] === "-";
    for (let k = 1; k < arg.length; k++) {
      const c = arg[k];
      if (c === "o") {
        const name = argv[i + 1];
        if (name === undefined || name.startsWith("-") || name.startsWith("+")) {
          await listOptions(sh, !on);
          continue;
        }
        i++;
        if (!setOption(sh, name, on)) {
          sh.error(`set: ${name}: invalid option name`);
          return 2;
        }
        continue;
      }
      const name = LETTERS[c];
      if (!name || c === "i") {
        sh.error(`set: ${arg[0]}${c}: invalid option`);
        sh.usage("set: usage: set [-abefhkmnptuvxBCEHPT] [-o option-name] [--] [-] [arg ...]");
        return 2;
      }
      setOption(sh, name, on);
    }
  }
  if (i < argv.length) sh.positional = argv.slice(i);
  return 0;
};

const shopt: Builtin = async (sh, argv) => {
  let mode: "s" | "u" | null = null;
  let print = false;
  let quiet = false;
  let setOptions = false;
  let i = 1;
  for (; i < argv.length && /^-[supqo]+$/.test(argv[i]); i++) {
    for (const c of argv[i].slice(1)) {
      if (c === "s" || c === "u") mode = c;
      else if (c === "p") print = true;
      else if (c === "q") quiet = true;
      else if (c === "o") setOptions = true;
    }
  }
  if (i < argv.length && argv[i].startsWith("-") && argv[i] !== "-") {
    sh.error(`shopt: ${argv[i].slice(0, 2)}: invalid option`);
    sh.usage("shopt: usage: shopt [-pqsu] [-o] [optname ...]");
    return 2;
  }
  const names = argv.slice(i);
  const get = (name: string): boolean | undefined =>
    setOptions ? optionValue(sh, name) : sh.shopt[name];
  const all = setOptions ? (LISTED as string[]) : Object.keys(sh.shopt).sort();
  if (names.length === 0) {
    let text = "";
    for (const name of all) {
      const on = get(name) ?? false;
      if (mode === "s" && !on) continue;
      if (mode === "u" && on) continue;
      text +=
        print || mode
          ? `${setOptions ? `set ${on ? "-" : "+"}o` : `shopt ${on ? "-s" : "-u"}`} ${name}\n`
          : `${name.padEnd(15)}\t${on ? "on" : "off"}\n`;
    }
    if (!quiet) await sh.out(text);
    return 0;
  }
  let status = 0;
  let text = "";
  for (const name of names) {
    const current = get(name);
    if (current === undefined) {
      sh.error(`shopt: ${name}: invalid shell option name`);
      status = 1;
      continue;
    }
    if (mode) {
      if (setOptions) setOption(sh, name, mode === "s");
      else sh.shopt[name] = mode === "s";
      continue;
    }
    if (!current) status = 1;
    if (!quiet)
      text += print
        ? `${setOptions ? `set ${current ? "-" : "+"}o` : `shopt ${current ? "-s" : "-u"}`} ${name}\n`
        : `${name.padEnd(15)}\t${current ? "on" : "off"}\n`;
  }
  await sh.out(text);
  return status;
};

export const OPTION_BUILTINS: Array<[string, Builtin]> = [
  ["set", set],
  ["shopt", shopt],
];
