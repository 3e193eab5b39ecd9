/** node:console: the global console itself, with the Console class on it as in Node. */
import { Console } from "../console.ts";

export function createConsoleModule(): unknown {
  const console = globalThis.console as unknown as Record<string, unknown>;
  if (!("Console" in console)) {
    Object.defineProperty(console, "Console", {
      value: Console,
      writable: true,
      configurable: true,
      enumerable: false,
    });
  }
  return console;
}
