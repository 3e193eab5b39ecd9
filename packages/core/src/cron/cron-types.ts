/** The shapes of cron jobs, their actions and the events they emit. */

/** Runs in the VM: `command` alone is a shell command line; `args` are appended as words. */
export interface CronExecAction {
  type: "exec";
  command: string;
  args?: string[];
}

/** Starts an agent session and sends it `prompt`. */
export interface CronSessionAction {
  type: "session";
  agentType: string;
  prompt: string;
  options?: Record<string, unknown>;
}

/** Calls a host function. */
export interface CronCallbackAction {
  type: "callback";
  fn: () => unknown;
}

export type CronAction = CronExecAction | CronSessionAction | CronCallbackAction;

/**
 * What a fire does while the previous run of the same job is still going: "allow" runs both,
 * "skip" drops the new fire, "queue" runs it once the previous run ends (fires arriving
 * meanwhile coalesce into that one pending run).
 */
export type CronOverlap = "allow" | "skip" | "queue";

export interface CronJobOptions {
  /** Unique per VM; a random UUID when omitted. */
  id?: string;
  /** A 5-field (minute) or 6-field (second) cron expression, or an ISO 8601 time for one run. */
  schedule: string;
  action: CronAction;
  overlap?: CronOverlap;
}

export interface CronJob {
  id: string;
  cancel(): void;
}

export interface CronJobInfo {
  id: string;
  schedule: string;
  action: CronAction;
  overlap: CronOverlap;
  lastRun?: Date;
  nextRun?: Date;
  runCount: number;
  running: boolean;
}

/** What an exec action produced. */
export interface CronExecResult {
  stdout: string;
  stderr: string;
  exitCode: number;
}

interface CronEventBase {
  /** The job's id (also as `id`, the spelling the actor documents use). */
  jobId: string;
  id: string;
  schedule: string;
  time: Date;
}

export type CronEvent =
  | (CronEventBase & { type: "cron:fire" })
  | (CronEventBase & { type: "cron:complete"; durationMs: number; result?: CronExecResult })
  | (CronEventBase & {
      type: "cron:error";
      durationMs: number;
      error: Error;
      result?: CronExecResult;
    })
  | (CronEventBase & { type: "cron:skip"; reason: string });

export type CronEventHandler = (event: CronEvent) => void;
