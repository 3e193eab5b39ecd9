/**
 * The order in which gawk's `for (k in a)` visits keys when PROCINFO["sorted_in"] is unset.
 * gawk stores arrays whose first subscript is a non-negative integer in a "cint" array (listed
 * as: other keys first, then integers ascending) and other arrays in a string hash table (sdbm
 * hash, chains with newest first, prime table sizes growing past an average chain length of 2).
 * We replay the surviving keys in insertion order through that model. Known gaps: keys deleted
 * along the way can change gawk's table history; very sparse large integers and negative-first
 * arrays use gawk's integer hash table, approximated here by the string table.
 */

const SIZES = [
  13, 127, 1021, 8191, 16381, 32749, 65497, 131101, 262147, 524309, 1048583, 2097169, 4194319,
  8388617, 16777259, 33554467, 67108879, 134217757, 268435459, 536870923, 1073741827,
];
const STR_CHAIN_MAX = 2;

/** gawk's awk_hash (sdbm, 32-bit, over signed chars). */
export function awkHash(s: string): number {
  let h = 0;
  for (let i = 0; i < s.length; i++) {
    let c = s.charCodeAt(i) & 0xff;
    if (c >= 128) c -= 256;
    h = (Math.imul(h, 65599) + c) >>> 0;
  }
  return h;
}

/** Whether gawk treats a subscript as an integer (no sign but "-", no leading zeros). */
function isIntegerKey(k: string): boolean {
  return k.length <= 18 && /^(0|-?[1-9][0-9]*)$/.test(k);
}

function strOrder(keys: string[]): string[] {
  let size = SIZES[0];
  let sizeIdx = 0;
  let buckets: string[][] = Array.from({ length: size }, () => []);
  const codes = new Map<string, number>();
  let count = 0;
  for (const key of keys) {
    const code = awkHash(key);
    codes.set(key, code);
    count++;
    if (Math.floor(count / size) > STR_CHAIN_MAX && sizeIdx + 1 < SIZES.length) {
      const newSize = SIZES[++sizeIdx];
      const fresh: string[][] = Array.from({ length: newSize }, () => []);
      for (const chain of buckets) {
        for (const k of chain) fresh[(codes.get(k) as number) % newSize].unshift(k);
      }
      buckets = fresh;
      size = newSize;
    }
    buckets[code % size].unshift(key);
  }
  const out: string[] = [];
  for (const chain of buckets) for (const k of chain) out.push(k);
  return out;
}

/** Keys of `keys` (in insertion order) in gawk's unsorted for-in order. */
export function gawkForInOrder(keys: string[]): string[] {
  if (keys.length <= 1) return keys;
  const first = keys[0];
  if (!isIntegerKey(first) || first.startsWith("-")) return strOrder(keys);
  const ints: string[] = [];
  const others: string[] = [];
  for (const k of keys) {
    if (isIntegerKey(k) && !k.startsWith("-")) ints.push(k);
    else others.push(k);
  }
  ints.sort((a, b) => Number(a) - Number(b));
  return others.length > 0 ? [...strOrder(others), ...ints] : ints;
}
