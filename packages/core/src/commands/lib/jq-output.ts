/**
 * Output rewriting between the jq we run (jq-web, jq 1.7 lineage, decNumber literals) and the
 * jq 1.6 that agents' hosts ship: jq 1.6 prints every number as the shortest double form
 * (`1.0` → `1`, `100000000000000000001` → `1e+20`, `1e1000` → `1.7976931348623157e+308`), and
 * prints raw (-r/-j) output itself. We run jq without -r/-j, split its output into top-level
 * JSON texts, reformat number tokens outside strings, and print strings raw when asked.
 */

/** jq 1.6's number format (jvp_dtoa_fmt): shortest round-trip digits, %g-like layout. */
export function formatJq16Number(value: number): string {
  if (Number.isNaN(value)) return "null";
  if (!Number.isFinite(value)) value = value > 0 ? Number.MAX_VALUE : -Number.MAX_VALUE;
  if (value === 0) return Object.is(value, -0) ? "-0" : "0";
  const sign = value < 0 ? "-" : "";
  const [mantissa, exp] = Math.abs(value).toExponential().split("e");
  const digits = mantissa.replace(".", "");
  const decpt = Number(exp) + 1;
  if (decpt <= -4 || decpt > digits.length + 15) {
    const e = decpt - 1;
    const frac = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
    const abs = String(Math.abs(e)).padStart(2, "0");
    return `${sign}${frac}e${e < 0 ? "-" : "+"}${abs}`;
  }
  if (decpt <= 0) return `${sign}0.${"0".repeat(-decpt)}${digits}`;
  if (decpt >= digits.length) return `${sign}${digits}${"0".repeat(decpt - digits.length)}`;
  return `${sign}${digits.slice(0, decpt)}.${digits.slice(decpt)}`;
}

export interface RewriteOptions {
  /** -r / -j: top-level strings are printed without quotes or escapes. */
  raw: boolean;
  /** -j: no newline after each output. */
  join: boolean;
  /** -a: with -r, jq 1.6 still prints strings quoted (ASCII-escaped). */
  ascii: boolean;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

function isNumberByte(b: number): boolean {
  return (
    (b >= 0x30 && b <= 0x39) || b === 0x2d || b === 0x2b || b === 0x2e || b === 0x45 || b === 0x65
  );
}

/**
 * Rewrites jq's (non-raw, newline-terminated) output. Returns the bytes to print and whether
 * the last value was a complete text (false only for a truncated tail).
 */
export function rewriteJqOutput(output: Uint8Array, options: RewriteOptions): Uint8Array {
  const parts: Uint8Array[] = [];
  let pending: number[] = [];
  const flush = (): void => {
    if (pending.length > 0) {
      parts.push(Uint8Array.from(pending));
      pending = [];
    }
  };
  const pushBytes = (bytes: Uint8Array): void => {
    flush();
    parts.push(bytes);
  };
  let i = 0;
  const n = output.length;
  while (i < n) {
    // One top-level value: optional RS (--seq), the text, then "\n".
    if (output[i] === 0x1e) pending.push(output[i++]);
    const start = i;
    let depth = 0;
    let topString = false;
    do {
      const b = output[i];
      if (b === 0x22) {
        if (depth === 0 && i === start) topString = true;
        let j = i + 1;
        while (j < n && output[j] !== 0x22) j += output[j] === 0x5c ? 2 : 1;
        if (!(topString && depth === 0 && options.raw && !options.ascii)) {
          flush();
          parts.push(output.subarray(i, j + 1));
        } else {
          const text = JSON.parse(decoder.decode(output.subarray(i, j + 1))) as string;
          pushBytes(encoder.encode(text));
        }
        i = j + 1;
      } else if (b === 0x5b || b === 0x7b) {
        depth++;
        pending.push(b);
        i++;
      } else if (b === 0x5d || b === 0x7d) {
        depth--;
        pending.push(b);
        i++;
      } else if (b === 0x2d || (b >= 0x30 && b <= 0x39)) {
        let j = i;
        while (j < n && isNumberByte(output[j])) j++;
        const token = decoder.decode(output.subarray(i, j));
        const text = formatJq16Number(Number(token));
        for (let k = 0; k < text.length; k++) pending.push(text.charCodeAt(k));
        i = j;
      } else {
        pending.push(b);
        i++;
      }
    } while (i < n && (depth > 0 || output[i] !== 0x0a));
    // The newline jq printed after the value.
    if (i < n) {
      if (!options.join) pending.push(0x0a);
      i++;
    }
  }
  flush();
  let total = 0;
  for (const p of parts) total += p.length;
  const result = new Uint8Array(total);
  let off = 0;
  for (const p of parts) {
    result.set(p, off);
    off += p.length;
  }
  return result;
}
