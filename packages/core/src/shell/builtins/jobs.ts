/** wait, kill, jobs, fg, bg, disown: the job control builtins. */
import { isKernelError } from "../../fs/errors.ts";
import { SIGNALS } from "../../kernel/signals.ts";
import { formatJob, type Job } from "../jobs.ts";
import type { Shell } from "../shell.ts";
import type { Builtin } from "./index.ts";

/** Signal names bash knows, by number (1..64). */
export function signalName(n: number): string | undefined {
  for (const [name, num] of Object.entries(SIGNALS)) if (num === n) return name;
  if (n === 34) return "SIGRTMIN";
  if (n > 34 && n <= 49) return `SIGRTMIN+${n - 34}`;
  if (n >= 50 && n < 64) return `SIGRTMAX-${64 - n}`;
  if (n === 64) return "SIGRTMAX";
  return undefined;
}

/** A signal given as a name (`TERM`, `SIGTERM`, any case) or number; undefined if invalid. */
export function parseSignal(spec: string): number | undefined {
  if (/^\d+$/.test(spec)) {
    const n = Number(spec);
    return n >= 0 && n <= 64 ? n : undefined;
  }
  const upper = spec.toUpperCase();
  const name = upper.startsWith("SIG") ? upper : `SIG${upper}`;
  for (let n = 1; n <= 64; n++) if (signalName(n) === name) return n;
  return undefined;
}

/** Waits for a job to end; a stopped job is not waited for (bash warns instead). */
async function waitJob(sh: Shell, job: Job, named: boolean): Promise<number> {
  if ((await job.settled()) === "stopped") {
    if (named) sh.error(`warning: wait_for_job: job ${job.id} is stopped`);
    else sh.error(`wait: warning: job ${job.id}[${job.pid}] stopped`);
    return named ? 128 + job.stopSignal : 0;
  }
  sh.jobs.remove(job);
  return job.status;
}

const wait: Builtin = async (sh, argv) => {
  const args = argv.slice(1);
  let any = false;
  if (args[0] === "-n") {
    any = true;
    args.shift();
  }
  if (args[0] === "-f") args.shift();
  if (args.length === 0) {
    const running = sh.jobs.jobs.filter((j) => j.state !== "stopped");
    if (any) {
      if (running.length === 0) return 127;
      const job = await Promise.race(running.map((j) => j.finished().then(() => j)));
      return waitJob(sh, job, false);
    }
    for (const job of [...sh.jobs.jobs]) await waitJob(sh, job, false);
    return 0;
  }
  let status = 0;
  for (const arg of args) {
    let job: Job | undefined;
    if (arg.startsWith("%")) {
      const found = sh.jobs.lookup(arg);
      if ("error" in found) {
        sh.error(`wait: ${found.error}`);
        status = 127;
        continue;
      }
      job = found.job;
    } else if (/^\d+$/.test(arg)) {
      job = sh.jobs.byPid(Number(arg));
      const earlier = sh.jobs.finished.get(Number(arg));
      if (!job && earlier !== undefined) {
        status = earlier;
        continue;
      }
      if (!job) {
        sh.error(`wait: pid ${arg} is not a child of this shell`);
        status = 127;
        continue;
      }
    } else {
      sh.error(`wait: \`${arg}': not a pid or valid job spec`);
      status = 1;
      continue;
    }
    status = await waitJob(sh, job, true);
  }
  return status;
};

async function listSignals(sh: Shell, args: string[]): Promise<number> {
  if (args.length > 0) {
    let status = 0;
    let text = "";
    for (const arg of args) {
      if (/^\d+$/.test(arg)) {
        let n = Number(arg);
        if (n > 128) n -= 128;
        const name = signalName(n);
        if (!name) {
          sh.error(`kill: ${arg}: invalid signal specification`);
          status = 1;
        } else text += `${name.replace(/^SIG/, "")}\n`;
      } else {
        const n = parseSignal(arg);
        if (n === undefined) {
          sh.error(`kill: ${arg}: invalid signal specification`);
          status = 1;
        } else text += `${n}\n`;
      }
    }
    await sh.out(text);
    return status;
  }
  let text = "";
  const entries: string[] = [];
  for (let n = 1; n <= 64; n++) {
    const name = signalName(n);
    if (name) entries.push(`${String(n).padStart(2)}) ${name}`);
  }
  for (let i = 0; i < entries.length; i++) {
    text += entries[i];
    text += (i + 1) % 5 === 0 || i === entries.length - 1 ? "\n" : "\t";
  }
  await sh.out(text);
  return 0;
}

