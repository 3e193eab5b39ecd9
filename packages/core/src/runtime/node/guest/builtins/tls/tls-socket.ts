/**
 * tls.TLSSocket (client side): a net.Socket whose connection, once connected through the
 * egress policy, is handed to the host for the handshake (ops/tls-ops.ts); it then reads and
 * writes the plaintext of the host's TLS session. 'connect' and 'secureConnect' come once the
 * handshake is done (writes made before are queued, as Node's are). Certificate checks happen
 * on the host unless the guest supplies its own checkServerIdentity, which then runs here on
 * the certificate the host reports.
 */

import { Buffer } from "buffer";
import type { TlsSessionInfo as SessionInfo } from "../../../ops/tls-ops.ts";
import { codedError, notSupported } from "../../errors.ts";
import { nextTick } from "../../loop.ts";
import { type ConnectionData, netCall } from "../net/net-host.ts";
import { Socket } from "../net/socket.ts";
import { defaultRejectUnauthorized, type HostTlsOptions, hostOptions } from "./secure-context.ts";
import { checkServerIdentity } from "./server-identity.ts";

export interface TlsConnectOptions {
  host?: string;
  port?: number | string;
  socket?: unknown;
  servername?: string;
  rejectUnauthorized?: boolean;
  checkServerIdentity?: (hostname: string, cert: PeerCertificate) => Error | undefined;
  isServer?: boolean;
  session?: unknown;
  timeout?: number;
  signal?: AbortSignal;
  [key: string]: unknown;
}

export type PeerCertificate = Record<string, unknown>;

export class TLSSocket extends Socket {
  readonly encrypted = true;
  authorized = false;
  authorizationError: string | null = null;
  alpnProtocol: string | false | null = null;
  servername: string | false | null = null;
  readonly #options: TlsConnectOptions;
  #info: SessionInfo | undefined;
  #certificate: PeerCertificate | null = null;

  constructor(socket?: unknown, options: TlsConnectOptions = {}) {
    super({ allowHalfOpen: Boolean(options.allowHalfOpen) });
    this.#options = options;
    if (options.isServer) throw notSupported("new tls.TLSSocket({ isServer: true })");
    if (socket !== undefined && socket !== null) this.#wrap(socket);
  }

  /** Takes over a connected (or connecting) guest net.Socket, as Node's TLSSocket(socket). */
  #wrap(socket: unknown): void {
    if (!(socket instanceof Socket))
      throw notSupported("TLS over a stream that is not a net.Socket of the VM");
    const start = (): void =>
      socket._releaseConnection((connection, head) => {
        if (!connection) {
          this.destroy(codedError(Error, "ERR_SOCKET_CLOSED", "Socket is closed"));
          return;
        }
        this._adopt(connection, undefined, head);
      });
    this.connecting = true;
    if (socket.connecting) socket.once("connect", start);
    else nextTick(start);
    socket.once("error", (error: Error) => {
      if (this.connecting) this.destroy(error);
    });
  }

  protected override _startSession(
    connection: ConnectionData,
    host: string,
    head: Uint8Array | null,
    done: (error: Error | null, session?: ConnectionData) => void,
  ): void {
    const options = this.#options;
    const hostname = options.servername || options.host || host || "localhost";
    // As Node's tls.connect: SNI only when asked for (https.Agent asks with the host name).
    const servername = options.servername || "";
    const rejectUnauthorized = options.rejectUnauthorized ?? defaultRejectUnauthorized();
    const customCheck =
      typeof options.checkServerIdentity === "function" &&
      options.checkServerIdentity !== checkServerIdentity;
    const request: HostTlsOptions = {
      ...hostOptions(options),
      host: hostname,
      ...(servername ? { servername } : {}),
      rejectUnauthorized,
      ...(customCheck ? { checkServerIdentity: false } : {}),
      ...(head ? { head } : {}),
    };
    netCall<SessionInfo>("tls.connect", [connection.connId, request], (error, info) => {
      if (error || !info) {
        done(error ?? new Error("TLS handshake failed"));
        return;
      }
      this.#info = info;
      this.servername = servername || false;
      this.authorized = info.authorized;
      this.authorizationError = info.authorizationError;
      this.alpnProtocol = info.alpnProtocol;
      this.#certificate = info.peerCertificate ? certificate(info.peerCertificate) : null;
      if (customCheck && info.authorized && this.#certificate) {
        const check = options.checkServerIdentity as NonNullable<
          TlsConnectOptions["checkServerIdentity"]
        >;
        const verifyError = check(hostname, this.#certificate);
        if (verifyError) {
          this.authorized = false;
          this.authorizationError =
            (verifyError as Error & { code?: string }).code || verifyError.message;
          if (rejectUnauthorized) {
            netCall("net.close", [info.tlsId], () => {});
            done(verifyError);
            return;
          }
        }
      }
      done(null, { ...connection, connId: info.tlsId });
    });
  }

  protected override _sessionReady(): void {
    this.emit("secureConnect");
  }

  getPeerCertificate(_detailed?: boolean): PeerCertificate {
    return this.#certificate ?? {};
  }

  getCertificate(): PeerCertificate | null {
    return this.#info ? {} : null;
  }

  getProtocol(): string | null {
    return this.#info?.protocol ?? null;
  }

  getCipher(): SessionInfo["cipher"] | undefined {
    return this.#info ? { ...this.#info.cipher } : undefined;
  }

  getSession(): undefined {
    return undefined;
  }

  getTLSTicket(): undefined {
    return undefined;
  }

  isSessionReused(): boolean {
    return false;
  }

  getEphemeralKeyInfo(): Record<string, never> | null {
    return this.#info ? {} : null;
  }

  getFinished(): undefined {
    return undefined;
  }

  getPeerFinished(): undefined {
    return undefined;
  }

  getSharedSigalgs(): string[] {
    return [];
  }

  setServername(name: string): void {
    this.#options.servername = name;
  }

  setMaxSendFragment(_size: number): boolean {
    return true;
  }

  disableRenegotiation(): void {}

  enableTrace(): void {}

  renegotiate(_options: unknown, callback?: (error: Error | null) => void): boolean {
    const error = notSupported("TLS renegotiation");
    if (callback) nextTick(() => callback(error));
    return false;
  }

  exportKeyingMaterial(): never {
    throw notSupported("tlsSocket.exportKeyingMaterial()");
  }
}

/** The reported certificate with Buffers where Node has them. */
function certificate(data: Record<string, unknown>): PeerCertificate {
  const cert: PeerCertificate = {};
  for (const [key, value] of Object.entries(data)) {
    if (value === undefined) continue;
    if (value instanceof Uint8Array) cert[key] = Buffer.from(value);
    else if (value && typeof value === "object" && !Array.isArray(value))
      cert[key] = Object.assign(Object.create(null), value);
    else cert[key] = value;
  }
  return cert;
}
