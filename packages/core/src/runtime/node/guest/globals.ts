/**
 * The globals Node has that V8 alone does not: process, console, Buffer, timers,
 * queueMicrotask, structuredClone, TextEncoder/TextDecoder, atob/btoa, performance,
 * EventTarget/Event/AbortController. Web APIs with their own files are installed from there.
 */
import { Buffer } from "buffer";
import { URL, URLSearchParams } from "whatwg-url";
import { AbortController, AbortSignal } from "./abort.ts";
import { installBase64Url } from "./buffer-encodings.ts";
import { installBufferInspect } from "./buffer-inspect.ts";
import { installBufferInternals } from "./buffer-internals.ts";
import { installBufferChecks } from "./builtins/buffer-checks.ts";
import { installCryptoGlobal } from "./builtins/crypto/global.ts";
import { withNodeUrlErrors } from "./builtins/url-class.ts";
import { installProxyTracking } from "./builtins/util-types.ts";
import { Console } from "./console.ts";
import { SNAPSHOT_SAB_STANDIN } from "./early-globals.ts";
import { Event as EventShim, EventTarget as EventTargetShim } from "./event-target.ts";
import { installFetchGlobals } from "./fetch/install.ts";
import { callSync } from "./host.ts";
import { Performance } from "./performance.ts";
import type { GuestProcessObject } from "./process.ts";
import { structuredClone } from "./structured-clone.ts";
import { TextDecoder, TextEncoder } from "./text-encoding.ts";
import {
  clearImmediate,
  clearInterval,
  clearTimeout,
  setImmediate,
  setInterval,
  setTimeout,
} from "./timers.ts";
import { installWebGlobals } from "./web/install.ts";

function defineGlobal(name: string, value: unknown): void {
  Object.defineProperty(globalThis, name, {
    value,
    writable: true,
    configurable: true,
    enumerable: false,
  });
}

/** Globals that need no boot configuration (they go into the startup snapshot). */
export function installStaticGlobals(): void {
  defineGlobal("global", globalThis);
  defineGlobal("queueMicrotask", (callback: () => void) => {
    if (typeof callback !== "function") {
      throw Object.assign(
        new TypeError(
          `The "callback" argument must be of type function. Received ${typeof callback}`,
        ),
        { code: "ERR_INVALID_ARG_TYPE" },
      );
    }
    Promise.resolve().then(callback);
  });
  installBase64Url();
  installBufferInternals();
  installBufferChecks();
  installBufferInspect();
  defineGlobal("Buffer", Buffer);
  defineGlobal("TextEncoder", TextEncoder);
  defineGlobal("TextDecoder", TextDecoder);
  defineGlobal("structuredClone", structuredClone);
  defineGlobal("atob", (data: string) => {
    const text = String(data).replace(/[\t\n\f\r ]/g, "");
    if (text.length % 4 === 1 || /[^A-Za-z0-9+/=]/.test(text)) {
      throw Object.assign(new Error("The string to be decoded is not correctly encoded."), {
        name: "InvalidCharacterError",
        code: 5,
      });
    }
    return Buffer.from(text, "base64").toString("latin1");
  });
  defineGlobal("btoa", (data: string) => {
    const text = String(data);
    for (let i = 0; i < text.length; i++) {
      if (text.charCodeAt(i) > 255) {
        throw Object.assign(new Error("Invalid character"), {
          name: "InvalidCharacterError",
          code: 5,
        });
      }
    }
    return Buffer.from(text, "latin1").toString("base64");
  });
  defineGlobal("URL", withNodeUrlErrors(URL));
  defineGlobal("URLSearchParams", URLSearchParams);
  defineGlobal("EventTarget", EventTargetShim);
  defineGlobal("Event", EventShim);
  defineGlobal("AbortController", AbortController);
  defineGlobal("AbortSignal", AbortSignal);
  const sab = (globalThis as Record<string, unknown>).SharedArrayBuffer as
    | Record<symbol, unknown>
    | undefined;
  if (sab?.[SNAPSHOT_SAB_STANDIN]) delete (globalThis as Record<string, unknown>).SharedArrayBuffer;
  // Node deletes V8's non-standard Intl.v8BreakIterator (node:vm contexts: contexts.cc).
  delete (Intl as Record<string, unknown>).v8BreakIterator;
  const timers = {
    setTimeout,
    setInterval,
    setImmediate,
    clearTimeout,
    clearInterval,
    clearImmediate,
  };
  for (const [name, fn] of Object.entries(timers)) defineGlobal(name, fn);
  installWebGlobals();
  installCryptoGlobal();
  installFetchGlobals();
}

/** Globals that depend on the process (installed at boot). */
export function installProcessGlobals(proc: GuestProcessObject): void {
  // At boot, not into the snapshot: a node:vm context starts as a copy of the snapshot's global
  // and must get V8's own Proxy, not this process's tracking one.
  installProxyTracking();
  defineGlobal("process", proc);
  const origin = Number(BigInt(callSync<string>("hrtime")) / 1000n) / 1000;
  const timeOrigin = Date.now();
  const now = () => Number(BigInt(callSync<string>("hrtime")) / 1000n) / 1000 - origin;
  defineGlobal("performance", new Performance(now, timeOrigin));
  defineGlobal(
    "console",
    new Console({ stdout: proc.stdout as never, stderr: proc.stderr as never }),
  );
}
