/**
 * Differential tests for node:zlib in the VM against host Node 24: one-shot sync/callback/
 * promisified forms, streams (flush, errors), options, crc32, constants, error shapes, and a
 * 10 MB file piped through createGzip and createGunzip.
 */
import assert from "node:assert/strict";
import { after, test } from "node:test";
import { closeNodeVm, normaliseResult, runNodeBoth } from "./testing.ts";

after(closeNodeVm);

async function same(script: string): Promise<string> {
  const { host, vm } = await runNodeBoth({ files: { "main.js": script }, argv: ["main.js"] });
  assert.deepEqual(normaliseResult(vm), normaliseResult(host));
  assert.equal(host.status, 0, host.stderr);
  return host.stdout;
}

const CASES = `const zlib = require("zlib");
const { promisify } = require("util");
const out = [];
const t = (name, f) => { try { out.push([name, f()]); } catch (e) { out.push([name, "ERR", e.name, e.code, e.errno, e.message, String(e.stack).split("\\n")[0]]); } };
const text = "hello hello hello zlib ".repeat(50);
t("gzip rt", () => zlib.gunzipSync(zlib.gzipSync(text)).toString() === text);
t("deflate hex", () => zlib.deflateSync(text).toString("hex"));
t("deflate lvl1", () => zlib.deflateSync(text, { level: 1 }).toString("base64"));
t("raw", () => zlib.inflateRawSync(zlib.deflateRawSync("abc")).toString());
t("unzip gz", () => zlib.unzipSync(zlib.gzipSync("abc")).toString());
t("unzip df", () => zlib.unzipSync(zlib.deflateSync("abc")).toString());
t("brotli", () => zlib.brotliCompressSync(text).toString("hex"));
t("brotli params", () => zlib.brotliCompressSync(text, { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 4 } }).length);
t("brotli rt", () => zlib.brotliDecompressSync(zlib.brotliCompressSync(text)).toString() === text);
t("bad header", () => zlib.gunzipSync(Buffer.from("hello")));
t("bad inflate", () => zlib.inflateSync(Buffer.from("hello")));
t("bad level", () => zlib.deflateSync("x", { level: 42 }));
t("bad input", () => zlib.gzipSync(5));
t("crc32", () => [zlib.crc32("hello"), zlib.crc32(Buffer.from("world"), 123)]);
t("constants", () => [zlib.constants.Z_BEST_COMPRESSION, zlib.Z_NO_FLUSH, zlib.codes.Z_DATA_ERROR, zlib.codes["-3"]]);
t("maxOutputLength", () => zlib.inflateSync(zlib.deflateSync(Buffer.alloc(1000)), { maxOutputLength: 10 }));
t("windowBits", () => zlib.deflateSync(text, { windowBits: 9 }).length);
zlib.gzip(text, (err, buf) => {
  out.push(["cb gzip", err, zlib.gunzipSync(buf).toString() === text]);
  zlib.gunzip(Buffer.from("nope"), async (err2) => {
    out.push(["cb err", err2.message, err2.code, err2.errno]);
    const p = await promisify(zlib.deflate)("promised");
    out.push(["promisified", (await promisify(zlib.inflate)(p)).toString()]);
    const gz = zlib.createGzip();
    const chunks = [];
    gz.on("data", (c) => chunks.push(c));
    gz.on("end", () => {
      const all = Buffer.concat(chunks);
      out.push(["stream", zlib.gunzipSync(all).toString().length]);
      const bad = zlib.createGunzip();
      bad.on("error", (e) => {
        out.push(["stream err", e.message, e.code, e.errno]);
        const df = zlib.createDeflate();
        const parts = [];
        df.on("data", (c) => parts.push(c));
        df.write("part one ");
        df.flush(() => {
          out.push(["flushed", Buffer.concat(parts).toString("hex")]);
          df.end("part two");
          df.on("end", () => {
            out.push(["flush rt", zlib.inflateSync(Buffer.concat(parts)).toString()]);
            console.log(JSON.stringify(out, null, 1));
          });
        });
      });
      bad.end(Buffer.from("garbage data"));
    });
    for (let i = 0; i < 10; i++) gz.write(text);
    gz.end();
  });
});
`;

test("zlib one-shot, callback, promisified and stream forms match host Node (24 cases)", async () => {
  const out = await same(CASES);
  assert.equal((JSON.parse(out) as unknown[]).length, 24);
});

test("a 10 MB file through createGzip to disk and back through createGunzip", async () => {
  const out = await same(`
const fs = require("fs"), zlib = require("zlib"), crypto = require("crypto");
const { pipeline } = require("stream");
const size = 10 * 1024 * 1024;
const data = Buffer.alloc(size);
for (let i = 0; i < size; i += 4) data.writeUInt32LE((Math.imul(i, 2654435761) >>> (i % 7)) & 0x3f3f3f3f, i);
fs.writeFileSync("big.bin", data);
pipeline(fs.createReadStream("big.bin"), zlib.createGzip({ level: 6 }), fs.createWriteStream("big.bin.gz"), (err) => {
  if (err) throw err;
  pipeline(fs.createReadStream("big.bin.gz"), zlib.createGunzip(), fs.createWriteStream("big.out"), (err2) => {
    if (err2) throw err2;
    const back = fs.readFileSync("big.out");
    console.log(back.length, back.equals(data), crypto.createHash("sha256").update(fs.readFileSync("big.bin.gz")).digest("hex"));
  });
});
`);
  assert.match(out, /^10485760 true [0-9a-f]{64}\n$/);
});

test("brotli streams with params and deflate params() match host Node", async () => {
  await same(`
const zlib = require("zlib");
const text = Buffer.from("brotli stream text ".repeat(200));
const br = zlib.createBrotliCompress({ params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 5 }, chunkSize: 64 });
const parts = [];
br.on("data", (c) => parts.push(c.length <= 64));
const all = [];
br.on("data", (c) => all.push(c));
br.on("end", () => {
  console.log(parts.every(Boolean), zlib.brotliDecompressSync(Buffer.concat(all)).equals(text));
  const d = zlib.createDeflate({ level: 1 });
  const out = [];
  d.on("data", (c) => out.push(c));
  d.write(text.subarray(0, 1000));
  d.params(9, zlib.constants.Z_DEFAULT_STRATEGY, (err) => {
    d.end(text.subarray(1000));
    d.on("end", () => console.log(err, Buffer.concat(out).toString("hex"), zlib.inflateSync(Buffer.concat(out)).equals(text)));
  });
});
br.end(text);
`);
});
