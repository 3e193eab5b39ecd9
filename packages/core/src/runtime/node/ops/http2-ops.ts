/**
 * The pure parts of node:http2 for guest JavaScript, answered by the host's own module so the
 * values are exactly Node's: the nghttp2 constants and the SETTINGS frame codec.
 */
import { constants, getDefaultSettings, getPackedSettings, getUnpackedSettings } from "node:http2";
import type { HostOp } from "../host-ops.ts";

export const HTTP2_OPS: Record<string, HostOp> = {
  "http2.constants": () => ({ ...constants }),
  "http2.defaultSettings": () => ({ ...getDefaultSettings() }),
  "http2.packSettings": (_g, [settings]) =>
    new Uint8Array(getPackedSettings((settings ?? {}) as never)),
  "http2.unpackSettings": (_g, [bytes]) => ({
    ...getUnpackedSettings(bytes as Uint8Array),
  }),
};
