/**
 * TLS for guest JavaScript, performed by the host's node:tls over one of the guest's VM
 * connections: the guest's tls/https modules hand over a connection id and get back the id of
 * a TLS session whose reads and writes are plaintext (negative ids, so net.read/net.write serve
 * both). The guest never runs a TLS engine; the host never trusts more than the guest asked for
 * (its own `ca`, or the default roots plus NODE_EXTRA_CA_CERTS the guest read from the VM).
 */
import {
  checkServerIdentity,
  DEFAULT_CIPHERS,
  getCiphers,
  rootCertificates,
  type TLSSocket,
  connect as tlsConnect,
} from "node:tls";
import type { ConnectionInfo } from "../../../net/connection.ts";
import { ConnectionDuplex, connectionIo } from "../../../net/connection-duplex.ts";
import { NetworkError } from "../../../net/network-error.ts";
import type { GuestProcess } from "../guest-process.ts";

/** The client options the guest may pass (plain data: PEM strings, no host objects). */
export interface GuestTlsOptions {
  servername?: string;
  rejectUnauthorized?: boolean;
  /** False when the guest runs its own checkServerIdentity on the certificate we report. */
  checkServerIdentity?: boolean;
  ca?: string[];
  /** Added to the default roots (the guest's NODE_EXTRA_CA_CERTS); ignored when `ca` is given. */
  extraCa?: string[];
  cert?: string[];
  key?: string[];
  passphrase?: string;
  ciphers?: string;
  ecdhCurve?: string;
  sigalgs?: string;
  minVersion?: "TLSv1" | "TLSv1.1" | "TLSv1.2" | "TLSv1.3";
  maxVersion?: "TLSv1" | "TLSv1.1" | "TLSv1.2" | "TLSv1.3";
  ALPNProtocols?: string[];
  /** Bytes the guest had already read off the connection before handing it over. */
  head?: Uint8Array;
}

/** What the guest learns about a session once the handshake is done. */
export interface TlsSessionInfo {
  tlsId: number;
  authorized: boolean;
  authorizationError: string | null;
  alpnProtocol: string | false;
  protocol: string | null;
  cipher: { name: string; standardName: string; version: string };
  peerCertificate: Record<string, unknown> | null;
}

/** Pull-style reads over a TLSSocket (the guest asks for bytes; the socket pushes them). */
export class TlsSession {
  readonly socket: TLSSocket;
  #ended = false;
  #error: Error | undefined;
  #waiter: (() => void) | undefined;

  constructor(socket: TLSSocket) {
    this.socket = socket;
    const wake = (): void => {
      const waiter = this.#waiter;
      this.#waiter = undefined;
      waiter?.();
    };
    socket.on("readable", wake);
    socket.on("end", () => {
      this.#ended = true;
      wake();
    });
    socket.on("close", () => {
      this.#ended = true;
      wake();
    });
    socket.on("error", (err) => {
      this.#error = err;
      wake();
    });
  }

