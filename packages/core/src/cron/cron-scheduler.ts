/**
 * The cron jobs of one VM: schedules them with croner, applies each job's overlap policy,
 * runs its action through the runners the VM gives it, and reports every run as events
 * (fire, then complete or error; skip when the overlap policy drops a fire).
 */
import { randomUUID } from "node:crypto";
import type { Cron } from "croner";
import { parseSchedule } from "./cron-schedule.ts";
import type {
  CronAction,
  CronEvent,
  CronEventHandler,
  CronExecResult,
  CronJob,
  CronJobInfo,
  CronJobOptions,
  CronOverlap,
} from "./cron-types.ts";

/** How the scheduler acts on the VM. */
export interface CronRunners {
  exec(commandLine: string): Promise<CronExecResult>;
  /** Runs a session action; rejects when sessions cannot run it. */
  session(agentType: string, prompt: string, options?: Record<string, unknown>): Promise<unknown>;
}

interface JobState {
  id: string;
  schedule: string;
  action: CronAction;
  overlap: CronOverlap;
  cron: Cron;
  oneShot: boolean;
  lastRun?: Date;
  runCount: number;
  running: number;
  queued: boolean;
}

const OVERLAPS: readonly CronOverlap[] = ["allow", "skip", "queue"];

export class CronScheduler {
  readonly #jobs = new Map<string, JobState>();
  readonly #handlers = new Set<CronEventHandler>();
  readonly #runners: CronRunners;
  #disposed = false;

  constructor(runners: CronRunners) {
    this.#runners = runners;
  }

  schedule(options: CronJobOptions): CronJob {
    const method = "scheduleCron";
    if (this.#disposed) throw new Error(`${method}: this VM has been disposed`);
    if (typeof options !== "object" || options === null)
      throw new TypeError(`${method}: expected an options object`);
    for (const key of Object.keys(options)) {
      if (!["id", "schedule", "action", "overlap"].includes(key))
        throw new TypeError(`${method}: unknown option "${key}"`);
    }
    const id = options.id ?? randomUUID();
    if (typeof id !== "string" || id === "")
      throw new TypeError(`${method}: id must be a non-empty string`);
    if (this.#jobs.has(id)) throw new Error(`${method}: a job with id "${id}" already exists`);
    const overlap = options.overlap ?? "allow";
    if (!OVERLAPS.includes(overlap))
      throw new TypeError(
        `${method}: overlap must be "allow", "skip" or "queue", got ${JSON.stringify(overlap)}`,
      );
    const action = checkAction(method, options.action);
    const parsed = parseSchedule(method, options.schedule);
    const state = {
      id,
      schedule: options.schedule.trim(),
      action,
      overlap,
      oneShot: parsed.oneShot,
      runCount: 0,
      running: 0,
      queued: false,
    } as JobState;
    state.cron = parsed.start(() => this.#fire(state));
    this.#jobs.set(id, state);
    return { id, cancel: () => this.cancel(id) };
  }

  /** Stops a job's future fires (a run in progress finishes). False when there is no such job. */
  cancel(id: string): boolean {
    const state = this.#jobs.get(id);
    if (!state) return false;
    state.cron.stop();
    state.queued = false;
    this.#jobs.delete(id);
    return true;
  }

  list(): CronJobInfo[] {
    return [...this.#jobs.values()].map((s) => {
      const info: CronJobInfo = {
        id: s.id,
        schedule: s.schedule,
        action: s.action,
        overlap: s.overlap,
        runCount: s.runCount,
        running: s.running > 0,
      };
      if (s.lastRun) info.lastRun = s.lastRun;
      const next = s.cron.nextRun();
      if (next) info.nextRun = next;
      return info;
    });
  }

  onEvent(handler: CronEventHandler): () => void {
    this.#handlers.add(handler);
    return () => this.#handlers.delete(handler);
  }

  dispose(): void {
    this.#disposed = true;
    for (const state of this.#jobs.values()) state.cron.stop();
    this.#jobs.clear();
    this.#handlers.clear();
  }

  #emit(event: CronEvent): void {
    for (const handler of this.#handlers) {
      try {
        handler(event);
      } catch {
        // A failing listener must not stop the job or the other listeners.
      }
    }
  }

  #base(state: JobState) {
    return { jobId: state.id, id: state.id, schedule: state.schedule, time: new Date() };
  }

  #fire(state: JobState): void {
    if (this.#disposed || this.#jobs.get(state.id) !== state) return;
    if (state.running > 0 && state.overlap === "skip") {
      this.#emit({
        ...this.#base(state),
        type: "cron:skip",
        reason: "the previous run is still running",
      });
      return;
    }
    if (state.running > 0 && state.overlap === "queue") {
      if (state.queued)
        this.#emit({ ...this.#base(state), type: "cron:skip", reason: "a run is already queued" });
      state.queued = true;
      return;
    }
    void this.#run(state);
  }

  async #run(state: JobState): Promise<void> {
    state.running++;
    state.runCount++;
    state.lastRun = new Date();
    const started = Date.now();
    this.#emit({ ...this.#base(state), type: "cron:fire" });
    let result: CronExecResult | undefined;
    try {
      result = await this.#perform(state.action);
      const done = { ...this.#base(state), durationMs: Date.now() - started };
      if (result && result.exitCode !== 0) {
        const error = new Error(`exit status ${result.exitCode}`);
        this.#emit({ ...done, type: "cron:error", error, result });
      } else {
        this.#emit(
          result ? { ...done, type: "cron:complete", result } : { ...done, type: "cron:complete" },
        );
      }
    } catch (err) {
      const error = err instanceof Error ? err : new Error(String(err));
      this.#emit({
        ...this.#base(state),
        type: "cron:error",
        durationMs: Date.now() - started,
        error,
      });
    } finally {
      state.running--;
      // A finished one-shot job leaves the list, like a cancelled one.
      if (state.oneShot && state.running === 0 && !state.cron.nextRun())
        this.#jobs.delete(state.id);
      if (
        state.queued &&
        state.running === 0 &&
        this.#jobs.get(state.id) === state &&
        !this.#disposed
      ) {
        state.queued = false;
        void this.#run(state);
      }
    }
  }

  async #perform(action: CronAction): Promise<CronExecResult | undefined> {
    switch (action.type) {
      case "exec":
        return this.#runners.exec(commandLine(action.command, action.args));
      case "session":
        await this.#runners.session(action.agentType, action.prompt, action.options);
        return undefined;
      case "callback":
        await action.fn();
        return undefined;
    }
  }
}

