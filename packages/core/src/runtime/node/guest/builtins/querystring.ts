/**
 * node:querystring, written after Node's algorithm: keys and values split on `sep`/`eq`,
 * '+' is a space, undecodable percent escapes are decoded byte-wise, repeated keys collect
 * into arrays, and parse returns a null-prototype object.
 */
import { Buffer } from "buffer";

// Characters querystring.escape leaves as they are (encodeURIComponent's set).
const UNRESERVED = /[A-Za-z0-9\-_.!~*'()]/;

function qsEscape(value: unknown): string {
  let text: string;
  if (typeof value === "string") text = value;
  else if (typeof value === "object" && value !== null) text = String(value);
  else text = `${value}`;
  let out = "";
  for (let i = 0; i < text.length; i++) {
    const char = text[i];
    if (UNRESERVED.test(char)) {
      out += char;
      continue;
    }
    const code = text.charCodeAt(i);
    if (code >= 0xd800 && code <= 0xdbff) {
      const next = text.charCodeAt(i + 1);
      if (!(next >= 0xdc00 && next <= 0xdfff)) {
        throw Object.assign(new URIError("URI malformed"), { code: "ERR_INVALID_URI" });
      }
      out += percent(Buffer.from(text.slice(i, i + 2), "utf8"));
      i++;
      continue;
    }
    if (code >= 0xdc00 && code <= 0xdfff) {
      throw Object.assign(new URIError("URI malformed"), { code: "ERR_INVALID_URI" });
    }
    out += percent(Buffer.from(char, "utf8"));
  }
  return out;
}

function percent(bytes: Uint8Array): string {
  let out = "";
  for (const byte of bytes) out += `%${byte.toString(16).toUpperCase().padStart(2, "0")}`;
  return out;
}

/** Percent-decoding of bytes that tolerates malformed escapes (kept as they are). */
function unescapeBuffer(text: string, decodeSpaces = false): Buffer {
  const out: number[] = [];
  const bytes = Buffer.from(text, "utf8");
  for (let i = 0; i < bytes.length; i++) {
    const byte = bytes[i];
    if (byte === 0x2b && decodeSpaces) {
      out.push(0x20);
      continue;
    }
    if (byte === 0x25 && i + 2 < bytes.length + 0) {
      const hex = String.fromCharCode(bytes[i + 1], bytes[i + 2]);
      if (/^[0-9a-fA-F]{2}$/.test(hex)) {
        out.push(Number.parseInt(hex, 16));
        i += 2;
        continue;
      }
    }
    out.push(byte);
  }
  return Buffer.from(out);
}

function qsUnescape(text: string, decodeSpaces?: boolean): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return unescapeBuffer(text, decodeSpaces).toString();
  }
}

function stringifyPrimitive(value: unknown): string {
  if (typeof value === "string") return value;
  if (typeof value === "number" && Number.isFinite(value)) return `${value}`;
  if (typeof value === "bigint") return `${value}`;
  if (typeof value === "boolean") return value ? "true" : "false";
  return "";
}

function stringify(
  object: unknown,
  sep = "&",
  eq = "=",
  options?: { encodeURIComponent?: (text: string) => string },
): string {
  const encode = options?.encodeURIComponent ?? qsEscape;
  if (object === null || typeof object !== "object") return "";
  const parts: string[] = [];
  for (const key of Object.keys(object)) {
    const value = (object as Record<string, unknown>)[key];
    const ks = `${encode(stringifyPrimitive(key))}${eq}`;
    if (Array.isArray(value)) {
      for (const item of value) parts.push(ks + encode(stringifyPrimitive(item)));
    } else {
      parts.push(ks + encode(stringifyPrimitive(value)));
    }
  }
  return parts.join(sep || "&");
}

function parse(
  text: unknown,
  sep?: string,
  eq?: string,
  options?: { maxKeys?: number; decodeURIComponent?: (text: string) => string },
): Record<string, string | string[]> {
  const result = Object.create(null) as Record<string, string | string[]>;
  if (typeof text !== "string" || text.length === 0) return result;
  const separator = sep ? String(sep) : "&";
  const equals = eq ? String(eq) : "=";
  let maxKeys = options?.maxKeys ?? 1000;
  if (typeof maxKeys !== "number" || !(maxKeys > 0)) maxKeys = 0;
  const decode = options?.decodeURIComponent ?? qsUnescape;
  const decodeCustom = decode !== qsUnescape;
  const decodePart = (part: string) => {
    const spaced = part.replace(/\+/g, " ");
    if (!/[%]/.test(spaced) && !decodeCustom) return spaced;
    try {
      return decode(spaced);
    } catch {
      return qsUnescape(spaced, true);
    }
  };
  let pieces = text.split(separator);
  if (maxKeys > 0) pieces = pieces.slice(0, maxKeys);
  for (const piece of pieces) {
    if (piece.length === 0 && pieces.length > 1) continue;
    const at = piece.indexOf(equals);
    const rawKey = at >= 0 ? piece.slice(0, at) : piece;
    const rawValue = at >= 0 ? piece.slice(at + equals.length) : "";
    if (rawKey.length === 0 && rawValue.length === 0 && at < 0) continue;
    const key = decodePart(rawKey);
    const value = decodePart(rawValue);
    const existing = result[key];
    if (existing === undefined) result[key] = value;
    else if (Array.isArray(existing)) existing.push(value);
    else result[key] = [existing, value];
  }
  return result;
}

export function createQuerystring(): unknown {
  return {
    unescapeBuffer,
    unescape: qsUnescape,
    escape: qsEscape,
    stringify,
    encode: stringify,
    parse,
    decode: parse,
  };
}
