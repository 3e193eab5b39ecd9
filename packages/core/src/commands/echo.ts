/** echo: bash's builtin semantics (-n, -e, -E; options only while every letter is valid). */
import type { CommandDefinition } from "../kernel/command-registry.ts";

export const echo: CommandDefinition = {
  name: "echo",
  async main(ctx) {
    const args = ctx.argv.slice(1);
    let newline = true;
    let escapes = false;
    let i = 0;
    for (; i < args.length; i++) {
      const arg = args[i];
      if (!/^-[neE]+$/.test(arg)) break;
      for (const flag of arg.slice(1)) {
        if (flag === "n") newline = false;
        else if (flag === "e") escapes = true;
        else escapes = false;
      }
    }
    let text = args.slice(i).join(" ");
    if (escapes) {
      const { value, stop } = expandEchoEscapes(text);
      text = value;
      if (stop) newline = false;
    }
    await ctx.out(newline ? text + "\n" : text);
    return 0;
  },
};

const SIMPLE: Record<string, string> = {
  a: "\x07",
  b: "\b",
  e: "\x1b",
  E: "\x1b",
  f: "\f",
  n: "\n",
  r: "\r",
  t: "\t",
  v: "\v",
  "\\": "\\",
};

/** Interprets `echo -e` escapes; `\c` stops all further output. */
export function expandEchoEscapes(text: string): { value: string; stop: boolean } {
  let out = "";
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch !== "\\" || i + 1 >= text.length) {
      out += ch;
      continue;
    }
    const next = text[++i];
    if (next in SIMPLE) out += SIMPLE[next];
    else if (next === "c") return { value: out, stop: true };
    else if (next === "0") {
      const digits = /^[0-7]{0,3}/.exec(text.slice(i + 1))![0];
      out += String.fromCharCode(Number.parseInt(digits || "0", 8) & 0xff);
      i += digits.length;
    } else if (next === "x") {
      const digits = /^[0-9a-fA-F]{0,2}/.exec(text.slice(i + 1))![0];
      if (digits.length === 0) out += "\\x";
      else {
        out += String.fromCharCode(Number.parseInt(digits, 16));
        i += digits.length;
      }
    } else if (next === "u" || next === "U") {
      const digits = new RegExp(`^[0-9a-fA-F]{0,${next === "u" ? 4 : 8}}`).exec(
        text.slice(i + 1),
      )![0];
      if (digits.length === 0) out += "\\" + next;
      else {
        out += String.fromCodePoint(Math.min(Number.parseInt(digits, 16), 0x10ffff));
        i += digits.length;
      }
    } else out += "\\" + next;
  }
  return { value: out, stop: false };
}
