import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { type Fixture, runBoth } from "./testing.ts";

const files: Fixture = {
  prose:
    "The quick brown fox jumps over the lazy dog. It was a sunny day!  Everyone was happy (mostly).\nAnother line of text that goes on and on without a break, because long lines are fun to fold and fill.\n\n  Indented paragraph here, with some words.\n  And a second indented line.\n\nshort\n",
  t4: "a\nb\nc\nd\n",
  tabs: "a\tb\tc\n\t\tx\n  \t y\n",
  nonl: "x\ny",
  bin: new Uint8Array([0xff, 0x41, 0x0a, 0x00, 0x80, 0x0a]),
  "dir/f": "x\n",
};

const cases: Array<[string[], string?]> = [
  [["fold", "prose"]],
  [["fold", "-w", "20", "prose"]],
  [["fold", "-w20", "-s", "prose"]],
  [["fold", "-s", "-w", "10"], "aaa bbb ccc ddd eee\n"],
  [["fold", "-w", "3"], "abcdefg hi\n"],
  [["fold", "-b", "-w", "5", "tabs"]],
  [["fold", "-w", "5", "tabs"]],
  [["fold", "-w", "4"], "ab\bcdefg\n"],
  [["fold", "-w", "4"], "abc\rdefgh\n"],
  [["fold", "-10", "prose"]],
  [["fold", "-w", "0"]],
  [["fold", "-w", "x"]],
  [["fold", "-w", "5", "nonl"]],
  [["fold", "-w", "2", "-s"], "a b c d\n"],
  [["fold", "-s", "-w", "6"], "abcdefghij kl\n"],
  [["fold", "missing"]],
  [["fold", "-w", "3", "bin"]],
];

describe("fold", () => {
  for (const [argv, stdin] of cases) {
    it(`${argv.slice(1).join(" ")} <<< ${JSON.stringify(stdin)}`, async () => {
      const { vm, host } = await runBoth(argv, { files, stdin });
      assert.deepEqual(vm, host);
    });
  }
});
