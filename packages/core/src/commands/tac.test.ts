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
  [["tac", "t4"]],
  [["tac", "nonl"]],
  [["tac", "t4", "nonl"]],
  [["tac"], "1\n2\n3\n"],
  [["tac"], "a\nb"],
  [["tac", "-b"], "a\nb\nc\n"],
  [["tac", "-s", ","], "a,b,c"],
  [["tac", "-s", ","], "a,b,c,"],
  [["tac", "-s", "::"], "x::y::z::"],
  [["tac", "-b", "-s", ","], "a,b,c"],
  [["tac", "-r", "-s", "[0-9][0-9]*"], "a1b22c3"],
  [["tac", "missing"]],
  [["tac", "dir"]],
  [["tac", "bin"]],
  [["tac", "-s", ""], "x"],
  [["tac", "--bogus"]],
  [["tac"], ""],
];

describe("tac", () => {
  for (const [argv, stdin] of cases) {
    it(`${argv.slice(1).join(" ")} <<< ${JSON.stringify(stdin)}`, async () => {
      const { vm, host } = await runBoth(argv, { files, stdin });
      assert.deepEqual(vm, host);
    });
  }
});
