/**
 * Signal names as procps `kill`, `pkill` and `timeout` spell them, on top of kernel/signals.ts
 * (which knows the numbers 1-31): SIGPOLL is SIGIO's other name, and numbers up to 64 are
 * accepted (the real-time range) as Linux does.
 */
import { parseSignal, signalName } from "../../kernel/signals.ts";

/** Names in `kill -l` order, as procps prints them (29 is POLL there). */
export const PROCPS_NAMES: string[] = [];
for (let n = 1; n <= 31; n++) {
  const name = n === 29 ? "POLL" : (signalName(n) ?? `SIG${n}`).slice(3);
  PROCPS_NAMES.push(name);
}

/** The signal a name or number means: "TERM", "sigterm", "SIGTERM", "15", "POLL", "IO". */
export function lookupSignal(text: string): number | undefined {
  const upper = text.toUpperCase().replace(/^SIG/, "");
  if (upper === "POLL") return 29;
  if (upper === "CLD") return 17;
  if (upper === "IOT") return 6;
  if (/^\d+$/.test(text)) {
    const n = Number(text);
    return n >= 0 && n <= 64 ? n : undefined;
  }
  return parseSignal(upper);
}

/** The bare name of signal `n` (procps spelling), or undefined. */
export function nameOfSignal(n: number): string | undefined {
  return n >= 1 && n <= 31 ? PROCPS_NAMES[n - 1] : undefined;
}

/** `kill -l` output: the names, 16 to a line... exactly as procps wraps them. */
export function procpsList(): string {
  return `${PROCPS_NAMES.slice(0, 16).join(" ")}\n${PROCPS_NAMES.slice(16).join(" ")}\n`;
}

/** `kill -L` output: a table of 7 columns. */
export function procpsTable(): string {
  let out = "";
  for (let n = 1; n <= 31; n++) {
    out += `${String(n).padStart(2)} ${PROCPS_NAMES[n - 1].padEnd(8)}`;
    // procps pads every cell but ends full rows without the padding.
    if (n % 7 === 0) out = `${out.trimEnd()}\n`;
  }
  return `${out}\n`;
}
