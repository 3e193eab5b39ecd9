/**
 * The reporters' colours, decided as Node's internal/util/colors decides them: symbols are
 * coloured when stderr has colours, error details when stdout has (FORCE_COLOR decides for both
 * when set).
 */
import { shouldColorize } from "../../tty.ts";

export interface Colors {
  blue: string;
  green: string;
  white: string;
  yellow: string;
  red: string;
  gray: string;
  reset: string;
}

/** Read when a reporter starts (Node refreshes them then). */
export function reporterColors(): Colors {
  const on = shouldColorize(process.stderr);
  return {
    blue: on ? "\u001b[34m" : "",
    green: on ? "\u001b[32m" : "",
    white: on ? "\u001b[39m" : "",
    yellow: on ? "\u001b[33m" : "",
    red: on ? "\u001b[31m" : "",
    gray: on ? "\u001b[90m" : "",
    reset: on ? "\u001b[0m" : "",
  };
}
