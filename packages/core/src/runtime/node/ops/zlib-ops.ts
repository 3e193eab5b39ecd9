/**
 * node:zlib for guests, computed by the host's node:zlib. One-shot functions (gzipSync, gzip,
 * ...) run the host's own; streams (createGzip, ...) are host zlib streams behind handles, fed
 * one guest chunk at a time: each op writes the chunk (or flushes, or ends) and answers with the
 * output that chunk produced. Output per op is capped so a small compressed input cannot make
 * the host allocate without bound.
 */
import { setImmediate as nextHostTurn } from "node:timers/promises";
import * as zlib from "node:zlib";
import type { GuestProcess } from "../guest-process.ts";
import type { HostOp } from "../host-ops.ts";
import { checkBytes, exactly, MAX_OPERATION_BYTES } from "./exact-errors.ts";

/** Live zlib streams one guest may hold (each owns window memory, up to MiBs for brotli). */
const MAX_LIVE_STREAMS = 128;

const ONE_SHOT = new Set([
  "deflate",
  "inflate",
  "gzip",
  "gunzip",
  "deflateRaw",
  "inflateRaw",
  "unzip",
  "brotliCompress",
  "brotliDecompress",
  "zstdCompress",
  "zstdDecompress",
]);

const STREAMS: Record<string, string> = {
  Deflate: "createDeflate",
  Inflate: "createInflate",
  Gzip: "createGzip",
  Gunzip: "createGunzip",
  DeflateRaw: "createDeflateRaw",
  InflateRaw: "createInflateRaw",
  Unzip: "createUnzip",
  BrotliCompress: "createBrotliCompress",
  BrotliDecompress: "createBrotliDecompress",
  ZstdCompress: "createZstdCompress",
  ZstdDecompress: "createZstdDecompress",
};

type Engine = zlib.Gzip & {
  flush(kind: number, callback: () => void): void;
  params?(level: number, strategy: number, callback: () => void): void;
  reset(): void;
};

/** A host zlib stream and the output it produced since the guest last asked. */
class StreamSlot {
  readonly engine: Engine;
  output: Buffer[] = [];
  outputBytes = 0;
  error: Error | null = null;
  ended = false;
  readonly #waiters: Array<() => void> = [];

  constructor(engine: Engine) {
    this.engine = engine;
    engine.on("data", (chunk: Buffer) => {
      this.output.push(chunk);
      this.outputBytes += chunk.length;
      if (this.outputBytes > MAX_OPERATION_BYTES) {
        engine.destroy(
          Object.assign(
            new RangeError(
              `zlib output of one write exceeds ${MAX_OPERATION_BYTES} bytes (the agentOS VM's limit per operation)`,
            ),
            { code: "ERR_BUFFER_TOO_LARGE" },
          ),
        );
      }
    });
    engine.on("error", (error: Error) => {
      this.error = error;
      this.#wake();
    });
    engine.on("end", () => {
      this.ended = true;
      this.#wake();
    });
  }

  #wake(): void {
    for (const waiter of this.#waiters.splice(0)) waiter();
  }

  /** Waits for `start` to call back (or the stream to fail), then for output emitted late. */
  async run(start: (done: () => void) => void): Promise<Buffer> {
    await new Promise<void>((resolve) => {
      this.#waiters.push(resolve);
      start(() => resolve());
    });
    // Output pushed while the write was finishing reaches 'data' by the next host turn.
    await nextHostTurn();
    if (this.error) throw this.error;
    const out = Buffer.concat(this.output);
    this.output = [];
    this.outputBytes = 0;
    return out;
  }

  /** Ends the stream and waits for its last output. */
  async finish(chunk: Uint8Array): Promise<Buffer> {
    return this.run((done) => {
      if (this.ended) return done();
      this.engine.once("end", done);
      this.engine.end(chunk);
    });
  }
}

interface StreamTable {
  next: number;
  live: Map<number, StreamSlot>;
  jobs: Map<number, Promise<unknown>>;
}

function table(g: GuestProcess): StreamTable {
  let state = g.state.get("zlib") as StreamTable | undefined;
  if (!state) {
    const created: StreamTable = { next: 1, live: new Map(), jobs: new Map() };
    state = created;
    g.state.set("zlib", created);
    g.cleanups.push(() => {
      for (const slot of created.live.values()) slot.engine.destroy();
      created.live.clear();
      created.jobs.clear();
    });
  }
  return state;
}

