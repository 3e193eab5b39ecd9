/**
 * Runtime behaviour real coding agents (Claude Code's CLI and its SDK) rely on, differential
 * against host Node 24: each case is a small program run by the host's node and by `node`
 * inside a VM (same directory path on both sides); stdout, stderr and the exit status must match.
 */
import assert from "node:assert/strict";
import { after, describe, it } from "node:test";
import { closeNodeVm, type NodeFiles, runNodeBoth } from "./testing.ts";

after(closeNodeVm);

interface Case {
  files: NodeFiles;
  argv: string[];
}

const CASES: Record<string, Case> = {
  // The ESM loader learns a builtin's export names by evaluating it; zlib's factory asks the
  // host for its constants with a synchronous call, which must work there too.
  "ESM import of a builtin whose factory calls the host synchronously": {
    files: {
      "main.mjs": `
        import zlib, { gzipSync, constants } from "node:zlib";
        console.log(typeof gzipSync, constants.Z_BEST_COMPRESSION);
        console.log(zlib.gunzipSync(gzipSync("round trip")).toString());`,
    },
    argv: ["main.mjs"],
  },
};

describe("runtime behaviour agents rely on (host Node 24 vs VM)", () => {
  for (const [name, run] of Object.entries(CASES)) {
    it(name, async () => {
      const { host, vm } = await runNodeBoth(run);
      assert.deepEqual(vm, host);
    });
  }
});
