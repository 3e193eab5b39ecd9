/**
 * node:http2 in the guest: the pure parts (constants, SETTINGS codec, the compatibility classes
 * frameworks check with instanceof) are differential against host Node 24; sessions are not
 * supported and fail with a clear error.
 */
import assert from "node:assert/strict";
import { after, describe, it } from "node:test";
import { closeNodeVm, nodeVm, runNodeBoth } from "./testing.ts";

after(closeNodeVm);

describe("http2", () => {
  it("constants, default settings and the SETTINGS codec match Node's", async () => {
    const r = await runNodeBoth({
      files: {
        "main.mjs": `import http2, { constants, Http2ServerRequest } from "node:http2";
const packed = http2.getPackedSettings({ enablePush: false, initialWindowSize: 1 << 20, maxHeaderListSize: 8192 });
console.log(Object.keys(constants).length, constants.HTTP2_HEADER_STATUS, constants.NGHTTP2_NO_ERROR, constants.HTTP_STATUS_OK);
console.log(http2.getDefaultSettings(), packed.toString("hex"), http2.getUnpackedSettings(packed));
console.log(typeof http2.sensitiveHeaders, ({}) instanceof Http2ServerRequest);
try { http2.getPackedSettings({ maxFrameSize: 1 }) } catch (e) { console.log(e.name, e.code, e.message) }`,
      },
      argv: ["main.mjs"],
    });
    assert.equal(r.vm.stdout, r.host.stdout, r.vm.stderr);
    assert.equal(r.vm.status, 0);
  });

  it("sessions are not supported and say so", async () => {
    const vm = await nodeVm();
    const r = await vm.exec(
      `node -e "const h = require('http2'); for (const f of [() => h.connect('http://127.0.0.1:1'), () => h.createServer(), () => h.createSecureServer({})]) try { f() } catch (e) { console.log(e.code, e.message) }"`,
    );
    assert.equal(
      r.stdout,
      [
        "ERR_AGENTOS_NOT_SUPPORTED http2.connect (HTTP/2 client sessions) is not supported in the agentOS VM",
        "ERR_AGENTOS_NOT_SUPPORTED http2.createServer (HTTP/2 servers) is not supported in the agentOS VM",
        "ERR_AGENTOS_NOT_SUPPORTED http2.createSecureServer (HTTP/2 servers) is not supported in the agentOS VM",
        "",
      ].join("\n"),
      r.stderr,
    );
  });
});
