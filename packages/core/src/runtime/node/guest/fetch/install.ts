/** Puts the fetch API on globalThis: fetch, Headers, Request, Response, FormData. */
import { fetch } from "./fetch.ts";
import { FormData } from "./form-data.ts";
import { Headers } from "./headers.ts";
import { Request } from "./request.ts";
import { Response } from "./response.ts";

export function installFetchGlobals(): void {
  const globals: Record<string, unknown> = { fetch, Headers, Request, Response, FormData };
  for (const [name, value] of Object.entries(globals)) {
    Object.defineProperty(globalThis, name, {
      value,
      writable: true,
      configurable: true,
      enumerable: name === "fetch",
    });
  }
}
