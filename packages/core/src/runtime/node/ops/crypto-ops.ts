/**
 * node:crypto for guests, computed by the host's own node:crypto (OpenSSL). Streaming objects
 * (Hash, Hmac, Cipher, Decipher, Sign, Verify) live here behind numeric handles owned by the
 * guest process; keys travel as data (DER or raw bytes in a `$key` descriptor), so a guest
 * holding a million KeyObjects costs the host nothing. Every op answers through `exactly` so the
 * guest sees Node's errors property for property.
 */
import * as crypto from "node:crypto";
import type { GuestProcess } from "../guest-process.ts";
import type { HostOp } from "../host-ops.ts";
import { checkBytes, exactly } from "./exact-errors.ts";

/** Live streaming objects one guest may hold at once (each costs host memory). */
const MAX_LIVE_HANDLES = 10_000;

type Streaming =
  | crypto.CipherGCM
  | crypto.Hash
  | crypto.Hmac
  | crypto.Cipheriv
  | crypto.Decipheriv
  | crypto.Sign
  | crypto.Verify;

interface HandleTable {
  next: number;
  live: Map<number, Streaming>;
}

function handles(g: GuestProcess): HandleTable {
  let table = g.state.get("crypto") as HandleTable | undefined;
  if (!table) {
    const created: HandleTable = { next: 1, live: new Map() };
    table = created;
    g.state.set("crypto", created);
    g.cleanups.push(() => created.live.clear());
  }
  return table;
}

function adopt(g: GuestProcess, object: Streaming): number {
  const table = handles(g);
  if (table.live.size >= MAX_LIVE_HANDLES) {
    throw Object.assign(
      new RangeError(
        `Too many unfinished crypto objects (${MAX_LIVE_HANDLES}); digest or finalize some first`,
      ),
      { code: "ERR_AGENTOS_LIMIT" },
    );
  }
  const id = table.next++;
  table.live.set(id, object);
  return id;
}

function handle<T extends Streaming>(g: GuestProcess, id: unknown): T {
  const object = handles(g).live.get(id as number);
  if (!object)
    throw Object.assign(new Error("Invalid crypto handle"), { code: "ERR_INVALID_STATE" });
  return object as T;
}

function bytes(what: string, value: unknown): Uint8Array | string {
  if (typeof value === "string") checkBytes(what, value.length * 3);
  else if (ArrayBuffer.isView(value)) checkBytes(what, value.byteLength);
  return value as Uint8Array | string;
}

/** A key as the guest sends it: a descriptor made by `describeKey`. */
interface KeyDescriptor {
  $key: "secret" | "public" | "private";
  material: Uint8Array;
}

function isKeyDescriptor(value: unknown): value is KeyDescriptor {
  return typeof value === "object" && value !== null && "$key" in value && "material" in value;
}

function reviveKey(descriptor: KeyDescriptor): crypto.KeyObject {
  const material = Buffer.from(descriptor.material);
  if (descriptor.$key === "secret") return crypto.createSecretKey(material);
  if (descriptor.$key === "private") {
    return crypto.createPrivateKey({ key: material, format: "der", type: "pkcs8" });
  }
  return crypto.createPublicKey({ key: material, format: "der", type: "spki" });
}

/** Turns key descriptors back into host KeyObjects anywhere in an argument (a few levels deep). */
export function revive(value: unknown, depth = 0): unknown {
  if (isKeyDescriptor(value)) return reviveKey(value);
  if (depth > 3 || typeof value !== "object" || value === null || ArrayBuffer.isView(value)) {
    return value;
  }
  if (Array.isArray(value)) return value.map((item) => revive(item, depth + 1));
  if (Object.getPrototypeOf(value) !== Object.prototype) return value;
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) out[key] = revive(item, depth + 1);
  return out;
}

/** A host KeyObject as data the guest keeps (its KeyObject class shows the metadata). */
export function describeKey(key: crypto.KeyObject): Record<string, unknown> {
  if (key.type === "secret") {
    return { $key: "secret", material: key.export(), symmetricKeySize: key.symmetricKeySize };
  }
  const material =
    key.type === "private"
      ? key.export({ format: "der", type: "pkcs8" })
      : key.export({ format: "der", type: "spki" });
  return {
    $key: key.type,
    material,
    asymmetricKeyType: key.asymmetricKeyType,
    asymmetricKeyDetails: { ...key.asymmetricKeyDetails },
  };
}

