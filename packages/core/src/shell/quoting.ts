/** How bash quotes values it prints for reuse as input: `${x@Q}`, `set`, `declare -p`, `printf %q`. */

const CONTROL = /[\x00-\x1f\x7f]/;

/** `$'...'` with C escapes, for values holding control characters. */
function ansiC(value: string): string {
  let out = "$'";
  for (const c of value) {
    const code = c.charCodeAt(0);
    if (c === "'" || c === "\\") out += `\\${c}`;
    else if (c === "\n") out += "\\n";
    else if (c === "\t") out += "\\t";
    else if (c === "\r") out += "\\r";
    else if (c === "\x1b") out += "\\E";
    else if (c === "\x07") out += "\\a";
    else if (c === "\b") out += "\\b";
    else if (c === "\f") out += "\\f";
    else if (c === "\v") out += "\\v";
    else if (code < 0x20 || code === 0x7f) out += `\\${code.toString(8).padStart(3, "0")}`;
    else out += c;
  }
  return `${out}'`;
}

/** `${x@Q}`: always quoted, single quotes unless control characters need `$'...'`. */
export function quoteForReuse(value: string): string {
  if (CONTROL.test(value)) return ansiC(value);
  return `'${value.replace(/'/g, "'\\''")}'`;
}

/** `set` output: bare when nothing needs quoting. */
export function quoteForSet(value: string): string {
  if (value !== "" && /^[A-Za-z0-9_./:,+@%^=-]+$/.test(value)) return value;
  return quoteForReuse(value);
}

/** `declare -p` output: double quotes with `\ " $ \`` escaped. */
export function quoteForDeclare(value: string): string {
  if (CONTROL.test(value)) return ansiC(value);
  return `"${value.replace(/[\\"$`]/g, "\\$&")}"`;
}

/** `printf %q`: backslash-escapes shell metacharacters; `''` for the empty string. */
export function quoteWithBackslashes(value: string): string {
  if (value === "") return "''";
  if (CONTROL.test(value)) return ansiC(value);
  return value.replace(/[^A-Za-z0-9_./:,+@%^=-]/g, (c) => (c === "~" ? "\\~" : `\\${c}`));
}
