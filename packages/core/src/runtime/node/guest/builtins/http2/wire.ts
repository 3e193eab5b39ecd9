/**
 * What crosses between the guest's http2 client and the host session that runs it
 * (ops/http2-client.ts): the events the host queues, headers as plain data, errors as plain
 * data, and Node's http2 error objects rebuilt on this side.
 */
import { Buffer } from "buffer";
import type { HeadersData, Http2ErrorData } from "../../../ops/http2-client.ts";
import { codedError } from "../../errors.ts";
import { netError } from "../net/net-host.ts";

/** Node's http2.sensitiveHeaders (its description is the one Node's inspect shows). */
export const sensitiveHeaders: unique symbol = Symbol("sensitiveHeaders");

// The wire types are the host's own (type-only: nothing of the host is bundled in).
export type { HeadersData, Http2ErrorData, Http2Event } from "../../../ops/http2-client.ts";

export const NGHTTP2_NO_ERROR = 0;
export const NGHTTP2_INTERNAL_ERROR = 2;
export const NGHTTP2_CANCEL = 8;

const ERROR_CODE_NAMES = [
  "NGHTTP2_NO_ERROR",
  "NGHTTP2_PROTOCOL_ERROR",
  "NGHTTP2_INTERNAL_ERROR",
  "NGHTTP2_FLOW_CONTROL_ERROR",
  "NGHTTP2_SETTINGS_TIMEOUT",
  "NGHTTP2_STREAM_CLOSED",
  "NGHTTP2_FRAME_SIZE_ERROR",
  "NGHTTP2_REFUSED_STREAM",
  "NGHTTP2_CANCEL",
  "NGHTTP2_COMPRESSION_ERROR",
  "NGHTTP2_CONNECT_ERROR",
  "NGHTTP2_ENHANCE_YOUR_CALM",
  "NGHTTP2_INADEQUATE_SECURITY",
  "NGHTTP2_HTTP_1_1_REQUIRED",
];

/** Node's nameForErrorCode: the nghttp2 name, or the number itself. */
export function errorCodeName(code: number): string {
  return ERROR_CODE_NAMES[code] ?? String(code);
}

export function streamError(code: number): Error {
  return codedError(
    Error,
    "ERR_HTTP2_STREAM_ERROR",
    `Stream closed with error code ${errorCodeName(code)}`,
  );
}

export function sessionError(code: number): Error {
  return codedError(
    Error,
    "ERR_HTTP2_SESSION_ERROR",
    `Session closed with error code ${errorCodeName(code)}`,
  );
}

const ERROR_TYPES: Record<string, ErrorConstructor> = { TypeError, RangeError };

/** A host error rebuilt: Node's coded errors as such, system errors with their fields. */
export function rebuildError(data: Http2ErrorData): Error {
  if (data.code?.startsWith("ERR_"))
    return codedError(ERROR_TYPES[data.name] ?? Error, data.code, data.message);
  return netError(data);
}

/** Headers as Node hands them to listeners: a null-prototype object with the sensitive list. */
export function rebuildHeaders(data: HeadersData): Record<string | symbol, unknown> {
  const headers: Record<string | symbol, unknown> = Object.create(null);
  for (const [name, value] of data.entries) headers[name] = value;
  headers[sensitiveHeaders] = data.sensitive;
  return headers;
}

/** Headers the guest passes (a symbol key cannot cross): plain entries plus sensitive names. */
export function splitHeaders(headers: unknown): { plain: unknown; sensitive: string[] } {
  if (headers === null || headers === undefined) return { plain: {}, sensitive: [] };
  if (Array.isArray(headers) || typeof headers !== "object")
    return { plain: headers, sensitive: [] };
  const marked = (headers as Record<symbol, unknown>)[sensitiveHeaders];
  const plain: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(headers)) plain[name] = value;
  return { plain, sensitive: Array.isArray(marked) ? marked.map(String) : [] };
}

export function toBuffer(bytes: Uint8Array): Buffer {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}
