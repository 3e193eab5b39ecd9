/**
 * The guest side of the network host ops (ops/net-ops.ts): each answer is `{ ok }` or
 * `{ err }`, and errors are rebuilt with the fields Node's own have, in Node's order
 * (errno, code, syscall, then address/port or hostname), so `console.log(err)` and code that
 * matches on `err.code`/`err.port` read as on a real host.
 */
import { callAsync } from "../../host.ts";

export interface NetErrorData {
  message: string;
  code?: string;
  errno?: number;
  syscall?: string;
  address?: string;
  port?: number;
  hostname?: string;
}

type Answer<T> = { ok: T } | { err: NetErrorData };

export type NetCallback<T> = (error: Error | null, value?: T) => void;

/** Calls a net op; `callback` runs later in its own task (as libuv's callbacks do). */
export function netCall<T>(op: string, args: unknown[], callback: NetCallback<T>): void {
  callAsync<Answer<T>>(op, args, (error, answer) => {
    if (error) callback(error);
    else if (!answer) callback(new Error(`agentos: ${op} answered nothing`));
    else if ("err" in answer) callback(netError(answer.err));
    else callback(null, answer.ok);
  });
}

export function netCallPromise<T>(op: string, ...args: unknown[]): Promise<T> {
  return new Promise((resolve, reject) =>
    netCall<T>(op, args, (error, value) => (error ? reject(error) : resolve(value as T))),
  );
}

export function netError(data: NetErrorData): Error {
  const error = new Error(data.message) as Error & Record<string, unknown>;
  // Node's listen/bind errors (uvExceptionWithHostPort) set code before errno; connect's errno.
  const codeFirst = data.syscall === "listen" || data.syscall === "bind";
  if (codeFirst && data.code !== undefined) error.code = data.code;
  if (data.errno !== undefined) error.errno = data.errno;
  if (data.code !== undefined) error.code = data.code;
  if (data.syscall !== undefined) error.syscall = data.syscall;
  if (data.hostname !== undefined) error.hostname = data.hostname;
  if (data.address !== undefined) error.address = data.address;
  if (data.port !== undefined) error.port = data.port;
  return error;
}

/** The plain data the stack returns for a connection (connect/accept). */
export interface ConnectionData {
  connId: number;
  localAddress: string;
  localPort: number;
  remoteAddress: string;
  remotePort: number;
  family: "IPv4" | "IPv6";
}

export interface ListenData {
  listenerId: number;
  address: string;
  port: number;
  family: "IPv4" | "IPv6";
}
