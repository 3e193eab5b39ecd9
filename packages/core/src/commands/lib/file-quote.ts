/**
 * GNU quoting of file names in diagnostics (gnulib quotearg, LC_ALL=C):
 * - `quoteAlways` is shell-escape-always style (coreutils' quoteaf): "cannot access 'x'".
 * - `quoteMaybe` is shell-escape style (quotef): plain when no shell metacharacter.
 * - `quoteLocale` is locale style (quote()): 'x', used for option arguments.
 * Names are JS strings holding UTF-8; in the C locale every non-ASCII byte is unprintable and
 * shown as an octal escape inside $'...'.
 */

const encoder = new TextEncoder();

const LETTER_ESCAPES: Record<number, string> = {
  7: "a",
  8: "b",
  9: "t",
  10: "n",
  11: "v",
  12: "f",
  13: "r",
};

function hasUnprintable(name: string): boolean {
  return /[^\x20-\x7e]/.test(name);
}

function needsQuoting(name: string): boolean {
  if (name === "") return true;
  if (hasUnprintable(name)) return true;
  if (/[ !"$&()*:;<=>?[\\^`|']/.test(name)) return true;
  if (name[0] === "#" || name[0] === "~") return true;
  return name === "{" || name === "}";
}

function escapeByte(byte: number): string {
  const letter = LETTER_ESCAPES[byte];
  if (letter) return `\\${letter}`;
  return `\\${byte.toString(8).padStart(3, "0")}`;
}

function quoteShell(name: string): string {
  if (!hasUnprintable(name)) {
    if (!name.includes("'")) return `'${name}'`;
    if (!/[$`"\\!]/.test(name)) return `"${name}"`;
    return `'${name.replace(/'/g, "'\\''")}'`;
  }
  let out = "'";
  let inEscape = false;
  for (const byte of encoder.encode(name)) {
    if (byte >= 0x20 && byte < 0x7f) {
      if (inEscape) {
        out += "''";
        inEscape = false;
      }
      out += byte === 0x27 ? "'\\''" : String.fromCharCode(byte);
    } else {
      if (!inEscape) {
        out += "'$'";
        inEscape = true;
      }
      out += escapeByte(byte);
    }
  }
  return `${out}'`;
}

export function quoteAlways(name: string): string {
  return quoteShell(name);
}

export function quoteMaybe(name: string): string {
  return needsQuoting(name) ? quoteShell(name) : name;
}

export function quoteLocale(text: string): string {
  return `'${text.replace(/'/g, "\\'")}'`;
}
