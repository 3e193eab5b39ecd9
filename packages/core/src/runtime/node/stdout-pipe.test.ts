/**
 * A guest writing to a pipe whose reader is gone (`node ... | head -1`) ends without hanging
 * and without noise, whether it writes in a busy loop (which on a real host only stops when
 * the heap runs out) or from timers; the shell sees it killed by SIGPIPE.
 */
import assert from "node:assert/strict";
import { after, describe, it } from "node:test";
import { closeNodeVm, nodeVm } from "./testing.ts";

after(closeNodeVm);

describe("stdout into a closed pipe", () => {
  for (const [name, program] of [
    ["a busy console.log loop", "for (;;) console.log(1)"],
    ["writes from a timer", "setInterval(() => console.log(1), 1)"],
    ["one large write", "process.stdout.write('1\\n'.repeat(1e6))"],
    [
      "writes that wait for drain",
      "(async () => { for (;;) if (!process.stdout.write('1\\n')) await new Promise((r) => process.stdout.once('drain', r)) })()",
    ],
  ]) {
    it(name, async () => {
      const vm = await nodeVm();
      const r = await vm.exec(`node -e "${program}" | head -1; echo \${PIPESTATUS[@]}`, {
        timeout: 20_000,
      });
      assert.equal(r.stdout, "1\n141 0\n", r.stderr);
      assert.equal(r.stderr, "");
    });
  }
});
