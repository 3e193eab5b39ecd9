/**
 * node:dns and node:dns/promises on the VM's resolver: `lookup` (getaddrinfo: localhost is the
 * VM's loopback, other names are resolved on the host) with family/all/order options. The
 * resolve* family answers A and AAAA records from the same lookup; other record types and
 * reverse lookups fail with ENOTIMP naming the query, since the VM has no DNS client.
 */
import { codedError, invalidArgType } from "../errors.ts";
import { hold, nextTick } from "../loop.ts";
import { isIP } from "./net/ip.ts";
import { netCall, netCallPromise, netError } from "./net/net-host.ts";

interface LookupAddress {
  address: string;
  family: 4 | 6;
}

interface LookupOptions {
  family?: number | string;
  all?: boolean;
  hints?: number;
  verbatim?: boolean;
  order?: "verbatim" | "ipv4first" | "ipv6first";
}

type LookupCallback = (
  error: Error | null,
  address?: string | LookupAddress[] | null,
  family?: number,
) => void;

let defaultOrder: "verbatim" | "ipv4first" | "ipv6first" = "verbatim";

function normalizeOptions(options: unknown): LookupOptions {
  if (options === undefined || options === null) return {};
  if (typeof options === "number") return { family: options };
  if (typeof options !== "object") throw invalidArgType("options", "of type object", options);
  const opts = options as LookupOptions;
  let family = opts.family;
  if (family === "IPv4") family = 4;
  else if (family === "IPv6") family = 6;
  if (family !== undefined && family !== 0 && family !== 4 && family !== 6)
    throw codedError(
      TypeError,
      "ERR_INVALID_ARG_VALUE",
      `The property 'options.family' must be one of: 0, 4, 6. Received ${String(opts.family)}`,
    );
  return { ...opts, family };
}

function order(list: LookupAddress[], options: LookupOptions): LookupAddress[] {
  const mode = options.order ?? (options.verbatim === false ? "ipv4first" : defaultOrder);
  if (mode === "verbatim") return list;
  const first = mode === "ipv4first" ? 4 : 6;
  return [...list.filter((a) => a.family === first), ...list.filter((a) => a.family !== first)];
}

function lookup(hostname: unknown, options: unknown, callback?: unknown): void {
  if (typeof options === "function") {
    callback = options;
    options = undefined;
  }
  if (hostname !== undefined && hostname !== null && typeof hostname !== "string")
    throw invalidArgType("hostname", "of type string", hostname);
  if (typeof callback !== "function")
    throw invalidArgType("callback", "of type function", callback);
  const cb = callback as LookupCallback;
  const opts = normalizeOptions(options);
  const family = Number(opts.family ?? 0);
  if (!hostname) {
    nextTick(() => (opts.all ? cb(null, []) : cb(null, null, family === 6 ? 6 : 4)));
    return;
  }
  const literal = isIP(hostname);
  if (literal) {
    nextTick(() =>
      opts.all ? cb(null, [{ address: hostname, family: literal }]) : cb(null, hostname, literal),
    );
    return;
  }
  // A pending lookup keeps the process alive, as getaddrinfo's request does in Node.
  const release = hold();
  netCall<LookupAddress[]>("net.lookup", [hostname, { family, all: true }], (error, addresses) => {
    release();
    if (error || !addresses) {
      cb(error ?? netError({ message: `getaddrinfo ENOTFOUND ${hostname}` }));
      return;
    }
    const list = order(addresses, opts);
    if (opts.all) cb(null, list);
    else cb(null, list[0].address, list[0].family);
  });
}

async function lookupPromise(hostname: unknown, options?: unknown): Promise<unknown> {
  return new Promise((resolve, reject) =>
    lookup(hostname, options, (error: Error | null, address?: unknown, family?: number) => {
      if (error) reject(error);
      else if (Array.isArray(address)) resolve(address);
      else resolve({ address, family });
    }),
  );
}

function queryError(syscall: string, code: string, hostname: string): Error {
  const error = new Error(`${syscall} ${code} ${hostname}`) as Error & Record<string, unknown>;
  error.errno = undefined;
  error.code = code;
  error.syscall = syscall;
  error.hostname = hostname;
  return error;
}

