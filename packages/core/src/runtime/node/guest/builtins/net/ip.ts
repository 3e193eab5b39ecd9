/** IP address checks and numeric forms: net.isIP/isIPv4/isIPv6 and what BlockList compares. */

const V4_SEG = "(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9][0-9]|[0-9])";
const V4_STR = `(?:${V4_SEG}\\.){3}${V4_SEG}`;
const IPV4 = new RegExp(`^${V4_STR}$`);
const V6_SEG = "(?:[0-9a-fA-F]{1,4})";
// The same grammar Node accepts (RFC 4291 text forms, embedded IPv4, a zone id after %).
const IPV6 = new RegExp(
  "^(?:" +
    `(?:${V6_SEG}:){7}(?:${V6_SEG}|:)|` +
    `(?:${V6_SEG}:){6}(?:${V4_STR}|:${V6_SEG}|:)|` +
    `(?:${V6_SEG}:){5}(?::${V4_STR}|(?::${V6_SEG}){1,2}|:)|` +
    `(?:${V6_SEG}:){4}(?:(?::${V6_SEG}){0,1}:${V4_STR}|(?::${V6_SEG}){1,3}|:)|` +
    `(?:${V6_SEG}:){3}(?:(?::${V6_SEG}){0,2}:${V4_STR}|(?::${V6_SEG}){1,4}|:)|` +
    `(?:${V6_SEG}:){2}(?:(?::${V6_SEG}){0,3}:${V4_STR}|(?::${V6_SEG}){1,5}|:)|` +
    `(?:${V6_SEG}:){1}(?:(?::${V6_SEG}){0,4}:${V4_STR}|(?::${V6_SEG}){1,6}|:)|` +
    `(?::(?:(?::${V6_SEG}){0,5}:${V4_STR}|(?::${V6_SEG}){1,7}|:))` +
    ")(?:%[0-9a-zA-Z-.:]{1,})?$",
);

export function isIPv4(input: unknown): boolean {
  return IPV4.test(`${input}`);
}

export function isIPv6(input: unknown): boolean {
  return IPV6.test(`${input}`);
}

export function isIP(input: unknown): 0 | 4 | 6 {
  if (isIPv4(input)) return 4;
  if (isIPv6(input)) return 6;
  return 0;
}

/** An IPv4 address as a 32-bit number in a bigint. */
export function ipv4ToBigInt(address: string): bigint {
  return address.split(".").reduce((value, part) => (value << 8n) | BigInt(Number(part)), 0n);
}

/** An IPv6 address (any text form Node accepts, zone id dropped) as a 128-bit bigint. */
export function ipv6ToBigInt(address: string): bigint {
  let text = address.split("%")[0];
  let tail: number[] = [];
  const lastColon = text.lastIndexOf(":");
  if (text.slice(lastColon + 1).includes(".")) {
    const v4 = Number(ipv4ToBigInt(text.slice(lastColon + 1)));
    tail = [v4 >>> 16, v4 & 0xffff];
    text = text.slice(0, lastColon + 1);
    if (!text.endsWith("::")) text = text.slice(0, -1);
  }
  const [head, rest] = text.split("::");
  const left = head ? head.split(":").filter((s) => s !== "") : [];
  const right = rest !== undefined && rest !== "" ? rest.split(":").filter((s) => s !== "") : [];
  const groups = [...left.map((g) => Number.parseInt(g, 16))];
  const rightGroups = [...right.map((g) => Number.parseInt(g, 16)), ...tail];
  const missing = 8 - groups.length - rightGroups.length;
  if (rest !== undefined) for (let i = 0; i < missing; i++) groups.push(0);
  groups.push(...rightGroups);
  return groups.reduce((value, group) => (value << 16n) | BigInt(group), 0n);
}
