/**
 * The shell's jobs: background commands (`cmd &`) and, under job control, foreground jobs that
 * were stopped (^Z). A job is the processes of one command line's pipeline; each is watched
 * with waitpid (stops and continues too, under job control) and reaped as soon as it ends, as
 * bash reaps on SIGCHLD, keeping its status for `wait`, `jobs` and notices. The current (`%+`)
 * and previous (`%-`) jobs follow bash's rules (jobs.c: set_current_job, reset_current).
 */

import { statusCode } from "../kernel/process.ts";
import type { ProcessContext } from "../kernel/process-context.ts";
import { SIGNALS, signalDescription } from "../kernel/signals.ts";

export type JobState = "running" | "stopped" | "done";

/** One process of a job. */
export interface JobMember {
  pid: number;
  /** Its part of the command line (`cat` in `ls | cat`). */
  command: string;
  state: "running" | "stopped" | "exited";
  /** Shell status once it exited (128 + signal when killed). */
  status: number;
  /** The signal that stopped it, while stopped. */
  stopSignal: number;
}

/** Thrown by `Job.waitMember` when the job stops instead of ending. */
export class JobStopped extends Error {
  override name = "JobStopped";
  constructor() {
    super("job stopped");
  }
}

export class Job {
  /** Job number; 0 for a foreground job that never entered the table. */
  id = 0;
  /** Process group (the first process's pid), 0 until a process exists. */
  pgid = 0;
  readonly command: string;
  /** Runs in the background: listed with ` &` while it runs. */
  background: boolean;
  /** The state the user was last told about, so each change is reported once. */
  reported: JobState = "running";
  readonly members: JobMember[] = [];
  #waiters: Array<() => void> = [];

  constructor(command: string, background: boolean) {
    this.command = command;
    this.background = background;
  }

  /** The first process (what `jobs -p`, `$!` and `wait PID` name). */
  get pid(): number {
    return this.members[0]?.pid ?? 0;
  }

  has(pid: number): boolean {
    return this.members.some((m) => m.pid === pid);
  }

  /** Running while any process runs; stopped when none runs and one is stopped (bash's rule). */
  get state(): JobState {
    let stopped = false;
    for (const member of this.members) {
      if (member.state === "running") return "running";
      if (member.state === "stopped") stopped = true;
    }
    return stopped ? "stopped" : "done";
  }

  /** The job's status: its last process's. */
  get status(): number {
    return this.members[this.members.length - 1]?.status ?? 0;
  }

  get statuses(): number[] {
    return this.members.map((m) => m.status);
  }

  /** The signal that stopped the job (its last stopped process's). */
  get stopSignal(): number {
    let signal: number = SIGNALS.SIGTSTP;
    for (const member of this.members) if (member.state === "stopped") signal = member.stopSignal;
    return signal;
  }

  /** Records that the stopped processes were continued (before their reports arrive). */
  markRunning(): void {
    for (const member of this.members) if (member.state === "stopped") member.state = "running";
    this.#changed();
  }

  /** Waits until the job is no longer running; returns whether it stopped or ended. */
  async settled(): Promise<JobState> {
    while (this.state === "running") await this.#nextChange();
    return this.state;
  }

  /** Waits for the job to end (a stopped job is waited for until it ends); its status. */
  async finished(): Promise<number> {
    while (this.state !== "done") await this.#nextChange();
    return this.status;
  }

  /** A foreground process's status once it exits; throws JobStopped if the job stops first. */
  async waitMember(pid: number): Promise<number> {
    const member = this.members.find((m) => m.pid === pid);
    if (!member) throw new Error(`process ${pid} is not in job ${this.id}`);
    for (;;) {
      if (member.state === "exited") return member.status;
      if (this.state === "stopped") throw new JobStopped();
      await this.#nextChange();
    }
  }

  /**
   * Adds process `pid` and follows it with waitpid until it exits; `stops` (job control)
   * also follows its stops and continues.
   */
  watch(ctx: ProcessContext, pid: number, command: string, stops: boolean): void {
    const member: JobMember = { pid, command, state: "running", status: 0, stopSignal: 0 };
    this.members.push(member);
    const follow = async (): Promise<void> => {
      for (;;) {
        let result: Awaited<ReturnType<ProcessContext["waitpid"]>>;
        try {
          result = await ctx.waitpid(pid, { untraced: stops, continued: stops });
        } catch {
          // Not our child any more (or this shell is ending): nothing more will be known.
          result = null;
        }
        if (result?.state === "stopped") {
          member.state = "stopped";
          member.stopSignal = result.stopSignal ?? SIGNALS.SIGSTOP;
        } else if (result?.state === "continued") member.state = "running";
        else {
          member.state = "exited";
          member.status = result ? statusCode(result.status) : 127;
        }
        this.#changed();
        if (member.state === "exited") return;
      }
    };
    void follow();
  }

  #nextChange(): Promise<void> {
    return new Promise((resolve) => this.#waiters.push(resolve));
  }

  #changed(): void {
    const waiters = this.#waiters;
    this.#waiters = [];
    for (const wake of waiters) wake();
  }
}

/** What a job spec names: a job, or the message bash prints (after "fg: "). */
export type JobLookup = { job: Job } | { error: string; ambiguous?: boolean };

export class JobTable {
  /** In job-number order. */
  readonly jobs: Job[] = [];
  /** Statuses of jobs already waited for, by pid (`wait $pid` again gives it back). */
  readonly finished = new Map<number, number>();
  #current: Job | undefined;
  #previous: Job | undefined;

