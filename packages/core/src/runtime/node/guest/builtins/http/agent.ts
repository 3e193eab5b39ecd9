/**
 * http.Agent: hands sockets to client requests, one pool per origin (`host:port:localAddress`).
 * With keepAlive, a socket whose response ended goes to `freeSockets` unref'ed (it no longer
 * keeps the process alive) and is reused by the next request to the same origin; without it,
 * the connection closes after its response (Connection: close). Node 24's globalAgent keeps
 * connections alive, with a 5 s free-socket timeout.
 */
import { EventEmitter } from "events";
import type { Socket } from "../net/socket.ts";
import { createConnection } from "../net.ts";

export interface AgentOptions {
  keepAlive?: boolean;
  keepAliveMsecs?: number;
  maxSockets?: number;
  maxTotalSockets?: number;
  maxFreeSockets?: number;
  scheduling?: "fifo" | "lifo";
  timeout?: number;
  [key: string]: unknown;
}

export interface RequestLike {
  onSocket(socket: Socket, reused: boolean): void;
  destroy(error?: Error): unknown;
  reusedSocket: boolean;
}

export interface ConnectionOptions {
  host?: string;
  port?: number | string;
  localAddress?: string;
  family?: number;
  servername?: string;
  [key: string]: unknown;
}

type Pools = Record<string, Socket[]>;

export class Agent extends EventEmitter {
  defaultPort = 80;
  protocol = "http:";
  readonly options: AgentOptions;
  keepAlive: boolean;
  keepAliveMsecs: number;
  maxSockets: number;
  maxFreeSockets: number;
  maxTotalSockets: number;
  scheduling: "fifo" | "lifo";
  readonly requests: Record<string, Array<{ req: RequestLike; options: ConnectionOptions }>> = {};
  readonly sockets: Pools = {};
  readonly freeSockets: Pools = {};
  totalSocketCount = 0;

  constructor(options: AgentOptions = {}) {
    super();
    this.options = { __proto__: null, ...options, path: null } as AgentOptions;
    this.keepAlive = options.keepAlive ?? false;
    this.keepAliveMsecs = options.keepAliveMsecs ?? 1000;
    this.maxSockets = options.maxSockets ?? Number.POSITIVE_INFINITY;
    this.maxFreeSockets = options.maxFreeSockets ?? 256;
    this.maxTotalSockets = options.maxTotalSockets ?? Number.POSITIVE_INFINITY;
    this.scheduling = options.scheduling ?? "lifo";
  }

  getName(options: ConnectionOptions = {}): string {
    let name = options.host || "localhost";
    name += ":";
    if (options.port) name += options.port;
    name += ":";
    if (options.localAddress) name += options.localAddress;
    if (options.family === 4 || options.family === 6) name += `:${options.family}`;
    return name;
  }

  addRequest(req: RequestLike, options: ConnectionOptions): void {
    const connectOptions = this.#connectionDefaults(options);
    const name = this.getName(connectOptions);
    const free = this.freeSockets[name];
    while (free && free.length > 0) {
      const socket = this.scheduling === "lifo" ? free.pop() : free.shift();
      if (free.length === 0) delete this.freeSockets[name];
      if (!socket || socket.destroyed) continue;
      this.#pool(this.sockets, name).push(socket);
      this.reuseSocket(socket, req);
      req.onSocket(socket, true);
      return;
    }
    const active = this.sockets[name]?.length ?? 0;
    if (active < this.maxSockets && this.totalSocketCount < this.maxTotalSockets) {
      this.#create(req, connectOptions, name);
      return;
    }
    let queue = this.requests[name];
    if (!queue) this.requests[name] = queue = [];
    queue.push({ req, options: connectOptions });
  }

  /** As Node's: the agent's own options win (its `path: null` drops the request's path). */
  #connectionDefaults(options: ConnectionOptions): ConnectionOptions {
    return { ...options, ...(this.options as ConnectionOptions) };
  }

  #create(req: RequestLike, options: ConnectionOptions, name: string): void {
    let socket: Socket;
    try {
      socket = this.createConnection(options);
    } catch (error) {
      req.destroy(error as Error);
      return;
    }
    this.totalSocketCount++;
    this.#pool(this.sockets, name).push(socket);
    socket.once("close", () => this.#remove(socket, name));
    socket.on("timeout", () => {
      if (this.freeSockets[name]?.includes(socket)) socket.destroy();
    });
    // An idle (free) connection may fail; that must not be an uncaught error.
    socket.on("error", () => {});
    if (this.options.timeout !== undefined && !socket.timeout)
      socket.setTimeout(this.options.timeout as number);
    req.onSocket(socket, false);
  }

  createConnection(options: ConnectionOptions): Socket {
    return createConnection(options);
  }

  keepSocketAlive(socket: Socket): boolean {
    socket.setKeepAlive(true, this.keepAliveMsecs);
    socket.unref();
    return true;
  }

  reuseSocket(socket: Socket, req: RequestLike): void {
    req.reusedSocket = true;
    socket.ref();
  }

  /** A request is done with `socket` and the connection may carry another one. */
  releaseSocket(socket: Socket, options: ConnectionOptions): void {
    const name = this.getName(this.#connectionDefaults(options));
    const queue = this.requests[name];
    if (queue && queue.length > 0) {
      const next = queue.shift();
      if (queue.length === 0) delete this.requests[name];
      if (next) {
        this.reuseSocket(socket, next.req);
        next.req.onSocket(socket, true);
        return;
      }
    }
    const active = this.sockets[name];
    const index = active?.indexOf(socket) ?? -1;
    const freeCount = this.freeSockets[name]?.length ?? 0;
    if (!this.keepAlive || freeCount >= this.maxFreeSockets || !this.keepSocketAlive(socket)) {
      socket.destroy();
      return;
    }
    if (active && index >= 0) active.splice(index, 1);
    if (active?.length === 0) delete this.sockets[name];
    this.#pool(this.freeSockets, name).push(socket);
    if (this.options.timeout) socket.setTimeout(this.options.timeout as number);
    this.emit("free", socket, options);
  }

  #remove(socket: Socket, name: string): void {
    this.totalSocketCount--;
    for (const pools of [this.sockets, this.freeSockets]) {
      const list = pools[name];
      const index = list?.indexOf(socket) ?? -1;
      if (list && index >= 0) {
        list.splice(index, 1);
        if (list.length === 0) delete pools[name];
      }
    }
    const queue = this.requests[name];
    if (queue && queue.length > 0 && (this.sockets[name]?.length ?? 0) < this.maxSockets) {
      const next = queue.shift();
      if (queue.length === 0) delete this.requests[name];
      if (next) this.#create(next.req, next.options, name);
    }
  }

  #pool(pools: Pools, name: string): Socket[] {
    let list = pools[name];
    if (!list) pools[name] = list = [];
    return list;
  }

  destroy(): void {
    for (const pools of [this.freeSockets, this.sockets]) {
      for (const list of Object.values(pools)) for (const socket of [...list]) socket.destroy();
    }
  }
}

export const globalAgent = new Agent({ keepAlive: true, scheduling: "lifo", timeout: 5000 });

/** The agent http.request uses by default (http.globalAgent can be replaced). */
export const defaultAgents: { http: Agent } = { http: globalAgent };