  async read(max: number, signal?: AbortSignal): Promise<Uint8Array | null> {
    for (;;) {
      const chunk = this.socket.read() as Buffer | null;
      if (chunk !== null) {
        if (chunk.length > max) {
          this.socket.unshift(chunk.subarray(max));
          return new Uint8Array(chunk.subarray(0, max));
        }
        return new Uint8Array(chunk);
      }
      if (this.#error) throw this.#error;
      if (this.#ended || this.socket.destroyed) return null;
      await new Promise<void>((resolve, reject) => {
        if (signal?.aborted) {
          reject(signal.reason);
          return;
        }
        const onAbort = (): void => {
          this.#waiter = undefined;
          reject(signal?.reason);
        };
        signal?.addEventListener("abort", onAbort, { once: true });
        this.#waiter = () => {
          signal?.removeEventListener("abort", onAbort);
          resolve();
        };
      });
    }
  }

  /**
   * Resolves once the TLS stream took the bytes (as a kernel send buffer would), not once they
   * reached the peer; a full stream waits for 'drain'. Failures surface on reads and 'error'.
   */
  write(data: Uint8Array): Promise<void> {
    if (this.#error) return Promise.reject(this.#error);
    if (this.socket.destroyed || this.socket.writableEnded)
      return Promise.reject(new NetworkError("EPIPE", "write"));
    if (this.socket.write(data)) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const done = (): void => {
        this.socket.off("drain", done);
        this.socket.off("close", done);
        if (this.#error) reject(this.#error);
        else resolve();
      };
      this.socket.on("drain", done);
      this.socket.on("close", done);
    });
  }

  shutdown(): void {
    this.socket.end();
  }

  close(): void {
    this.socket.destroy();
  }
}

/** The process's TLS sessions by negative id (connection ids from the stack are positive). */
interface TlsState {
  sessions: Map<number, TlsSession>;
  nextId: number;
}

function tlsState(g: GuestProcess): TlsState {
  let state = g.state.get("tls") as TlsState | undefined;
  if (!state) {
    const created: TlsState = { sessions: new Map(), nextId: -1 };
    state = created;
    g.state.set("tls", created);
    g.cleanups.push(() => {
      for (const session of created.sessions.values()) session.close();
      created.sessions.clear();
    });
  }
  return state;
}

export function tlsSession(g: GuestProcess, id: number, syscall: string): TlsSession {
  const found = tlsState(g).sessions.get(id);
  if (!found) throw new NetworkError("EBADF", syscall, { detail: `no TLS session ${id}` });
  return found;
}

export function closeTlsSession(g: GuestProcess, id: number): void {
  tlsSession(g, id, "close").close();
  tlsState(g).sessions.delete(id);
}

function strings(value: unknown): string[] | undefined {
  if (value === undefined) return undefined;
  const list = Array.isArray(value) ? value : [value];
  return list.map(String);
}

/** A certificate as the guest's getPeerCertificate() shows it (raw bytes included). */
function describeCertificate(peer: ReturnType<TLSSocket["getPeerCertificate"]>) {
  if (!peer || Object.keys(peer).length === 0) return null;
  const plain = (value: unknown) =>
    value && typeof value === "object" ? { ...(value as object) } : value;
  return {
    subject: plain(peer.subject),
    issuer: plain(peer.issuer),
    subjectaltname: peer.subjectaltname,
    infoAccess: plain(peer.infoAccess),
    ca: peer.ca,
    bits: peer.bits,
    exponent: peer.exponent,
    modulus: peer.modulus,
    pubkey: peer.pubkey ? new Uint8Array(peer.pubkey) : undefined,
    asn1Curve: peer.asn1Curve,
    nistCurve: peer.nistCurve,
    valid_from: peer.valid_from,
    valid_to: peer.valid_to,
    fingerprint: peer.fingerprint,
    fingerprint256: peer.fingerprint256,
    fingerprint512: peer.fingerprint512,
    ext_key_usage: peer.ext_key_usage,
    serialNumber: peer.serialNumber,
    raw: peer.raw ? new Uint8Array(peer.raw) : undefined,
  };
}

/** Starts a TLS client over the guest's connection `connId`, which now belongs to the session. */
export async function startTlsClient(
  g: GuestProcess,
  connId: number,
  options: GuestTlsOptions,
): Promise<TlsSessionInfo> {
  const info: ConnectionInfo = g.ctx.net.stack.connectionInfo(connId);
  const transport = new ConnectionDuplex(connectionIo(g.ctx.net, connId), info);
  if (options.head && options.head.byteLength > 0) transport.unshift(Buffer.from(options.head));
  const ca =
    options.ca ?? (options.extraCa ? [...rootCertificates, ...options.extraCa] : undefined);
  const socket = tlsConnect({
    socket: transport,
    servername: options.servername,
    rejectUnauthorized: options.rejectUnauthorized !== false,
    ...(options.checkServerIdentity === false ? { checkServerIdentity: () => undefined } : {}),
    ...(ca ? { ca } : {}),
    ...(options.cert ? { cert: strings(options.cert) } : {}),
    ...(options.key ? { key: strings(options.key) } : {}),
    ...(options.passphrase !== undefined ? { passphrase: options.passphrase } : {}),
    ...(options.ciphers ? { ciphers: options.ciphers } : {}),
    ...(options.ecdhCurve ? { ecdhCurve: options.ecdhCurve } : {}),
    ...(options.sigalgs ? { sigalgs: options.sigalgs } : {}),
    ...(options.minVersion ? { minVersion: options.minVersion } : {}),
    ...(options.maxVersion ? { maxVersion: options.maxVersion } : {}),
    ...(options.ALPNProtocols ? { ALPNProtocols: options.ALPNProtocols } : {}),
  });
  await new Promise<void>((resolve, reject) => {
    const onError = (err: Error): void => {
      socket.destroy();
      transport.destroy();
      reject(err);
    };
    socket.once("error", onError);
    socket.once("secureConnect", () => {
      socket.off("error", onError);
      resolve();
    });
  });
  socket.on("close", () => transport.destroy());
  const state = tlsState(g);
  const id = state.nextId--;
  state.sessions.set(id, new TlsSession(socket));
  const cipher = socket.getCipher();
  return {
    tlsId: id,
    authorized: socket.authorized,
    authorizationError: socket.authorizationError ? String(socket.authorizationError) : null,
    alpnProtocol: socket.alpnProtocol || false,
    protocol: socket.getProtocol(),
    cipher: { name: cipher.name, standardName: cipher.standardName, version: cipher.version },
    peerCertificate: describeCertificate(socket.getPeerCertificate()),
  };
}

/** Node's tls.checkServerIdentity, run by the host on the certificate the guest holds. */
export function checkIdentity(hostname: string, cert: Record<string, unknown>) {
  const error = checkServerIdentity(hostname, cert as never) as
    | (Error & { code?: string; reason?: string; host?: string })
    | undefined;
  if (!error) return null;
  return { message: error.message, code: error.code, reason: error.reason, host: error.host };
}

/** The host's bundled root certificates (what the guest's tls.rootCertificates lists). */
export function rootCertificateList(): string[] {
  return [...rootCertificates];
}

/** What tls.getCiphers() and tls.DEFAULT_CIPHERS show in the guest (the host's OpenSSL). */
export function tlsDefaults(): { ciphers: string[]; defaultCiphers: string } {
  return { ciphers: getCiphers(), defaultCiphers: DEFAULT_CIPHERS };
}