  /** Enters a job in the table with the next number (one more than the highest in use). */
  add(job: Job): Job {
    if (job.id !== 0) return job;
    job.id = (this.jobs[this.jobs.length - 1]?.id ?? 0) + 1;
    this.jobs.push(job);
    return job;
  }

  byPid(pid: number): Job | undefined {
    return this.jobs.find((j) => j.has(pid));
  }

  get current(): Job | undefined {
    return this.#live(this.#current);
  }

  get previous(): Job | undefined {
    return this.#live(this.#previous);
  }

  /** `+` for the current job, `-` for the previous one, else a space. */
  mark(job: Job): string {
    return job === this.current ? "+" : job === this.previous ? "-" : " ";
  }

  /** bash's set_current_job: `job` becomes `%+`, and `%-` something useful. */
  setCurrent(job: Job): void {
    if (this.#current !== job) {
      this.#previous = this.current;
      this.#current = job;
    }
    const previous = this.previous;
    if (previous && previous !== job && previous.state === "stopped") return;
    if (job.state === "stopped") {
      const older = this.#newestBefore(job, "stopped");
      if (older) {
        this.#previous = older;
        return;
      }
    }
    const running =
      job.state === "running"
        ? this.#newestBefore(job, "running")
        : this.#newestBefore(undefined, "running");
    this.#previous = running ?? job;
  }

  /** bash's reset_current: prefers stopped jobs, then the newest running one. */
  resetCurrent(): void {
    let candidate: Job | undefined;
    const current = this.current;
    const previous = this.previous;
    if (current?.state === "stopped") candidate = current;
    else if (previous?.state === "stopped") candidate = previous;
    else
      candidate =
        this.#newestBefore(undefined, "stopped") ?? this.#newestBefore(undefined, "running");
    if (candidate) this.setCurrent(candidate);
    else this.#current = this.#previous = undefined;
  }

  /**
   * Resolves `%n`, `%%`, `%+`, `%-`, `%string` (command prefix), `%?string` (in the command)
   * and, for fg/bg, a bare number. Undefined or empty means the current job.
   */
  lookup(spec: string | undefined): JobLookup {
    if (spec === undefined || spec === "" || spec === "%" || spec === "%%" || spec === "%+") {
      const job = this.current;
      return job ? { job } : { error: "current: no such job" };
    }
    const missing = { error: `${spec}: no such job` };
    if (spec === "%-") {
      const job = this.previous;
      return job ? { job } : missing;
    }
    const body = spec.startsWith("%") ? spec.slice(1) : spec;
    if (/^\d+$/.test(body)) {
      const job = this.jobs.find((j) => j.id === Number(body));
      return job ? { job } : missing;
    }
    if (!spec.startsWith("%")) return missing;
    const inside = body.startsWith("?");
    const text = inside ? body.slice(1) : body;
    const matches = this.jobs.filter((job) =>
      inside
        ? job.members.some((m) => m.command.includes(text)) || job.command.includes(text)
        : (job.members[0]?.command ?? job.command).startsWith(text),
    );
    if (matches.length > 1) return { error: `${text}: ambiguous job spec`, ambiguous: true };
    return matches.length === 1 ? { job: matches[0] } : missing;
  }

  remove(job: Job): void {
    if (job.state === "done") this.finished.set(job.pid, job.status);
    const i = this.jobs.indexOf(job);
    if (i >= 0) this.jobs.splice(i, 1);
    if (job === this.#current || job === this.#previous) this.resetCurrent();
  }

  #live(job: Job | undefined): Job | undefined {
    return job && this.jobs.includes(job) ? job : undefined;
  }

  /** The newest job in `state` older than `job` (any job when undefined). */
  #newestBefore(job: Job | undefined, state: JobState): Job | undefined {
    const end = job ? this.jobs.indexOf(job) : this.jobs.length;
    for (let i = end - 1; i >= 0; i--) if (this.jobs[i].state === state) return this.jobs[i];
    return undefined;
  }
}

/** bash's words for a stop signal in long listings (strsignal). */
function stopDescription(signal: number): string {
  switch (signal) {
    case SIGNALS.SIGSTOP:
      return "Stopped (signal)";
    case SIGNALS.SIGTTIN:
      return "Stopped (tty input)";
    case SIGNALS.SIGTTOU:
      return "Stopped (tty output)";
    default:
      return "Stopped";
  }
}

/** The state column of `jobs` and notices: Running, Stopped, Done, Exit N, Terminated... */
export function describeJobState(job: Job, long = false): string {
  const state = job.state;
  if (state === "running") return "Running";
  if (state === "stopped") return long ? stopDescription(job.stopSignal) : "Stopped";
  const status = job.status;
  if (status === 0) return "Done";
  if (status > 128) return signalDescription(status - 128);
  return `Exit ${status}`;
}

/** One job as `jobs` lists it: `[1]+  Stopped                 sleep 100`. */
export function formatJob(table: JobTable, job: Job, long = false): string {
  const head = `[${job.id}]${table.mark(job)}`;
  const state = describeJobState(job, long).padEnd(24);
  const running = job.state === "running" ? " &" : "";
  if (!long) return `${head}  ${state}${job.command}${running}\n`;
  const [first, ...rest] = job.members;
  const single = rest.length === 0 || job.members.some((m) => m.command === job.command);
  let text = `${head} ${String(first?.pid ?? "").padStart(5)} ${state}`;
  if (single) return `${text}${job.command}${running}\n`;
  text += `${first.command}\n`;
  for (const member of rest) {
    text += `${" ".repeat(head.length + 1)}${String(member.pid).padStart(5)}${" ".repeat(23)}| ${member.command}\n`;
  }
  return running ? `${text.slice(0, -1)}${running}\n` : text;
}