/** A and AAAA from the VM's resolver; the other record types are not available. */
async function resolveRecords(hostname: string, type: string, ttl: boolean): Promise<unknown[]> {
  if (typeof hostname !== "string") throw invalidArgType("name", "of type string", hostname);
  const rrtype = type.toUpperCase();
  const syscall = `query${rrtype === "AAAA" ? "Aaaa" : rrtype[0] + rrtype.slice(1).toLowerCase()}`;
  if (rrtype !== "A" && rrtype !== "AAAA") throw queryError(syscall, "ENOTIMP", hostname);
  const family = rrtype === "A" ? 4 : 6;
  let found: LookupAddress[];
  const release = hold();
  try {
    found = await netCallPromise<LookupAddress[]>("net.lookup", hostname, { family, all: true });
  } catch {
    throw queryError(syscall, "ENOTFOUND", hostname);
  } finally {
    release();
  }
  return found.map((entry) => (ttl ? { address: entry.address, ttl: 0 } : entry.address));
}

function resolveAny(hostname: string, rrtype: unknown = "A"): Promise<unknown[]> {
  if (typeof rrtype !== "string") throw invalidArgType("rrtype", "of type string", rrtype);
  return resolveRecords(hostname, rrtype, false);
}

function callbackify(
  run: (hostname: string, arg?: unknown) => Promise<unknown>,
): (...args: unknown[]) => void {
  return (...args: unknown[]) => {
    const callback = args.pop();
    if (typeof callback !== "function")
      throw invalidArgType("callback", "of type function", callback);
    run(args[0] as string, args[1]).then(
      (value) => (callback as (e: Error | null, v?: unknown) => void)(null, value),
      (error: Error) => (callback as (e: Error) => void)(error),
    );
  };
}

const RECORD_TYPES = ["Any", "Caa", "Cname", "Mx", "Naptr", "Ns", "Ptr", "Soa", "Srv", "Txt"];

function createPromisesApi(): Record<string, unknown> {
  const api: Record<string, unknown> = {
    lookup: lookupPromise,
    resolve: resolveAny,
    resolve4: (name: string, options?: { ttl?: boolean }) =>
      resolveRecords(name, "A", Boolean(options?.ttl)),
    resolve6: (name: string, options?: { ttl?: boolean }) =>
      resolveRecords(name, "AAAA", Boolean(options?.ttl)),
    reverse: async (ip: string) => {
      throw queryError("getHostByAddr", "ENOTIMP", ip);
    },
    lookupService: async (address: string, port: number) => {
      throw queryError("getnameinfo", "ENOTIMP", `${address}:${port}`);
    },
    getServers: () => [],
    setServers: (servers: unknown) => {
      if (!Array.isArray(servers)) throw invalidArgType("servers", "an instance of Array", servers);
    },
    setDefaultResultOrder: (value: "verbatim" | "ipv4first" | "ipv6first") => {
      defaultOrder = value;
    },
    getDefaultResultOrder: () => defaultOrder,
  };
  for (const type of RECORD_TYPES)
    api[`resolve${type}`] = (name: string) => resolveRecords(name, type, false);
  class Resolver {
    cancel(): void {}
    setLocalAddress(): void {}
  }
  Object.assign(Resolver.prototype, api);
  api.Resolver = Resolver;
  return api;
}

const ERROR_CODES = [
  "NODATA",
  "FORMERR",
  "SERVFAIL",
  "NOTFOUND",
  "NOTIMP",
  "REFUSED",
  "BADQUERY",
  "BADNAME",
  "BADFAMILY",
  "BADRESP",
  "CONNREFUSED",
  "TIMEOUT",
  "EOF",
  "FILE",
  "NOMEM",
  "DESTRUCTION",
  "BADSTR",
  "BADFLAGS",
  "NONAME",
  "BADHINTS",
  "NOTINITIALIZED",
  "LOADIPHLPAPI",
  "ADDRGETNETWORKPARAMS",
  "CANCELLED",
];

export function createDnsPromises(): unknown {
  const api = createPromisesApi();
  for (const code of ERROR_CODES) api[code] = `E${code}`;
  return api;
}

export function createDns(): unknown {
  const promises = createPromisesApi();
  const dns: Record<string, unknown> = {
    lookup,
    promises: createDnsPromises(),
    ADDRCONFIG: 1024,
    V4MAPPED: 2048,
    ALL: 256,
  };
  for (const [name, value] of Object.entries(promises)) {
    if (name === "lookup" || name === "Resolver") continue;
    if (
      ["getServers", "setServers", "setDefaultResultOrder", "getDefaultResultOrder"].includes(name)
    )
      dns[name] = value;
    else dns[name] = callbackify(value as (h: string, a?: unknown) => Promise<unknown>);
  }
  class Resolver {
    cancel(): void {}
    setLocalAddress(): void {}
  }
  for (const [name, value] of Object.entries(dns)) {
    if (typeof value === "function" && name.startsWith("resolve"))
      (Resolver.prototype as unknown as Record<string, unknown>)[name] = value;
  }
  dns.Resolver = Resolver;
  for (const code of ERROR_CODES) dns[code] = `E${code}`;
  return dns;
}
