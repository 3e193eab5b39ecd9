/**
 * The interactive shell: startup files, then prompt, read a line, run it, repeat.
 *
 * On a terminal the line is read by the line editor (line-editor.ts) with the terminal in
 * raw mode, and the terminal's previous (canonical) mode is restored while commands run.
 * Job control follows bash: the shell leads its own process group, ignores the keyboard's
 * job-control signals (through handlers, so children still get the default actions), and
 * each foreground job gets its own process group and the terminal while it runs, so ^C
 * interrupts the job and not the shell, and ^Z stops it: the shell reports it Stopped and
 * takes the terminal back; `fg` and `bg` resume it (shell.ts, builtins/jobs.ts). History (Up/Down, `!!`, `!n`, `!$`, `^a^b`), tab
 * completion of command names, variables and paths, PS2 continuation, PROMPT_COMMAND,
 * background job notices and COLUMNS/LINES tracking (checkwinsize) are handled here.
 *
 * Without a terminal (`bash -i` on a pipe) the prompt goes to stderr and lines are read as
 * they come.
 */
import { isKernelError } from "../fs/errors.ts";
import { SIGNALS, signalDescription } from "../kernel/signals.ts";
import { rawInputTermios, type Termios } from "../kernel/termios.ts";
import { FatalShellError, ShellExit } from "./control.ts";
import { formatJob } from "./jobs.ts";
import { type Completion, LineEditor, type ReadResult } from "./line-editor.ts";
import { isIncomplete } from "./parser.ts";
import type { JobControl, Shell } from "./shell.ts";

/** Descriptor the shell keeps its terminal on (as bash does), out of the way of redirections. */
const TTY_FD = 255;

/** Abandons the command line being run (^C); the loop prints a fresh prompt. */
class Interrupted extends Error {
  override name = "Interrupted";
}

const SHELL_IGNORED = [
  SIGNALS.SIGQUIT,
  SIGNALS.SIGTERM,
  SIGNALS.SIGTSTP,
  SIGNALS.SIGTTIN,
  SIGNALS.SIGTTOU,
];

export async function runInteractive(sh: Shell): Promise<number> {
  const ctx = sh.ctx;
  sh.options.interactive = true;
  sh.sourceKind = "stdin";
  sh.sourceName = "stdin";
  const terminal = ctx.isatty(0) ? await setUpTerminal(sh) : undefined;
  try {
    await runStartupFiles(sh);
  } catch (err) {
    if (err instanceof ShellExit) return err.status;
    throw err;
  }
  const editor = terminal
    ? new LineEditor(
        {
          read: () => ctx.read(0, 4096),
          write: (text) => ctx.write(2, text),
          columns: () => terminal.size().cols,
        },
        { history: sh.history, complete: (line, cursor) => completeLine(sh, line, cursor) },
      )
    : undefined;

  let buffer = "";
  for (;;) {
    if (!buffer) {
      await notifyJobs(sh);
      terminal?.checkWindowSize();
      await runPromptCommand(sh);
    }
    const ps = buffer ? (sh.vars.get("PS2") ?? "> ") : (sh.vars.get("PS1") ?? "$ ");
    const prompt = sh.expandPrompt(ps);
    let result: ReadResult;
    if (editor && terminal) {
      result = await terminal.raw(() => editor.readLine(prompt));
    } else {
      await sh.err(prompt).catch(() => {});
      const line = await sh.readLine(0);
      result = line === null ? { kind: "eof" } : { kind: "line", text: line };
    }
    terminal?.clearInterrupt();
    if (result.kind === "interrupt") {
      buffer = "";
      sh.lastStatus = 130;
      continue;
    }
    if (result.kind === "eof") {
      if (buffer) {
        // End of input inside an unfinished command: let the parser report it.
        const source = buffer;
        buffer = "";
        await run(sh, source);
        continue;
      }
      await sh.err("exit\n").catch(() => {});
      terminateStoppedJobs(sh);
      return sh.lastStatus;
    }
    let line = result.text;
    if (line.includes("!") || line.startsWith("^")) {
      const expanded = expandHistory(line, sh.history);
      if ("error" in expanded) {
        await sh.err(`${sh.errorName}: ${expanded.error}\n`).catch(() => {});
        sh.lastStatus = 1;
        buffer = "";
        continue;
      }
      if (expanded.text !== line) {
        line = expanded.text;
        await sh.err(`${line}\n`).catch(() => {});
      }
    }
    buffer += `${line}\n`;
    if (isIncomplete(buffer)) continue;
    const source = buffer;
    buffer = "";
    if (source.trim()) sh.history.push(source.replace(/\n$/, ""));
    terminal?.checkWindowSize();
    const exit = await run(sh, source);
    if (exit !== undefined) {
      terminateStoppedJobs(sh);
      return exit;
    }
  }
}

