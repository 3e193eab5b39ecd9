/**
 * Parses a job's schedule with croner: 5-field (minute) and 6-field (second) cron expressions
 * (croner also takes a 7th, year, field and nicknames like @hourly), or an ISO 8601 time for a
 * single run. Every mistake is reported when the job is scheduled, never at fire time.
 */
import { Cron } from "croner";

/** An ISO date or date-time, as opposed to a cron expression. */
const ISO_TIME = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/;

export interface ParsedSchedule {
  oneShot: boolean;
  /** Starts a timer calling `fire` at each due time; returns the croner job. */
  start(fire: () => void): Cron;
}

export function parseSchedule(method: string, schedule: unknown): ParsedSchedule {
  if (typeof schedule !== "string" || schedule.trim() === "")
    throw new TypeError(`${method}: schedule must be a cron expression or an ISO 8601 time`);
  const text = schedule.trim();
  if (ISO_TIME.test(text)) {
    const at = new Date(text);
    if (Number.isNaN(at.getTime()))
      throw new TypeError(`${method}: invalid time ${JSON.stringify(text)}`);
    if (at.getTime() <= Date.now())
      throw new RangeError(`${method}: the one-shot time ${text} is in the past`);
    return { oneShot: true, start: (fire) => new Cron(at, { maxRuns: 1 }, fire) };
  }
  const fields = text.split(/\s+/).length;
  if (!text.startsWith("@") && (fields < 5 || fields > 7))
    throw new TypeError(
      `${method}: invalid schedule ${JSON.stringify(text)}: a cron expression has 5 fields (minute hour day month weekday) or 6 (with seconds first)`,
    );
  try {
    // Paused: only the pattern is checked here.
    new Cron(text, { paused: true }).stop();
  } catch (err) {
    throw new TypeError(
      `${method}: invalid schedule ${JSON.stringify(text)}: ${(err as Error).message}`,
    );
  }
  return { oneShot: false, start: (fire) => new Cron(text, {}, fire) };
}