/** Results that may contain KeyObjects (generateKeyPair with no encodings) become descriptors. */
function describeResult(value: unknown): unknown {
  if (value instanceof crypto.KeyObject) return describeKey(value);
  if (Array.isArray(value)) return value.map(describeResult);
  if (typeof value === "object" && value !== null && !ArrayBuffer.isView(value)) {
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) out[key] = describeResult(item);
    return out;
  }
  return value;
}

/** What a handle's guest object may call, by handle kind. */
const HANDLE_METHODS = new Set([
  "update",
  "digest",
  "setAAD",
  "getAuthTag",
  "setAuthTag",
  "setAutoPadding",
  "sign",
  "verify",
]);
/** Methods after which the host object is spent and its handle is freed. */
const FINISHING = new Set(["digest", "sign", "verify"]);

function boundedKeyLength(length: unknown): void {
  if (typeof length === "number") checkBytes("The requested key length", length);
}

function checkModulus(options: unknown): void {
  const modulus = (options as { modulusLength?: unknown } | undefined)?.modulusLength;
  if (typeof modulus === "number" && modulus > 16384) {
    throw Object.assign(
      new RangeError("modulusLength above 16384 bits is not allowed in the agentOS VM"),
      {
        code: "ERR_OUT_OF_RANGE",
      },
    );
  }
}

/** scrypt's memory is the host's: never more than the per-operation bound. */
function boundedScryptOptions(options: unknown): unknown {
  if (typeof options !== "object" || options === null) return { maxmem: 32 * 1024 * 1024 };
  const opts = { ...(options as Record<string, unknown>) };
  const maxmem = typeof opts.maxmem === "number" ? opts.maxmem : 32 * 1024 * 1024;
  opts.maxmem = Math.min(maxmem, 64 * 1024 * 1024);
  return opts;
}

type Job = (...args: unknown[]) => unknown;
const api = crypto as unknown as Record<string, Job>;

/** Checks the bounds of a KDF/keygen/sign call before the host allocates for it. */
function checkJob(kind: string, args: unknown[]): unknown[] {
  for (const arg of args) bytes("The input", arg);
  if (kind === "pbkdf2") boundedKeyLength(args[3]);
  if (kind === "scrypt") {
    boundedKeyLength(args[2]);
    return [args[0], args[1], args[2], boundedScryptOptions(args[3])];
  }
  if (kind === "hkdf") boundedKeyLength(args[4]);
  if (kind === "generateKeyPair") checkModulus(args[1]);
  return args;
}

const JOB_KINDS = new Set(["pbkdf2", "scrypt", "hkdf", "generateKeyPair", "sign", "verify"]);

function startJob(kind: string, args: unknown[]): Promise<unknown> {
  if (!JOB_KINDS.has(kind)) throw new Error(`crypto job ${kind} is unknown`);
  const checked = checkJob(kind, args);
  let resolve!: (value: unknown) => void;
  let reject!: (error: Error) => void;
  const promise = new Promise((ok, fail) => {
    resolve = ok;
    reject = fail;
  });
  // Called outside the promise executor: a throw here is an argument error for the caller.
  api[kind](...checked, (error: Error | null, ...values: unknown[]) => {
    if (error) reject(error);
    else if (kind === "generateKeyPair") resolve({ publicKey: values[0], privateKey: values[1] });
    else resolve(values[0] instanceof ArrayBuffer ? new Uint8Array(values[0]) : values[0]);
  });
  return promise;
}

function runSync(kind: string, args: unknown[]): unknown {
  if (!JOB_KINDS.has(kind)) throw new Error(`crypto function ${kind} is unknown`);
  const checked = checkJob(kind, args);
  const name = kind === "sign" || kind === "verify" ? kind : `${kind}Sync`;
  const value = api[name](...checked);
  return value instanceof ArrayBuffer ? new Uint8Array(value) : value;
}

interface JobTable {
  next: number;
  live: Map<number, Promise<unknown>>;
}

