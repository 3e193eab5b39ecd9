/** Signal names → numbers for process.kill and process.on('SIGx'), from the kernel's table. */
import { SIGNALS } from "../../../kernel/signals.ts";

export const SIGNAL_NUMBERS: Record<string, number> = { ...SIGNALS };

export const SIGNAL_NAMES: Record<number, string> = Object.fromEntries(
  Object.entries(SIGNALS).map(([name, number]) => [number, name]),
);
