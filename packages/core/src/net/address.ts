/**
 * IP address helpers over `ipaddr.js`: literal detection, normalisation (IPv4-mapped IPv6
 * becomes IPv4, so `::ffff:10.0.0.1` is judged as 10.0.0.1), the VM loopback test, and the
 * special-purpose range an address belongs to.
 */
import { isIP } from "node:net";
import ipaddr from "ipaddr.js";
import type { SocketFamily } from "./connection.ts";

export type IpAddress = ipaddr.IPv4 | ipaddr.IPv6;

/** The parsed address when `text` is a numeric IPv4/IPv6 literal (strictly, as net.isIP). */
export function parseIp(text: string): IpAddress | undefined {
  const bare = text.startsWith("[") && text.endsWith("]") ? text.slice(1, -1) : text;
  if (isIP(bare) === 0) return undefined;
  return ipaddr.process(bare);
}

/** Canonical text of an address (IPv4 dotted quad, IPv6 RFC 5952 short form). */
export function formatIp(address: IpAddress): string {
  return address.kind() === "ipv4"
    ? address.toString()
    : (address as ipaddr.IPv6).toRFC5952String();
}

export function familyOf(address: IpAddress): SocketFamily {
  return address.kind() === "ipv4" ? "IPv4" : "IPv6";
}

/** 127.0.0.0/8 and ::1 (and the unspecified addresses, which Linux connects to loopback). */
export function isLoopbackTarget(address: IpAddress): boolean {
  const range = address.range();
  return range === "loopback" || range === "unspecified";
}

export function isUnspecified(address: IpAddress): boolean {
  return address.range() === "unspecified";
}

/** Why an address is off limits by default, or undefined for a public unicast address. */
export function specialRange(address: IpAddress): string | undefined {
  if (address.kind() === "ipv4") return ipv4Range(address as ipaddr.IPv4);
  const v6 = address as ipaddr.IPv6;
  switch (v6.range() as string) {
    case "unspecified":
      return "the unspecified address";
    case "loopback":
      return "the host's loopback";
    case "linkLocal":
      return "a link-local address (fe80::/10)";
    case "uniqueLocal":
      return "a unique local address (fc00::/7)";
    case "deprecatedSiteLocal":
      return "a site-local address (fec0::/10)";
    case "multicast":
      return "a multicast address";
    case "discard":
      return "a discard-only address (100::/64)";
    case "teredo":
      return "a Teredo tunnel address";
    case "rfc6052":
    case "6to4": {
      // These embed an IPv4 address; judge the embedded one (NAT64 of 10.x is still 10.x).
      const embedded = embeddedIpv4(v6);
      const inner = embedded && ipv4Range(embedded);
      return inner ? `${inner} (embedded in ${v6.toRFC5952String()})` : undefined;
    }
    default:
      return undefined;
  }
}

function ipv4Range(address: ipaddr.IPv4): string | undefined {
  switch (address.range() as string) {
    case "unspecified":
      return "an unspecified address (0.0.0.0/8)";
    case "broadcast":
      return "the broadcast address";
    case "multicast":
      return "a multicast address";
    case "linkLocal":
      return "a link-local address (169.254.0.0/16, where cloud metadata services live)";
    case "loopback":
      return "the host's loopback";
    case "carrierGradeNat":
      return "a carrier-grade NAT address (RFC 6598)";
    case "private":
      return "a private address (RFC 1918)";
    case "reserved":
      return "a reserved address";
    default:
      return undefined;
  }
}

function embeddedIpv4(address: ipaddr.IPv6): ipaddr.IPv4 | undefined {
  const parts = address.parts;
  if (address.range() === "6to4")
    return new ipaddr.IPv4([parts[1] >> 8, parts[1] & 0xff, parts[2] >> 8, parts[2] & 0xff]);
  if (address.range() === "rfc6052")
    return new ipaddr.IPv4([parts[6] >> 8, parts[6] & 0xff, parts[7] >> 8, parts[7] & 0xff]);
  return undefined;
}
