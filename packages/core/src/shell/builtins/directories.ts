/** cd (CDPATH, `-`, OLDPWD, -L/-P), pwd, and the directory stack (pushd, popd, dirs). */
import { isKernelError, strerror } from "../../fs/errors.ts";
import type { Shell } from "../shell.ts";
import type { Builtin } from "./index.ts";

/** Lexical normalisation of an absolute path (`a/../b` → `b`), as cd -L does. */
function normalize(path: string): string {
  const out: string[] = [];
  for (const part of path.split("/")) {
    if (part === "" || part === ".") continue;
    if (part === "..") out.pop();
    else out.push(part);
  }
  return `/${out.join("/")}`;
}

function homeOf(sh: Shell): string | undefined {
  return sh.vars.get("HOME");
}

async function changeDirectory(sh: Shell, target: string, physical: boolean): Promise<string> {
  const base = sh.vars.get("PWD") ?? sh.ctx.cwd;
  let path = target.startsWith("/") ? target : `${base === "/" ? "" : base}/${target}`;
  path = physical ? await sh.ctx.realpath(path) : normalize(path);
  await sh.ctx.chdir(path);
  if (!physical) {
    // A logical path through a symlink that no longer resolves falls back to the real one.
    return path;
  }
  return sh.ctx.cwd;
}

function setPwd(sh: Shell, path: string): void {
  const old = sh.vars.get("PWD") ?? sh.ctx.cwd;
  sh.assignVariable("OLDPWD", old);
  sh.assignVariable("PWD", path);
}

const cd: Builtin = async (sh, argv) => {
  let physical = sh.options.physical;
  let i = 1;
  for (; i < argv.length && /^-[LPe@]+$/.test(argv[i]); i++) {
    if (argv[i].includes("P")) physical = true;
    if (argv[i].includes("L")) physical = false;
  }
  if (argv[i] === "--") i++;
  else if (argv[i]?.startsWith("-") && argv[i] !== "-") {
    sh.error(`cd: ${argv[i].slice(0, 2)}: invalid option`);
    sh.usage("cd: usage: cd [-L|[-P [-e]] [-@]] [dir]");
    return 2;
  }
  const args = argv.slice(i);
  if (args.length > 1) {
    sh.error("cd: too many arguments");
    return 1;
  }
  let target: string | undefined = args[0];
  let print = false;
  if (target === undefined) {
    target = homeOf(sh);
    if (target === undefined) {
      sh.error("cd: HOME not set");
      return 1;
    }
    if (target === "") return 0;
  } else if (target === "-") {
    target = sh.vars.get("OLDPWD");
    if (target === undefined) {
      sh.error("cd: OLDPWD not set");
      return 1;
    }
    print = true;
  }
  const candidates: Array<[string, boolean]> = [];
  const cdpath = sh.vars.get("CDPATH");
  if (cdpath && !target.startsWith("/") && !/^\.\.?(\/|$)/.test(target)) {
    for (const dir of cdpath.split(":")) {
      candidates.push([dir === "" ? target : `${dir.replace(/\/$/, "")}/${target}`, dir !== ""]);
    }
  }
  candidates.push([target, false]);
  let lastError: unknown;
  for (const [candidate, viaCdpath] of candidates) {
    try {
      const path = await changeDirectory(sh, candidate, physical);
      setPwd(sh, path);
      if (print || viaCdpath) await sh.out(`${path}\n`);
      return 0;
    } catch (err) {
      if (!isKernelError(err)) throw err;
      lastError = err;
    }
  }
  const code = isKernelError(lastError) ? lastError.code : "ENOENT";
  sh.error(`cd: ${target}: ${strerror(code)}`);
  return 1;
};

const pwd: Builtin = async (sh, argv) => {
  let physical = sh.options.physical;
  for (const arg of argv.slice(1)) {
    if (arg === "-P") physical = true;
    else if (arg === "-L") physical = false;
    else if (arg.startsWith("-")) {
      sh.error(`pwd: ${arg.slice(0, 2)}: invalid option`);
      sh.usage("pwd: usage: pwd [-LP]");
      return 2;
    }
  }
  let path = sh.vars.get("PWD");
  if (physical || !path || !path.startsWith("/")) path = await sh.ctx.realpath(sh.ctx.cwd);
  await sh.out(`${path}\n`);
  return 0;
};

function tildeForm(sh: Shell, path: string): string {
  const home = homeOf(sh);
  if (home && (path === home || path.startsWith(`${home}/`))) return `~${path.slice(home.length)}`;
  return path;
}

async function printStack(
  sh: Shell,
  long = false,
  perLine = false,
  numbered = false,
): Promise<void> {
  const stack = [sh.vars.get("PWD") ?? sh.ctx.cwd, ...sh.dirStack];
  const shown = stack.map((d) => (long ? d : tildeForm(sh, d)));
  if (numbered) await sh.out(shown.map((d, i) => ` ${i}  ${d}\n`).join(""));
  else if (perLine) await sh.out(shown.map((d) => `${d}\n`).join(""));
  else await sh.out(`${shown.join(" ")}\n`);
}

const dirs: Builtin = async (sh, argv) => {
  let long = false;
  let perLine = false;
  let numbered = false;
  for (const arg of argv.slice(1)) {
    if (arg === "-c") sh.dirStack = [];
    else if (arg === "-l") long = true;
    else if (arg === "-p") perLine = true;
    else if (arg === "-v") numbered = perLine = true;
    else {
      sh.error(`dirs: ${arg}: invalid option`);
      return 1;
    }
  }
  if (!argv.includes("-c")) await printStack(sh, long, perLine, numbered);
  return 0;
};

const pushd: Builtin = async (sh, argv) => {
  const args = argv.slice(1).filter((a) => a !== "-n");
  const current = sh.vars.get("PWD") ?? sh.ctx.cwd;
  if (args.length === 0) {
    if (sh.dirStack.length === 0) {
      sh.error("pushd: no other directory");
      return 1;
    }
    const top = sh.dirStack[0];
    try {
      await sh.ctx.chdir(top);
    } catch (err) {
      sh.error(`pushd: ${top}: ${isKernelError(err) ? strerror(err.code) : String(err)}`);
      return 1;
    }
    sh.dirStack[0] = current;
    setPwd(sh, top);
    await printStack(sh);
    return 0;
  }
  const target = args[0];
  try {
    const path = await changeDirectory(sh, target, false);
    setPwd(sh, path);
  } catch (err) {
    sh.error(`pushd: ${target}: ${isKernelError(err) ? strerror(err.code) : String(err)}`);
    return 1;
  }
  sh.dirStack.unshift(current);
  await printStack(sh);
  return 0;
};

const popd: Builtin = async (sh) => {
  if (sh.dirStack.length === 0) {
    sh.error("popd: directory stack empty");
    return 1;
  }
  const top = sh.dirStack.shift()!;
  try {
    await sh.ctx.chdir(top);
  } catch (err) {
    sh.error(`popd: ${top}: ${isKernelError(err) ? strerror(err.code) : String(err)}`);
    return 1;
  }
  setPwd(sh, top);
  await printStack(sh);
  return 0;
};

export const DIRECTORY_BUILTINS: Array<[string, Builtin]> = [
  ["cd", cd],
  ["pwd", pwd],
  ["dirs", dirs],
  ["pushd", pushd],
  ["popd", popd],
];