const kill: Builtin = async (sh, argv) => {
  let signal: number = SIGNALS.SIGTERM;
  let i = 1;
  const usage = (): number => {
    sh.usage(
      "kill: usage: kill [-s sigspec | -n signum | -sigspec] pid | jobspec ... or kill -l [sigspec]",
    );
    return 2;
  };
  if (argv.length === 1) return usage();
  const first = argv[1];
  if (first === "-l" || first === "-L") return listSignals(sh, argv.slice(2));
  if (first === "-s" || first === "-n") {
    const spec = argv[2];
    if (spec === undefined) {
      sh.error(`kill: ${first}: option requires an argument`);
      return usage();
    }
    const n = parseSignal(spec);
    if (n === undefined) {
      sh.error(`kill: ${spec}: invalid signal specification`);
      return 1;
    }
    signal = n;
    i = 3;
  } else if (first.startsWith("-") && first !== "--" && first.length > 1) {
    const n = parseSignal(first.slice(1));
    if (n === undefined) {
      sh.error(`kill: ${first.slice(1)}: invalid signal specification`);
      return 1;
    }
    signal = n;
    i = 2;
  }
  if (argv[i] === "--") i++;
  const targets = argv.slice(i);
  if (targets.length === 0) return usage();
  let status = 0;
  for (const target of targets) {
    let pid: number;
    if (target.startsWith("%")) {
      const found = sh.jobs.lookup(target);
      if ("error" in found) {
        sh.error(`kill: ${found.error}`);
        status = 1;
        continue;
      }
      try {
        signalJob(sh, found.job, signal);
      } catch (err) {
        if (!isKernelError(err, "ESRCH") && !isKernelError(err, "EPERM")) throw err;
        sh.error(
          `kill: (${found.job.pid}) - ${isKernelError(err, "ESRCH") ? "No such process" : "Operation not permitted"}`,
        );
        status = 1;
      }
      continue;
    }
    if (/^-?\d+$/.test(target)) pid = Number(target);
    else {
      sh.error(`kill: ${target}: arguments must be process or job IDs`);
      status = 1;
      continue;
    }
    try {
      sh.ctx.kill(pid, signal);
    } catch (err) {
      if (isKernelError(err, "ESRCH")) sh.error(`kill: (${pid}) - No such process`);
      else if (isKernelError(err, "EPERM")) sh.error(`kill: (${pid}) - Operation not permitted`);
      else throw err;
      status = 1;
    }
  }
  // Let the target's handlers run before the next command, as a real signal would.
  await new Promise((r) => setImmediate(r));
  return status;
};

/**
 * `kill %job`, as bash's kill_pid: the job's process group, continued afterwards when it is
 * stopped and the signal is SIGTERM or SIGHUP (so it can act); SIGCONT makes a stopped job a
 * running background job, without a notice.
 */
function signalJob(sh: Shell, job: Job, signal: number): void {
  const stopped = job.state === "stopped";
  sh.signalJob(job, signal);
  if (stopped && (signal === SIGNALS.SIGTERM || signal === SIGNALS.SIGHUP))
    sh.signalJob(job, SIGNALS.SIGCONT);
  if (stopped && signal === SIGNALS.SIGCONT) {
    job.markRunning();
    job.background = true;
    job.reported = "running";
  }
}

const JOBS_USAGE = "jobs: usage: jobs [-lnprs] [jobspec ...] or jobs -x command [args]";

