/**
 * node:fs — a first slice (sync and promise reads/writes, stat, readdir, mkdir) on the host's
 * fs operations; the rest of the module is built out in its own files.
 */
import { Buffer } from "buffer";
import { callAsyncPromise, callSync } from "../host.ts";
import { hold } from "../loop.ts";

class Stats {
  [key: string]: unknown;
  constructor(data: Record<string, number>) {
    Object.assign(this, data);
    for (const name of ["atime", "mtime", "ctime", "birthtime"]) {
      this[name] = new Date(data[`${name}Ms`]);
    }
  }
  isFile() {
    return ((this.mode as number) & 0o170000) === 0o100000;
  }
  isDirectory() {
    return ((this.mode as number) & 0o170000) === 0o040000;
  }
  isSymbolicLink() {
    return ((this.mode as number) & 0o170000) === 0o120000;
  }
}

function toPath(path: unknown): string {
  if (typeof path === "string") return path;
  if (path instanceof URL) return decodeURIComponent(path.pathname);
  if (path instanceof Uint8Array) return Buffer.from(path).toString();
  throw new TypeError(
    `The "path" argument must be of type string or an instance of Buffer or URL. Received ${typeof path}`,
  );
}

function encodingOf(options: unknown): string | undefined {
  if (typeof options === "string") return options;
  return (options as { encoding?: string } | undefined)?.encoding ?? undefined;
}

function decode(data: Uint8Array, encoding: string | undefined): string | Buffer {
  const buffer = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  return encoding ? buffer.toString(encoding as BufferEncoding) : buffer;
}

function toBytes(data: unknown, options: unknown): Uint8Array {
  if (typeof data === "string")
    return Buffer.from(data, (encodingOf(options) ?? "utf8") as BufferEncoding);
  if (data instanceof Uint8Array) return data;
  return Buffer.from(String(data));
}

async function held<T>(promise: () => Promise<T>): Promise<T> {
  const release = hold();
  try {
    return await promise();
  } finally {
    release();
  }
}

export function createFsPromises(): unknown {
  return {
    readFile: (path: unknown, options?: unknown) =>
      held(() => callAsyncPromise<Uint8Array>("fs.readFile", toPath(path))).then((d) =>
        decode(d, encodingOf(options)),
      ),
    writeFile: (path: unknown, data: unknown, options?: unknown) =>
      held(() => callAsyncPromise("fs.writeFile", toPath(path), toBytes(data, options))).then(
        () => undefined,
      ),
    stat: (path: unknown) =>
      held(() => callAsyncPromise<Record<string, number>>("fs.stat", toPath(path))).then(
        (d) => new Stats(d),
      ),
    readdir: (path: unknown) =>
      held(() => callAsyncPromise<Array<[string, string]>>("fs.readdir", toPath(path))).then(
        (list) => list.map(([name]) => name).sort(),
      ),
    mkdir: (path: unknown) =>
      held(() => callAsyncPromise("fs.mkdir", toPath(path))).then(() => undefined),
  };
}

export function createFs(): unknown {
  return {
    readFileSync: (path: unknown, options?: unknown) =>
      decode(callSync<Uint8Array>("fs.readFile", toPath(path)), encodingOf(options)),
    writeFileSync: (path: unknown, data: unknown, options?: unknown) => {
      callSync("fs.writeFile", toPath(path), toBytes(data, options));
    },
    existsSync: (path: unknown) => {
      try {
        callSync("fs.stat", toPath(path));
        return true;
      } catch {
        return false;
      }
    },
    statSync: (path: unknown) => new Stats(callSync("fs.stat", toPath(path))),
    lstatSync: (path: unknown) => new Stats(callSync("fs.lstat", toPath(path))),
    readdirSync: (path: unknown) =>
      callSync<Array<[string, string]>>("fs.readdir", toPath(path))
        .map(([name]) => name)
        .sort(),
    mkdirSync: (path: unknown) => {
      callSync("fs.mkdir", toPath(path));
    },
    unlinkSync: (path: unknown) => {
      callSync("fs.unlink", toPath(path));
    },
    realpathSync: (path: unknown) => callSync<string>("fs.realpath", toPath(path)),
    promises: createFsPromises(),
    Stats,
  };
}
