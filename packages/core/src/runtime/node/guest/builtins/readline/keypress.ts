/**
 * readline.emitKeypressEvents: turns a terminal's input bytes into 'keypress' events with
 * Node's key objects ({ sequence, name, ctrl, meta, shift, code }), decoding the escape
 * sequences terminals send for arrows, Home/End, Delete, function keys and Alt-modified keys.
 */
import { StringDecoder } from "string_decoder";

export interface Key {
  sequence: string;
  name: string | undefined;
  ctrl: boolean;
  meta: boolean;
  shift: boolean;
  code?: string;
}

/** Final bytes and `~` numbers of CSI/SS3 sequences → key names (xterm, rxvt, linux console). */
const SEQUENCE_NAMES: Record<string, string> = {
  "[A": "up",
  "[B": "down",
  "[C": "right",
  "[D": "left",
  "[E": "clear",
  "[F": "end",
  "[H": "home",
  OA: "up",
  OB: "down",
  OC: "right",
  OD: "left",
  OE: "clear",
  OF: "end",
  OH: "home",
  OP: "f1",
  OQ: "f2",
  OR: "f3",
  OS: "f4",
  "[P": "f1",
  "[Q": "f2",
  "[R": "f3",
  "[S": "f4",
  "[1~": "home",
  "[2~": "insert",
  "[3~": "delete",
  "[4~": "end",
  "[5~": "pageup",
  "[6~": "pagedown",
  "[7~": "home",
  "[8~": "end",
  "[11~": "f1",
  "[12~": "f2",
  "[13~": "f3",
  "[14~": "f4",
  "[15~": "f5",
  "[17~": "f6",
  "[18~": "f7",
  "[19~": "f8",
  "[20~": "f9",
  "[21~": "f10",
  "[23~": "f11",
  "[24~": "f12",
  "[Z": "tab",
};

function plainKey(ch: string, meta: boolean): Key {
  const key: Key = {
    sequence: meta ? `\x1b${ch}` : ch,
    name: undefined,
    ctrl: false,
    meta,
    shift: false,
  };
  if (ch === "\r") key.name = "return";
  else if (ch === "\n") key.name = "enter";
  else if (ch === "\t") key.name = "tab";
  else if (ch === "\b" || ch === "\x7f") key.name = "backspace";
  else if (ch === "\x1b") key.name = "escape";
  else if (ch === " ") key.name = "space";
  else if (ch <= "\x1a" && ch !== "\x00") {
    key.name = String.fromCharCode(ch.charCodeAt(0) + 96);
    key.ctrl = true;
  } else if (/^[0-9A-Za-z]$/.test(ch)) {
    key.name = ch.toLowerCase();
    key.shift = /^[A-Z]$/.test(ch);
  }
  return key;
}

/** Splits one chunk of input into key presses. */
export function decodeKeys(input: string): Key[] {
  const keys: Key[] = [];
  let i = 0;
  while (i < input.length) {
    const ch = input[i];
    if (ch === "\x1b" && i + 1 < input.length) {
      const next = input[i + 1];
      if (next === "[" || next === "O") {
        // CSI / SS3: parameters then a final byte.
        let j = i + 2;
        const params = /[\d;]*/y;
        params.lastIndex = j;
        const match = params.exec(input);
        j += match ? match[0].length : 0;
        if (j < input.length) {
          const final = input[j];
          const sequence = input.slice(i, j + 1);
          const fields = (match?.[0] ?? "").split(";");
          // "1;5C": a modifier (2 shift, 3 alt, 5 ctrl, ...) on an arrow or function key.
          const modifier = fields.length > 1 ? Number(fields[1]) - 1 : 0;
          const base = final === "~" ? `${next}${fields[0]}~` : `${next}${final}`;
          keys.push({
            sequence,
            name: SEQUENCE_NAMES[base] ?? "undefined",
            ctrl: (modifier & 4) !== 0,
            meta: (modifier & 10) !== 0,
            shift: (modifier & 1) !== 0 || base === "[Z",
            code: final === "~" ? `[${fields[0]}~` : `${next}${final}`,
          });
          if (keys[keys.length - 1].name === "undefined") keys[keys.length - 1].name = undefined;
          i = j + 1;
          continue;
        }
      }
      // Alt/Meta + a key: ESC followed by it.
      keys.push(plainKey(next, true));
      i += 2;
      continue;
    }
    const codePoint = input.codePointAt(i) ?? 0;
    const char = String.fromCodePoint(codePoint);
    keys.push(plainKey(char, false));
    i += char.length;
  }
  return keys;
}

const KEYPRESS_DECODER = Symbol("keypress-decoder");

interface KeypressSource {
  on(event: string, listener: (...args: unknown[]) => void): unknown;
  removeListener(event: string, listener: (...args: unknown[]) => void): unknown;
  listenerCount(event: string): number;
  emit(event: string, ...args: unknown[]): boolean;
  [KEYPRESS_DECODER]?: StringDecoder;
}

export function emitKeypressEvents(stream: unknown, _iface: unknown = {}): void {
  const source = stream as KeypressSource;
  if (source[KEYPRESS_DECODER]) return;
  source[KEYPRESS_DECODER] = new StringDecoder("utf8");
  const onData = (chunk: unknown): void => {
    if (source.listenerCount("keypress") === 0) return;
    const text =
      typeof chunk === "string"
        ? chunk
        : (source[KEYPRESS_DECODER] as StringDecoder).write(chunk as Buffer);
    for (const key of decodeKeys(text)) {
      // Node passes the character itself for single-character keys, nothing for sequences.
      source.emit("keypress", key.sequence.length === 1 ? key.sequence : undefined, key);
    }
  };
  const onNewListener = (event: unknown): void => {
    if (event === "keypress") {
      source.on("data", onData);
      source.removeListener("newListener", onNewListener);
    }
  };
  if (source.listenerCount("keypress") > 0) source.on("data", onData);
  else source.on("newListener", onNewListener);
}
