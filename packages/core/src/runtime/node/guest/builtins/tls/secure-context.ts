/**
 * tls.createSecureContext and the TLS options the guest sends to the host (ops/tls-ops.ts): the
 * host runs the handshake, so a "secure context" here is the options themselves, checked and
 * turned into plain PEM strings. NODE_EXTRA_CA_CERTS is read from the VM's filesystem (once, as
 * Node reads it once) and added to the default roots when no `ca` is given.
 */
import { Buffer } from "buffer";
import { codedError, invalidArgType, notSupported } from "../../errors.ts";
import { loadBuiltin } from "../registry.ts";

type Pem = string | Uint8Array;

export interface SecureContextOptions {
  ca?: Pem | Pem[];
  cert?: Pem | Pem[];
  key?: Pem | Pem[] | Array<{ pem: Pem; passphrase?: string }>;
  passphrase?: string;
  pfx?: unknown;
  ciphers?: string;
  ecdhCurve?: string;
  sigalgs?: string;
  minVersion?: string;
  maxVersion?: string;
  secureProtocol?: string;
  [key: string]: unknown;
}

/** The subset of options ops/tls-ops.ts accepts (GuestTlsOptions there). */
export interface HostTlsOptions {
  host?: string;
  servername?: string;
  rejectUnauthorized?: boolean;
  checkServerIdentity?: boolean;
  ca?: string[];
  extraCa?: string[];
  cert?: string[];
  key?: string[];
  passphrase?: string;
  ciphers?: string;
  ecdhCurve?: string;
  sigalgs?: string;
  minVersion?: string;
  maxVersion?: string;
  ALPNProtocols?: string[];
  head?: Uint8Array;
}

const VERSIONS = new Set(["TLSv1", "TLSv1.1", "TLSv1.2", "TLSv1.3"]);
const kOptions = Symbol("agentos.secureContextOptions");

export class SecureContext {
  readonly context: object = {};
  readonly [kOptions]: SecureContextOptions;

  constructor(options: SecureContextOptions = {}) {
    validateContextOptions(options);
    this[kOptions] = options;
  }
}

export function createSecureContext(options: SecureContextOptions = {}): SecureContext {
  return new SecureContext(options);
}

function validateContextOptions(options: SecureContextOptions): void {
  if (options === null || typeof options !== "object")
    throw invalidArgType("options", "of type object", options);
  if (options.pfx !== undefined) throw notSupported("tls option pfx (use key and cert)");
  if (options.secureProtocol !== undefined)
    throw notSupported("tls option secureProtocol (use minVersion/maxVersion)");
  for (const name of ["minVersion", "maxVersion"] as const) {
    const value = options[name];
    if (value !== undefined && !VERSIONS.has(value))
      throw codedError(
        TypeError,
        "ERR_TLS_INVALID_PROTOCOL_VERSION",
        `${JSON.stringify(value)} is not a valid ${name} TLS protocol version`,
      );
  }
}

function pemList(value: unknown, name: string): string[] | undefined {
  if (value === undefined || value === null) return undefined;
  const list = Array.isArray(value) ? value : [value];
  return list.map((entry) => {
    if (typeof entry === "string") return entry;
    if (entry instanceof Uint8Array) return Buffer.from(entry).toString("latin1");
    if (entry && typeof entry === "object" && "pem" in entry)
      return pemList((entry as { pem: unknown }).pem, name)?.[0] ?? "";
    throw invalidArgType(
      `options.${name}`,
      "of type string or an instance of Buffer, TypedArray, or DataView",
      entry,
    );
  });
}

let extraCaCerts: string[] | null | undefined;

/** NODE_EXTRA_CA_CERTS, read once from the VM; unreadable files warn as Node's do. */
function extraCa(): string[] | undefined {
  if (extraCaCerts === undefined) {
    extraCaCerts = null;
    const file = process.env.NODE_EXTRA_CA_CERTS;
    if (file) {
      try {
        const fs = loadBuiltin("fs") as { readFileSync(path: string, enc: string): string };
        extraCaCerts = [fs.readFileSync(file, "latin1")];
      } catch (error) {
        process.emitWarning(
          `Ignoring extra certs from \`${file}\`, load failed: ${(error as Error).message}`,
        );
      }
    }
  }
  return extraCaCerts ?? undefined;
}

let insecureWarned = false;

/** Node's default for rejectUnauthorized: NODE_TLS_REJECT_UNAUTHORIZED=0 turns it off, loudly. */
export function defaultRejectUnauthorized(): boolean {
  if (process.env.NODE_TLS_REJECT_UNAUTHORIZED !== "0") return true;
  if (!insecureWarned) {
    insecureWarned = true;
    process.emitWarning(
      "Setting the NODE_TLS_REJECT_UNAUTHORIZED environment variable to '0' makes TLS connections and HTTPS requests insecure by disabling certificate verification.",
    );
  }
  return false;
}

/** The plain-data options for the host, from connect options (and their secureContext). */
export function hostOptions(
  options: SecureContextOptions & Record<string, unknown>,
): HostTlsOptions {
  const context = options.secureContext as SecureContext | undefined;
  const merged: SecureContextOptions = {
    ...(context?.[kOptions] ?? {}),
    ...options,
  };
  validateContextOptions(merged);
  const ca = pemList(merged.ca, "ca");
  const alpn = merged.ALPNProtocols as unknown;
  const out: HostTlsOptions = {
    ...(ca ? { ca } : { extraCa: extraCa() }),
    cert: pemList(merged.cert, "cert"),
    key: pemList(merged.key, "key"),
    passphrase:
      merged.passphrase ??
      (Array.isArray(merged.key)
        ? (merged.key as Array<{ passphrase?: string }>).find((k) => k?.passphrase)?.passphrase
        : undefined),
    ciphers: merged.ciphers,
    ecdhCurve: merged.ecdhCurve,
    sigalgs: merged.sigalgs,
    minVersion: merged.minVersion,
    maxVersion: merged.maxVersion,
    ALPNProtocols: Array.isArray(alpn)
      ? alpn.map((p) => (typeof p === "string" ? p : Buffer.from(p).toString()))
      : undefined,
  };
  for (const key of Object.keys(out) as Array<keyof HostTlsOptions>)
    if (out[key] === undefined) delete out[key];
  return out;
}
