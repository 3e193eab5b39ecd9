/**
 * Tar archives in memory through tar-stream (ustar, with pax headers for long names; reads
 * ustar, pax and GNU long-name archives), plus GNU tar's listing format.
 */
import { Readable } from "node:stream";
import tarStream from "tar-stream";

export type TarEntryType = "file" | "directory" | "symlink" | "link" | "other";

export interface TarEntry {
  name: string;
  type: TarEntryType;
  mode: number;
  uid: number;
  gid: number;
  uname: string;
  gname: string;
  size: number;
  /** Seconds since the epoch. */
  mtime: number;
  linkname: string;
  data: Uint8Array;
}

/** Builds an archive, padded to GNU tar's 10240-byte record. */
export async function packTar(entries: TarEntry[]): Promise<Uint8Array> {
  const pack = tarStream.pack();
  const chunks: Uint8Array[] = [];
  pack.on("data", (chunk: unknown) => {
    chunks.push(chunk as Uint8Array);
  });
  const ended = new Promise<void>((resolve, reject) => {
    pack.on("end", () => resolve());
    pack.on("error", (err: Error) => reject(err));
  });
  for (const e of entries) {
    const type = e.type === "other" ? "file" : e.type;
    await new Promise<void>((resolve, reject) => {
      pack.entry(
        {
          name: e.name,
          type,
          mode: e.mode & 0o7777,
          uid: e.uid,
          gid: e.gid,
          uname: e.uname,
          gname: e.gname,
          mtime: new Date(e.mtime * 1000),
          linkname: e.linkname || undefined,
          size: type === "file" ? e.data.length : 0,
        },
        type === "file" ? e.data : new Uint8Array(0),
        (err) => (err ? reject(err) : resolve()),
      );
    });
  }
  pack.finalize();
  await ended;
  let total = 0;
  for (const c of chunks) total += c.length;
  const padded = Math.max(10240, Math.ceil(total / 10240) * 10240);
  const out = new Uint8Array(padded);
  let off = 0;
  for (const c of chunks) {
    out.set(c, off);
    off += c.length;
  }
  return out;
}

/** Thrown for input that is not a tar archive. */
export class NotTarError extends Error {}

/** Reads every entry of an archive (already decompressed). */
export async function unpackTar(data: Uint8Array): Promise<TarEntry[]> {
  if (data.length === 0) return [];
  const extract = tarStream.extract();
  Readable.from([Buffer.from(data.buffer, data.byteOffset, data.length)]).pipe(
    extract as unknown as NodeJS.WritableStream,
  );
  const entries: TarEntry[] = [];
  try {
    for await (const entry of extract) {
      const h = entry.header;
      const chunks: Uint8Array[] = [];
      for await (const chunk of entry as AsyncIterable<Uint8Array>) chunks.push(chunk);
      const type: TarEntryType =
        h.type === "file" || h.type === "contiguous-file"
          ? "file"
          : h.type === "directory" || h.type === "symlink" || h.type === "link"
            ? h.type
            : "other";
      entries.push({
        name: h.name,
        type,
        mode: h.mode ?? 0o644,
        uid: h.uid ?? 0,
        gid: h.gid ?? 0,
        uname: h.uname ?? "",
        gname: h.gname ?? "",
        size: h.size ?? 0,
        mtime: Math.floor((h.mtime?.getTime() ?? 0) / 1000),
        linkname: h.linkname ?? "",
        data: Buffer.concat(chunks),
      });
    }
  } catch (err) {
    if (entries.length === 0) throw new NotTarError(String(err));
    throw err;
  }
  return entries;
}

/** `ls -l`-style mode string of a tar entry. */
export function modeString(e: TarEntry): string {
  const kind =
    e.type === "directory" ? "d" : e.type === "symlink" ? "l" : e.type === "link" ? "h" : "-";
  const m = e.mode;
  const rwx = (shift: number, special: number, ch: string): string => {
    const r = m & (4 << shift) ? "r" : "-";
    const w = m & (2 << shift) ? "w" : "-";
    const xBit = m & (1 << shift);
    const x = m & special ? (xBit ? ch : ch.toUpperCase()) : xBit ? "x" : "-";
    return r + w + x;
  };
  return `${kind}${rwx(6, 0o4000, "s")}${rwx(3, 0o2000, "s")}${rwx(0, 0o1000, "t")}`;
}

/** GNU tar's verbose listing, keeping its growing user/group/size column width. */
export class TarLister {
  #width = 18;

  line(e: TarEntry): string {
    const user = e.uname || String(e.uid);
    const group = e.gname || String(e.gid);
    const size = String(e.type === "file" || e.type === "other" ? e.size : 0);
    const pad = user.length + 1 + group.length + size.length;
    if (pad > this.#width) this.#width = pad;
    const d = new Date(e.mtime * 1000);
    const two = (n: number): string => String(n).padStart(2, "0");
    const stamp = `${d.getUTCFullYear()}-${two(d.getUTCMonth() + 1)}-${two(d.getUTCDate())} ${two(d.getUTCHours())}:${two(d.getUTCMinutes())}`;
    const mode = modeString(e);
    let line = `${mode} ${user}/${group} ${size.padStart(this.#width - pad + size.length)} ${stamp} ${e.name}`;
    if (e.type === "symlink") line += ` -> ${e.linkname}`;
    else if (e.type === "link") line += ` link to ${e.linkname}`;
    return `${line}\n`;
  }
}