/** Runs one command line; returns a status when the shell must exit. */
async function run(sh: Shell, source: string): Promise<number | undefined> {
  try {
    await sh.runSource(source);
  } catch (err) {
    if (err instanceof ShellExit) return err.status;
    if (err instanceof FatalShellError) {
      sh.lastStatus = err.status;
      return undefined;
    }
    if (err instanceof Interrupted) {
      sh.lastStatus = 130;
      return undefined;
    }
    throw err;
  }
  return undefined;
}

interface Terminal {
  size(): { cols: number; rows: number };
  checkWindowSize(): void;
  raw<T>(body: () => Promise<T>): Promise<T>;
  clearInterrupt(): void;
}

/** Takes the terminal: own process group in the foreground, signal handling, job control. */
async function setUpTerminal(sh: Shell): Promise<Terminal> {
  const ctx = sh.ctx;
  let fd = 0;
  try {
    fd = ctx.kernel.dup(ctx.pid, 0, TTY_FD, true);
  } catch {
    fd = 0;
  }
  let jobControl = true;
  try {
    if (ctx.pgid !== ctx.pid && ctx.sid !== ctx.pid) ctx.setpgid(0, 0);
    ctx.tcsetpgrp(fd, ctx.pgid);
  } catch (err) {
    jobControl = false;
    const reason = isKernelError(err) ? err.description : String(err);
    await ctx
      .err(
        `${sh.errorName}: cannot set terminal process group (-1): ${capitalize(reason)}\n${sh.errorName}: no job control in this shell\n`,
      )
      .catch(() => {});
  }
  let interrupted = false;
  ctx.onSignal(SIGNALS.SIGINT, () => {
    interrupted = true;
  });
  for (const signal of SHELL_IGNORED) ctx.onSignal(signal, () => {});
  ctx.onSignal(SIGNALS.SIGWINCH, () => {});

  const size = (): { cols: number; rows: number } => {
    try {
      return ctx.getWindowSize(fd);
    } catch {
      return {
        cols: Number(sh.vars.get("COLUMNS")) || 80,
        rows: Number(sh.vars.get("LINES")) || 24,
      };
    }
  };

  if (jobControl) {
    sh.options.monitor = true;
    const control: JobControl = {
      poll() {
        if (interrupted) {
          interrupted = false;
          ctx.write(2, "\n").catch(() => {});
          throw new Interrupted();
        }
      },
      foreground(pgid) {
        try {
          ctx.tcsetpgrp(fd, pgid);
        } catch {
          // The job ended already.
          return;
        }
        // The job may have read the terminal before it was given it, and been stopped by
        // SIGTTIN (bash's children avoid that race by calling tcsetpgrp themselves).
        const stopped = ctx.kernel.list().some((p) => p.pgid === pgid && p.status === "stopped");
        if (stopped) {
          try {
            ctx.kernel.kill(ctx.pid, -pgid, SIGNALS.SIGCONT);
          } catch {
            // Gone already.
          }
        }
      },
      reclaim() {
        try {
          ctx.tcsetpgrp(fd, ctx.pgid);
        } catch {
          // The terminal is gone.
        }
      },
      finished(statuses) {
        const signals = statuses.filter((s) => s > 128).map((s) => s - 128);
        if (signals.includes(SIGNALS.SIGINT)) {
          ctx.write(2, "\n").catch(() => {});
          throw new Interrupted();
        }
        const last = signals[signals.length - 1];
        if (last !== undefined && last !== SIGNALS.SIGPIPE)
          ctx.write(2, `${signalDescription(last)}\n`).catch(() => {});
      },
    };
    sh.jobControl = control;
  }

  return {
    size,
    checkWindowSize() {
      const { cols, rows } = size();
      if (!sh.shopt.checkwinsize) return;
      if (sh.vars.get("COLUMNS") !== String(cols)) sh.vars.set("COLUMNS", String(cols));
      if (sh.vars.get("LINES") !== String(rows)) sh.vars.set("LINES", String(rows));
    },
    async raw<T>(body: () => Promise<T>): Promise<T> {
      let saved: Termios | undefined;
      try {
        saved = ctx.tcgetattr(fd);
        ctx.tcsetattr(fd, rawInputTermios(saved));
      } catch {
        saved = undefined;
      }
      try {
        return await body();
      } finally {
        if (saved && ctx.alive) {
          try {
            ctx.tcsetattr(fd, saved);
          } catch {
            // The terminal went away.
          }
        }
      }
    },
    clearInterrupt() {
      interrupted = false;
    },
  };
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/**
 * bash's startup files: a login shell (`-l`, `--login`, argv[0] starting with "-") reads
 * /etc/profile and the first of ~/.bash_profile, ~/.bash_login, ~/.profile; other
 * interactive shells read /etc/bash.bashrc and ~/.bashrc.
 */
async function runStartupFiles(sh: Shell): Promise<void> {
  const argv = sh.ctx.argv;
  const end = argv.indexOf("--");
  const options = argv.slice(1, end < 0 ? argv.length : end).filter((a) => a.startsWith("-"));
  if (options.includes("--norc") && !isLogin(argv)) return;
  const home = sh.vars.get("HOME") ?? "/";
  const candidates = isLogin(argv)
    ? options.includes("--noprofile")
      ? []
      : [
          "/etc/profile",
          firstOf([`${home}/.bash_profile`, `${home}/.bash_login`, `${home}/.profile`]),
        ]
    : ["/etc/bash.bashrc", `${home}/.bashrc`];
  for (const candidate of candidates) {
    const path = typeof candidate === "string" ? candidate : await candidate(sh);
    if (!path) continue;
    try {
      await sh.ctx.stat(path);
    } catch {
      continue;
    }
    await run(sh, `. '${path.replace(/'/g, "'\\''")}'\n`);
  }
}

function firstOf(paths: string[]): (sh: Shell) => Promise<string | undefined> {
  return async (sh) => {
    for (const path of paths) {
      try {
        await sh.ctx.stat(path);
        return path;
      } catch {
        // Try the next one.
      }
    }
    return undefined;
  };
}

function isLogin(argv: string[]): boolean {
  if (argv[0].startsWith("-")) return true;
  for (const arg of argv.slice(1)) {
    if (arg === "--") break;
    if (arg === "--login") return true;
    if (/^-[A-Za-z]*l[A-Za-z]*$/.test(arg)) return true;
    if (!arg.startsWith("-")) break;
  }
  return false;
}

async function runPromptCommand(sh: Shell): Promise<void> {
  const command = sh.vars.get("PROMPT_COMMAND");
  if (!command) return;
  const status = sh.lastStatus;
  const exit = await run(sh, command);
  if (exit !== undefined) throw new ShellExit(exit);
  sh.lastStatus = status;
}

/** A leaving shell ends its stopped jobs (SIGTERM, then SIGCONT so it acts), as bash does. */
function terminateStoppedJobs(sh: Shell): void {
  for (const job of sh.jobs.jobs) {
    if (job.state !== "stopped") continue;
    try {
      sh.signalJob(job, SIGNALS.SIGTERM);
      sh.signalJob(job, SIGNALS.SIGCONT);
    } catch {
      // Gone already.
    }
  }
}

/**
 * Reports job changes since the last prompt: ended jobs ("[1]+  Done  sleep 1", then they
 * leave the table) and jobs stopped in the background ("\n[2]+  Stopped  sleep 9").
 */
async function notifyJobs(sh: Shell): Promise<void> {
  let text = "";
  for (const job of [...sh.jobs.jobs]) {
    const state = job.state;
    if (state === job.reported) continue;
    if (state === "stopped") text += `\n${formatJob(sh.jobs, job)}`;
    else if (state === "done") text += formatJob(sh.jobs, job);
    job.reported = state;
  }
  for (const job of [...sh.jobs.jobs]) if (job.reported === "done") sh.jobs.remove(job);
  if (text) await sh.err(text).catch(() => {});
}

// ---- history expansion --------------------------------------------------------------------

/**
 * bash's history expansion for the common forms: `!!`, `!n`, `!-n`, `!prefix`, `!?text?`,
 * word designators (`!$`, `!^`, `!*`, `!!:n`, `!!:$`) and `^old^new` quick substitution. Not
 * inside single quotes or after a backslash.
 */
export function expandHistory(
  line: string,
  history: string[],
): { text: string } | { error: string } {
  if (line.startsWith("^")) {
    const m = /^\^([^^]*)\^([^^]*)\^?(.*)$/.exec(line);
    const last = history[history.length - 1];
    if (!m || last === undefined) return { error: `${line.split(/\s/)[0]}: event not found` };
    if (!last.includes(m[1])) return { error: ":s^" + m[1] + ": substitution failed" };
    return { text: last.replace(m[1], m[2]) + m[3] };
  }
  let out = "";
  let single = false;
  let double = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (c === "\\" && !single) {
      out += c + (line[i + 1] ?? "");
      i++;
      continue;
    }
    if (c === "'" && !double) single = !single;
    if (c === '"') double = !double;
    if (c !== "!" || single) {
      out += c;
      continue;
    }
    const next = line[i + 1];
    if (next === undefined || /[\s=(]/.test(next) || (next === '"' && double)) {
      out += c;
      continue;
    }
    // The event.
    let j = i + 1;
    let entry: string | undefined;
    let spec: string;
    if (next === "!") {
      j = i + 2;
      entry = history[history.length - 1];
    } else if (/[0-9-]/.test(next)) {
      const m = /^-?\d+/.exec(line.slice(i + 1));
      if (!m) {
        out += c;
        continue;
      }
      j = i + 1 + m[0].length;
      const n = Number(m[0]);
      entry = n < 0 ? history[history.length + n] : history[n - 1];
    } else if (next === "$" || next === "^" || next === "*" || next === ":") {
      j = i + 1;
      entry = history[history.length - 1];
    } else if (next === "?") {
      const end = line.indexOf("?", i + 2);
      const text = line.slice(i + 2, end < 0 ? undefined : end);
      j = end < 0 ? line.length : end + 1;
      entry = [...history].reverse().find((h) => h.includes(text));
    } else {
      const m = /^[^\s:;&|<>()"'`]+/.exec(line.slice(i + 1));
      const text = m ? m[0] : "";
      j = i + 1 + text.length;
      entry = [...history].reverse().find((h) => h.startsWith(text));
    }
    spec = line.slice(i, j);
    // Word designators.
    let designator: string | undefined;
    if (line[j] === ":" && /[0-9$^*-]/.test(line[j + 1] ?? "")) {
      const m = /^(\d+-\d+|\d+-|\d+|\$|\^|\*)/.exec(line.slice(j + 1));
      if (m) {
        designator = m[0];
        j += 1 + m[0].length;
      }
    } else if (j === i + 1 && /[$^*]/.test(next)) {
      designator = next;
      j = i + 2;
    }
    spec = line.slice(i, j);
    if (entry === undefined) return { error: `${spec}: event not found` };
    const flat = entry.replace(/\n/g, " ");
    if (designator === undefined) out += flat;
    else {
      const words = flat.trim().split(/\s+/);
      const picked = pickWords(words, designator);
      if (picked === undefined) return { error: `${spec}: bad word specifier` };
      out += picked;
    }
    i = j - 1;
  }
  return { text: out };
}

function pickWords(words: string[], designator: string): string | undefined {
  const last = words.length - 1;
  if (designator === "$") return words[last];
  if (designator === "^") return words[1];
  if (designator === "*") return words.slice(1).join(" ");
  const range = /^(\d+)(-(\d*))?$/.exec(designator);
  if (!range) return undefined;
  const from = Number(range[1]);
  const to = range[2] === undefined ? from : range[3] === "" ? last - 1 : Number(range[3]);
  if (from > last || to > last) return undefined;
  return words.slice(from, to + 1).join(" ");
}

// ---- completion -------------------------------------------------------------------------------

const COMMAND_POSITION = /(^|[;&|(!{]|\b(then|do|else|elif|if|while|until|time))\s*$/;
const SPECIAL = /[\s"'\\$`&|;()<>*?[\]{}!#]/g;

/** Completes the word before the cursor: command names, $variables, or paths. */
export async function completeLine(sh: Shell, line: string, cursor: number): Promise<Completion> {
  // Loaded lazily: the builtins table imports this module's importers in a cycle.
  const { completions } = await import("./builtins/misc.ts");
  let start = cursor;
  while (start > 0) {
    const c = line[start - 1];
    if (/[\s;|&()<>]/.test(c) && line[start - 2] !== "\\") break;
    if (c === "=" && !line.slice(0, start).includes(" ")) break;
    start--;
  }
  let word = line.slice(start, cursor);
  if (word.startsWith('"') || word.startsWith("'")) {
    start++;
    word = word.slice(1);
  }
  const before = line.slice(0, start);
  if (word.startsWith("$") && !word.includes("/")) {
    const names = await completions(sh, ["compgen", "-v", word.slice(1)]);
    return { start, candidates: names.map((n) => `$${n}`) };
  }
  const raw = word.replace(/\\(.)/g, "$1");
  if (COMMAND_POSITION.test(before) && !raw.includes("/")) {
    const names = new Set([
      ...(await completions(sh, ["compgen", "-c", raw])),
      ...(await completions(sh, ["compgen", "-a", raw])),
    ]);
    return { start, candidates: [...names].sort().map(escapeWord) };
  }
  const home = sh.vars.get("HOME") ?? "";
  const tilde = raw === "~" || raw.startsWith("~/");
  const lookup = tilde ? home + raw.slice(1) : raw;
  const found = await completions(sh, ["compgen", "-f", lookup]);
  const candidates: string[] = [];
  for (const path of found) {
    let isDir = false;
    try {
      isDir = ((await sh.ctx.stat(path)).mode & 0o170000) === 0o040000;
    } catch {
      // Dangling link: complete it as a file.
    }
    const shown = tilde ? `~${path.slice(home.length)}` : path;
    candidates.push(escapeWord(shown) + (isDir ? "/" : ""));
  }
  return {
    start,
    candidates: candidates.sort(),
    suffix: (c) => (c.endsWith("/") ? "" : " "),
    display: (c) => {
      const plain = c.replace(/\\(.)/g, "$1");
      const slash = plain.lastIndexOf("/", plain.length - 2);
      return plain.slice(slash + 1);
    },
  };
}

function escapeWord(word: string): string {
  const head = word.startsWith("~") ? "~" : "";
  return head + word.slice(head.length).replace(SPECIAL, "\\$&");
}
