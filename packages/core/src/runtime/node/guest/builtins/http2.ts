/**
 * node:http2. The pure parts are Node's own (constants and the SETTINGS codec come from the
 * host's module). Client sessions (http2.connect, h2c and h2 over TLS) run the protocol on the
 * host over a connection the guest opened through the egress policy (see http2/connect.ts).
 * HTTP/2 servers are not supported in the VM yet and say so; their compatibility classes exist
 * so that code which only checks `instanceof Http2ServerRequest` (frameworks serving both http
 * and http2) loads and runs over http/1.1.
 */
import { Buffer } from "buffer";
import { notSupported } from "../errors.ts";
import { callSync } from "../host.ts";
import { ClientHttp2Session } from "./http2/client-session.ts";
import { ClientHttp2Stream } from "./http2/client-stream.ts";
import { connect } from "./http2/connect.ts";
import { sensitiveHeaders } from "./http2/wire.ts";

let constants: Record<string, number | string> | undefined;

function http2Constants(): Record<string, number | string> {
  constants ??= Object.freeze(callSync<Record<string, number | string>>("http2.constants"));
  return constants;
}

/** A request of an http2 compatibility server; only http2 servers create them. */
class Http2ServerRequest {
  constructor() {
    throw notSupported("http2.Http2ServerRequest (http2 servers)");
  }
}

/** A response of an http2 compatibility server; only http2 servers create them. */
class Http2ServerResponse {
  constructor() {
    throw notSupported("http2.Http2ServerResponse (http2 servers)");
  }
}

export function createHttp2(): unknown {
  const http2 = {
    connect,
    createServer: (): never => {
      throw notSupported("http2.createServer (HTTP/2 servers)");
    },
    createSecureServer: (): never => {
      throw notSupported("http2.createSecureServer (HTTP/2 servers)");
    },
    performServerHandshake: (): never => {
      throw notSupported("http2.performServerHandshake (HTTP/2 servers)");
    },
    // Node's default settings object has a null prototype.
    getDefaultSettings: () =>
      Object.assign(
        Object.create(null),
        callSync<Record<string, number | boolean>>("http2.defaultSettings"),
      ),
    getPackedSettings: (settings?: Record<string, unknown>) =>
      Buffer.from(callSync<Uint8Array>("http2.packSettings", settings ?? {})),
    getUnpackedSettings: (bytes: Uint8Array) =>
      callSync<Record<string, number | boolean>>("http2.unpackSettings", bytes),
    sensitiveHeaders,
    ClientHttp2Session,
    ClientHttp2Stream,
    Http2ServerRequest,
    Http2ServerResponse,
  };
  Object.defineProperty(http2, "constants", {
    enumerable: true,
    configurable: true,
    get: http2Constants,
  });
  return http2;
}
