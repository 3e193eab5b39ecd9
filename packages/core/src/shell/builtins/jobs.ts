/** wait, kill, jobs, fg, bg, disown. */
import { isKernelError } from "../../fs/errors.ts";
import { SIGNALS } from "../../kernel/signals.ts";
import type { Job } from "../jobs.ts";
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

async function waitJob(sh: Shell, job: Job): Promise<number> {
  const status = await job.done;
  sh.jobs.remove(job);
  return status;
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
    if (any) {
      if (sh.jobs.jobs.length === 0) return 127;
      const job = await Promise.race(sh.jobs.jobs.map((j) => j.done.then(() => j)));
      return waitJob(sh, job);
    }
    for (const job of [...sh.jobs.jobs]) await waitJob(sh, job);
    return 0;
  }
  let status = 0;
  for (const arg of args) {
    let job: Job | undefined;
    if (arg.startsWith("%")) {
      job = sh.jobs.bySpec(arg);
      if (!job) {
        sh.error(`wait: ${arg}: no such job`);
        status = 127;
        continue;
      }
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
      status = 2;
      continue;
    }
    status = await waitJob(sh, job);
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
      const job = sh.jobs.bySpec(target);
      if (!job) {
        sh.error(`kill: ${target}: no such job`);
        status = 1;
        continue;
      }
      pid = job.pid;
    } else if (/^-?\d+$/.test(target)) pid = Number(target);
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

const jobs: Builtin = async (sh, argv) => {
  const flags = argv.slice(1).join("");
  let text = "";
  const list = sh.jobs.jobs;
  list.forEach((job, index) => {
    const mark = index === list.length - 1 ? "+" : index === list.length - 2 ? "-" : " ";
    if (flags.includes("p")) {
      text += `${job.pid}\n`;
      return;
    }
    const state =
      job.status === undefined ? "Running" : job.status === 0 ? "Done" : `Exit ${job.status}`;
    const pid = flags.includes("l") ? `${job.pid} ` : "";
    text += `[${job.id}]${mark}  ${pid}${state.padEnd(24)}${job.command}${job.status === undefined ? " &" : ""}\n`;
  });
  for (const job of [...list]) if (job.status !== undefined) sh.jobs.remove(job);
  await sh.out(text);
  return 0;
};

const noJobControl =
  (name: string): Builtin =>
  async (sh) => {
    sh.error(`${name}: no job control`);
    return 1;
  };

const disown: Builtin = async (sh, argv) => {
  const args = argv.slice(1).filter((a) => !a.startsWith("-"));
  if (args.length === 0) {
    const last = sh.jobs.jobs[sh.jobs.jobs.length - 1];
    if (last) sh.jobs.remove(last);
    return 0;
  }
  for (const arg of args) {
    const job = arg.startsWith("%") ? sh.jobs.bySpec(arg) : sh.jobs.byPid(Number(arg));
    if (!job) {
      sh.error(`disown: ${arg}: no such job`);
      return 1;
    }
    sh.jobs.remove(job);
  }
  return 0;
};

export const JOB_BUILTINS: Array<[string, Builtin]> = [
  ["wait", wait],
  ["kill", kill],
  ["jobs", jobs],
  ["fg", noJobControl("fg")],
  ["bg", noJobControl("bg")],
  ["disown", disown],
];
