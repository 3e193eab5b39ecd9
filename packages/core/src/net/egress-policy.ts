/**
 * The VM's egress policy: whether guest code may open a connection that leaves the VM. The
 * checks, in order (the first that decides wins):
 *
 * 1. `deny` entries: a match denies.
 * 2. The host's loopback (127.0.0.0/8, ::1) — reached only when nothing in the VM listens on
 *    the port — is allowed for `loopbackExemptPorts` and addresses an `allow` address/CIDR
 *    entry names explicitly; everything else there is denied.
 * 3. When an `allow` list is given, the destination must match one of its entries.
 * 4. Special-purpose ranges — private (RFC 1918), carrier-grade NAT, unique local, link-local
 *    (169.254/16 with cloud metadata at 169.254.169.254, fe80::/10), multicast, reserved —
 *    are denied unless an `allow` address/CIDR entry covers the address ("*" and host names
 *    do not: a public name resolving to 10.x is still denied).
 * 5. `onConnect(request)`: the host's last word; false (or a throw) denies.
 */
import { formatIp, type IpAddress, specialRange } from "./address.ts";
import {
  type NetworkRule,
  normalizeHostName,
  parseNetworkRule,
  ruleMatches,
} from "./network-rule.ts";

/** What `onConnect` is asked about. */
export interface ConnectRequest {
  /** The pid of the guest process connecting. */
  pid: number;
  /** The host as the guest gave it (a name or an address). */
  host: string;
  /** The numeric address about to be connected to. */
  address: string;
  port: number;
}

export type ConnectCallback = (request: ConnectRequest) => boolean | Promise<boolean>;

export interface EgressPolicyOptions {
  allow?: string[];
  deny?: string[];
  onConnect?: ConnectCallback;
  loopbackExemptPorts?: number[];
}

export type PolicyDecision = { allowed: true } | { allowed: false; reason: string };

const ALLOWED: PolicyDecision = { allowed: true };

export class EgressPolicy {
  readonly #allow: NetworkRule[] | undefined;
  readonly #deny: NetworkRule[];
  readonly #onConnect: ConnectCallback | undefined;
  readonly #exemptPorts: ReadonlySet<number>;

  constructor(options: EgressPolicyOptions = {}) {
    this.#allow = options.allow?.map(parseNetworkRule);
    this.#deny = (options.deny ?? []).map(parseNetworkRule);
    this.#onConnect = options.onConnect;
    this.#exemptPorts = new Set(options.loopbackExemptPorts ?? []);
  }

  /**
   * The check that needs no DNS: a `deny` entry naming the host (so a denied name is not even
   * looked up). Undefined when the name alone does not decide.
   */
  checkName(host: string, port: number): PolicyDecision | undefined {
    const name = normalizeHostName(host);
    const rule = this.#deny.find((r) => r.kind === "name" && ruleMatches(r, { name, port }));
    return rule ? denied(`it matches permissions.network.deny entry "${rule.source}"`) : undefined;
  }

  /** Decides on a connection to `address` (already resolved from `host`). */
  async check(
    pid: number,
    host: string,
    address: IpAddress,
    port: number,
  ): Promise<PolicyDecision> {
    const fixed = this.checkStatic(host, address, port);
    if (!fixed.allowed || !this.#onConnect) return fixed;
    const request: ConnectRequest = { pid, host, address: formatIp(address), port };
    let verdict: boolean;
    try {
      verdict = (await this.#onConnect(request)) === true;
    } catch (err) {
      return denied(`permissions.network.onConnect threw: ${(err as Error)?.message ?? err}`);
    }
    return verdict ? ALLOWED : denied("permissions.network.onConnect refused it");
  }

  /** Steps 1-4 (everything but the callback). */
  checkStatic(host: string, address: IpAddress, port: number): PolicyDecision {
    const target = {
      name: isAddressText(host) ? undefined : normalizeHostName(host),
      address,
      port,
    };
    const text = formatIp(address);
    const deny = this.#deny.find((r) => ruleMatches(r, target));
    if (deny) return denied(`it matches permissions.network.deny entry "${deny.source}"`);
    const namedAddress = this.#allow?.find((r) => r.kind === "address" && ruleMatches(r, target));
    const range = specialRange(address);
    if (range === "the host's loopback") {
      if (this.#exemptPorts.has(port) || namedAddress) return ALLOWED;
      return denied(`host loopback port ${port} is not in loopbackExemptPorts`);
    }
    if (this.#allow && !this.#allow.some((r) => ruleMatches(r, target)))
      return denied(
        `${host === text ? text : `${host} (${text})`} is not in permissions.network.allow`,
      );
    if (range && !namedAddress)
      return denied(
        `${text} is ${range}; allow it with a permissions.network.allow address or CIDR entry`,
      );
    return ALLOWED;
  }
}

function denied(reason: string): PolicyDecision {
  return { allowed: false, reason };
}

function isAddressText(host: string): boolean {
  return /^[\d.]+$/.test(host) || host.includes(":");
}
