/**
 * The network stack of one VM: TCP listeners and connections on the VM's own loopback (ports
 * belong to this VM alone), outbound connections through the egress policy to real host
 * sockets, and name resolution.
 *
 * Like the kernel, it is addressed by ids and takes and returns plain data: a listener is a
 * `listenerId`, a connection a `connId`. Every socket is owned by the pid that created (or
 * accepted) it, and `releaseProcess(pid)` — called when that process exits — closes them.
 */
import {
  familyOf,
  formatIp,
  type IpAddress,
  isLoopbackTarget,
  isUnspecified,
  parseIp,
} from "./address.ts";
import { DEFAULT_SOCKET_BUFFER_BYTES } from "./byte-channel.ts";
import type { Connection, ConnectionEnds, ConnectionInfo, SocketFamily } from "./connection.ts";
import { EgressPolicy, type EgressPolicyOptions } from "./egress-policy.ts";
import { connectHost } from "./host-connection.ts";
import { Listener } from "./listener.ts";
import { createLoopbackPair } from "./loopback-connection.ts";
import { NetworkError } from "./network-error.ts";
import { type NetworkEventHandler, NetworkEvents } from "./network-events.ts";
import {
  type HostResolver,
  type LookupOptions,
  type ResolvedAddress,
  Resolver,
} from "./resolver.ts";

export interface NetworkStackOptions {
  /** allow/deny lists, the onConnect callback and loopbackExemptPorts. */
  policy?: EgressPolicyOptions;
  /** Resolves names on the host (default: the host's getaddrinfo via node:dns). */
  resolve?: HostResolver;
  /** The VM's host name, which resolves to its loopback (127.0.1.1). */
  hostname?: string;
  /** Bytes each direction of a connection buffers before writers wait (default 128 KiB). */
  socketBufferBytes?: number;
  /** Most listeners plus connections open at once in the VM (default 4096); EMFILE beyond. */
  maxSockets?: number;
}

export interface ListenOptions {
  /** Address or name to bind (default "::", every loopback address, as Node's default). */
  host?: string;
  /** 0 picks a free ephemeral port. */
  port: number;
  /** Most completed connections waiting for accept (default 511, as Node's). */
  backlog?: number;
}

export interface ListenInfo {
  listenerId: number;
  address: string;
  port: number;
  family: SocketFamily;
}

export interface ConnectOptions {
  /** Name or address (default "localhost"). */
  host?: string;
  port: number;
  /** Gives up on a host connection after this long (ETIMEDOUT). */
  timeoutMs?: number;
  signal?: AbortSignal;
}

/** One socket, for listings (ss/netstat-like views, /proc/net). */
export type SocketInfo =
  | ({ kind: "listener"; pid: number; pending: number } & ListenInfo)
  | ({ kind: "connection"; pid: number; target: "vm" | "host" } & ConnectionInfo);

interface OpenConnection {
  connection: Connection;
  owner: number;
  target: "vm" | "host";
  /** The ephemeral port this (client) end holds on the VM loopback. */
  ephemeralPort?: number;
}

const EPHEMERAL_FIRST = 32768;
const EPHEMERAL_LAST = 60999;
const DEFAULT_BACKLOG = 511;
const DEFAULT_MAX_SOCKETS = 4096;

export class NetworkStack {
  readonly policy: EgressPolicy;
  readonly resolver: Resolver;
  readonly #events = new NetworkEvents();
  readonly #bufferBytes: number;
  readonly #maxSockets: number;
  readonly #listeners = new Map<number, Listener>();
  readonly #connections = new Map<number, OpenConnection>();
  readonly #owned = new Map<number, Set<number>>();
  /** Loopback ports held by client ends (listeners are found through #listeners). */
  readonly #clientPorts = new Set<number>();
  #nextId = 1;
  #nextEphemeral = EPHEMERAL_FIRST;
  #down = false;

