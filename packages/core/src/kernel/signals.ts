/** Signal numbers, names and default dispositions (Linux x86-64 numbering). */

export const SIGNALS = {
  SIGHUP: 1,
  SIGINT: 2,
  SIGQUIT: 3,
  SIGILL: 4,
  SIGTRAP: 5,
  SIGABRT: 6,
  SIGBUS: 7,
  SIGFPE: 8,
  SIGKILL: 9,
  SIGUSR1: 10,
  SIGSEGV: 11,
  SIGUSR2: 12,
  SIGPIPE: 13,
  SIGALRM: 14,
  SIGTERM: 15,
  SIGSTKFLT: 16,
  SIGCHLD: 17,
  SIGCONT: 18,
  SIGSTOP: 19,
  SIGTSTP: 20,
  SIGTTIN: 21,
  SIGTTOU: 22,
  SIGURG: 23,
  SIGXCPU: 24,
  SIGXFSZ: 25,
  SIGVTALRM: 26,
  SIGPROF: 27,
  SIGWINCH: 28,
  SIGIO: 29,
  SIGPWR: 30,
  SIGSYS: 31,
} as const;

export type SignalName = keyof typeof SIGNALS;

const NAMES: string[] = [];
for (const [name, num] of Object.entries(SIGNALS)) NAMES[num] = name;

export type SignalAction = "terminate" | "ignore" | "stop" | "continue";

export function defaultAction(signal: number): SignalAction {
  switch (signal) {
    case SIGNALS.SIGCHLD:
    case SIGNALS.SIGWINCH:
    case SIGNALS.SIGURG:
      return "ignore";
    case SIGNALS.SIGSTOP:
    case SIGNALS.SIGTSTP:
    case SIGNALS.SIGTTIN:
    case SIGNALS.SIGTTOU:
      return "stop";
    case SIGNALS.SIGCONT:
      return "continue";
    default:
      return "terminate";
  }
}

export function signalName(signal: number): string | undefined {
  return NAMES[signal];
}

/** Accepts 15, "15", "TERM", "SIGTERM" (any case); returns undefined for anything else. */
export function parseSignal(value: string | number): number | undefined {
  if (typeof value === "number")
    return Number.isInteger(value) && value >= 0 && value < 65 ? value : undefined;
  if (/^\d+$/.test(value)) return parseSignal(Number(value));
  const upper = value.toUpperCase();
  const name = upper.startsWith("SIG") ? upper : "SIG" + upper;
  return (SIGNALS as Record<string, number>)[name];
}

/** Descriptions as bash prints them for a job killed by a signal ("Terminated", "Killed"). */
export function signalDescription(signal: number): string {
  switch (signal) {
    case SIGNALS.SIGHUP:
      return "Hangup";
    case SIGNALS.SIGINT:
      return "Interrupt";
    case SIGNALS.SIGQUIT:
      return "Quit";
    case SIGNALS.SIGABRT:
      return "Aborted";
    case SIGNALS.SIGKILL:
      return "Killed";
    case SIGNALS.SIGUSR1:
      return "User defined signal 1";
    case SIGNALS.SIGUSR2:
      return "User defined signal 2";
    case SIGNALS.SIGPIPE:
      return "Broken pipe";
    case SIGNALS.SIGALRM:
      return "Alarm clock";
    case SIGNALS.SIGTERM:
      return "Terminated";
    case SIGNALS.SIGSTOP:
    case SIGNALS.SIGTSTP:
      return "Stopped";
    case SIGNALS.SIGSEGV:
      return "Segmentation fault";
    case SIGNALS.SIGXFSZ:
      return "File size limit exceeded";
    default:
      return `Signal ${signal}`;
  }
}