function jobs(g: GuestProcess): JobTable {
  let table = g.state.get("crypto.jobs") as JobTable | undefined;
  if (!table) {
    const created: JobTable = { next: 1, live: new Map() };
    table = created;
    g.state.set("crypto.jobs", created);
    g.cleanups.push(() => created.live.clear());
  }
  return table;
}

const SUBTLE_METHODS = new Set([
  "digest",
  "encrypt",
  "decrypt",
  "sign",
  "verify",
  "generateKey",
  "deriveKey",
  "deriveBits",
  "importKey",
  "exportKey",
  "wrapKey",
  "unwrapKey",
]);

interface CryptoKeyDescriptor {
  $cryptoKey: true;
  key: KeyDescriptor;
  algorithm: Record<string, unknown>;
  extractable: boolean;
  usages: string[];
}

function isCryptoKeyDescriptor(value: unknown): value is CryptoKeyDescriptor {
  return typeof value === "object" && value !== null && "$cryptoKey" in value;
}

/** A guest CryptoKey as a host one: its key material with its algorithm, usages, extractability. */
async function reviveCryptoKey(
  descriptor: CryptoKeyDescriptor,
): Promise<crypto.webcrypto.CryptoKey> {
  const keyObject = reviveKey(descriptor.key) as crypto.KeyObject & {
    toCryptoKey?: (
      algorithm: unknown,
      extractable: boolean,
      usages: string[],
    ) => crypto.webcrypto.CryptoKey;
  };
  if (keyObject.toCryptoKey) {
    return keyObject.toCryptoKey(descriptor.algorithm, descriptor.extractable, descriptor.usages);
  }
  // Node before 23 has no toCryptoKey: import the material instead.
  const format =
    descriptor.key.$key === "secret" ? "raw" : descriptor.key.$key === "private" ? "pkcs8" : "spki";
  return crypto.webcrypto.subtle.importKey(
    format,
    Buffer.from(descriptor.key.material),
    descriptor.algorithm as never,
    descriptor.extractable,
    descriptor.usages as crypto.webcrypto.KeyUsage[],
  );
}

async function reviveCryptoKeys(value: unknown, depth: number): Promise<unknown> {
  if (isCryptoKeyDescriptor(value)) return reviveCryptoKey(value);
  if (depth > 4 || typeof value !== "object" || value === null || ArrayBuffer.isView(value))
    return value;
  if (Array.isArray(value))
    return Promise.all(value.map((item) => reviveCryptoKeys(item, depth + 1)));
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value))
    out[key] = await reviveCryptoKeys(item, depth + 1);
  return out;
}

/** Where the `extractable` argument sits in the SubtleCrypto methods that make keys. */
const EXTRACTABLE_ARGUMENT: Record<string, number> = {
  generateKey: 1,
  deriveKey: 3,
  importKey: 3,
  unwrapKey: 5,
};

/** PBKDF2/HKDF/Argon2 keys can never be extractable, so their raw input is their material. */
function isKdfAlgorithm(algorithm: unknown): boolean {
  const name =
    typeof algorithm === "string" ? algorithm : (algorithm as { name?: unknown } | null)?.name;
  return (
    typeof name === "string" &&
    ["PBKDF2", "HKDF", "ARGON2D", "ARGON2I", "ARGON2ID"].includes(name.toUpperCase())
  );
}

function describeCryptoKey(
  key: crypto.webcrypto.CryptoKey,
  extractable: boolean | undefined,
  kdfMaterial?: Uint8Array,
): CryptoKeyDescriptor & { type: string } {
  const material: KeyDescriptor = kdfMaterial
    ? { $key: "secret", material: kdfMaterial }
    : (describeKey(crypto.KeyObject.from(key)) as unknown as KeyDescriptor);
  return {
    $cryptoKey: true,
    key: material,
    type: key.type,
    algorithm: plainAlgorithm(key.algorithm as unknown as Record<string, unknown>),
    // Public keys are always extractable in Web Crypto.
    extractable: key.type === "public" ? true : (extractable ?? key.extractable),
    usages: [...key.usages],
  };
}

function plainAlgorithm(algorithm: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(algorithm)) {
    out[name] =
      typeof value === "object" && value !== null && !ArrayBuffer.isView(value)
        ? { ...value }
        : value;
  }
  return out;
}

