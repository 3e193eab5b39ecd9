/**
 * The gzip file format (RFC 1952) on top of node:zlib's raw deflate: members written with
 * GNU gzip's header choices (name and mtime unless -n, XFL by level, OS = Unix), and read
 * member by member so that concatenated members, CRC errors and trailing garbage are told
 * apart as GNU gzip does. The deflate bytes themselves differ from GNU gzip's (another
 * implementation of the same format), so sizes and ratios of what we compress differ.
 */
import { constants, crc32, deflateRawSync, inflateRawSync } from "node:zlib";

export interface GzipHeaderInfo {
  /** Original file name stored in the header (FNAME), if any. */
  name: string | undefined;
  /** Seconds since the epoch (0: not stored). */
  mtime: number;
  /** Bytes of header, up to the deflate data. */
  length: number;
}

export function gzipCompress(
  data: Uint8Array,
  options: { level: number; name?: string; mtime?: number },
): Uint8Array {
  const body = deflateRawSync(data, { level: options.level });
  const nameBytes = options.name !== undefined ? new TextEncoder().encode(options.name) : undefined;
  const header = new Uint8Array(10 + (nameBytes ? nameBytes.length + 1 : 0));
  header.set([0x1f, 0x8b, 8, nameBytes ? 8 : 0]);
  const mtime = options.mtime ?? 0;
  header[4] = mtime & 0xff;
  header[5] = (mtime >>> 8) & 0xff;
  header[6] = (mtime >>> 16) & 0xff;
  header[7] = (mtime >>> 24) & 0xff;
  header[8] = options.level === 9 ? 2 : options.level === 1 ? 4 : 0;
  header[9] = 3;
  if (nameBytes) header.set(nameBytes, 10);
  const trailer = new Uint8Array(8);
  const view = new DataView(trailer.buffer);
  view.setUint32(0, crc32(data) >>> 0, true);
  view.setUint32(4, data.length >>> 0, true);
  const out = new Uint8Array(header.length + body.length + 8);
  out.set(header, 0);
  out.set(body, header.length);
  out.set(trailer, header.length + body.length);
  return out;
}

/** Why decompression stopped: GNU gzip's wording after "gzip: NAME: ". */
export class GzipError extends Error {
  /** What was decompressed before the error (GNU writes it out before complaining). */
  data: Uint8Array | undefined;
  constructor(message: string, data?: Uint8Array) {
    super(message);
    this.data = data;
  }
}

export function parseGzipHeader(data: Uint8Array, offset: number): GzipHeaderInfo {
  if (data.length - offset < 2) throw new GzipError("unexpected end of file");
  if (data[offset] !== 0x1f || data[offset + 1] !== 0x8b) throw new GzipError("not in gzip format");
  if (data.length - offset < 10) throw new GzipError("unexpected end of file");
  if (data[offset + 2] !== 8) {
    throw new GzipError(`unknown method ${data[offset + 2]} -- not supported`);
  }
  const flags = data[offset + 3];
  const mtime =
    (data[offset + 4] |
      (data[offset + 5] << 8) |
      (data[offset + 6] << 16) |
      (data[offset + 7] << 24)) >>>
    0;
  let p = offset + 10;
  if (flags & 4) {
    if (p + 2 > data.length) throw new GzipError("unexpected end of file");
    p += 2 + (data[p] | (data[p + 1] << 8));
  }
  let name: string | undefined;
  if (flags & 8) {
    const end = data.indexOf(0, p);
    if (end < 0) throw new GzipError("unexpected end of file");
    name = new TextDecoder().decode(data.subarray(p, end));
    p = end + 1;
  }
  if (flags & 16) {
    const end = data.indexOf(0, p);
    if (end < 0) throw new GzipError("unexpected end of file");
    p = end + 1;
  }
  if (flags & 2) p += 2;
  if (p > data.length) throw new GzipError("unexpected end of file");
  return { name, mtime, length: p - offset };
}

export interface GunzipResult {
  data: Uint8Array;
  /** The first member's header. */
  header: GzipHeaderInfo;
  /** Bytes after the last member that are not a gzip member (GNU warns and ignores them). */
  trailingGarbage: boolean;
  /** Number of members. */
  members: number;
}

/** Decompresses every member; throws GzipError with GNU's reason. */
export function gzipDecompress(data: Uint8Array): GunzipResult {
  const parts: Uint8Array[] = [];
  let offset = 0;
  let first: GzipHeaderInfo | undefined;
  let members = 0;
  let trailingGarbage = false;
  while (offset < data.length) {
    if (members > 0 && (data[offset] !== 0x1f || data[offset + 1] !== 0x8b)) {
      // Zero padding (as tar leaves) is silently ignored; anything else is garbage.
      trailingGarbage = data.subarray(offset).some((b) => b !== 0);
      break;
    }
    const header = parseGzipHeader(data, offset);
    first ??= header;
    offset += header.length;
    let result: { buffer: Uint8Array; engine: { bytesWritten: number } };
    try {
      // A sync flush returns what a truncated stream held, as GNU writes it before failing.
      result = inflateRawSync(data.subarray(offset), {
        info: true,
        finishFlush: constants.Z_SYNC_FLUSH,
      }) as unknown as { buffer: Uint8Array; engine: { bytesWritten: number } };
    } catch {
      throw new GzipError("invalid compressed data--format violated", concat(parts));
    }
    offset += result.engine.bytesWritten;
    if (offset + 8 > data.length) {
      throw new GzipError("unexpected end of file", concat([...parts, result.buffer]));
    }
    const view = new DataView(data.buffer, data.byteOffset + offset, 8);
    if (view.getUint32(0, true) !== crc32(result.buffer) >>> 0) {
      throw new GzipError("invalid compressed data--crc error", concat([...parts, result.buffer]));
    }
    if (view.getUint32(4, true) !== result.buffer.length >>> 0) {
      throw new GzipError(
        "invalid compressed data--length error",
        concat([...parts, result.buffer]),
      );
    }
    offset += 8;
    parts.push(result.buffer);
    members++;
  }
  if (!first) throw new GzipError("unexpected end of file");
  return { data: concat(parts), header: first, trailingGarbage, members };
}

function concat(parts: Uint8Array[]): Uint8Array {
  let total = 0;
  for (const p of parts) total += p.length;
  const out = new Uint8Array(total);
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}
