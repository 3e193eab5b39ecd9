/**
 * Zip archives (PKWARE APPNOTE): a reader of the central directory and a writer of
 * stored/deflated entries the way Info-ZIP zip 3.0 makes them on Unix (version made by 3.0
 * Unix, the file mode in the external attributes, DOS times). DOS times carry no zone; we
 * read and write them as UTC (the VM's TZ is not consulted). Deflate is node:zlib's.
 */
import { crc32, deflateRawSync, inflateRawSync } from "node:zlib";

export interface ZipEntry {
  name: string;
  method: number;
  crc: number;
  compressedSize: number;
  size: number;
  /** Seconds since the epoch, from the DOS date/time (as UTC). */
  mtime: number;
  /** Unix mode when the archive was made on Unix, else undefined. */
  mode: number | undefined;
  localOffset: number;
}

export class ZipFormatError extends Error {}

function u16(d: Uint8Array, o: number): number {
  return d[o] | (d[o + 1] << 8);
}

function u32(d: Uint8Array, o: number): number {
  return (d[o] | (d[o + 1] << 8) | (d[o + 2] << 16) | (d[o + 3] << 24)) >>> 0;
}

function dosToUnix(time: number, date: number): number {
  const year = 1980 + (date >> 9);
  const month = ((date >> 5) & 15) - 1;
  const day = date & 31;
  return Date.UTC(year, month, day, time >> 11, (time >> 5) & 63, (time & 31) * 2) / 1000;
}

function unixToDos(seconds: number): { time: number; date: number } {
  const d = new Date(Math.max(seconds, 315532800) * 1000);
  return {
    time: (d.getUTCHours() << 11) | (d.getUTCMinutes() << 5) | (d.getUTCSeconds() >> 1),
    date: ((d.getUTCFullYear() - 1980) << 9) | ((d.getUTCMonth() + 1) << 5) | d.getUTCDate(),
  };
}

