/**
 * One entry of `permissions.network.allow` / `deny`. The forms:
 *
 *   "*"                       every destination
 *   "example.com"             that host name (case-insensitive, trailing dot ignored)
 *   "*.example.com"           any name under example.com (not example.com itself)
 *   "203.0.113.7", "2001:db8::1"           one address
 *   "10.0.0.0/8", "fd00::/8"               an address range (CIDR)
 *   any of the above + ":port"             only that port; IPv6 forms take brackets
 *                                          ("[2001:db8::1]:443", "[fd00::/8]:5432"); "*:443"
 *
 * Name patterns match the name the guest asked for; address and CIDR entries match the
 * address actually connected to (after DNS), so a name cannot smuggle in an address.
 */
import { isIP } from "node:net";
import ipaddr from "ipaddr.js";
import type { IpAddress } from "./address.ts";

export interface NetworkRule {
  /** The entry as the user wrote it (for messages). */
  readonly source: string;
  readonly kind: "any" | "name" | "address";
  /** Name patterns: the exact name, or the suffix after "*." (with its leading dot). */
  readonly name?: string;
  readonly wildcard?: boolean;
  /** Address entries: the network and prefix length (a single address has the full length). */
  readonly network?: IpAddress;
  readonly prefix?: number;
  /** undefined: any port. */
  readonly port?: number;
}

/** What a rule is matched against. */
export interface RuleTarget {
  /** The name the guest asked for, normalised; undefined when it gave an address. */
  name?: string;
  address?: IpAddress;
  port: number;
}

const LABEL = /^[a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?$/;

/** Parses an entry; throws a TypeError naming it when it is malformed. */
export function parseNetworkRule(entry: string): NetworkRule {
  const fail = (why: string): never => {
    throw new TypeError(`invalid network rule ${JSON.stringify(entry)}: ${why}`);
  };
  const text = entry.trim();
  if (text === "") fail("empty");
  let host = text;
  let port: number | undefined;
  if (text.startsWith("[")) {
    const close = text.indexOf("]");
    if (close < 0) fail("missing ']'");
    host = text.slice(1, close);
    const rest = text.slice(close + 1);
    if (rest !== "") {
      if (!rest.startsWith(":")) fail("expected ':port' after ']'");
      port = parsePort(rest.slice(1), fail);
    }
    if (!host.includes(":")) fail("brackets are for IPv6 addresses");
  } else if (!isIP(text) && !ipaddr.isValidCIDR(text)) {
    // The last ':' separates a port, unless the whole entry is an IPv6 address or range.
    const colon = text.lastIndexOf(":");
    if (colon >= 0) {
      host = text.slice(0, colon);
      port = parsePort(text.slice(colon + 1), fail);
      if (host.includes(":")) fail("write IPv6 addresses with a port as [address]:port");
    }
  }
  if (host === "*") return { source: entry, kind: "any", port };
  if (host.includes("/")) {
    if (!ipaddr.isValidCIDR(host)) fail("not a valid CIDR range");
    const [network, prefix] = ipaddr.parseCIDR(host);
    return {
      source: entry,
      kind: "address",
      network: unmap(network),
      prefix: unmapPrefix(network, prefix),
      port,
    };
  }
  if (isIP(host)) {
    const address = ipaddr.parse(host);
    const prefix = address.kind() === "ipv4" ? 32 : 128;
    return {
      source: entry,
      kind: "address",
      network: unmap(address),
      prefix: unmapPrefix(address, prefix),
      port,
    };
  }
  let name = host.toLowerCase().replace(/\.$/, "");
  let wildcard = false;
  if (name.startsWith("*.")) {
    wildcard = true;
    name = name.slice(1);
  }
  const labels = (wildcard ? name.slice(1) : name).split(".");
  if (name.includes("*")) fail("'*' is only allowed as a leading '*.' label");
  if (!labels.every((label) => LABEL.test(label))) fail("not a host name, address or CIDR range");
  return { source: entry, kind: "name", name, wildcard, port };
}

function parsePort(text: string, fail: (why: string) => never): number | undefined {
  if (text === "*") return undefined;
  if (!/^\d{1,5}$/.test(text)) fail(`bad port ${JSON.stringify(text)}`);
  const port = Number(text);
  if (port < 1 || port > 65535) fail(`port ${port} out of range`);
  return port;
}

/** IPv4-mapped IPv6 entries (::ffff:10.0.0.0/104) are stored as IPv4, as targets are. */
function unmap(address: IpAddress): IpAddress {
  if (address.kind() === "ipv6" && (address as ipaddr.IPv6).isIPv4MappedAddress())
    return (address as ipaddr.IPv6).toIPv4Address();
  return address;
}

function unmapPrefix(address: IpAddress, prefix: number): number {
  if (address.kind() === "ipv6" && (address as ipaddr.IPv6).isIPv4MappedAddress())
    return Math.max(0, prefix - 96);
  return prefix;
}

export function ruleMatches(rule: NetworkRule, target: RuleTarget): boolean {
  if (rule.port !== undefined && rule.port !== target.port) return false;
  switch (rule.kind) {
    case "any":
      return true;
    case "name": {
      if (target.name === undefined) return false;
      if (!rule.wildcard) return target.name === rule.name;
      return target.name.endsWith(rule.name!) && target.name.length > rule.name!.length;
    }
    case "address": {
      const address = target.address;
      if (!address || address.kind() !== rule.network!.kind()) return false;
      return address.match(rule.network!, rule.prefix!);
    }
  }
}

/** The host name as rules see it: lower case, no trailing dot. */
export function normalizeHostName(name: string): string {
  return name.toLowerCase().replace(/\.$/, "");
}
