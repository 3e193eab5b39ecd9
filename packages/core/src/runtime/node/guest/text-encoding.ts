/**
 * TextEncoder/TextDecoder (V8 alone has neither): UTF-8 both ways, plus the single-byte
 * decodings Node supports without ICU (latin1/windows-1252 and UTF-16LE).
 */
export class TextEncoder {
  get encoding(): string {
    return "utf-8";
  }

  encode(input = ""): Uint8Array {
    const text = String(input);
    const out = new Uint8Array(text.length * 3);
    let n = 0;
    for (let i = 0; i < text.length; i++) {
      let code = text.charCodeAt(i);
      if (code >= 0xd800 && code <= 0xdbff && i + 1 < text.length) {
        const next = text.charCodeAt(i + 1);
        if (next >= 0xdc00 && next <= 0xdfff) {
          code = 0x10000 + ((code - 0xd800) << 10) + (next - 0xdc00);
          i++;
        } else code = 0xfffd;
      } else if (code >= 0xd800 && code <= 0xdfff) code = 0xfffd;
      if (code < 0x80) out[n++] = code;
      else if (code < 0x800) {
        out[n++] = 0xc0 | (code >> 6);
        out[n++] = 0x80 | (code & 0x3f);
      } else if (code < 0x10000) {
        out[n++] = 0xe0 | (code >> 12);
        out[n++] = 0x80 | ((code >> 6) & 0x3f);
        out[n++] = 0x80 | (code & 0x3f);
      } else {
        out[n++] = 0xf0 | (code >> 18);
        out[n++] = 0x80 | ((code >> 12) & 0x3f);
        out[n++] = 0x80 | ((code >> 6) & 0x3f);
        out[n++] = 0x80 | (code & 0x3f);
      }
    }
    return out.slice(0, n);
  }

  encodeInto(input: string, destination: Uint8Array): { read: number; written: number } {
    const bytes = this.encode(input);
    const written = Math.min(bytes.length, destination.length);
    // Do not split a character: back off to the last boundary.
    let end = written;
    while (end > 0 && end < bytes.length && (bytes[end] & 0xc0) === 0x80) end--;
    destination.set(bytes.subarray(0, end));
    const read = new TextDecoderImpl("utf-8").decode(bytes.subarray(0, end)).length;
    return { read, written: end };
  }
}

const LABELS: Record<string, string> = {
  "utf-8": "utf-8",
  utf8: "utf-8",
  "unicode-1-1-utf-8": "utf-8",
  "utf-16le": "utf-16le",
  "utf-16be": "utf-16be",
  "utf-16": "utf-16le",
  latin1: "windows-1252",
  "iso-8859-1": "windows-1252",
  ascii: "windows-1252",
  "us-ascii": "windows-1252",
  "windows-1252": "windows-1252",
};

class TextDecoderImpl {
  readonly encoding: string;
  readonly fatal: boolean;
  readonly ignoreBOM: boolean;
  #pending: number[] = [];
  #bomSeen = false;

  constructor(label = "utf-8", options: { fatal?: boolean; ignoreBOM?: boolean } = {}) {
    const encoding = LABELS[String(label).trim().toLowerCase()];
    if (!encoding) {
      throw Object.assign(new RangeError(`The "${label}" encoding is not supported`), {
        code: "ERR_ENCODING_NOT_SUPPORTED",
      });
    }
    this.encoding = encoding;
    this.fatal = Boolean(options.fatal);
    this.ignoreBOM = Boolean(options.ignoreBOM);
  }

