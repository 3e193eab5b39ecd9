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
  [["nl", "t4"]],
  [["nl", "prose"]],
  [["nl"], "a\n\nb\n"],
  [["nl", "-ba"], "a\n\nb\n"],
  [["nl", "-bn"], "a\n\nb\n"],
  [["nl", "-bpb"], "abc\nxyz\nbob\n"],
  [["nl", "-b", "p^a"], "abc\nbab\nab\n"],
  [["nl", "-nln"], "a\nb\n"],
  [["nl", "-nrz"], "a\nb\n"],
  [["nl", "-n", "rn"], "a\nb\n"],
  [["nl", "-w3", "-s|"], "a\nb\n"],
  [["nl", "-v", "10", "-i", "5"], "a\nb\nc\n"],
  [["nl", "-v", "-2", "-nrz"], "a\nb\nc\nd\n"],
  [["nl", "-ba", "-l2"], "a\n\n\n\nb\n"],
  [["nl"], "a\n\\:\\:\nb\n"],
  [["nl", "-p"], "a\n\\:\\:\nb\n"],
  [["nl", "-ha"], "\\:\\:\\:\nh1\n\\:\\:\nb1\n\\:\nf1\n"],
  [["nl", "-d", "@@"], "a\n@@@@\nb\n"],
  [["nl", "nonl"]],
  [["nl", "missing"]],
  [["nl", "-w", "x"]],
  [["nl", "-v", "x"]],
  [["nl", "-i", "x"]],
  [["nl", "-l", "x"]],
  [["nl", "-b", "x"]],
  [["nl", "-n", "x"]],
  [["nl", "-w", "0"]],
  [["nl", "-s"]],
  [["nl", "--body-numbering=a", "--number-width=2"], "x\n\ny\n"],
];

describe("nl", () => {
  for (const [argv, stdin] of cases) {
    it(`${argv.slice(1).join(" ")} <<< ${JSON.stringify(stdin)}`, async () => {
      const { vm, host } = await runBoth(argv, { files, stdin });
      assert.deepEqual(vm, host);
    });
  }
});
