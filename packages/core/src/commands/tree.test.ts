import assert from "node:assert/strict";
import { test } from "node:test";
import { type Fixture, hostHas, runBoth } from "./testing.ts";

const skip = hostHas("tree") ? false : "host has no tree";

const FILES: Fixture = {
  "a/b/c/deep": "",
  "a/b/g": "",
  "a/f": "",
  B: { dir: true },
  Z: "",
  z: "",
  "a b": "",
  ".h/in": "",
  ".hf": "",
  br: { symlink: "nope" },
  la: { symlink: "a" },
  lf: { symlink: "z" },
  "b\\s": "",
  "t\tx": "",
  "h\u00e9": "",
};

const cases: string[][] = [
  ["tree"],
  ["tree", "-a"],
  ["tree", "-d"],
  ["tree", "-L", "1"],
  ["tree", "-L2"],
  ["tree", "-f"],
  ["tree", "-i", "-f"],
  ["tree", "-I", "a*"],
  ["tree", "-I", "a*|B"],
  ["tree", "-P", "g*"],
  ["tree", "-P", "*e*", "-a"],
  ["tree", "--noreport"],
  ["tree", "a", "la"],
  ["tree", "a/b"],
  ["tree", "nope"],
  ["tree", "z"],
  ["tree", "-F"],
  ["tree", "-l"],
  ["tree", "--dirsfirst"],
  ["tree", "--filesfirst"],
  ["tree", "-r"],
  ["tree", "-C"],
  ["tree", "-n"],
  ["tree", "-d", "-L", "1", "a"],
  ["tree", "--prune", "-P", "g*"],
  ["tree", "--filelimit", "3"],
  ["tree", "-L", "0"],
  ["tree", "-L"],
  ["tree", "-z"],
  ["tree", "--bogus"],
  ["tree", "--charset=ascii", "a"],
];

for (const argv of cases) {
  test(argv.join(" "), { skip }, async () => {
    const { vm, host } = await runBoth(argv, { files: FILES });
    assert.deepEqual(vm, host);
  });
}

test("tree -C with TERM set colours", { skip }, async () => {
  const { vm, host } = await runBoth(["tree", "-C"], { files: FILES, env: { TERM: "xterm" } });
  assert.deepEqual(vm, host);
});

test("tree in a UTF-8 locale draws box lines", { skip }, async () => {
  const { vm, host } = await runBoth(["tree", "a"], {
    files: FILES,
    env: { LC_ALL: "C.UTF-8" },
  });
  assert.deepEqual(vm, host);
  assert.match(vm.stdout, /├── b\n│\u00a0\u00a0 ├── c\n/);
});

test("tree singular report", { skip }, async () => {
  const { vm, host } = await runBoth(["tree", "x"], { files: { "x/y": "" } });
  assert.deepEqual(vm, host);
});