  constructor(options: NetworkStackOptions = {}) {
    this.policy = new EgressPolicy(options.policy);
    this.resolver = new Resolver({ resolve: options.resolve, hostname: options.hostname });
    this.#bufferBytes = options.socketBufferBytes ?? DEFAULT_SOCKET_BUFFER_BYTES;
    this.#maxSockets = options.maxSockets ?? DEFAULT_MAX_SOCKETS;
  }

  /** Subscribes to listen/unlisten/connect/denied events; returns the unsubscribe function. */
  onEvent(handler: NetworkEventHandler): () => void {
    return this.#events.subscribe(handler);
  }

  // ---- listening ---------------------------------------------------------------------------

  /** Binds and listens. EADDRINUSE when a listener holds an overlapping address and port. */
  async listen(pid: number, options: ListenOptions): Promise<ListenInfo> {
    this.#checkUp("listen");
    const port = options.port ?? 0;
    if (!Number.isInteger(port) || port < 0 || port > 65535)
      throw new NetworkError("EINVAL", "listen", { detail: `port must be 0-65535, got ${port}` });
    const backlog = options.backlog ?? DEFAULT_BACKLOG;
    if (!Number.isInteger(backlog) || backlog < 0)
      throw new NetworkError("EINVAL", "listen", {
        detail: "backlog must be a non-negative integer",
      });
    const ip = await this.#bindAddress(options.host);
    const address = formatIp(ip);
    if (!isLoopbackTarget(ip)) throw new NetworkError("EADDRNOTAVAIL", "listen", { address, port });
    this.#checkRoom("listen");
    let bound = port;
    if (bound === 0) bound = this.#ephemeralPort((p) => !this.#bindConflict(address, p));
    else if (this.#bindConflict(address, bound))
      throw new NetworkError("EADDRINUSE", "listen", { address, port: bound });
    const listener = new Listener({
      id: this.#nextId++,
      owner: pid,
      address,
      port: bound,
      family: familyOf(ip),
      // A backlog of 0 still lets one connection wait, as Linux does.
      backlog: Math.max(1, backlog),
    });
    this.#listeners.set(listener.id, listener);
    this.#own(pid, listener.id);
    this.#events.emit({ type: "listen", pid, listenerId: listener.id, address, port: bound });
    return this.#listenInfo(listener);
  }

  async #bindAddress(host: string | undefined): Promise<IpAddress> {
    if (host === undefined || host === "") return parseIp("::")!;
    const literal = parseIp(host);
    if (literal) return literal;
    const [first] = await this.resolver.lookup(host);
    return parseIp(first.address)!;
  }

  /** Linux's rules with dual-stack sockets: "::" overlaps everything, "0.0.0.0" all IPv4. */
  #bindConflict(address: string, port: number): boolean {
    if (this.#clientPorts.has(port)) return true;
    for (const other of this.#listeners.values()) {
      if (other.port !== port || other.closed) continue;
      if (other.address === address || other.address === "::" || address === "::") return true;
      const v4 = !address.includes(":") && !other.address.includes(":");
      if (v4 && (other.address === "0.0.0.0" || address === "0.0.0.0")) return true;
    }
    return false;
  }

  /** The next completed connection of a listener; null once it is closed. */
  async accept(listenerId: number, signal?: AbortSignal): Promise<ConnectionInfo | null> {
    const listener = this.#listener(listenerId, "accept");
    const connection = await listener.accept(signal);
    if (!connection) return null;
    if (this.#down || !this.#listeners.has(listenerId)) {
      connection.close();
      return null;
    }
    return this.#register(listener.owner, connection, "vm");
  }

