import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { type Fixture, runBoth } from "./testing.ts";

const files: Fixture = {
  t4: "a\nb\nc\nd\n",
  t20: Array.from({ length: 20 }, (_, i) => `line ${i + 1}\n`).join(""),
  nonl: "x\ny",
  z: "a\0b\0c\0",
  bin: new Uint8Array([0xff, 0xfe, 0x0a, 0x00, 0x80, 0x0a, 0x41]),
  "dir/f": "in dir\n",
  "it's": "quote\n",
};

const cases: Array<[string[], string?]> = [
  [["head", "t20"]],
  [["head", "-n", "3", "t20"]],
  [["head", "-n3", "t20"]],
  [["head", "--lines=2", "t4"]],
  [["head", "--lin", "2", "t4"]],
  [["head", "-n", "-3", "t20"]],
  [["head", "-n", "-0", "t4"]],
  [["head", "-n", "0", "t4"]],
  [["head", "-n", "-30", "t20"]],
  [["head", "-c", "5", "t20"]],
  [["head", "-c", "-5", "t20"]],
  [["head", "-c", "1k", "t20"]],
  [["head", "-c", "1kB", "t20"]],
  [["head", "-3", "t20"]],
  [["head", "-5c", "t20"]],
  [["head", "-1v", "t20"]],
  [["head", "-n", "2", "t4", "t20"]],
  [["head", "-q", "-n", "1", "t4", "t20"]],
  [["head", "-v", "t4"]],
  [["head", "-n", "1", "t4", "missing", "t20"]],
  [["head", "missing"]],
  [["head", "it's"]],
  [["head", "dir"]],
  [["head", "dir", "t4"]],
  [["head", "-n", "1", "nonl"]],
  [["head", "-n", "5", "nonl"]],
  [["head", "-n", "-1", "nonl"]],
  [["head", "-z", "-n", "2", "z"]],
  [["head", "-n", "1", "bin"]],
  [["head", "-c", "3", "bin"]],
  [["head", "-n", "x", "t4"]],
  [["head", "-c", "-x", "t4"]],
  [["head", "-n", "5Q", "t4"]],
  [["head", "-n", "99999999999999999999999999", "t4"]],
  [["head", "-x", "t4"]],
  [["head", "-n"]],
  [["head", "--lines"]],
  [["head", "--v", "t4"]],
  [["head", "--bogus"]],
  [["head", "--quiet=3", "t4"]],
  [["head", "-n", "2", "-3", "t4"]],
  [["head", "-n", "1", "-"], "from\nstdin\n"],
  [["head", "-n", "1", "-", "t4"], "from\nstdin\n"],
  [["head", "-c", "4"], "from\nstdin\n"],
  [["head", "-n", "-1"], "from\nstdin\n"],
  [["head", "t4", "--", "-n"]],
];

describe("head", () => {
  for (const [argv, stdin] of cases) {
    it(argv.slice(1).join(" ") || "(no args)", async () => {
      const { vm, host } = await runBoth(argv, { files, stdin });
      assert.deepEqual(vm, host);
    });
  }
  it("reads large stdin and stops early", async () => {
    const big = "y\n".repeat(200000);
    const { vm, host } = await runBoth(["head", "-n", "3"], { stdin: big });
    assert.deepEqual(vm, host);
  });
});