/** The host's CryptoKey class (a global since Node 17; not on the webcrypto object). */
const HostCryptoKey = (globalThis as unknown as { CryptoKey: new () => unknown }).CryptoKey;

function describeSubtleResult(
  value: unknown,
  extractable?: boolean,
  kdfMaterial?: Uint8Array,
): unknown {
  if (value instanceof HostCryptoKey) {
    return describeCryptoKey(value as crypto.webcrypto.CryptoKey, extractable, kdfMaterial);
  }
  if (value instanceof ArrayBuffer) return new Uint8Array(value);
  if (
    typeof value === "object" &&
    value !== null &&
    "privateKey" in value &&
    "publicKey" in value
  ) {
    const pair = value as crypto.webcrypto.CryptoKeyPair;
    return {
      publicKey: describeCryptoKey(pair.publicKey, extractable),
      privateKey: describeCryptoKey(pair.privateKey, extractable),
    };
  }
  return value;
}

export const CRYPTO_OPS: Record<string, HostOp> = {
  /** Lists and constants the guest module shows (fetched once, on first use). */
  "crypto.info": () =>
    exactly(() => ({
      hashes: crypto.getHashes(),
      ciphers: crypto.getCiphers(),
      curves: crypto.getCurves(),
      constants: { ...crypto.constants },
    })),
  "crypto.cipherInfo": (_g, [name, options]) =>
    exactly(() => crypto.getCipherInfo(name as string, options as never) ?? null),

  "crypto.hash.create": (g, [kind, algorithm, key, options]) =>
    exactly(() =>
      adopt(
        g,
        kind === "hmac"
          ? crypto.createHmac(
              algorithm as string,
              revive(key) as crypto.KeyObject,
              options as never,
            )
          : crypto.createHash(algorithm as string, options as crypto.HashOptions),
      ),
    ),
  "crypto.hash.copy": (g, [id, options]) =>
    exactly(() => adopt(g, handle<crypto.Hash>(g, id).copy(options as crypto.HashOptions))),
  "crypto.hash.oneShot": (_g, [algorithm, data]) =>
    exactly(() =>
      crypto
        .createHash(algorithm as string)
        .update(bytes("data", data))
        .digest(),
    ),

  "crypto.cipher.create": (g, [decipher, algorithm, key, iv, options]) =>
    exactly(() => {
      const revivedKey = revive(key) as crypto.KeyObject;
      const object = decipher
        ? crypto.createDecipheriv(
            algorithm as string,
            revivedKey,
            iv as Uint8Array | null,
            options as never,
          )
        : crypto.createCipheriv(
            algorithm as string,
            revivedKey,
            iv as Uint8Array | null,
            options as never,
          );
      return adopt(g, object);
    }),
  /** final() plus the auth tag an AEAD cipher has from then on; the handle is spent. */
  "crypto.cipher.final": (g, [id]) =>
    exactly(() => {
      const cipher = handle<crypto.CipherGCM>(g, id);
      handles(g).live.delete(id as number);
      const out = cipher.final();
      let tag: Buffer | null = null;
      try {
        tag = cipher.getAuthTag();
      } catch {
        tag = null;
      }
      return { out, tag };
    }),
  "crypto.sign.create": (g, [verify, algorithm, options]) =>
    exactly(() =>
      adopt(
        g,
        verify
          ? crypto.createVerify(algorithm as string, options as never)
          : crypto.createSign(algorithm as string, options as never),
      ),
    ),

  /** Calls one method of a streaming object; finishing methods free its handle. */
  "crypto.handle.call": (g, [id, method, args]) =>
    exactly(() => {
      const name = method as string;
      if (!HANDLE_METHODS.has(name)) throw new Error(`crypto handle method ${name} is not allowed`);
      const list = revive(args) as unknown[];
      for (const arg of list) bytes("The input", arg);
      const object = handle(g, id) as unknown as Record<string, (...a: unknown[]) => unknown>;
      if (typeof object[name] !== "function") throw new Error(`crypto handle has no ${name}`);
      try {
        const result = object[name](...list);
        return result === object ? null : result;
      } finally {
        if (FINISHING.has(name)) handles(g).live.delete(id as number);
      }
    }),
  "crypto.handle.free": (g, [id]) => {
    handles(g).live.delete(id as number);
    return true;
  },

  "crypto.randomBytes": (_g, [size]) =>
    exactly(() => {
      checkBytes("The requested size", size as number);
      return crypto.randomBytes(size as number);
    }),

  /**
   * Callback-style functions (pbkdf2, scrypt, hkdf, generateKeyPair, sign, verify) start here,
   * synchronously, so argument errors throw in the caller as in Node; the guest then waits for
   * the job's result with crypto.job.wait.
   */
  "crypto.job.start": (g, [kind, args]) =>
    exactly(() => {
      const table = jobs(g);
      if (table.live.size >= MAX_LIVE_HANDLES)
        throw new RangeError("Too many crypto jobs in flight");
      const promise = startJob(kind as string, revive(args) as unknown[]);
      promise.catch(() => {});
      const id = table.next++;
      table.live.set(id, promise);
      return id;
    }),
  "crypto.job.wait": (g, [id]) =>
    exactly(() => {
      const table = jobs(g);
      const promise = table.live.get(id as number);
      table.live.delete(id as number);
      if (!promise) throw new Error("Invalid crypto job");
      return promise.then(describeResult);
    }),
  "crypto.sync": (_g, [kind, args]) =>
    exactly(() => describeResult(runSync(kind as string, revive(args) as unknown[]))),

  "crypto.key.create": (_g, [type, input]) =>
    exactly(() => {
      const revived = revive(input);
      if (type === "secret") {
        const [key, encoding] = revived as [Uint8Array | string, BufferEncoding | undefined];
        return describeKey(crypto.createSecretKey(key as never, encoding as never));
      }
      const key =
        type === "private"
          ? crypto.createPrivateKey(revived as never)
          : crypto.createPublicKey(revived as never);
      return describeKey(key);
    }),
  "crypto.key.export": (_g, [descriptor, options]) =>
    exactly(() => reviveKey(descriptor as KeyDescriptor).export(revive(options) as never)),
  "crypto.key.equals": (_g, [a, b]) =>
    exactly(() => reviveKey(a as KeyDescriptor).equals(reviveKey(b as KeyDescriptor))),
  "crypto.key.generateSecret": (_g, [type, options]) =>
    exactly(() =>
      describeKey(crypto.generateKeySync(type as "aes", options as { length: number })),
    ),

  /** publicEncrypt, privateDecrypt, privateEncrypt, publicDecrypt. */
  "crypto.rsa": (_g, [method, key, buffer]) =>
    exactly(() => {
      const name = method as
        | "publicEncrypt"
        | "privateDecrypt"
        | "privateEncrypt"
        | "publicDecrypt";
      if (!["publicEncrypt", "privateDecrypt", "privateEncrypt", "publicDecrypt"].includes(name)) {
        throw new Error(`crypto.${name} is not an RSA operation`);
      }
      bytes("buffer", buffer);
      return api[name](revive(key), buffer);
    }),
  /** One SubtleCrypto method of the host, with CryptoKeys rebuilt from their descriptors. */
  "crypto.subtle": (_g, [method, args]) =>
    exactly(async () => {
      const name = method as string;
      if (!SUBTLE_METHODS.has(name)) throw new Error(`SubtleCrypto.${name} is not a method`);
      const list = (await reviveCryptoKeys(args, 0)) as unknown[];
      for (const arg of list) bytes("The data", arg);
      // Keys the host makes are made extractable, so their material can travel to the guest; the
      // guest's descriptor keeps the extractability asked for (the host enforces it on use).
      const index = EXTRACTABLE_ARGUMENT[name];
      const wanted = index === undefined ? undefined : Boolean(list[index]);
      const kdfMaterial =
        name === "importKey" && isKdfAlgorithm(list[2]) ? (list[1] as Uint8Array) : undefined;
      if (index !== undefined && !kdfMaterial) list[index] = true;
      const subtle = crypto.webcrypto.subtle as unknown as Record<
        string,
        (...a: unknown[]) => Promise<unknown>
      >;
      return describeSubtleResult(await subtle[name](...list), wanted, kdfMaterial);
    }),
  "crypto.diffieHellman": (_g, [options]) =>
    exactly(() => crypto.diffieHellman(revive(options) as never)),
};
