/**
 * Background jobs of a shell (`cmd &`). Each job's process is reaped as soon as it ends (as
 * bash reaps on SIGCHLD), keeping its status for `wait`, `jobs` and `$!`.
 */

import { statusCode } from "../kernel/process.ts";
import type { ProcessContext } from "../kernel/process-context.ts";

export interface Job {
  id: number;
  pid: number;
  command: string;
  /** Exit status once it ended. */
  status: number | undefined;
  /** Resolves with the shell status when the process ends. */
  done: Promise<number>;
  /** Already reported by `jobs`/notification after it ended. */
  notified: boolean;
}

export class JobTable {
  readonly jobs: Job[] = [];
  /** Statuses of jobs already waited for, by pid (`wait $pid` again gives it back). */
  readonly finished = new Map<number, number>();
  #nextId = 1;

  add(pid: number, command: string, ctx: ProcessContext): Job {
    const job: Job = {
      id: this.#nextId++,
      pid,
      command,
      status: undefined,
      done: Promise.resolve(0),
      notified: false,
    };
    job.done = ctx.waitpid(pid).then(
      (result) => {
        job.status = result ? statusCode(result.status) : 0;
        return job.status;
      },
      () => {
        job.status = 127;
        return 127;
      },
    );
    this.jobs.push(job);
    return job;
  }

  byPid(pid: number): Job | undefined {
    return this.jobs.find((j) => j.pid === pid);
  }

  /** `%n`, `%%`, `%+`, `%-`, `%string`, `%?string`. */
  bySpec(spec: string): Job | undefined {
    const body = spec.slice(1);
    if (body === "" || body === "%" || body === "+") return this.jobs[this.jobs.length - 1];
    if (body === "-") return this.jobs[this.jobs.length - 2];
    if (/^\d+$/.test(body)) return this.jobs.find((j) => j.id === Number(body));
    if (body.startsWith("?")) return this.jobs.find((j) => j.command.includes(body.slice(1)));
    return this.jobs.find((j) => j.command.startsWith(body));
  }

  remove(job: Job): void {
    if (job.status !== undefined) this.finished.set(job.pid, job.status);
    const i = this.jobs.indexOf(job);
    if (i >= 0) this.jobs.splice(i, 1);
    if (this.jobs.length === 0) this.#nextId = 1;
  }
}
