import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { type Fixture, runBoth } from "./testing.ts";

const files: Fixture = {
  t4: "a\nb\nc\nd\n",
  prose: "The quick  brown fox\tjumps over\nthe lazy dog.\n\n  indented line here\n",
  nonl: "no newline at end",
  tabs: "a\tbb\tccc\n\t\tx\n",
  cr: "abc\rde\ffghij\n",
  bin: new Uint8Array([0xff, 0x41, 0x20, 0x00, 0x42, 0x0a, 0x80, 0x81, 0x0b, 0x43]),
  empty: "",
  big: "word ".repeat(30000) + "\n",
  "dir/f": "x\n",
  list0: "t4\0prose\0",
  badlist0: "t4\0\0missing\0",
};

const cases: Array<[string[], string?]> = [
  [["wc", "t4"]],
  [["wc", "prose"]],
  [["wc", "-l", "prose"]],
  [["wc", "-w", "prose"]],
  [["wc", "-c", "prose"]],
  [["wc", "-m", "prose"]],
  [["wc", "-L", "prose"]],
  [["wc", "-L", "tabs"]],
  [["wc", "-L", "cr"]],
  [["wc", "-lw", "prose"]],
  [["wc", "-clmwL", "prose"]],
  [["wc", "--lines", "--words", "prose", "t4"]],
  [["wc", "--max-line-length", "prose"]],
  [["wc", "t4", "prose", "nonl"]],
  [["wc", "-l", "t4", "prose"]],
  [["wc", "nonl"]],
  [["wc", "bin"]],
  [["wc", "-L", "bin"]],
  [["wc", "empty"]],
  [["wc", "big"]],
  [["wc", "big", "t4"]],
  [["wc", "missing"]],
  [["wc", "missing", "t4"]],
  [["wc", "t4", "missing"]],
  [["wc", "dir", "t4"]],
  [["wc", "-l", "dir"]],
  [["wc"], "from stdin\nline two\n"],
  [["wc", "-l"], "from stdin\nline two\n"],
  [["wc", "-"], "from stdin\nline two\n"],
  [["wc", "-", "t4"], "from stdin\nline two\n"],
  [["wc", "--files0-from=list0"]],
  [["wc", "-l", "--files0-from=list0"]],
  [["wc", "--files0-from=badlist0"]],
  [["wc", "--files0-from=-"], "t4\0prose\0"],
  [["wc", "--files0-from=list0", "t4"]],
  [["wc", "--files0-from=nolist"]],
  [["wc", "-x"]],
  [["wc", "--bogus"]],
  [["wc", "--total=only", "t4"]],
];

describe("wc", () => {
  for (const [argv, stdin] of cases) {
    it(argv.slice(1).join(" ") || "(no args)", async () => {
      const { vm, host } = await runBoth(argv, { files, stdin });
      assert.deepEqual(vm, host);
    });
  }
});