/** The entries of the central directory, in order. */
export function readZip(data: Uint8Array): ZipEntry[] {
  let eocd = -1;
  for (let i = data.length - 22; i >= Math.max(0, data.length - 22 - 65535); i--) {
    if (u32(data, i) === 0x06054b50) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw new ZipFormatError("End-of-central-directory signature not found.");
  const count = u16(data, eocd + 10);
  let p = u32(data, eocd + 16);
  const entries: ZipEntry[] = [];
  const decoder = new TextDecoder();
  for (let n = 0; n < count; n++) {
    if (u32(data, p) !== 0x02014b50) throw new ZipFormatError("bad central directory");
    const madeBy = u16(data, p + 4) >> 8;
    const nameLen = u16(data, p + 28);
    const extraLen = u16(data, p + 30);
    const commentLen = u16(data, p + 32);
    const external = u32(data, p + 38);
    entries.push({
      name: decoder.decode(data.subarray(p + 46, p + 46 + nameLen)),
      method: u16(data, p + 10),
      crc: u32(data, p + 16),
      compressedSize: u32(data, p + 20),
      size: u32(data, p + 24),
      mtime: dosToUnix(u16(data, p + 12), u16(data, p + 14)),
      mode: madeBy === 3 && external >>> 16 !== 0 ? external >>> 16 : undefined,
      localOffset: u32(data, p + 42),
    });
    p += 46 + nameLen + extraLen + commentLen;
  }
  return entries;
}

/** The uncompressed bytes of an entry; throws ZipFormatError on bad data or CRC. */
export function zipEntryData(data: Uint8Array, e: ZipEntry): Uint8Array {
  const p = e.localOffset;
  if (u32(data, p) !== 0x04034b50) throw new ZipFormatError("bad local header");
  const start = p + 30 + u16(data, p + 26) + u16(data, p + 28);
  const raw = data.subarray(start, start + e.compressedSize);
  let out: Uint8Array;
  if (e.method === 0) out = raw;
  else if (e.method === 8) out = inflateRawSync(raw);
  else throw new ZipFormatError(`unsupported compression method ${e.method}`);
  if (crc32(out) >>> 0 !== e.crc) throw new ZipFormatError("bad CRC");
  return out;
}

export interface NewZipEntry {
  name: string;
  data: Uint8Array;
  mode: number;
  mtime: number;
  directory: boolean;
  level: number;
}

export interface WrittenEntry {
  name: string;
  /** "stored" or "deflated", and Info-ZIP's percentage saved. */
  method: "stored" | "deflated";
  percent: number;
}

/** Writes a whole archive; reports each entry as zip's "adding:" line needs. */
export function writeZip(entries: NewZipEntry[]): { bytes: Uint8Array; written: WrittenEntry[] } {
  const chunks: Uint8Array[] = [];
  const central: Uint8Array[] = [];
  const written: WrittenEntry[] = [];
  let offset = 0;
  const encoder = new TextEncoder();
  for (const e of entries) {
    const name = encoder.encode(e.name);
    let body = e.data;
    let method = 0;
    if (!e.directory && e.data.length > 0 && e.level > 0) {
      const deflated = deflateRawSync(e.data, { level: e.level });
      if (deflated.length < e.data.length) {
        body = deflated;
        method = 8;
      }
    }
    const crc = crc32(e.data) >>> 0;
    const { time, date } = unixToDos(e.mtime);
    const local = new Uint8Array(30 + name.length);
    const lv = new DataView(local.buffer);
    lv.setUint32(0, 0x04034b50, true);
    lv.setUint16(4, method === 8 ? 20 : 10, true);
    lv.setUint16(6, 0, true);
    lv.setUint16(8, method, true);
    lv.setUint16(10, time, true);
    lv.setUint16(12, date, true);
    lv.setUint32(14, crc, true);
    lv.setUint32(18, body.length, true);
    lv.setUint32(22, e.data.length, true);
    lv.setUint16(26, name.length, true);
    local.set(name, 30);
    const cd = new Uint8Array(46 + name.length);
    const cv = new DataView(cd.buffer);
    cv.setUint32(0, 0x02014b50, true);
    cv.setUint16(4, 0x031e, true);
    cv.setUint16(6, method === 8 ? 20 : 10, true);
    cv.setUint16(10, method, true);
    cv.setUint16(12, time, true);
    cv.setUint16(14, date, true);
    cv.setUint32(16, crc, true);
    cv.setUint32(20, body.length, true);
    cv.setUint32(24, e.data.length, true);
    cv.setUint16(28, name.length, true);
    const type = e.directory ? 0o040000 : 0o100000;
    cv.setUint32(38, (((type | (e.mode & 0o7777)) << 16) | (e.directory ? 0x10 : 0)) >>> 0, true);
    cv.setUint32(42, offset, true);
    cd.set(name, 46);
    chunks.push(local, body);
    central.push(cd);
    offset += local.length + body.length;
    written.push({
      name: e.name,
      method: method === 8 ? "deflated" : "stored",
      percent: method === 8 ? percentSaved(e.data.length, body.length) : 0,
    });
  }
  let cdSize = 0;
  for (const c of central) cdSize += c.length;
  const end = new Uint8Array(22);
  const ev = new DataView(end.buffer);
  ev.setUint32(0, 0x06054b50, true);
  ev.setUint16(8, entries.length, true);
  ev.setUint16(10, entries.length, true);
  ev.setUint32(12, cdSize, true);
  ev.setUint32(16, offset, true);
  const all = [...chunks, ...central, end];
  let total = 0;
  for (const c of all) total += c.length;
  const bytes = new Uint8Array(total);
  let o = 0;
  for (const c of all) {
    bytes.set(c, o);
    o += c.length;
  }
  return { bytes, written };
}

/** Info-ZIP's percent(): saved share, rounded. */
function percentSaved(size: number, compressed: number): number {
  if (size === 0) return 0;
  return Math.round(((size - compressed) * 100) / size);
}
