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
  [["unexpand"], "        a       b\n"],
  [["unexpand", "-a"], "        a       b\n"],
  [["unexpand", "-a"], "a       b  c    d\n"],
  [["unexpand", "-t", "4"], "    a   b\n"],
  [["unexpand", "--first-only", "-t", "4"], "    a   b\n"],
  [["unexpand", "-a"], "abcdefg h\n"],
  [["unexpand", "-a"], "abcdef  h\n"],
  [["unexpand"], "   \t  x\n"],
  [["unexpand", "-a", "-t", "2,5"], "     x    y\n"],
  [["unexpand", "tabs"]],
  [["unexpand", "-a", "prose"]],
  [["unexpand", "missing"]],
  [["unexpand", "-t", "0"], "a\n"],
  [["unexpand"], "                  \n"],
  [["unexpand", "-a"], "x                  \n"],
];

describe("unexpand", () => {
  for (const [argv, stdin] of cases) {
    it(`${argv.slice(1).join(" ")} <<< ${JSON.stringify(stdin)}`, async () => {
      const { vm, host } = await runBoth(argv, { files, stdin });
      assert.deepEqual(vm, host);
    });
  }
});
