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
  if (!object) throw Object.assign(new Error("Invalid crypto handle"), { code: "ERR_INVALID_STATE" });
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
  "final",
  "setAAD",
  "getAuthTag",
  "setAuthTag",
  "setAutoPadding",
  "sign",
  "verify",
]);
/** Methods after which the host object is spent and its handle is freed. */
const FINISHING = new Set(["digest", "final", "sign", "verify"]);

function boundedKeyLength(length: unknown): void {
  if (typeof length === "number") checkBytes("The requested key length", length);
}

function generate(type: unknown, options: unknown, async: boolean): unknown {
  const revived = revive(options) as Record<string, unknown> | undefined;
  if (typeof revived?.modulusLength === "number" && revived.modulusLength > 16384) {
    throw Object.assign(new RangeError("modulusLength above 16384 bits is not allowed in the agentOS VM"), {
      code: "ERR_OUT_OF_RANGE",
    });
  }
  if (!async) {
    return describeResult(crypto.generateKeyPairSync(type as "rsa", revived as never));
  }
  return new Promise((resolve, reject) =>
    crypto.generateKeyPair(type as "rsa", revived as never, (error, publicKey, privateKey) =>
      error ? reject(error) : resolve(describeResult({ publicKey, privateKey })),
    ),
  );
}

function withCallback<T>(start: (done: (error: Error | null, value?: T) => void) => void): Promise<T> {
  return new Promise((resolve, reject) =>
    start((error, value) => (error ? reject(error) : resolve(value as T))),
  );
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
          ? crypto.createHmac(algorithm as string, revive(key) as crypto.KeyObject, options as never)
          : crypto.createHash(algorithm as string, options as crypto.HashOptions),
      ),
    ),
  "crypto.hash.copy": (g, [id, options]) =>
    exactly(() => adopt(g, handle<crypto.Hash>(g, id).copy(options as crypto.HashOptions))),
  "crypto.hash.oneShot": (_g, [algorithm, data]) =>
    exactly(() => crypto.createHash(algorithm as string).update(bytes("data", data)).digest()),

  "crypto.cipher.create": (g, [decipher, algorithm, key, iv, options]) =>
    exactly(() => {
      const revivedKey = revive(key) as crypto.KeyObject;
      const object = decipher
        ? crypto.createDecipheriv(algorithm as string, revivedKey, iv as Uint8Array | null, options as never)
        : crypto.createCipheriv(algorithm as string, revivedKey, iv as Uint8Array | null, options as never);
      return adopt(g, object);
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

  "crypto.pbkdf2": (_g, [password, salt, iterations, keylen, digest, async]) =>
    exactly(() => {
      boundedKeyLength(keylen);
      bytes("password", password);
      bytes("salt", salt);
      const args = [password, salt, iterations, keylen, digest] as const;
      if (!async) return crypto.pbkdf2Sync(...(args as unknown as Parameters<typeof crypto.pbkdf2Sync>));
      return withCallback<Buffer>((done) =>
        crypto.pbkdf2(...(args as unknown as Parameters<typeof crypto.pbkdf2Sync>), done),
      );
    }),
  "crypto.scrypt": (_g, [password, salt, keylen, options, async]) =>
    exactly(() => {
      boundedKeyLength(keylen);
      const opts = { ...((options as Record<string, unknown> | undefined) ?? {}) };
      // scrypt's memory is the host's: never more than the per-operation bound.
      const maxmem = typeof opts.maxmem === "number" ? opts.maxmem : 32 * 1024 * 1024;
      opts.maxmem = Math.min(maxmem, 64 * 1024 * 1024);
      if (!async) return crypto.scryptSync(password as string, salt as string, keylen as number, opts);
      return withCallback<Buffer>((done) =>
        crypto.scrypt(password as string, salt as string, keylen as number, opts, done),
      );
    }),
  "crypto.hkdf": (_g, [digest, ikm, salt, info, keylen, async]) =>
    exactly(() => {
      boundedKeyLength(keylen);
      const key = revive(ikm) as crypto.KeyObject;
      if (!async) {
        return new Uint8Array(
          crypto.hkdfSync(digest as string, key, salt as string, info as string, keylen as number),
        );
      }
      return withCallback<ArrayBuffer>((done) =>
        crypto.hkdf(digest as string, key, salt as string, info as string, keylen as number, done),
      ).then((buffer) => new Uint8Array(buffer));
    }),

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
  "crypto.key.generatePair": (_g, [type, options, async]) =>
    exactly(() => generate(type, options, Boolean(async))),
  "crypto.key.generateSecret": (_g, [type, options]) =>
    exactly(() => describeKey(crypto.generateKeySync(type as "aes", options as { length: number }))),

  "crypto.sign": (_g, [algorithm, data, key, async]) =>
    exactly(() => {
      bytes("data", data);
      if (!async) return crypto.sign(algorithm as string, data as Uint8Array, revive(key) as never);
      return withCallback<Buffer>((done) =>
        crypto.sign(algorithm as string, data as Uint8Array, revive(key) as never, done),
      );
    }),
  "crypto.verify": (_g, [algorithm, data, key, signature, async]) =>
    exactly(() => {
      bytes("data", data);
      const args = [algorithm as string, data as Uint8Array, revive(key) as never, signature as Uint8Array] as const;
      if (!async) return crypto.verify(...args);
      return withCallback<boolean>((done) => crypto.verify(...args, done));
    }),
  /** publicEncrypt, privateDecrypt, privateEncrypt, publicDecrypt. */
  "crypto.rsa": (_g, [method, key, buffer]) =>
    exactly(() => {
      const name = method as "publicEncrypt" | "privateDecrypt" | "privateEncrypt" | "publicDecrypt";
      if (!["publicEncrypt", "privateDecrypt", "privateEncrypt", "publicDecrypt"].includes(name)) {
        throw new Error(`crypto.${name} is not an RSA operation`);
      }
      bytes("buffer", buffer);
      return crypto[name](revive(key) as never, buffer as Uint8Array);
    }),
  "crypto.diffieHellman": (_g, [options]) =>
    exactly(() => crypto.diffieHellman(revive(options) as never)),
};
