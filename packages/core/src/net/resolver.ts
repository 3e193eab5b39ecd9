/**
 * Name resolution for the VM, free of policy (the policy judges the address at connect
 * time): numeric addresses stand for themselves, `localhost` (and `*.localhost`, as systemd
 * and browsers do) and the VM's own host name are its loopback, and every other name is asked
 * of the host's resolver.
 */
import { lookup as dnsLookup } from "node:dns/promises";
import { formatIp, parseIp } from "./address.ts";
import { NetworkError } from "./network-error.ts";
import { normalizeHostName } from "./network-rule.ts";

export interface ResolvedAddress {
  address: string;
  family: 4 | 6;
}

/** Resolves a name on the host; rejects with an error carrying a getaddrinfo code. */
export type HostResolver = (hostname: string) => Promise<ResolvedAddress[]>;

export interface LookupOptions {
  /** 4 or 6 to keep only that family; 0 (default) for both. */
  family?: 0 | 4 | 6;
  /** All addresses (default: only the first). */
  all?: boolean;
}

export const hostDnsResolver: HostResolver = async (hostname) => {
  const found = await dnsLookup(hostname, { all: true, order: "verbatim" });
  return found.map((entry) => ({ address: entry.address, family: entry.family === 6 ? 6 : 4 }));
};

const LOOPBACK: ResolvedAddress[] = [
  { address: "127.0.0.1", family: 4 },
  { address: "::1", family: 6 },
];
const LOCAL_NAMES = new Set([
  "localhost",
  "ip6-localhost",
  "ip6-loopback",
  "localhost.localdomain",
]);
const NAME = /^[A-Za-z0-9_]([A-Za-z0-9_.-]{0,251}[A-Za-z0-9_.])?$/;

export class Resolver {
  readonly #resolve: HostResolver;
  readonly #hostname: string | undefined;

  constructor(options: { resolve?: HostResolver; hostname?: string } = {}) {
    this.#resolve = options.resolve ?? hostDnsResolver;
    this.#hostname = options.hostname && normalizeHostName(options.hostname);
  }

  /** True when `hostname` is an address or a name answered without asking the host's DNS. */
  answersLocally(hostname: string): boolean {
    if (parseIp(hostname)) return true;
    const name = normalizeHostName(hostname);
    return LOCAL_NAMES.has(name) || name.endsWith(".localhost") || name === this.#hostname;
  }

  async lookup(hostname: string, options: LookupOptions = {}): Promise<ResolvedAddress[]> {
    const family = options.family ?? 0;
    const found = (await this.#candidates(hostname)).filter(
      (entry) => family === 0 || entry.family === family,
    );
    if (found.length === 0) throw new NetworkError("ENOTFOUND", "getaddrinfo", { hostname });
    return options.all ? found : [found[0]];
  }

  async #candidates(hostname: string): Promise<ResolvedAddress[]> {
    if (typeof hostname !== "string")
      throw new NetworkError("EINVAL", "getaddrinfo", { hostname: String(hostname) });
    const literal = parseIp(hostname);
    if (literal) {
      return [{ address: formatIp(literal), family: literal.kind() === "ipv4" ? 4 : 6 }];
    }
    const name = normalizeHostName(hostname);
    if (LOCAL_NAMES.has(name) || name.endsWith(".localhost")) {
      return name.startsWith("ip6-") ? [LOOPBACK[1]] : LOOPBACK;
    }
    // /etc/hosts in the image maps the VM's name to 127.0.1.1, as Debian does.
    if (this.#hostname !== undefined && name === this.#hostname)
      return [{ address: "127.0.1.1", family: 4 }];
    if (!NAME.test(hostname) || name.split(".").some((label) => label.length > 63))
      throw new NetworkError("ENOTFOUND", "getaddrinfo", { hostname });
    try {
      return await this.#resolve(hostname);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException)?.code;
      throw new NetworkError(
        code === "EAI_AGAIN" || code === "ETIMEOUT" ? "EAI_AGAIN" : "ENOTFOUND",
        "getaddrinfo",
        { hostname },
      );
    }
  }
}