function checkAction(method: string, action: unknown): CronAction {
  if (typeof action !== "object" || action === null)
    throw new TypeError(
      `${method}: action must be an object ({ type: "exec" | "session" | "callback", ... })`,
    );
  const a = action as Record<string, unknown>;
  switch (a.type) {
    case "exec":
      if (typeof a.command !== "string" || a.command.trim() === "")
        throw new TypeError(`${method}: action.command must be a non-empty string`);
      if (
        a.args !== undefined &&
        (!Array.isArray(a.args) || a.args.some((x) => typeof x !== "string"))
      )
        throw new TypeError(`${method}: action.args must be an array of strings`);
      break;
    case "session":
      if (typeof a.agentType !== "string" || a.agentType === "")
        throw new TypeError(`${method}: action.agentType must be a non-empty string`);
      if (typeof a.prompt !== "string")
        throw new TypeError(`${method}: action.prompt must be a string`);
      if (a.options !== undefined && (typeof a.options !== "object" || a.options === null))
        throw new TypeError(`${method}: action.options must be an object`);
      break;
    case "callback":
      if (typeof a.fn !== "function")
        throw new TypeError(`${method}: action.fn must be a function`);
      break;
    default:
      throw new TypeError(
        `${method}: action.type must be "exec", "session" or "callback", got ${JSON.stringify(a.type)}`,
      );
  }
  return action as CronAction;
}

/**
 * The shell command line for an exec action. Arguments made only of ordinary and glob
 * characters are left bare so `/tmp/cache/*` still expands (as in the documented examples);
 * anything else is single-quoted so spaces and shell syntax reach the program as one word.
 */
export function commandLine(command: string, args: readonly string[] = []): string {
  const words = args.map((arg) =>
    /^[A-Za-z0-9_\-+=.,/:@%*?[\]~]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`,
  );
  return [command, ...words].join(" ");
}
