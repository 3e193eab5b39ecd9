/**
 * Errors of the network layer, shaped like the ones Node's `net` and `dns` raise
 * (`connect ECONNREFUSED 127.0.0.1:3000`, `listen EADDRINUSE: address already in use
 * :::3000`, `getaddrinfo ENOTFOUND example.invalid`), so guest code that matches on `code`,
 * `syscall`, `address` and `port` behaves as it does on a real host.
 */

/** Linux errno values for the codes the network layer raises (Node reports them negated). */
const ERRNO: Record<string, number> = {
  EPERM: 1,
  EBADF: 9,
  EAGAIN: 11,
  EACCES: 13,
  EINVAL: 22,
  EMFILE: 24,
  EPIPE: 32,
  EADDRINUSE: 98,
  EADDRNOTAVAIL: 99,
  ENETDOWN: 100,
  ENETUNREACH: 101,
  ECONNABORTED: 103,
  ECONNRESET: 104,
  ENOTCONN: 107,
  ETIMEDOUT: 110,
  ECONNREFUSED: 111,
  EHOSTUNREACH: 113,
  ECANCELED: 125,
  // getaddrinfo's codes, as libuv numbers them.
  ENOTFOUND: 3008,
  EAI_AGAIN: 3001,
};

const DESCRIPTIONS: Record<string, string> = {
  EADDRINUSE: "address already in use",
  EADDRNOTAVAIL: "address not available",
  EACCES: "permission denied",
  EBADF: "bad file descriptor",
  EINVAL: "invalid argument",
  EMFILE: "too many open files",
  ENETDOWN: "network is down",
};

export type NetworkErrorCode = keyof typeof ERRNO | string;

export interface NetworkErrorDetails {
  address?: string;
  port?: number;
  hostname?: string;
  /** Extra words after the Node-style message (" - <detail>"), e.g. the policy that denied. */
  detail?: string;
}

export class NetworkError extends Error {
  readonly code: NetworkErrorCode;
  readonly errno: number;
  readonly syscall: string;
  readonly address: string | undefined;
  readonly port: number | undefined;
  readonly hostname: string | undefined;

  constructor(code: NetworkErrorCode, syscall: string, details: NetworkErrorDetails = {}) {
    super(formatMessage(code, syscall, details));
    this.name = "Error";
    this.code = code;
    this.errno = -(ERRNO[code] ?? 0);
    this.syscall = syscall;
    this.address = details.address;
    this.port = details.port;
    this.hostname = details.hostname;
  }

  /** The plain-data form (for crossing a worker or process boundary). */
  toJSON(): Record<string, unknown> {
    return {
      message: this.message,
      code: this.code,
      errno: this.errno,
      syscall: this.syscall,
      address: this.address,
      port: this.port,
      hostname: this.hostname,
    };
  }
}

export function isNetworkError(err: unknown, code?: string): err is NetworkError {
  return err instanceof NetworkError && (code === undefined || err.code === code);
}

/** `host:port` as Node prints it: IPv6 addresses unbracketed (`:::3000`). */
function hostPort(address: string | undefined, port: number | undefined): string {
  if (address === undefined) return "";
  return port === undefined ? address : `${address}:${port}`;
}

function formatMessage(code: string, syscall: string, details: NetworkErrorDetails): string {
  let message: string;
  if (syscall === "getaddrinfo") message = `${syscall} ${code} ${details.hostname ?? ""}`.trimEnd();
  else if (syscall === "listen" || syscall === "bind") {
    // Node's server errors carry the description: "listen EADDRINUSE: address already in use".
    const where = hostPort(details.address, details.port);
    message = `${syscall} ${code}: ${DESCRIPTIONS[code] ?? code.toLowerCase()}${where ? ` ${where}` : ""}`;
  } else {
    const where = hostPort(details.address, details.port);
    message = `${syscall} ${code}${where ? ` ${where}` : ""}`;
  }
  return details.detail ? `${message} - ${details.detail}` : message;
}
