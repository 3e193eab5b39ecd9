/**
 * Decoding of ANSI-C quoted strings (`$'...'`), following bash's escape table. `\x` and octal
 * escapes produce bytes; the result is decoded as UTF-8 so `$'\xc3\xa9'` is "é", like in a
 * UTF-8 terminal. Bash ends the string at a NUL byte, so decoding stops there.
 */

const SIMPLE_ESCAPES: Record<string, number> = {
  a: 7,
  b: 8,
  e: 27,
  E: 27,
  f: 12,
  n: 10,
  r: 13,
  t: 9,
  v: 11,
  "\\": 92,
  "'": 39,
  '"': 34,
  "?": 63,
};

const encoder = new TextEncoder();
const decoder = new TextDecoder();

function isHex(c: string): boolean {
  return (c >= "0" && c <= "9") || (c >= "a" && c <= "f") || (c >= "A" && c <= "F");
}

/** Decodes the text between `$'` and `'` (escapes included, quotes excluded). */
export function decodeAnsiC(raw: string): string {
  const bytes: number[] = [];
  const pushText = (text: string) => {
    for (const b of encoder.encode(text)) bytes.push(b);
  };
  let i = 0;
  while (i < raw.length) {
    const c = raw[i];
    if (c !== "\\" || i + 1 >= raw.length) {
      // Copy a run of plain characters in one go.
      let j = raw.indexOf("\\", i + 1);
      if (j < 0 || c === "\\") j = raw.length;
      pushText(raw.slice(i, j));
      i = j;
      continue;
    }
    const e = raw[i + 1];
    i += 2;
    const simple = SIMPLE_ESCAPES[e];
    if (simple !== undefined) {
      bytes.push(simple);
    } else if (e >= "0" && e <= "7") {
      let value = Number(e);
      for (let n = 0; n < 2 && raw[i] >= "0" && raw[i] <= "7"; n++)
        value = value * 8 + Number(raw[i++]);
      bytes.push(value & 0xff);
    } else if (e === "x" || e === "u" || e === "U") {
      const max = e === "x" ? 2 : e === "u" ? 4 : 8;
      let hex = "";
      while (hex.length < max && i < raw.length && isHex(raw[i])) hex += raw[i++];
      if (hex === "") {
        pushText(`\\${e}`);
      } else if (e === "x") {
        bytes.push(Number.parseInt(hex, 16));
      } else {
        const cp = Number.parseInt(hex, 16);
        pushText(cp <= 0x10ffff ? String.fromCodePoint(cp) : "\ufffd");
      }
    } else if (e === "c" && i < raw.length) {
      // Control character: \c? is DEL, otherwise the upper-cased character masked to 5 bits
      // (`\c\\` is control-backslash).
      const ch = raw[i++];
      if (ch === "\\" && raw[i] === "\\") i++;
      bytes.push(ch === "?" ? 0x7f : ch.toUpperCase().charCodeAt(0) & 0x1f);
    } else {
      pushText(`\\${e}`);
    }
  }
  const nul = bytes.indexOf(0);
  return decoder.decode(Uint8Array.from(nul >= 0 ? bytes.slice(0, nul) : bytes));
}
