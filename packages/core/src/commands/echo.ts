/**
 * echo: the /usr/bin/echo program of GNU coreutils 9.1 (the shell has its own builtin).
 * Options -n -e -E (an argument is an option only while every letter is one of them),
 * `--help`/`--version` as the sole argument; with POSIXLY_CORRECT set, escapes are always
 * interpreted and options are recognised only when the first argument is exactly "-n".
 * Escapes are decoded on bytes: `\xff` and `\0377` write the single byte 0xff.
 */
import type { CommandDefinition } from "../kernel/command-registry.ts";

const encoder = new TextEncoder();

export const echo: CommandDefinition = {
  name: "echo",
  async main(ctx) {
    const args = ctx.argv.slice(1);
    const posixlyCorrect = ctx.env.POSIXLY_CORRECT !== undefined;
    const allowOptions = !posixlyCorrect || args[0] === "-n";
    if (allowOptions && args.length === 1) {
      if (args[0] === "--help") {
        await ctx.out(helpText(ctx.argv[0] ?? "echo"));
        return 0;
      }
      if (args[0] === "--version") {
        await ctx.out(VERSION);
        return 0;
      }
    }
    let newline = true;
    let escapes = false;
    let i = 0;
    if (allowOptions) {
      for (; i < args.length; i++) {
        const arg = args[i];
        if (!/^-[neE]+$/.test(arg)) break;
        for (const flag of arg.slice(1)) {
          if (flag === "n") newline = false;
          else if (flag === "e") escapes = true;
          else escapes = false;
        }
      }
    }
    const parts: Uint8Array[] = [];
    let total = 0;
    const push = (bytes: Uint8Array): void => {
      parts.push(bytes);
      total += bytes.length;
    };
    for (let k = i; k < args.length; k++) {
      const bytes = encoder.encode(args[k]);
      if (escapes || posixlyCorrect) {
        const { value, stop } = expandEchoEscapes(bytes);
        push(value);
        if (stop) {
          newline = false;
          break;
        }
      } else push(bytes);
      if (k + 1 < args.length) push(SPACE);
    }
    if (newline) push(NEWLINE);
    const out = new Uint8Array(total);
    let offset = 0;
    for (const part of parts) {
      out.set(part, offset);
      offset += part.length;
    }
    await ctx.out(out);
    return 0;
  },
};

const SPACE = Uint8Array.of(0x20);
const NEWLINE = Uint8Array.of(0x0a);

const SIMPLE: Record<number, number> = {
  97: 0x07, // a
  98: 0x08, // b
  101: 0x1b, // e
  102: 0x0c, // f
  110: 0x0a, // n
  114: 0x0d, // r
  116: 0x09, // t
  118: 0x0b, // v
  92: 0x5c, // backslash
};

const isOctal = (c: number | undefined): c is number => c !== undefined && c >= 0x30 && c <= 0x37;

function hexValue(c: number | undefined): number {
  if (c === undefined) return -1;
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  if (c >= 0x41 && c <= 0x46) return c - 0x37;
  if (c >= 0x61 && c <= 0x66) return c - 0x57;
  return -1;
}

/**
 * Interprets GNU echo's escapes in one argument (as bytes); `\c` stops all further output
 * (`stop`). `\0NNN` takes up to three octal digits after the 0, `\NNN` up to three in all,
 * `\xHH` one or two hex digits; values wrap to a byte. Anything else keeps its backslash.
 */
export function expandEchoEscapes(text: Uint8Array): { value: Uint8Array; stop: boolean } {
  const out = new Uint8Array(text.length);
  let n = 0;
  let i = 0;
  while (i < text.length) {
    let c = text[i++];
    if (c === 0x5c && i < text.length) {
      c = text[i++];
      const simple = SIMPLE[c];
      if (simple !== undefined) c = simple;
      else if (c === 0x63) return { value: out.subarray(0, n), stop: true };
      else if (c === 0x78 && hexValue(text[i]) >= 0) {
        c = hexValue(text[i++]);
        if (hexValue(text[i]) >= 0) c = c * 16 + hexValue(text[i++]);
      } else if (c >= 0x30 && c <= 0x37) {
        // "\0" then up to three digits, or "\1".."\7" then up to two more, as GNU echo.
        let value = c - 0x30;
        let more = true;
        if (c === 0x30) {
          if (isOctal(text[i])) value = text[i++] - 0x30;
          else more = false;
        }
        if (more) {
          for (let d = 0; d < 2 && isOctal(text[i]); d++) value = value * 8 + text[i++] - 0x30;
        }
        c = value & 0xff;
      } else out[n++] = 0x5c;
    }
    out[n++] = c;
  }
  return { value: out.subarray(0, n), stop: false };
}

function helpText(program: string): string {
  return `Usage: ${program} [SHORT-OPTION]... [STRING]...
  or:  ${program} LONG-OPTION
Echo the STRING(s) to standard output.

  -n             do not output the trailing newline
  -e             enable interpretation of backslash escapes
  -E             disable interpretation of backslash escapes (default)
      --help        display this help and exit
      --version     output version information and exit

If -e is in effect, the following sequences are recognized:

  \\\\      backslash
  \\a      alert (BEL)
  \\b      backspace
  \\c      produce no further output
  \\e      escape
  \\f      form feed
  \\n      new line
  \\r      carriage return
  \\t      horizontal tab
  \\v      vertical tab
  \\0NNN   byte with octal value NNN (1 to 3 digits)
  \\xHH    byte with hexadecimal value HH (1 to 2 digits)

NOTE: your shell may have its own version of echo, which usually supersedes
the version described here.  Please refer to your shell's documentation
for details about the options it supports.

NOTE: printf(1) is a preferred alternative,
which does not have issues outputting option-like strings.

GNU coreutils online help: <https://www.gnu.org/software/coreutils/>
Report any translation bugs to <https://translationproject.org/team/>
Full documentation <https://www.gnu.org/software/coreutils/echo>
or available locally via: info '(coreutils) echo invocation'
`;
}

const VERSION = `echo (GNU coreutils) 9.1
Copyright (C) 2022 Free Software Foundation, Inc.
License GPLv3+: GNU GPL version 3 or later <https://gnu.org/licenses/gpl.html>.
This is free software: you are free to change and redistribute it.
There is NO WARRANTY, to the extent permitted by law.

Written by Brian Fox and Chet Ramey.
`;
