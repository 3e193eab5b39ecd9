/** net.BlockList and net.SocketAddress: address, range and subnet rules, checked numerically. */
import { codedError, invalidArgType } from "../../errors.ts";
import { ipv4ToBigInt, ipv6ToBigInt, isIPv4, isIPv6 } from "./ip.ts";

type Family = "ipv4" | "ipv6";

interface Rule {
  family: Family;
  low: bigint;
  high: bigint;
  text: string;
}

function familyOf(value: unknown): Family {
  const family = value === undefined ? "ipv4" : String(value).toLowerCase();
  if (family !== "ipv4" && family !== "ipv6")
    throw codedError(
      TypeError,
      "ERR_INVALID_ARG_VALUE",
      `The argument 'family' must be one of: 'ipv4', 'ipv6'. Received '${String(value)}'`,
    );
  return family;
}

function toNumber(address: unknown, family: Family, name: string): bigint {
  if (address instanceof SocketAddress) return toNumber(address.address, address.family, name);
  if (typeof address !== "string") throw invalidArgType(name, "of type string", address);
  if (family === "ipv4" && isIPv4(address)) return ipv4ToBigInt(address);
  if (family === "ipv6" && isIPv6(address)) return ipv6ToBigInt(address);
  throw codedError(TypeError, "ERR_INVALID_ADDRESS", "Invalid socket address");
}

const MAPPED_PREFIX = 0xffffn << 32n;

export class BlockList {
  readonly #rules: Rule[] = [];

  addAddress(address: unknown, family?: unknown): void {
    const f = address instanceof SocketAddress ? address.family : familyOf(family);
    const value = toNumber(address, f, "address");
    const text = address instanceof SocketAddress ? address.address : String(address);
    this.#rules.unshift({
      family: f,
      low: value,
      high: value,
      text: `Address: ${label(f)} ${text}`,
    });
  }

  addRange(start: unknown, end: unknown, family?: unknown): void {
    const f = start instanceof SocketAddress ? start.family : familyOf(family);
    const low = toNumber(start, f, "start");
    const high = toNumber(end, f, "end");
    if (low > high)
      throw codedError(
        RangeError,
        "ERR_OUT_OF_RANGE",
        `The value of "start" is out of range. It must be <= end. Received ${String(start)}`,
      );
    this.#rules.unshift({ family: f, low, high, text: `Range: ${label(f)} ${start}-${end}` });
  }

  addSubnet(network: unknown, prefix: unknown, family?: unknown): void {
    const f = network instanceof SocketAddress ? network.family : familyOf(family);
    const bits = f === "ipv4" ? 32 : 128;
    if (typeof prefix !== "number" || !Number.isInteger(prefix) || prefix < 0 || prefix > bits)
      throw codedError(
        RangeError,
        "ERR_OUT_OF_RANGE",
        `The value of "prefix" is out of range. It must be >= 0 && <= ${bits}. Received ${String(prefix)}`,
      );
    const value = toNumber(network, f, "net");
    const hostBits = BigInt(bits - prefix);
    const low = (value >> hostBits) << hostBits;
    const high = low | ((1n << hostBits) - 1n);
    const text = network instanceof SocketAddress ? network.address : String(network);
    this.#rules.unshift({ family: f, low, high, text: `Subnet: ${label(f)} ${text}/${prefix}` });
  }

  check(address: unknown, family?: unknown): boolean {
    const f = address instanceof SocketAddress ? address.family : familyOf(family);
    let value: bigint;
    try {
      value = toNumber(address, f, "address");
    } catch (error) {
      if ((error as { code?: string }).code === "ERR_INVALID_ADDRESS") return false;
      throw error;
    }
    return this.#rules.some((rule) => {
      if (rule.family === f) return value >= rule.low && value <= rule.high;
      // IPv4 rules also match IPv4-mapped IPv6 addresses and the other way round, as Node's.
      if (f === "ipv6" && (value >> 32n) << 32n === MAPPED_PREFIX) {
        const v4 = value & 0xffffffffn;
        return v4 >= rule.low && v4 <= rule.high;
      }
      if (f === "ipv4" && rule.family === "ipv6") {
        const mapped = MAPPED_PREFIX | value;
        return mapped >= rule.low && mapped <= rule.high;
      }
      return false;
    });
  }

  get rules(): string[] {
    return this.#rules.map((rule) => rule.text);
  }

  static isBlockList(value: unknown): boolean {
    return value instanceof BlockList;
  }
}

function label(family: Family): string {
  return family === "ipv4" ? "IPv4" : "IPv6";
}

export class SocketAddress {
  readonly address: string;
  readonly port: number;
  readonly family: Family;
  readonly flowlabel: number;

  constructor(
    options: { address?: string; port?: number; family?: string; flowlabel?: number } = {},
  ) {
    this.family = familyOf(options.family);
    this.address = options.address ?? (this.family === "ipv4" ? "127.0.0.1" : "::");
    this.port = options.port ?? 0;
    this.flowlabel = options.flowlabel ?? 0;
    const valid = this.family === "ipv4" ? isIPv4(this.address) : isIPv6(this.address);
    if (!valid) throw codedError(TypeError, "ERR_INVALID_ADDRESS", "Invalid socket address");
  }

  static isSocketAddress(value: unknown): boolean {
    return value instanceof SocketAddress;
  }

  static parse(input: string): SocketAddress | undefined {
    const match = /^\[([^\]]+)\](?::(\d+))?$|^([^:]+)(?::(\d+))?$/.exec(input);
    if (!match) return undefined;
    const address = match[1] ?? match[3];
    const port = Number(match[2] ?? match[4] ?? 0);
    try {
      return new SocketAddress({ address, port, family: isIPv6(address) ? "ipv6" : "ipv4" });
    } catch {
      return undefined;
    }
  }

  toJSON(): object {
    return {
      address: this.address,
      port: this.port,
      family: this.family,
      flowlabel: this.flowlabel,
    };
  }
}
