/**
 * Differential tests for node:crypto and Web Crypto in the VM: each script runs with host Node 24
 * and inside the VM, and stdout/stderr/status must match exactly (hash outputs, round trips,
 * error names, codes, messages and stack headers). Random outputs are checked by shape only.
 */
import assert from "node:assert/strict";
import { after, test } from "node:test";
import { closeNodeVm, normaliseResult, runNodeBoth, runNodeInVm } from "./testing.ts";

after(closeNodeVm);

async function same(script: string): Promise<string> {
  const { host, vm } = await runNodeBoth({ files: { "main.js": script }, argv: ["main.js"] });
  assert.deepEqual(normaliseResult(vm), normaliseResult(host));
  assert.equal(host.status, 0, host.stderr);
  return host.stdout;
}

const SYNC_CASES = `const crypto = require("crypto");
const out = [];
const t = (name, f) => { try { out.push([name, f()]); } catch (e) { out.push([name, "ERR", e.name, e.code, e.message, String(e.stack).split("\\n")[0]]); } };
t("sha256", () => crypto.createHash("sha256").update("hello").digest("hex"));
t("md5 b64", () => crypto.createHash("md5").update("a").update(Buffer.from("b")).digest("base64"));
t("sha512 latin1 in", () => crypto.createHash("sha512").update("caf\\u00e9", "latin1").digest("hex"));
t("shake", () => crypto.createHash("shake256", { outputLength: 7 }).update("x").digest("hex"));
t("copy", () => { const h = crypto.createHash("sha1").update("a"); const c = h.copy(); return [h.digest("hex"), c.update("b").digest("hex")]; });
t("bad alg", () => crypto.createHash("nope"));
t("bad type", () => crypto.createHash(5));
t("twice", () => { const h = crypto.createHash("sha1"); h.digest(); h.digest(); });
t("hmac", () => crypto.createHmac("sha256", "key").update("data").digest("hex"));
t("hmac twice", () => { const h = crypto.createHmac("sha256", "k"); h.digest(); return h.digest("hex"); });
t("hmac bad", () => crypto.createHmac("nope", "k"));
t("hash oneshot", () => crypto.hash("sha1", "abc"));
t("hash oneshot buf", () => crypto.hash("sha256", Buffer.from("abc"), "base64url"));
t("odd hex", () => crypto.createHash("sha1").update("abc", "hex"));
t("update num", () => crypto.createHash("sha1").update(1));
t("pbkdf2", () => crypto.pbkdf2Sync("pw", "salt", 1000, 32, "sha256").toString("hex"));
t("pbkdf2 bad", () => crypto.pbkdf2Sync("pw", "salt", 1000, 32, "nope"));
t("scrypt", () => crypto.scryptSync("pw", "salt", 16).toString("hex"));
t("hkdf", () => Buffer.from(crypto.hkdfSync("sha256", "key", "salt", "info", 16)).toString("hex"));
t("cbc", () => { const k = Buffer.alloc(16, 1), iv = Buffer.alloc(16, 2); const c = crypto.createCipheriv("aes-128-cbc", k, iv); const e = c.update("secret message here", "utf8", "base64") + c.final("base64"); const d = crypto.createDecipheriv("aes-128-cbc", k, iv); return [e, d.update(e, "base64", "utf8") + d.final("utf8")]; });
t("gcm", () => { const k = Buffer.alloc(32, 1), iv = Buffer.alloc(12, 2); const c = crypto.createCipheriv("aes-256-gcm", k, iv); c.setAAD(Buffer.from("aad")); const e = Buffer.concat([c.update("hi there"), c.final()]); const tag = c.getAuthTag(); const d = crypto.createDecipheriv("aes-256-gcm", k, iv); d.setAAD(Buffer.from("aad")); d.setAuthTag(tag); return [e.toString("hex"), tag.toString("hex"), Buffer.concat([d.update(e), d.final()]).toString()]; });
t("gcm badtag", () => { const d = crypto.createDecipheriv("aes-128-gcm", Buffer.alloc(16), Buffer.alloc(12)); d.setAuthTag(Buffer.alloc(16)); d.update(Buffer.alloc(4)); return d.final(); });
t("bad decrypt", () => { const d = crypto.createDecipheriv("aes-128-cbc", Buffer.alloc(16), Buffer.alloc(16)); d.update(Buffer.alloc(16)); return d.final(); });
t("chacha", () => { const k = Buffer.alloc(32, 3), iv = Buffer.alloc(12, 4); const c = crypto.createCipheriv("chacha20-poly1305", k, iv, { authTagLength: 16 }); const e = Buffer.concat([c.update("abc"), c.final()]); return [e.toString("hex"), c.getAuthTag().toString("hex")]; });
t("ctr", () => { const c = crypto.createCipheriv("aes-192-ctr", Buffer.alloc(24, 5), Buffer.alloc(16, 6)); return c.update("streaming", "utf8", "hex") + c.final("hex"); });
t("keylen", () => crypto.createCipheriv("aes-128-cbc", Buffer.alloc(15), Buffer.alloc(16)));
t("unknown cipher", () => crypto.createCipheriv("nope", Buffer.alloc(15), Buffer.alloc(16)));
t("final twice", () => { const c = crypto.createCipheriv("aes-128-cbc", Buffer.alloc(16), Buffer.alloc(16)); c.final(); c.final(); });
t("update after", () => { const c = crypto.createCipheriv("aes-128-cbc", Buffer.alloc(16), Buffer.alloc(16)); c.final(); c.update("x"); });
t("tse", () => [crypto.timingSafeEqual(Buffer.from("ab"), Buffer.from("ab")), crypto.timingSafeEqual(Buffer.from("ab"), Buffer.from("ac"))]);
t("tse len", () => crypto.timingSafeEqual(Buffer.alloc(1), Buffer.alloc(2)));
t("rand", () => [crypto.randomBytes(8).length, crypto.randomUUID().length, /^[0-9a-f-]{36}$/.test(crypto.randomUUID()), crypto.randomInt(10) < 10]);
t("randint bad", () => crypto.randomInt(5, 5));
t("hashes", () => [crypto.getHashes().includes("sha256"), crypto.getCiphers().includes("aes-256-gcm"), crypto.getCurves().includes("prime256v1")]);
t("constants", () => crypto.constants.RSA_PKCS1_PSS_PADDING);
t("ed25519", () => { const { publicKey, privateKey } = crypto.generateKeyPairSync("ed25519"); const s = crypto.sign(null, Buffer.from("m"), privateKey); return [s.length, crypto.verify(null, Buffer.from("m"), publicKey, s), publicKey.asymmetricKeyType, publicKey.type]; });
t("ec", () => { const { publicKey, privateKey } = crypto.generateKeyPairSync("ec", { namedCurve: "P-256" }); const s = crypto.createSign("SHA256").update("m").sign(privateKey); return [crypto.createVerify("SHA256").update("m").verify(publicKey, s), publicKey.asymmetricKeyDetails]; });
t("rsa pem", () => { const { publicKey, privateKey } = crypto.generateKeyPairSync("rsa", { modulusLength: 1024, publicKeyEncoding: { type: "spki", format: "pem" }, privateKeyEncoding: { type: "pkcs8", format: "pem" } }); const s = crypto.sign("sha256", Buffer.from("x"), privateKey); const enc = crypto.publicEncrypt(publicKey, Buffer.from("hi")); return [publicKey.split("\\n")[0], crypto.verify("sha256", Buffer.from("x"), publicKey, s), crypto.privateDecrypt(privateKey, enc).toString(), crypto.createPublicKey(publicKey).asymmetricKeyDetails]; });
t("secret", () => { const k = crypto.createSecretKey(Buffer.from("abcd")); return [k.type, k.symmetricKeySize, k.export().toString(), k.export({ format: "jwk" }), k.equals(crypto.createSecretKey(Buffer.from("abcd")))]; });
t("hmac keyobj", () => crypto.createHmac("sha1", crypto.createSecretKey(Buffer.from("k"))).update("d").digest("hex"));
t("jwk", () => { const k = crypto.createPrivateKey({ key: { kty: "OKP", crv: "Ed25519", d: "nWGxne_9WmC6hEr0kuwsxERJxWl7MmkZcDusAxyuf2A", x: "11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo" }, format: "jwk" }); return [k.type, k.export({ format: "pem", type: "pkcs8" })]; });
console.log(JSON.stringify(out, (k, v) => typeof v === "bigint" ? \`\${v}n\` : v, 1));
`;

