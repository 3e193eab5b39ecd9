import assert from "node:assert/strict";
import { test } from "node:test";
import { type Fixture, runBoth } from "./testing.ts";

/** One entry per directory so that readdir order (which differs host/VM) cannot matter. */
const FILES: Fixture = {
  "d/e/big": "x".repeat(5000),
  "d/e2/small": "hi\n",
  "f/only": "abc",
  "f/link": { symlink: "only" },
  top: "y".repeat(10000),
};

const cases: string[][] = [
  ["du", "f"],
  ["du", "d/e"],
  ["du", "-s", "d"],
  ["du", "-sh", "d"],
  ["du", "-h", "d/e"],
  ["du", "-s", "top"],
  ["du", "top"],
  ["du", "-a", "d/e"],
  ["du", "-c", "d/e", "f"],
  ["du", "-sc", "d/e", "d/e"],
  ["du", "-d", "0", "d"],
  ["du", "--max-depth=0", "f"],
  ["du", "-b", "d/e"],
  ["du", "-sb", "top"],
  ["du", "--apparent-size", "d/e"],
  ["du", "--apparent-size", "-s", "top"],
  ["du", "-k", "top"],
  ["du", "-m", "top"],
  ["du", "-ab", "d/e"],
  ["du", "-0", "-s", "top"],
  ["du", "-s", "--exclude=big", "d/e"],
  ["du", "nope"],
  ["du", "-s", "nope", "top"],
  ["du", "-d", "x", "d"],
  ["du", "-s", "-d", "1", "d"],
  ["du", "-sa", "d"],
  ["du", "-q"],
];

for (const argv of cases) {
  test(argv.join(" "), async () => {
    const { vm, host } = await runBoth(argv, { files: FILES });
    assert.deepEqual(vm, host);
  });
}

test("du -d 1 lists subdirectories (order as readdir)", async () => {
  const { vm, host } = await runBoth(["du", "-d", "1", "d"], { files: FILES });
  const sort = (s: string): string => s.split("\n").sort().join("\n");
  assert.equal(sort(vm.stdout), sort(host.stdout));
});

test("du with no operand uses .", async () => {
  const { vm } = await runBoth(["du", "-s"], { files: FILES });
  assert.match(vm.stdout, /^\d+\t\.\n$/);
});
