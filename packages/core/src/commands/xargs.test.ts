import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { type Fixture, runBoth } from "./testing.ts";

const files: Fixture = {
  list: "one\ntwo three\nfour\n",
  list0: "a b\0c\0\0d\0",
  "x.txt": "X\n",
  "y.txt": "Y\n",
};

const cases: Array<[string[], string?]> = [
  [["xargs"], "a b\nc\n"],
  [["xargs", "echo"], "a b\nc\n"],
  [["xargs", "echo", "pre"], "a b\nc\n"],
  [["xargs"], ""],
  [["xargs", "echo", "x"], ""],
  [["xargs", "-r", "echo", "x"], ""],
  [["xargs", "--no-run-if-empty", "echo", "x"], "\n\n"],
  [["xargs", "-n", "1", "echo"], "a b c\n"],
  [["xargs", "-n2"], "1 2 3 4 5"],
  [["xargs", "--max-args=2", "echo", "-"], "1 2 3 4 5"],
  [["xargs", "-L", "1", "echo"], "a b\nc d\n\ne\n"],
  [["xargs", "-L", "2", "echo"], "a b\nc d\ne\n"],
  [["xargs", "-L", "1", "echo"], "a b \nc d\ne\n"],
  [["xargs", "-L1", "-n2", "echo"], "a\nb\n"],
  [["xargs", "-0", "echo"], "a b\0c\0\0d\0"],
  [["xargs", "-0", "-n1", "echo"], "a b\0c\0\0d"],
  [["xargs", "--null", "-n", "1", "echo", "[", "]"], "x\0y\0"],
  [["xargs", "-d", "\\n", "-n1", "echo"], "a b\n'c'\n\nd\n"],
  [["xargs", "-d", ",", "echo"], "a,b,c"],
  [["xargs", "-d", "xy", "echo"], "a"],
  [["xargs", "-a", "list", "echo"]],
  [["xargs", "--arg-file=list", "-n", "1"]],
  [["xargs", "-a", "missing"]],
  [["xargs", "-0", "-a", "list0", "-n1", "echo"]],
  [["xargs", "-I", "{}", "echo", "x{}y{}"], "a\nb\n"],
  [["xargs", "-I{}", "echo", "[{}]"], "  lead  b \nc d\n"],
  [["xargs", "-I", "%", "echo", "%", "is", "%"], "one\n\ntwo\n"],
  [["xargs", "-i", "echo", "<{}>"], "p q\n"],
  [["xargs", "-E", "_", "echo"], "a\n_\nb\n"],
  [["xargs", "-E", "STOP"], "a b STOP c\n"],
  [["xargs", "echo"], "a \"b c\" d\\ e 'f g'\n"],
  [["xargs", "-n1"], "a '' b\n"],
  [["xargs", "echo"], "it's\n"],
  [["xargs", "echo"], 'a "b\n'],
  [["xargs", "echo"], "a 'b"],
  [["xargs", "-0", "echo"], "it's\0"],
  [["xargs", "-t", "echo"], "a b\nc\n"],
  [["xargs", "-t", "-d", "\\n", "echo"], "a b\nc\n"],
  [["xargs", "-s", "10", "echo"], "a b c"],
  [["xargs", "-s", "10", "echo"], "aaaaaaaaaaaaaaaa"],
  [["xargs", "-x", "-s", "12", "-n", "3", "echo"], "a b c d\n"],
  [["xargs", "-x", "-s", "10", "-n", "3", "echo"], "a b c d\n"],
  [["xargs", "nosuchcmd"], "a\n"],
  [["xargs", "false"], "a\n"],
  [["xargs", "-n1", "false"], "a\nb\n"],
  [["xargs", "true"], "a\n"],
  [["xargs", "-p", "echo"], "a\n"],
  [["xargs", "-n", "0"]],
  [["xargs", "-P", "x"]],
  [["xargs", "-L", "0"]],
  [["xargs", "-Q"]],
  [["xargs", "--bogus"]],
  [["xargs", "-n"]],
  [["xargs", "cat"], "x.txt y.txt\n"],
  [["xargs", "-n1", "cat"], "x.txt\nmissing\ny.txt\n"],
  [["xargs", "-P", "2", "-n", "1", "cat"], "x.txt\n"],
  [["xargs", "echo", "-n"], "a b\n"],
  [["xargs", "wc", "-l"], "list\n"],
  [["xargs", "cat"], ""],
];

describe("xargs", () => {
  for (const [argv, stdin] of cases) {
    it(`${argv.slice(1).join(" ")} <<< ${JSON.stringify(stdin)}`, async () => {
      const { vm, host } = await runBoth(argv, { files, stdin });
      assert.deepEqual(vm, host);
    });
  }

  it("-P runs commands in parallel (same multiset of output)", async () => {
    const input = Array.from({ length: 12 }, (_, i) => `${i}`).join("\n");
    const { vm, host } = await runBoth(["xargs", "-P", "4", "-n", "1", "echo"], { stdin: input });
    const sort = (s: string): string[] => s.split("\n").sort();
    assert.deepEqual(sort(vm.stdout), sort(host.stdout));
    assert.equal(vm.exitCode, 0);
  });

  it("large input is batched by size", async () => {
    const input = "word ".repeat(40000);
    const { vm, host } = await runBoth(["xargs", "echo"], { stdin: input });
    assert.equal(vm.stdout.split("\n").length, host.stdout.split("\n").length);
    assert.equal(vm.stdout.replace(/\n/g, " "), host.stdout.replace(/\n/g, " "));
  });
});