const jobs: Builtin = async (sh, argv) => {
  const flags = new Set<string>();
  let i = 1;
  for (; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === "--") {
      i++;
      break;
    }
    if (!arg.startsWith("-") || arg === "-") break;
    for (const flag of arg.slice(1)) {
      if (flag === "x") {
        sh.error("jobs: -x: not supported");
        return 2;
      }
      if (!"lnprs".includes(flag)) {
        sh.error(`jobs: -${flag}: invalid option`);
        sh.usage(JOBS_USAGE);
        return 2;
      }
      flags.add(flag);
    }
  }
  let status = 0;
  let selected: Job[];
  const specs = argv.slice(i);
  if (specs.length > 0) {
    selected = [];
    for (const spec of specs) {
      const found = sh.jobs.lookup(spec);
      if ("error" in found) {
        sh.error(`jobs: ${found.error}`);
        if (found.ambiguous) sh.error(`jobs: ${spec}: no such job`);
        status = 1;
      } else selected.push(found.job);
    }
  } else selected = [...sh.jobs.jobs];
  if (flags.has("r")) selected = selected.filter((j) => j.state === "running");
  if (flags.has("s")) selected = selected.filter((j) => j.state === "stopped");
  if (flags.has("n")) selected = selected.filter((j) => j.state !== j.reported);
  let text = "";
  for (const job of selected) {
    text += flags.has("p") ? `${job.pid}\n` : formatJob(sh.jobs, job, flags.has("l"));
    job.reported = job.state;
  }
  for (const job of selected) if (job.state === "done") sh.jobs.remove(job);
  await sh.out(text);
  return status;
};

/** fg and bg need job control: an interactive shell on its terminal. */
function jobControlled(sh: Shell, name: string): boolean {
  if (sh.jobControl && sh.options.monitor) return true;
  // bash prints this one without the line number, even from a script.
  sh.usage(`${sh.errorName}: ${name}: no job control`);
  return false;
}

const fg: Builtin = async (sh, argv) => {
  if (!jobControlled(sh, "fg")) return 1;
  const args = argv.slice(1);
  if (args[0] === "--") args.shift();
  const found = sh.jobs.lookup(args[0]);
  if ("error" in found) {
    sh.error(`fg: ${found.error}`);
    return 1;
  }
  const job = found.job;
  if (job.state === "done") {
    sh.error("fg: job has terminated");
    return 1;
  }
  await sh.out(`${job.command}\n`);
  return sh.resumeInForeground(job);
};

const bg: Builtin = async (sh, argv) => {
  if (!jobControlled(sh, "bg")) return 1;
  const args = argv.slice(1);
  if (args[0] === "--") args.shift();
  if (args.length === 0) args.push("%+");
  let status = 0;
  for (const spec of args) {
    const found = sh.jobs.lookup(spec);
    if ("error" in found) {
      sh.error(`bg: ${found.error === "%+: no such job" ? "current: no such job" : found.error}`);
      status = 1;
      continue;
    }
    const job = found.job;
    if (job.state === "done") {
      sh.error("bg: job has terminated");
      status = 1;
      continue;
    }
    if (job.state === "running") {
      // POSIX says this is not an error.
      sh.error(`bg: job ${job.id} already in background`);
      continue;
    }
    const mark = sh.jobs.mark(job);
    await sh.out(`[${job.id}]${mark === " " ? " " : `${mark} `}${job.command} &\n`);
    sh.continueInBackground(job);
  }
  return status;
};

const disown: Builtin = async (sh, argv) => {
  const flags = argv
    .slice(1)
    .filter((a) => a.startsWith("-") && a !== "-")
    .join("");
  const args = argv.slice(1).filter((a) => !a.startsWith("-") || a === "-");
  let targets: Job[];
  let status = 0;
  if (flags.includes("a") || flags.includes("r")) {
    targets = sh.jobs.jobs.filter((j) => !flags.includes("r") || j.state === "running");
  } else if (args.length === 0) {
    const found = sh.jobs.lookup(undefined);
    if ("error" in found) {
      sh.error(`disown: ${found.error}`);
      return 1;
    }
    targets = [found.job];
  } else {
    targets = [];
    for (const arg of args) {
      const found = sh.jobs.lookup(arg.startsWith("%") ? arg : `%${arg}`);
      const job =
        "job" in found ? found.job : /^\d+$/.test(arg) ? sh.jobs.byPid(Number(arg)) : undefined;
      if (!job) {
        sh.error(`disown: ${arg}: no such job`);
        status = 1;
        continue;
      }
      targets.push(job);
    }
  }
  // -h keeps the job in the table (it would only be spared SIGHUP at logout).
  if (flags.includes("h")) return status;
  for (const job of targets) {
    if (job.state === "stopped")
      sh.error(`warning: deleting stopped job ${job.id} with process group ${job.pgid}`);
    sh.jobs.remove(job);
  }
  return status;
};

export const JOB_BUILTINS: Array<[string, Builtin]> = [
  ["wait", wait],
  ["kill", kill],
  ["jobs", jobs],
  ["fg", fg],
  ["bg", bg],
  ["disown", disown],
];