  closeListener(listenerId: number): void {
    const listener = this.#listener(listenerId, "close");
    listener.close();
    this.#listeners.delete(listenerId);
    this.#disown(listener.owner, listenerId);
    this.#events.emit({
      type: "unlisten",
      pid: listener.owner,
      listenerId,
      address: listener.address,
      port: listener.port,
    });
  }

  /** Whether a guest server listens on `port` (for `host`, default any loopback address). */
  isListening(port: number, host?: string): boolean {
    const targets = host === undefined ? ["127.0.0.1", "::1"] : [host];
    return targets.some((text) => {
      const ip = parseIp(text);
      return ip !== undefined && this.#findListener(ip, port) !== undefined;
    });
  }

  #findListener(target: IpAddress, port: number): Listener | undefined {
    const address = formatIp(target);
    const v4 = target.kind() === "ipv4";
    let wildcard: Listener | undefined;
    for (const listener of this.#listeners.values()) {
      if (listener.port !== port || listener.closed) continue;
      if (listener.address === address) return listener;
      if (listener.address === "::" || (v4 && listener.address === "0.0.0.0")) wildcard = listener;
    }
    return wildcard;
  }

  // ---- connecting --------------------------------------------------------------------------

  /**
   * Opens a connection as `pid`. Loopback addresses reach servers in this VM; with nothing
   * listening there, an exempt host port is reached on the host's loopback. Every other
   * address goes through the egress policy, then a real host socket. Each address the name
   * resolves to is tried in turn; the first address's error is thrown if none connects.
   */
  async connect(pid: number, options: ConnectOptions): Promise<ConnectionInfo> {
    this.#checkUp("connect");
    const host = options.host === undefined || options.host === "" ? "localhost" : options.host;
    const port = options.port;
    if (!Number.isInteger(port) || port < 1 || port > 65535)
      throw new NetworkError("EINVAL", "connect", { detail: `port must be 1-65535, got ${port}` });
    if (!this.resolver.answersLocally(host)) {
      const verdict = this.policy.checkName(host, port);
      if (verdict && !verdict.allowed) {
        this.#events.emit({ type: "denied", pid, host, port, reason: verdict.reason });
        throw new NetworkError("EACCES", "connect", {
          address: host,
          port,
          detail: `denied by the VM's network policy: ${verdict.reason}`,
        });
      }
    }
    const candidates = await this.resolver.lookup(host, { all: true });
    let firstError: Error | undefined;
    for (const candidate of candidates) {
      try {
        return await this.#connectTo(pid, host, candidate, port, options);
      } catch (err) {
        firstError ??= err as Error;
        if (options.signal?.aborted) break;
      }
    }
    throw firstError;
  }

  async #connectTo(
    pid: number,
    host: string,
    candidate: ResolvedAddress,
    port: number,
    options: ConnectOptions,
  ): Promise<ConnectionInfo> {
    let ip = parseIp(candidate.address)!;
    if (isLoopbackTarget(ip)) {
      // Linux connects the unspecified address to loopback.
      if (isUnspecified(ip)) ip = parseIp(ip.kind() === "ipv4" ? "127.0.0.1" : "::1")!;
      const local = this.#connectVm(pid, ip, port);
      if (local) {
        this.#events.emit({
          type: "connect",
          pid,
          host,
          address: formatIp(ip),
          port,
          target: "vm",
        });
        return local;
      }
    }
    const address = formatIp(ip);
    const verdict = await this.policy.check(pid, host, ip, port);
    if (!verdict.allowed) {
      this.#events.emit({ type: "denied", pid, host, address, port, reason: verdict.reason });
      if (isLoopbackTarget(ip)) {
        // To the guest this is its own loopback with nothing listening: refused, as Linux says.
        throw new NetworkError("ECONNREFUSED", "connect", {
          address,
          port,
          detail: `nothing listens on port ${port} in the VM (${verdict.reason})`,
        });
      }
      throw new NetworkError("EACCES", "connect", {
        address,
        port,
        detail: `denied by the VM's network policy: ${verdict.reason}`,
      });
    }
    this.#checkRoom("connect");
    const connection = await connectHost({
      address,
      port,
      timeoutMs: options.timeoutMs,
      signal: options.signal,
      capacity: this.#bufferBytes,
    });
    if (this.#down) {
      connection.close();
      throw new NetworkError("ENETDOWN", "connect", { address, port });
    }
    this.#events.emit({ type: "connect", pid, host, address, port, target: "host" });
    return this.#register(pid, connection, "host");
  }

  /**
   * Connects to a server in this VM only (no policy, never the host): what `vm.fetch` uses.
   * ECONNREFUSED when nothing listens there.
   */
  connectLoopback(pid: number, port: number, host = "127.0.0.1"): ConnectionInfo {
    this.#checkUp("connect");
    const ip = parseIp(host);
    if (!ip || !isLoopbackTarget(ip))
      throw new NetworkError("EINVAL", "connect", { detail: `${host} is not a loopback address` });
    const found = this.#connectVm(pid, ip, port) ?? this.#connectVm(pid, parseIp("::1")!, port);
    if (!found) throw new NetworkError("ECONNREFUSED", "connect", { address: formatIp(ip), port });
    return found;
  }

  #connectVm(pid: number, target: IpAddress, port: number): ConnectionInfo | undefined {
    const listener = this.#findListener(target, port);
    if (!listener) return undefined;
    this.#checkRoom("connect");
    const address = formatIp(target);
    const family = familyOf(target);
    const localPort = this.#ephemeralPort(
      (p) => !this.#clientPorts.has(p) && !this.#portListened(p),
    );
    const clientEnds: ConnectionEnds = {
      localAddress: address,
      localPort,
      remoteAddress: address,
      remotePort: port,
      family,
    };
    // A dual-stack ("::") server sees IPv4 peers as IPv4-mapped IPv6 addresses.
    const mapped = listener.family === "IPv6" && family === "IPv4";
    const serverAddress = mapped ? `::ffff:${address}` : address;
    const serverEnds: ConnectionEnds = {
      localAddress: serverAddress,
      localPort: port,
      remoteAddress: serverAddress,
      remotePort: localPort,
      family: mapped ? "IPv6" : family,
    };
    const { client, server } = createLoopbackPair(clientEnds, serverEnds, this.#bufferBytes);
    if (!listener.enqueue(server))
      throw new NetworkError("ECONNREFUSED", "connect", { address, port, detail: "backlog full" });
    this.#clientPorts.add(localPort);
    return this.#register(pid, client, "vm", localPort);
  }

  #portListened(port: number): boolean {
    for (const listener of this.#listeners.values()) if (listener.port === port) return true;
    return false;
  }

  /** A free port in Linux's default ephemeral range, taken round-robin. */
  #ephemeralPort(free: (port: number) => boolean): number {
    const span = EPHEMERAL_LAST - EPHEMERAL_FIRST + 1;
    for (let i = 0; i < span; i++) {
      const port = this.#nextEphemeral;
      this.#nextEphemeral = port === EPHEMERAL_LAST ? EPHEMERAL_FIRST : port + 1;
      if (free(port)) return port;
    }
    throw new NetworkError("EADDRNOTAVAIL", "bind", { detail: "no free ephemeral port" });
  }

  // ---- data --------------------------------------------------------------------------------

  /** Up to `max` bytes; null at EOF. */
  async read(connId: number, max = 65536, signal?: AbortSignal): Promise<Uint8Array | null> {
    return this.#connection(connId, "read").connection.read(max, signal);
  }

  /** Resolves once all of `data` sits in the connection's bounded send buffer. */
  async write(connId: number, data: Uint8Array, signal?: AbortSignal): Promise<void> {
    return this.#connection(connId, "write").connection.write(data, signal);
  }

  /** Half-close (FIN): the peer reads EOF; this side can still read. */
  shutdown(connId: number): void {
    this.#connection(connId, "shutdown").connection.shutdown();
  }

  close(connId: number): void {
    const open = this.#connection(connId, "close");
    open.connection.close();
    this.#connections.delete(connId);
    this.#disown(open.owner, connId);
    if (open.ephemeralPort !== undefined) this.#clientPorts.delete(open.ephemeralPort);
  }

  /** The addresses of a connection. */
  connectionInfo(connId: number): ConnectionInfo {
    return { connId, ...this.#connection(connId, "getsockname").connection.ends };
  }

  /** The owner pid of a listener or connection, or undefined when the id is not open. */
  ownerOf(id: number): number | undefined {
    return this.#listeners.get(id)?.owner ?? this.#connections.get(id)?.owner;
  }

  // ---- names -------------------------------------------------------------------------------

  /** Resolves a name (no policy: the policy judges addresses at connect time). */
  async lookup(
    _pid: number,
    hostname: string,
    options: LookupOptions = {},
  ): Promise<ResolvedAddress[]> {
    return this.resolver.lookup(hostname, options);
  }

  // ---- lifetime ----------------------------------------------------------------------------

  /** Closes every socket `pid` owns (its process exited). */
  releaseProcess(pid: number): void {
    const ids = this.#owned.get(pid);
    if (!ids) return;
    for (const id of [...ids]) {
      if (this.#listeners.has(id)) this.closeListener(id);
      else if (this.#connections.has(id)) this.close(id);
    }
    this.#owned.delete(pid);
  }

  /** Closes everything and refuses new sockets (the VM is disposed). */
  shutdownAll(): void {
    this.#down = true;
    for (const id of [...this.#listeners.keys()]) this.closeListener(id);
    for (const id of [...this.#connections.keys()]) this.close(id);
  }

  /** Every open socket, as plain data. */
  sockets(): SocketInfo[] {
    const out: SocketInfo[] = [];
    for (const listener of this.#listeners.values()) {
      out.push({
        kind: "listener",
        pid: listener.owner,
        pending: listener.pending,
        ...this.#listenInfo(listener),
      });
    }
    for (const [connId, open] of this.#connections) {
      out.push({
        kind: "connection",
        pid: open.owner,
        target: open.target,
        connId,
        ...open.connection.ends,
      });
    }
    return out;
  }

  // ---- bookkeeping -------------------------------------------------------------------------

  #register(
    pid: number,
    connection: Connection,
    target: "vm" | "host",
    ephemeralPort?: number,
  ): ConnectionInfo {
    const connId = this.#nextId++;
    this.#connections.set(connId, { connection, owner: pid, target, ephemeralPort });
    this.#own(pid, connId);
    return { connId, ...connection.ends };
  }

  #listenInfo(listener: Listener): ListenInfo {
    return {
      listenerId: listener.id,
      address: listener.address,
      port: listener.port,
      family: listener.family,
    };
  }

  #own(pid: number, id: number): void {
    let ids = this.#owned.get(pid);
    if (!ids) this.#owned.set(pid, (ids = new Set()));
    ids.add(id);
  }

  #disown(pid: number, id: number): void {
    const ids = this.#owned.get(pid);
    ids?.delete(id);
    if (ids?.size === 0) this.#owned.delete(pid);
  }

  #listener(id: number, syscall: string): Listener {
    const listener = this.#listeners.get(id);
    if (!listener) throw new NetworkError("EBADF", syscall, { detail: `no listener ${id}` });
    return listener;
  }

  #connection(id: number, syscall: string): OpenConnection {
    const open = this.#connections.get(id);
    if (!open) throw new NetworkError("EBADF", syscall, { detail: `no connection ${id}` });
    return open;
  }

  #checkUp(syscall: string): void {
    if (this.#down) throw new NetworkError("ENETDOWN", syscall, { detail: "the VM is shut down" });
  }

  #checkRoom(syscall: string): void {
    if (this.#listeners.size + this.#connections.size >= this.#maxSockets)
      throw new NetworkError("EMFILE", syscall, {
        detail: `socket limit reached (${this.#maxSockets})`,
      });
  }
}