test("hashes, hmac, kdfs, ciphers, keys and signatures match host Node (41 cases)", async () => {
  const out = await same(SYNC_CASES);
  assert.equal((JSON.parse(out) as unknown[]).length, 41);
});

const WEBCRYPTO_CASES = `const nodeCrypto = require("crypto");
const { subtle } = globalThis.crypto;
(async () => {
  const out = [];
  const hex = (b) => Buffer.from(b).toString("hex");
  out.push(["same", globalThis.crypto === nodeCrypto.webcrypto, typeof crypto.getRandomValues(new Uint8Array(4)), crypto.randomUUID().length]);
  out.push(["digest", hex(await subtle.digest("SHA-256", new TextEncoder().encode("abc")))]);
  const hk = await subtle.importKey("raw", Buffer.from("secret"), { name: "HMAC", hash: "SHA-256" }, false, ["sign", "verify"]);
  const sig = await subtle.sign("HMAC", hk, Buffer.from("data"));
  out.push(["hmac", hex(sig), await subtle.verify("HMAC", hk, sig, Buffer.from("data")), hk.type, hk.extractable, hk.algorithm, hk.usages]);
  try { await subtle.exportKey("raw", hk); } catch (e) { out.push(["export nonextractable", e.name, e.message]); }
  const ak = await subtle.generateKey({ name: "AES-GCM", length: 256 }, true, ["encrypt", "decrypt"]);
  const iv = new Uint8Array(12);
  const ct = await subtle.encrypt({ name: "AES-GCM", iv }, ak, Buffer.from("plain"));
  out.push(["aes", ct.byteLength, Buffer.from(await subtle.decrypt({ name: "AES-GCM", iv }, ak, ct)).toString(), (await subtle.exportKey("raw", ak)).byteLength, ak.algorithm]);
  const fixed = await subtle.importKey("raw", new Uint8Array(16).fill(7), "AES-GCM", true, ["encrypt"]);
  out.push(["aes fixed", hex(await subtle.encrypt({ name: "AES-GCM", iv, additionalData: Buffer.from("a") }, fixed, Buffer.from("x")))]);
  const pb = await subtle.importKey("raw", Buffer.from("pw"), "PBKDF2", false, ["deriveBits", "deriveKey"]);
  out.push(["pbkdf2", hex(await subtle.deriveBits({ name: "PBKDF2", salt: Buffer.from("s"), iterations: 100, hash: "SHA-256" }, pb, 256))]);
  const hkdfKey = await subtle.importKey("raw", Buffer.from("ikm"), "HKDF", false, ["deriveBits"]);
  out.push(["hkdf", hex(await subtle.deriveBits({ name: "HKDF", salt: Buffer.from("s"), info: Buffer.from("i"), hash: "SHA-256" }, hkdfKey, 128))]);
  const dk = await subtle.deriveKey({ name: "PBKDF2", salt: Buffer.from("s"), iterations: 10, hash: "SHA-256" }, pb, { name: "AES-GCM", length: 128 }, true, ["encrypt"]);
  out.push(["deriveKey", hex(await subtle.exportKey("raw", dk))]);
  const ec = await subtle.generateKey({ name: "ECDSA", namedCurve: "P-256" }, true, ["sign", "verify"]);
  const es = await subtle.sign({ name: "ECDSA", hash: "SHA-256" }, ec.privateKey, Buffer.from("m"));
  out.push(["ecdsa", es.byteLength, await subtle.verify({ name: "ECDSA", hash: "SHA-256" }, ec.publicKey, es, Buffer.from("m")), (await subtle.exportKey("jwk", ec.publicKey)).kty]);
  const ko = nodeCrypto.KeyObject.from(ec.publicKey); out.push(["keyobject.from", ko.type, ko.asymmetricKeyType]);
  try { await subtle.digest("SHA-7", Buffer.from("x")); } catch (e) { out.push(["bad digest", e.name, e.message]); }
  try { await subtle.sign("HMAC", ak, Buffer.from("x")); } catch (e) { out.push(["bad key", e.name, e.message]); }
  console.log(JSON.stringify(out, null, 1));
})();
`;

