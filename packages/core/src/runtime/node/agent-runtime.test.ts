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
  // Claude Code reads its SDK messages with `for await (... of process.stdin)`: the pending
  // read keeps the process alive between messages although the stream is not flowing.
  "stdin read by an async iterator keeps the process alive while data is slow": {
    files: {
      "reader.mjs": `
        const lines = [];
        for await (const chunk of process.stdin) lines.push(String(chunk).trim());
        console.log("reader got", JSON.stringify(lines));`,
      "main.mjs": `
        import { spawn } from "node:child_process";
        const child = spawn(process.execPath, ["reader.mjs"], { stdio: ["pipe", "inherit", "inherit"] });
        child.on("exit", (code) => console.log("reader exit", code));
        setTimeout(() => child.stdin.write("first\\n"), 100);
        setTimeout(() => child.stdin.end("second\\n"), 300);`,
    },
    argv: ["main.mjs"],
  },
  "stdin paused by its reader lets the process end": {
    files: {
      "reader.mjs": `
        process.stdin.on("data", (chunk) => console.log("reader got", JSON.stringify(String(chunk).trim())));
        setTimeout(() => { console.log("pausing"); process.stdin.pause(); }, 200);`,
      "main.mjs": `
        import { spawn } from "node:child_process";
        const child = spawn(process.execPath, ["reader.mjs"], { stdio: ["pipe", "inherit", "inherit"] });
        child.on("exit", (code) => { console.log("reader exit", code); child.stdin.destroy(); });
        // The pipe stays open: only the pause lets the reader end.
        setTimeout(() => child.stdin.write("only\\n"), 50);`,
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
