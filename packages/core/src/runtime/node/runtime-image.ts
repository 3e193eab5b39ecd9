/**
 * The guest runtime image: the TypeScript under ./guest/ bundled into one script (with the
 * pure-JS polyfills it imports: buffer, events, readable-stream, ...) and evaluated once into a
 * V8 startup snapshot. Every guest process's isolate starts from that snapshot, so `node -e`
 * pays for deserialising a heap instead of parsing and running the runtime again.
 *
 * Built lazily, once per host process: esbuild bundles in ~100 ms, the snapshot takes ~50 ms.
 */
import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { dirname } from "node:path";
import { fileURLToPath } from "node:url";
import * as esbuild from "esbuild";
import ivm from "isolated-vm";

export interface RuntimeImage {
  /** The bundled guest runtime (kept for isolates that cannot use the snapshot). */
  source: string;
  snapshot: ivm.ExternalCopy<ArrayBuffer> | undefined;
}

const GUEST_ENTRY = fileURLToPath(new URL("./guest/index.ts", import.meta.url));
/** The name the bundle is compiled under: stack frames inside the runtime show it. */
export const RUNTIME_FILENAME = "node:internal/agentos";

let image: Promise<RuntimeImage> | undefined;

export function runtimeImage(): Promise<RuntimeImage> {
  image ??= buildImage().catch((error: unknown) => {
    image = undefined;
    throw error;
  });
  return image;
}

async function buildImage(): Promise<RuntimeImage> {
  const result = await esbuild.build({
    entryPoints: [GUEST_ENTRY],
    bundle: true,
    write: false,
    format: "iife",
    platform: "browser",
    target: "es2023",
    // The polyfill packages ask for these by their Node names; the guest provides its own.
    alias: {
      process: GUEST_PROCESS_SHIM,
      // Polyfills hoisted elsewhere in node_modules must get the same copies the guest uses.
      buffer: packageDir("buffer"),
      events: packageDir("events"),
      string_decoder: packageDir("string_decoder"),
      "abort-controller": fileURLToPath(new URL("./guest/abort.ts", import.meta.url)),
      [PROMISE_DETAILS_MODULE]: fileURLToPath(
        new URL("./guest/promise-details.ts", import.meta.url),
      ),
      [V8_EXTRAS_MODULE]: fileURLToPath(new URL("./guest/v8-extras.ts", import.meta.url)),
    },
    plugins: [inspectPromiseState],
    define: { global: "globalThis" },
    logLevel: "silent",
    legalComments: "none",
    // Class and function names stay what the polyfills call them (inspect shows `Buffer`).
    keepNames: true,
  });
  const source = result.outputFiles[0].text;
  let snapshot: ivm.ExternalCopy<ArrayBuffer> | undefined;
  try {
    snapshot = ivm.Isolate.createSnapshot([{ code: source, filename: RUNTIME_FILENAME }]);
  } catch {
    // A runtime that is not snapshot-safe still works, just slower to start.
    snapshot = undefined;
  }
  return { source, snapshot };
}

const PROMISE_DETAILS_MODULE = "agentos-promise-details";
/** node-inspect-extracted's stand-in for V8's promise state: always pending. */
const PENDING_STUB = "getPromiseDetails:()=>[g,void 0]";
const V8_EXTRAS_MODULE = "agentos-v8-extras";
/**
 * node-inspect-extracted's isError: Error.isError as the bundle found it (absent while a snapshot
 * is made), else instanceof, which fails for an error of another context (node:vm). Patched to
 * V8's IsNativeError, as Node's own isError asks first.
 */
const IS_ERROR_STUB = "isError:t=>l?.(t)||s(i,t)";

/**
 * Makes util.inspect show promise states (`Promise { 4 }`, `<rejected>`): the stub in
 * node-inspect-extracted's bundle calls guest/promise-details.ts instead. Also makes it know an
 * error of another context (node:vm) for an error (IS_ERROR_STUB). The package has no option for
 * either; a release that changes a stub fails the build here, not silently.
 */
const inspectPromiseState: esbuild.Plugin = {
  name: "inspect-promise-state",
  setup(build) {
    build.onLoad({ filter: /node-inspect-extracted[\\/]dist[\\/]inspect\.js$/ }, async (args) => {
      const text = await readFile(args.path, "utf8");
      if (!text.includes(PENDING_STUB)) {
        throw new Error(
          `node-inspect-extracted changed: ${PENDING_STUB} not found in ${args.path}`,
        );
      }
      if (!text.includes(IS_ERROR_STUB)) {
        throw new Error(
          `node-inspect-extracted changed: ${IS_ERROR_STUB} not found in ${args.path}`,
        );
      }
      const patched = text
        .replace(
          PENDING_STUB,
          `getPromiseDetails:(t)=>require("${PROMISE_DETAILS_MODULE}").promiseDetails(t,g,h)`,
        )
        .replace(
          IS_ERROR_STUB,
          `isError:t=>require("${V8_EXTRAS_MODULE}").v8.isNativeError(t)||s(i,t)`,
        );
      return { contents: patched, loader: "js" };
    });
  },
};

const requireHere = createRequire(import.meta.url);

function packageDir(name: string): string {
  return dirname(requireHere.resolve(`${name}/package.json`));
}

const GUEST_PROCESS_SHIM = fileURLToPath(new URL("./guest/process-shim.ts", import.meta.url));
