/**
 * The `bash` and `sh` programs: option parsing (`-c`, script files, stdin, `-e -u -x -o ...`),
 * then a `Shell` runs the code. Interactive use under a terminal is in interactive.ts.
 */
import { isKernelError, strerror } from "../fs/errors.ts";
import type { CommandDefinition } from "../kernel/command-registry.ts";
import { ProcessTerminated } from "../kernel/process.ts";
import type { ProcessContext } from "../kernel/process-context.ts";
import { FatalShellError, ShellExit } from "./control.ts";
import { Shell } from "./shell.ts";

const decoder = new TextDecoder();

const SHORT_OPTIONS: Record<string, string> = {
  a: "allexport",
  e: "errexit",
  f: "noglob",
  h: "hashall",
  m: "monitor",
  n: "noexec",
  u: "nounset",
  v: "verbose",
  x: "xtrace",
  B: "braceexpand",
  C: "noclobber",
  E: "errtrace",
  T: "functrace",
  P: "physical",
};

interface Invocation {
  command?: string;
  script?: string;
  readStdin: boolean;
  interactive: boolean;
  login: boolean;
  set: Array<[string, boolean]>;
  shopt: Array<[string, boolean]>;
  args: string[];
}

function usage(name: string): string {
  return `${name}: usage: ${name} [GNU long option] [option] ...\n\t${name} [GNU long option] [option] script-file ...\n`;
}

function parseInvocation(argv: string[]): Invocation | string {
  const inv: Invocation = {
    readStdin: false,
    interactive: false,
    login: false,
    set: [],
    shopt: [],
    args: [],
  };
  let i = 1;
  let wantCommand = false;
  for (; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === "--" || arg === "-") {
      i++;
      break;
    }
    if (arg.startsWith("--")) {
      if (arg === "--login") inv.login = true;
      else if (["--norc", "--noprofile", "--posix", "--noediting", "--restricted"].includes(arg))
        continue;
      else if (arg === "--version") return "version";
      else if (arg === "--help") return "help";
      else return `${argv[0]}: ${arg}: invalid option\n${usage(argv[0])}`;
      continue;
    }
    if (!/^[-+]/.test(arg) || arg.length === 1) break;
    const on = arg[0] === "-";
    for (let k = 1; k < arg.length; k++) {
      const c = arg[k];
      if (c === "c" && on) wantCommand = true;
      else if (c === "s" && on) inv.readStdin = true;
      else if (c === "i" && on) inv.interactive = true;
      else if (c === "l" && on) inv.login = true;
      else if (c === "r" || c === "D") continue;
      else if (c === "o" || c === "O") {
        const name = argv[++i];
        if (name === undefined) return `${argv[0]}: -${c}: option requires an argument\n`;
        if (c === "o") inv.set.push([name, on]);
        else inv.shopt.push([name, on]);
      } else if (SHORT_OPTIONS[c]) inv.set.push([SHORT_OPTIONS[c], on]);
      else return `${argv[0]}: ${arg[0]}${c}: invalid option\n${usage(argv[0])}`;
    }
  }
  const rest = argv.slice(i);
  if (wantCommand) {
    if (rest.length === 0) return `${argv[0]}: -c: option requires an argument\n`;
    inv.command = rest[0];
    inv.args = rest.slice(1);
  } else if (!inv.readStdin && rest.length > 0) {
    inv.script = rest[0];
    inv.args = rest.slice(1);
  } else {
    inv.readStdin = true;
    inv.args = rest;
  }
  return inv;
}

async function main(ctx: ProcessContext): Promise<number> {
  const name = ctx.argv[0].slice(ctx.argv[0].lastIndexOf("/") + 1) || "bash";
  const inv = parseInvocation(ctx.argv);
  if (inv === "version") {
    await ctx.out(
      "GNU bash, version 5.2.15(1)-release (x86_64-pc-linux-gnu)\nThis is agentOS's bash-compatible shell.\n",
    );
    return 0;
  }
  if (inv === "help") {
    await ctx.out(usage(name));
    return 0;
  }
  if (typeof inv === "string") {
    await ctx.err(inv);
    return 2;
  }
  let scriptName = name;
  let positional = inv.args;
  if (inv.command !== undefined && inv.args.length > 0) {
    scriptName = inv.args[0];
    positional = inv.args.slice(1);
  } else if (inv.script !== undefined) scriptName = inv.script;
  const sh = new Shell(ctx, { scriptName, positional });
  sh.errorName = inv.command !== undefined ? scriptName : name;
  for (const [option, on] of inv.set) {
    const options = sh.options as unknown as Record<string, boolean>;
    if (!(option in options)) {
      await ctx.err(`${name}: ${option}: invalid option name\n`);
      return 2;
    }
    options[option] = on;
  }
  for (const [option, on] of inv.shopt) {
    if (!(option in sh.shopt)) {
      await ctx.err(`${name}: ${option}: invalid shell option name\n`);
      return 2;
    }
    sh.shopt[option] = on;
  }
  let status: number;
  try {
    status = await run(sh, ctx, inv, name);
  } catch (err) {
    status = sh.statusOf(err);
  }
  try {
    return await sh.finish(status);
  } catch (err) {
    if (err instanceof ProcessTerminated) throw err;
    return sh.statusOf(err);
  }
}

async function run(sh: Shell, ctx: ProcessContext, inv: Invocation, name: string): Promise<number> {
  if (inv.command !== undefined) {
    sh.sourceKind = "command";
    sh.sourceName = "-c";
    sh.markDashC();
    return runText(sh, inv.command);
  }
  if (inv.script !== undefined) {
    let text: string;
    try {
      text = decoder.decode(await ctx.readFile(inv.script));
    } catch (err) {
      const reason = isKernelError(err) ? strerror(err.code) : String(err);
      await ctx.err(`${name}: ${inv.script}: ${reason}\n`);
      return isKernelError(err, "ENOENT") ? 127 : 126;
    }
    sh.sourceKind = "file";
    sh.sourceName = inv.script;
    return runText(sh, text, inv.script);
  }
  if (ctx.isatty(0) || inv.interactive) {
    const { runInteractive } = await import("./interactive.ts");
    return runInteractive(sh);
  }
  sh.sourceKind = "stdin";
  sh.sourceName = "stdin";
  const text = decoder.decode(await ctx.readAll(0));
  return runText(sh, text);
}

async function runText(sh: Shell, text: string, fileName?: string): Promise<number> {
  try {
    return await sh.runSource(text, fileName ? { fileName } : {});
  } catch (err) {
    if (err instanceof ShellExit || err instanceof FatalShellError) return err.status;
    throw err;
  }
}

export const bash: CommandDefinition = { name: "bash", main };
export const sh: CommandDefinition = { name: "sh", main };
