/** Control-flow builtins: exit, return, break, continue, eval, source/., exec, :, true, false. */
import { isKernelError, strerror } from "../../fs/errors.ts";
import { LoopControl, ReturnSignal, ShellExit } from "../control.ts";
import { parse, ShellSyntaxError } from "../parser.ts";
import type { Shell } from "../shell.ts";
import type { Builtin } from "./index.ts";

/** Parses a status argument like bash (`exit 300` is 44; non-numbers are errors). */
function statusArgument(sh: Shell, name: string, arg: string | undefined): number | null {
  if (arg === undefined) return sh.lastStatus;
  if (!/^\s*[-+]?\d+\s*$/.test(arg)) {
    sh.error(`${name}: ${arg}: numeric argument required`);
    return null;
  }
  return Number(BigInt.asUintN(8, BigInt(arg.trim())));
}

const exit: Builtin = async (sh, argv) => {
  if (argv.length > 2 && /^\s*[-+]?\d+\s*$/.test(argv[1])) {
    sh.error("exit: too many arguments");
    // A non-interactive shell still exits (with 1); an interactive one carries on.
    if (sh.options.interactive) return 1;
    throw new ShellExit(1);
  }
  if (sh.options.interactive && sh.subshellLevel === 0) {
    await sh.err("exit\n");
    // bash refuses once while jobs are stopped; `exit` again right after leaves anyway.
    if (sh.previousBuiltin !== exit && sh.jobs.jobs.some((j) => j.state === "stopped")) {
      await sh.err("There are stopped jobs.\n");
      return 1;
    }
  }
  const status = statusArgument(sh, "exit", argv[1]);
  throw new ShellExit(status ?? 2);
};

const returnBuiltin: Builtin = async (sh, argv) => {
  if (sh.functionStack.length === 0 && sh.sourceDepth === 0) {
    sh.error("return: can only `return' from a function or sourced script");
    return 2;
  }
  if (argv.length > 2) {
    sh.error("return: too many arguments");
    // Like `exit`, a non-interactive shell gives up here (bash exits with 1).
    if (sh.options.interactive) throw new ReturnSignal(1);
    throw new ShellExit(1);
  }
  const status = statusArgument(sh, "return", argv[1]);
  throw new ReturnSignal(status ?? 2);
};

function loopControl(kind: "break" | "continue"): Builtin {
  return async (sh, argv) => {
    let levels = 1;
    if (argv[1] !== undefined) {
      if (!/^\s*[-+]?\d+\s*$/.test(argv[1])) {
        sh.error(`${kind}: ${argv[1]}: numeric argument required`);
        return 128;
      }
      levels = Number(argv[1]);
      if (levels < 1) {
        sh.error(`${kind}: ${argv[1]}: loop count out of range`);
        return 1;
      }
    }
    if (sh.loopDepth === 0) {
      sh.error(`${kind}: only meaningful in a \`for', \`while', or \`until' loop`);
      return 0;
    }
    throw new LoopControl(kind, Math.min(levels, sh.loopDepth));
  };
}

const evalBuiltin: Builtin = async (sh, argv) => {
  const source = argv.slice(1).join(" ");
  if (source.trim() === "") return 0;
  let program: ReturnType<typeof parse>;
  try {
    program = parse(source);
  } catch (err) {
    if (!(err instanceof ShellSyntaxError)) throw err;
    const prefix = `${sh.errorName}: eval: line ${err.line}: `;
    let text = `${prefix}${err.message}\n`;
    if (err.message.startsWith("syntax error near"))
      text += `${prefix}\`${source.split("\n")[err.line - 1] ?? ""}'\n`;
    await sh.err(text).catch(() => {});
    return 2;
  }
  return sh.runProgram(program);
};

const source: Builtin = async (sh, argv) => {
  const file = argv[1] === "--" ? argv[2] : argv[1];
  if (file === undefined) {
    sh.error(`${argv[0]}: filename argument required`);
    sh.error(`${argv[0]}: usage: ${argv[0]} filename [arguments]`);
    return 2;
  }
  let path = file;
  if (!file.includes("/") && sh.shopt.sourcepath) {
    for (const dir of (sh.vars.get("PATH") ?? "").split(":")) {
      const candidate = `${dir || "."}/${file}`;
      try {
        const st = await sh.ctx.stat(candidate);
        if ((st.mode & 0o170000) === 0o100000) {
          path = candidate;
          break;
        }
      } catch {
        // Not in this directory.
      }
    }
  }
  let text: string;
  try {
    text = new TextDecoder().decode(await sh.ctx.readFile(path));
  } catch (err) {
    // bash names itself for a directory, lower-case, and leaves the name out otherwise.
    if (isKernelError(err, "EISDIR")) sh.error(`${argv[0]}: ${file}: is a directory`);
    else sh.error(`${file}: ${isKernelError(err) ? strerror(err.code) : String(err)}`);
    return 1;
  }
  const args = argv.slice(argv[1] === "--" ? 3 : 2);
  const savedPositional = sh.positional;
  if (args.length > 0) sh.positional = args;
  const saved = { kind: sh.sourceKind, name: sh.sourceName, line: sh.lineno };
  sh.sourceKind = "file";
  sh.sourceName = file;
  sh.sourceDepth++;
  try {
    return await sh.runSource(text, { fileName: file });
  } catch (err) {
    if (err instanceof ReturnSignal) return err.status;
    throw err;
  } finally {
    sh.sourceDepth--;
    sh.sourceKind = saved.kind;
    sh.sourceName = saved.name;
    sh.lineno = saved.line;
    if (args.length > 0) sh.positional = savedPositional;
  }
};

const exec: Builtin = async (sh, argv) => {
  let i = 1;
  let name: string | undefined;
  let clearEnv = false;
  for (; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === "--") {
      i++;
      break;
    }
    if (arg === "-a") name = argv[++i];
    else if (arg === "-c") clearEnv = true;
    else if (arg === "-l") continue;
    else if (/^-[cl]+$/.test(arg)) clearEnv ||= arg.includes("c");
    else break;
  }
  const command = argv.slice(i);
  if (command.length === 0) return 0;
  const env = clearEnv ? {} : sh.environment();
  const program = [...command];
  if (name !== undefined) program[0] = name;
  let status: number;
  try {
    status = await sh.ctx.exec(program, env);
  } catch (err) {
    if (!isKernelError(err)) throw err;
    const what =
      err.code === "ENOENT"
        ? command[0].includes("/")
          ? "No such file or directory"
          : "not found"
        : strerror(err.code);
    sh.error(`exec: ${command[0]}: ${what}`);
    throw new ShellExit(err.code === "ENOENT" ? 127 : 126);
  }
  throw new ShellExit(status);
};

const colon: Builtin = async () => 0;
const falseBuiltin: Builtin = async () => 1;

export const FLOW_BUILTINS: Array<[string, Builtin]> = [
  ["exit", exit],
  ["logout", exit],
  ["return", returnBuiltin],
  ["break", loopControl("break")],
  ["continue", loopControl("continue")],
  ["eval", evalBuiltin],
  ["source", source],
  [".", source],
  ["exec", exec],
  [":", colon],
  ["true", colon],
  ["false", falseBuiltin],
];
