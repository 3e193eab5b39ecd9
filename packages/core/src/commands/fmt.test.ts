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
  [["fmt", "prose"]],
  [["fmt", "-w", "40", "prose"]],
  [["fmt", "-w", "20", "prose"]],
  [["fmt", "-30", "prose"]],
  [["fmt", "-u", "prose"]],
  [["fmt", "-s", "-w", "30", "prose"]],
  [["fmt", "-w", "60", "-g", "50", "prose"]],
  [["fmt", "-g", "40", "prose"]],
  [["fmt", "-c", "-w", "30"], "  first line of para\nsecond line that is\nthird one\n"],
  [["fmt", "-t", "-w", "30"], "  first line of para\nsecond line that is\nthird one\n"],
  [["fmt"], "one\ntwo\nthree\n"],
  [["fmt", "-w", "10"], "supercalifragilistic word\n"],
  [["fmt"], "a.  b.\nc. d\n"],
  [["fmt", "-w", "25"], "Mr. Smith went to Washington. He said hi.  Then left!\n"],
  [["fmt"], "\tTabbed indentation paragraph with\n\tmore text.\n"],
  [["fmt"], ""],
  [["fmt"], "\n\n\n"],
  [["fmt", "-w", "x"]],
  [["fmt", "missing"]],
  [["fmt", "tabs"]],
  [["fmt", "nonl"]],
  [
    ["fmt", "-w", "50"],
    "Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor incididunt ut labore et dolore magna aliqua. Ut enim ad minim veniam, quis nostrud exercitation ullamco laboris nisi ut aliquip ex ea commodo consequat.\nLorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor incididunt ut labore et dolore magna aliqua. Ut enim ad minim veniam, quis nostrud exercitation ullamco laboris nisi ut aliquip ex ea commodo consequat.\n",
  ],
  [
    ["fmt"],
    "It is a truth universally acknowledged, that a single man in possession of a good fortune, must be in want of a wife. However little known the feelings or views of such a man may be on his first entering a neighbourhood, this truth is so well fixed in the minds of the surrounding families, that he is considered the rightful property of some one or other of their daughters.\n",
  ],
];

describe("fmt", () => {
  for (const [argv, stdin] of cases) {
    it(`${argv.slice(1).join(" ")} <<< ${JSON.stringify(stdin)}`, async () => {
      const { vm, host } = await runBoth(argv, { files, stdin });
      assert.deepEqual(vm, host);
    });
  }
});
