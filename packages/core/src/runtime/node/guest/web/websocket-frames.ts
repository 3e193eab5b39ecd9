/**
 * The WebSocket wire format (RFC 6455 section 5) for the client side: frames this client sends
 * are masked; frames from the server must not be. No extension is negotiated, so the RSV bits
 * must be clear. A violation is a FrameError carrying the close code to fail the connection
 * with (1002 protocol error, 1009 too big).
 */

export const Opcode = {
  CONTINUATION: 0x0,
  TEXT: 0x1,
  BINARY: 0x2,
  CLOSE: 0x8,
  PING: 0x9,
  PONG: 0xa,
} as const;

export interface Frame {
  fin: boolean;
  opcode: number;
  payload: Uint8Array;
}

export class FrameError extends Error {
  readonly closeCode: number;

  constructor(closeCode: number, message: string) {
    super(message);
    this.closeCode = closeCode;
  }
}

/** Largest message accepted (undici has no limit; this keeps a guest heap from a bomb). */
const MAX_PAYLOAD = 256 * 1024 * 1024;

/** One masked frame, ready for the socket. `mask`: 4 random bytes. */
export function encodeFrame(opcode: number, payload: Uint8Array, mask: Uint8Array): Uint8Array {
  const length = payload.byteLength;
  const extra = length < 126 ? 0 : length < 0x10000 ? 2 : 8;
  const frame = new Uint8Array(2 + extra + 4 + length);
  frame[0] = 0x80 | opcode;
  if (extra === 0) frame[1] = 0x80 | length;
  else if (extra === 2) {
    frame[1] = 0x80 | 126;
    frame[2] = length >>> 8;
    frame[3] = length & 0xff;
  } else {
    frame[1] = 0x80 | 127;
    new DataView(frame.buffer).setBigUint64(2, BigInt(length));
  }
  const at = 2 + extra;
  frame.set(mask, at);
  for (let i = 0; i < length; i++) frame[at + 4 + i] = payload[i] ^ mask[i & 3];
  return frame;
}

/** A close frame's body: the status code, then the reason in UTF-8. */
export function closePayload(code: number | null, reason: string): Uint8Array {
  if (code === null) return new Uint8Array(0);
  const text = new TextEncoder().encode(reason);
  const body = new Uint8Array(2 + text.byteLength);
  body[0] = code >>> 8;
  body[1] = code & 0xff;
  body.set(text, 2);
  return body;
}

/** Splits the server's byte stream into frames (buffering partial ones between chunks). */
export class FrameParser {
  #buffered: Uint8Array = new Uint8Array(0);

  push(chunk: Uint8Array): Frame[] {
    this.#buffered = this.#buffered.byteLength === 0 ? chunk : concat(this.#buffered, chunk);
    const frames: Frame[] = [];
    for (;;) {
      const frame = this.#next();
      if (!frame) return frames;
      frames.push(frame);
    }
  }

  #next(): Frame | undefined {
    const data = this.#buffered;
    if (data.byteLength < 2) return undefined;
    const fin = (data[0] & 0x80) !== 0;
    const opcode = data[0] & 0x0f;
    if ((data[0] & 0x70) !== 0) throw new FrameError(1002, "RSV1, RSV2, RSV3 must be clear");
    if ((data[1] & 0x80) !== 0) throw new FrameError(1002, "Frame cannot be masked");
    const control = opcode >= 0x8;
    if (![0x0, 0x1, 0x2, 0x8, 0x9, 0xa].includes(opcode))
      throw new FrameError(1002, "Invalid opcode received");
    let length = data[1] & 0x7f;
    let offset = 2;
    if (length === 126) {
      if (data.byteLength < 4) return undefined;
      length = (data[2] << 8) | data[3];
      offset = 4;
    } else if (length === 127) {
      if (data.byteLength < 10) return undefined;
      const big = new DataView(data.buffer, data.byteOffset + 2, 8).getBigUint64(0);
      if (big > BigInt(MAX_PAYLOAD)) throw new FrameError(1009, "Received payload is too large");
      length = Number(big);
      offset = 10;
    }
    if (control && (!fin || length > 125))
      throw new FrameError(1002, "Invalid control frame (fragmented or too long)");
    if (length > MAX_PAYLOAD) throw new FrameError(1009, "Received payload is too large");
    if (data.byteLength < offset + length) return undefined;
    const payload = data.slice(offset, offset + length);
    this.#buffered = data.subarray(offset + length);
    return { fin, opcode, payload };
  }
}

export function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.byteLength + b.byteLength);
  out.set(a, 0);
  out.set(b, a.byteLength);
  return out;
}