  decode(input?: ArrayBuffer | ArrayBufferView, options: { stream?: boolean } = {}): string {
    let bytes: Uint8Array;
    if (input === undefined) bytes = new Uint8Array(0);
    else if (
      input instanceof ArrayBuffer ||
      Object.prototype.toString.call(input) === "[object SharedArrayBuffer]"
    )
      bytes = new Uint8Array(input as ArrayBuffer);
    else if (ArrayBuffer.isView(input))
      bytes = new Uint8Array(input.buffer, input.byteOffset, input.byteLength);
    else {
      throw Object.assign(
        new TypeError(
          'The "input" argument must be an instance of ArrayBuffer or ArrayBufferView.',
        ),
        { code: "ERR_INVALID_ARG_TYPE" },
      );
    }
    if (this.#pending.length > 0) {
      const merged = new Uint8Array(this.#pending.length + bytes.length);
      merged.set(this.#pending);
      merged.set(bytes, this.#pending.length);
      bytes = merged;
      this.#pending = [];
    }
    let text: string;
    if (this.encoding === "windows-1252") {
      text = "";
      for (let i = 0; i < bytes.length; i += 8192)
        text += String.fromCharCode(...bytes.subarray(i, i + 8192));
    } else if (this.encoding === "utf-16le" || this.encoding === "utf-16be") {
      const even = bytes.length & ~1;
      if (options.stream && even < bytes.length) this.#pending = [bytes[even]];
      const little = this.encoding === "utf-16le";
      text = "";
      for (let i = 0; i + 1 < bytes.length; i += 2) {
        text += String.fromCharCode(
          little ? bytes[i] | (bytes[i + 1] << 8) : (bytes[i] << 8) | bytes[i + 1],
        );
      }
    } else text = this.#utf8(bytes, Boolean(options.stream));
    if (!this.ignoreBOM && !this.#bomSeen && text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    if (text.length > 0) this.#bomSeen = true;
    if (!options.stream) this.#bomSeen = false;
    return text;
  }

  #utf8(bytes: Uint8Array, stream: boolean): string {
    const parts: string[] = [];
    let codes: number[] = [];
    const flush = () => {
      parts.push(String.fromCharCode(...codes));
      codes = [];
    };
    const bad = () => {
      if (this.fatal) {
        throw Object.assign(new TypeError("The encoded data was not valid for encoding utf-8"), {
          code: "ERR_ENCODING_INVALID_ENCODED_DATA",
        });
      }
      codes.push(0xfffd);
    };
    let i = 0;
    while (i < bytes.length) {
      const b = bytes[i];
      let need = 0;
      let code = 0;
      let min = 0;
      if (b < 0x80) {
        codes.push(b);
        i++;
        if (codes.length > 4096) flush();
        continue;
      }
      if (b >= 0xc2 && b <= 0xdf) {
        need = 1;
        code = b & 0x1f;
        min = 0x80;
      } else if (b >= 0xe0 && b <= 0xef) {
        need = 2;
        code = b & 0x0f;
        min = 0x800;
      } else if (b >= 0xf0 && b <= 0xf4) {
        need = 3;
        code = b & 0x07;
        min = 0x10000;
      } else {
        bad();
        i++;
        continue;
      }
      if (
        i + need >= bytes.length + 0 &&
        i + need > bytes.length - 1 + 0 &&
        i + need >= bytes.length
      ) {
        // Truncated sequence at the end.
        let valid = true;
        for (let k = i + 1; k < bytes.length; k++) if ((bytes[k] & 0xc0) !== 0x80) valid = false;
        if (valid && stream) {
          this.#pending = [...bytes.subarray(i)];
          break;
        }
      }
      let j = 1;
      for (; j <= need; j++) {
        const next = bytes[i + j];
        if (next === undefined || (next & 0xc0) !== 0x80) break;
        if (j === 1) {
          if (b === 0xe0 && next < 0xa0) break;
          if (b === 0xed && next > 0x9f) break;
          if (b === 0xf0 && next < 0x90) break;
          if (b === 0xf4 && next > 0x8f) break;
        }
        code = (code << 6) | (next & 0x3f);
      }
      if (j <= need || code < min) {
        bad();
        i += Math.max(1, j);
        continue;
      }
      if (code >= 0x10000) {
        code -= 0x10000;
        codes.push(0xd800 + (code >> 10), 0xdc00 + (code & 0x3ff));
      } else codes.push(code);
      i += need + 1;
      if (codes.length > 4096) flush();
    }
    flush();
    return parts.join("");
  }
}

export { TextDecoderImpl as TextDecoder };
