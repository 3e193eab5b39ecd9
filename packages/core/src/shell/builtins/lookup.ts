/** type, command, builtin, hash: how the shell finds what a name runs. */
import type { Shell } from "../shell.ts";
import type { Builtin } from "./index.ts";
import { BUILTINS } from "./index.ts";

export const KEYWORDS = new Set([
  "if",
  "then",
  "else",
  "elif",
  "fi",
  "case",
  "esac",
  "for",
  "select",
  "while",
  "until",
  "do",
  "done",
  "in",
  "function",
  "time",
  "{",
  "}",
  "!",
  "[[",
  "]]",
  "coproc",
]);

/** The path `name` runs from PATH, or undefined. */
export async function findProgram(sh: Shell, name: string): Promise<string | undefined> {
  if (name.includes("/")) {
    try {
      const st = await sh.ctx.stat(name);
      return (st.mode & 0o170000) === 0o100000 ? name : undefined;
    } catch {
      return undefined;
    }
  }
  const hashed = sh.commandHash.get(name);
  if (hashed) return hashed;
  const caller = { uid: sh.ctx.uid, gid: sh.ctx.gid, pid: sh.ctx.pid };
  return sh.ctx.kernel.findInPath(caller, name, sh.vars.get("PATH"), sh.ctx.cwd);
}

type Kind = "alias" | "keyword" | "function" | "builtin" | "file";

async function describe(
  sh: Shell,
  name: string,
  options: { all: boolean; skipFunctions: boolean },
): Promise<Array<{ kind: Kind; text: string; path?: string }>> {
  const found: Array<{ kind: Kind; text: string; path?: string }> = [];
  const alias = sh.aliases.get(name);
  if (alias !== undefined) found.push({ kind: "alias", text: `${name} is aliased to \`${alias}'` });
  if (KEYWORDS.has(name)) found.push({ kind: "keyword", text: `${name} is a shell keyword` });
  const fn = options.skipFunctions ? undefined : sh.functions.get(name);
  if (fn) found.push({ kind: "function", text: `${name} is a function\n${fn.source}` });
  if (BUILTINS.has(name)) found.push({ kind: "builtin", text: `${name} is a shell builtin` });
  if (found.length === 0 || options.all) {
    const path = await findProgram(sh, name);
    if (path) {
      const hashed = sh.commandHash.has(name);
      found.push({
        kind: "file",
        text: hashed ? `${name} is hashed (${path})` : `${name} is ${path}`,
        path,
      });
    }
  }
  return options.all ? found : found.slice(0, 1);
}

const type: Builtin = async (sh, argv) => {
  let all = false;
  let kindOnly = false;
  let pathOnly = false;
  let forcePath = false;
  let skipFunctions = false;
  let i = 1;
  for (; i < argv.length && argv[i].startsWith("-") && argv[i].length > 1; i++) {
    if (argv[i] === "--") {
      i++;
      break;
    }
    for (const c of argv[i].slice(1)) {
      if (c === "a") all = true;
      else if (c === "t") kindOnly = true;
      else if (c === "p") pathOnly = true;
      else if (c === "P") forcePath = pathOnly = true;
      else if (c === "f") skipFunctions = true;
      else {
        sh.error(`type: -${c}: invalid option`);
        sh.usage("type: usage: type [-afptP] name [name ...]");
        return 2;
      }
    }
  }
  let status = 0;
  let text = "";
  for (const name of argv.slice(i)) {
    let found = await describe(sh, name, { all, skipFunctions });
    if (forcePath) {
      const path = await findProgram(sh, name);
      found = path ? [{ kind: "file", text: "", path }] : [];
    }
    if (found.length === 0) {
      if (!kindOnly && !pathOnly) sh.error(`type: ${name}: not found`);
      status = 1;
      continue;
    }
    for (const entry of found) {
      if (kindOnly) text += `${entry.kind}\n`;
      else if (pathOnly) {
        if (entry.kind === "file") text += `${entry.path}\n`;
      } else text += `${entry.text}\n`;
    }
  }
  await sh.out(text);
  return status;
};

const command: Builtin = async (sh, argv) => {
  let verbose: "v" | "V" | null = null;
  let i = 1;
  for (; i < argv.length && /^-[pvV]+$/.test(argv[i]); i++) {
    if (argv[i].includes("V")) verbose = "V";
    else if (argv[i].includes("v")) verbose = verbose ?? "v";
  }
  if (argv[i] === "--") i++;
  const args = argv.slice(i);
  if (args.length === 0) return 0;
  if (verbose) {
    let status = 0;
    let text = "";
    for (const name of args) {
      const [entry] = await describe(sh, name, { all: false, skipFunctions: false });
      if (!entry) {
        if (verbose === "V") sh.error(`command: ${name}: not found`);
        status = 1;
        continue;
      }
      if (verbose === "V") text += `${entry.text}\n`;
      else if (entry.kind === "file") text += `${entry.path}\n`;
      else if (entry.kind === "alias") text += `alias ${name}='${sh.aliases.get(name)}'\n`;
      else text += `${name}\n`;
    }
    await sh.out(text);
    return status;
  }
  const builtin = BUILTINS.get(args[0]);
  if (builtin) return builtin(sh, args);
  return sh.runExternal(args, undefined);
};

const builtin: Builtin = async (sh, argv) => {
  const name = argv[1];
  if (name === undefined) return 0;
  const fn = BUILTINS.get(name);
  if (!fn) {
    sh.error(`builtin: ${name}: not a shell builtin`);
    return 1;
  }
  return fn(sh, argv.slice(1));
};

const hash: Builtin = async (sh, argv) => {
  const args = argv.slice(1);
  if (args[0] === "-r") {
    sh.commandHash.clear();
    return 0;
  }
  if (args.length === 0) {
    if (sh.commandHash.size === 0) {
      await sh.out("hash: hash table empty\n");
      return 0;
    }
    let text = "hits\tcommand\n";
    for (const path of sh.commandHash.values()) text += `   1\t${path}\n`;
    await sh.out(text);
    return 0;
  }
  let status = 0;
  for (const name of args) {
    if (BUILTINS.has(name) || sh.functions.has(name)) continue;
    const path = await findProgram(sh, name);
    if (!path) {
      sh.error(`hash: ${name}: not found`);
      status = 1;
    } else sh.commandHash.set(name, path);
  }
  return status;
};

export const LOOKUP_BUILTINS: Array<[string, Builtin]> = [
  ["type", type],
  ["command", command],
  ["builtin", builtin],
  ["hash", hash],
];