function slot(g: GuestProcess, id: unknown): StreamSlot {
  const found = table(g).live.get(id as number);
  if (!found)
    throw Object.assign(new Error("zlib binding closed"), { code: "ERR_ZLIB_BINDING_CLOSED" });
  return found;
}

function inputBytes(data: unknown): Uint8Array {
  if (ArrayBuffer.isView(data)) checkBytes("The zlib input", data.byteLength);
  return data as Uint8Array;
}

/** The options of a one-shot call, with the output capped at the per-operation bound. */
function boundedOptions(options: unknown): Record<string, unknown> {
  const opts = { ...((options as Record<string, unknown> | undefined) ?? {}) };
  const wanted =
    typeof opts.maxOutputLength === "number" ? opts.maxOutputLength : MAX_OPERATION_BYTES;
  opts.maxOutputLength = Math.min(wanted, MAX_OPERATION_BYTES);
  return opts;
}

function oneShotName(kind: unknown): string {
  if (typeof kind !== "string" || !ONE_SHOT.has(kind))
    throw new Error(`zlib.${String(kind)} is unknown`);
  return kind;
}

type ZlibFunction = (...args: unknown[]) => unknown;
const api = zlib as unknown as Record<string, ZlibFunction>;

export const ZLIB_OPS: Record<string, HostOp> = {
  "zlib.info": () =>
    exactly(() => ({
      constants: { ...zlib.constants },
      codes: { ...(zlib as unknown as { codes: Record<string, string | number> }).codes },
    })),
  "zlib.crc32": (_g, [data, value]) =>
    exactly(() => zlib.crc32(inputBytes(data) as Buffer, value as number)),

  "zlib.sync": (_g, [kind, data, options]) =>
    exactly(() => api[`${oneShotName(kind)}Sync`](inputBytes(data), boundedOptions(options))),
  /** The callback form starts at once (bad options throw in the caller, as in Node). */
  "zlib.start": (g, [kind, data, options]) =>
    exactly(() => {
      const state = table(g);
      const promise = new Promise((resolve, reject) =>
        api[oneShotName(kind)](
          inputBytes(data),
          boundedOptions(options),
          (error: Error | null, out: Buffer) => (error ? reject(error) : resolve(out)),
        ),
      );
      promise.catch(() => {});
      const id = state.next++;
      state.jobs.set(id, promise);
      return id;
    }),
  "zlib.wait": (g, [id]) =>
    exactly(() => {
      const state = table(g);
      const promise = state.jobs.get(id as number);
      state.jobs.delete(id as number);
      if (!promise) throw new Error("Invalid zlib job");
      return promise;
    }),

  "zlib.stream.create": (g, [kind, options]) =>
    exactly(() => {
      const factory = STREAMS[kind as string];
      if (!factory) throw new Error(`zlib.${String(kind)} is unknown`);
      const state = table(g);
      if (state.live.size >= MAX_LIVE_STREAMS) {
        throw Object.assign(
          new RangeError(`Too many open zlib streams (${MAX_LIVE_STREAMS}); close some first`),
          {
            code: "ERR_AGENTOS_LIMIT",
          },
        );
      }
      const engine = api[factory](options) as Engine;
      const id = state.next++;
      state.live.set(id, new StreamSlot(engine));
      return id;
    }),
  /** Writes one chunk; answers with the output it produced. */
  "zlib.stream.write": (g, [id, chunk]) =>
    exactly(() => {
      const target = slot(g, id);
      const bytes = inputBytes(chunk);
      return target.run((done) => target.engine.write(bytes, () => done()));
    }),
  "zlib.stream.flush": (g, [id, kind]) =>
    exactly(() => {
      const target = slot(g, id);
      return target.run((done) => target.engine.flush(kind as number, done));
    }),
  "zlib.stream.params": (g, [id, level, strategy]) =>
    exactly(() => {
      const target = slot(g, id);
      const params = target.engine.params;
      if (!params) throw new Error("params() is only for deflate streams");
      return target.run((done) =>
        params.call(target.engine, level as number, strategy as number, done),
      );
    }),
  "zlib.stream.end": (g, [id, chunk]) =>
    exactly(async () => {
      const target = slot(g, id);
      try {
        return await target.finish(inputBytes(chunk));
      } finally {
        target.engine.destroy();
        table(g).live.delete(id as number);
      }
    }),
  "zlib.stream.reset": (g, [id]) =>
    exactly(() => {
      slot(g, id).engine.reset();
      return true;
    }),
  "zlib.stream.close": (g, [id]) => {
    const target = table(g).live.get(id as number);
    target?.engine.destroy();
    table(g).live.delete(id as number);
    return true;
  },
};
