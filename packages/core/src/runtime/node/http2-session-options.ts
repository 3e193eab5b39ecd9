/**
 * The http2.connect options node:http2 itself reads, plain values only: the guest passes these
 * to the host session (guest/builtins/http2/connect.ts), which hands them to node:http2
 * (ops/http2-client.ts). TLS options stay with the guest.
 */
export const HTTP2_SESSION_OPTIONS = [
  "settings",
  "maxDeflateDynamicTableSize",
  "maxSettings",
  "maxSessionMemory",
  "maxHeaderListPairs",
  "maxOutstandingPings",
  "maxReservedRemoteStreams",
  "maxSendHeaderBlockLength",
  "paddingStrategy",
  "peerMaxConcurrentStreams",
  "remoteCustomSettings",
  "strictFieldWhitespaceValidation",
  "unknownProtocolTimeout",
  "servername",
] as const;