test("Web Crypto: digest, HMAC, AES-GCM, PBKDF2/HKDF, deriveKey, ECDSA, errors match host", async () => {
  const out = await same(WEBCRYPTO_CASES);
  assert.equal((JSON.parse(out) as unknown[]).length, 13);
});

test("callback forms and streaming Hash/Cipher/Sign match host Node", async () => {
  await same(`
const crypto = require("crypto");
const { pipeline, Readable, Writable } = require("stream");
const log = (...a) => console.log(JSON.stringify(a));
// Chained: callbacks of parallel thread-pool jobs may come back in any order.
const filled = new Uint32Array(4);
crypto.pbkdf2("pw", "salt", 10, 16, "sha1", (e, k) => {
  log("pbkdf2 cb", e, k.toString("hex"));
  crypto.randomBytes(12, (e, b) => {
  log("randomBytes cb", e, b.length);
  crypto.randomFill(filled, 1, 2, (e, arr) => {
  log("randomFill", e, arr === filled, arr[0] === 0, arr[3] === 0);
  crypto.scrypt("pw", "salt", 16, { N: 1024 }, (e2, k2) => {
    log("scrypt cb", e2, k2.toString("hex"));
    crypto.hkdf("sha256", "k", "s", "i", 8, (e3, k3) => {
      log("hkdf cb", e3, k3 instanceof ArrayBuffer, Buffer.from(k3).toString("hex"));
      crypto.generateKeyPair("ed25519", (e, pub, priv) => {
        crypto.sign(null, Buffer.from("m"), priv, (e2, sig) => {
          crypto.verify(null, Buffer.from("m"), pub, sig, (e3, ok) => log("async sign/verify", e, e2, e3, ok, sig.length));
        });
      });
    });
  });
  });
  });
});
try { crypto.pbkdf2("pw", "salt", 10, 16, "nope", () => {}); } catch (e) { log("pbkdf2 sync throw", e.name, e.code, e.message); }
try { crypto.pbkdf2("pw", "salt", 10, 16, "sha1"); } catch (e) { log("no callback", e.code, e.message); }
log("randomFillSync", crypto.randomFillSync(Buffer.alloc(8), 4).subarray(0, 4).toString("hex"));
try { crypto.randomBytes(-1); } catch (e) { log("randomBytes range", e.code, e.message); }
try { crypto.randomInt(1.5); } catch (e) { log("randomInt type", e.code, e.message); }
const h = crypto.createHash("sha256");
h.write("streamed ");
h.end("data");
h.on("readable", () => { const d = h.read(); if (d) log("hash stream", d.toString("hex")); });
const key = Buffer.alloc(16, 9), iv = Buffer.alloc(16, 1);
const parts = [];
pipeline(Readable.from([Buffer.from("a".repeat(100)), Buffer.from("b".repeat(50))]), crypto.createCipheriv("aes-128-cbc", key, iv), crypto.createDecipheriv("aes-128-cbc", key, iv), new Writable({ write(c, e, cb) { parts.push(c); cb(); } }), (err) => log("cipher pipeline", err, Buffer.concat(parts).toString()));
const enc = crypto.createCipheriv("aes-128-ctr", key, iv);
log("utf8 across updates", enc.update("é", "utf8", "base64"), enc.update("x", "utf8", "base64"), enc.final("base64"));
const s = crypto.createSign("sha256"); s.write("abc"); s.end();
const { privateKey, publicKey } = crypto.generateKeyPairSync("rsa", { modulusLength: 1024 });
const sig = s.sign(privateKey, "hex");
log("sign stream", crypto.createVerify("sha256").update("abc").verify(publicKey, sig, "hex"));
log("pss", crypto.verify("sha256", Buffer.from("x"), { key: publicKey, padding: crypto.constants.RSA_PKCS1_PSS_PADDING }, crypto.sign("sha256", Buffer.from("x"), { key: privateKey, padding: crypto.constants.RSA_PKCS1_PSS_PADDING })));
log("export pem", privateKey.export({ type: "pkcs1", format: "pem" }).split("\\n")[0], publicKey.export({ format: "jwk" }).kty);
log("keyobject", privateKey.type, privateKey.asymmetricKeyType, String(privateKey.asymmetricKeyDetails.publicExponent), crypto.createPublicKey(privateKey).equals(publicKey));
const x1 = crypto.generateKeyPairSync("x25519"), x2 = crypto.generateKeyPairSync("x25519");
log("x25519", crypto.diffieHellman({ privateKey: x1.privateKey, publicKey: x2.publicKey }).equals(crypto.diffieHellman({ privateKey: x2.privateKey, publicKey: x1.publicKey })));
log("uncaught shapes", Object.keys(crypto).filter((k) => typeof crypto[k] === "function").length > 40);
`);
});

test("single operations are bounded (64 MiB) with a clear RangeError", async () => {
  const r = await runNodeInVm("/tmp", {
    argv: [
      "-e",
      `const c = require("crypto");
for (const f of [() => c.randomBytes(65 * 1024 * 1024), () => c.pbkdf2Sync("p", "s", 1, 65 * 1024 * 1024, "sha1")]) {
  try { f(); console.log("no error"); } catch (e) { console.log(e.name, e.code, /at most 67108864 bytes/.test(e.message)); }
}`,
    ],
  });
  assert.equal(r.stdout, "RangeError ERR_OUT_OF_RANGE true\nRangeError ERR_OUT_OF_RANGE true\n");
  assert.equal(r.status, 0, r.stderr);
});
