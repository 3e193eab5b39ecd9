import assert from "node:assert/strict";
import { test } from "node:test";
import { type Fixture, runBoth, VM_WORKDIR } from "./testing.ts";

const FILES: Fixture = {
  f: "x",
  "d/e/g": "y",
  ld: { symlink: "d/e" },
  broken: { symlink: "nope" },
  loop1: { symlink: "loop2" },
  loop2: { symlink: "loop1" },
  abs: { symlink: "/etc" },
  chain: { symlink: "ld/g" },
};

/** Absolute results contain the working directory, which differs: map both to "$W". */
function norm(r: { stdout: string; stderr: string; exitCode: number }, dir: RegExp) {
  return { ...r, stdout: r.stdout.replace(dir, "$W"), stderr: r.stderr.replace(dir, "$W") };
}

const cases: string[][] = [
  ["realpath", "f", "ld", "broken", "d/../f", "chain"],
  ["realpath", "nope", "x/y"],
  ["realpath", "-e", "broken"],
  ["realpath", "-e", "f", "chain"],
  ["realpath", "-m", "x/y/../z", "broken/a"],
  ["realpath", "-s", "ld/.."],
  ["realpath", "-L", "ld/.."],
  ["realpath", "--relative-to=d", "f", "ld"],
  ["realpath", "--relative-to=d/e", "f", "ld"],
  ["realpath", "--relative-base=d", "f", "d/e/g"],
  ["realpath", "-q", "x/y", "f"],
  ["realpath", "-z", "f"],
  ["realpath", "loop1"],
  ["realpath", "f/x"],
  ["realpath", "-m", "f/x"],
  ["realpath", "abs"],
  ["realpath"],
  ["realpath", "-k"],
  ["readlink", "ld", "f"],
  ["readlink", "abs", "broken"],
  ["readlink", "-f", "ld/..", "nope/x", "broken", "chain"],
  ["readlink", "-e", "broken"],
  ["readlink", "-e", "chain"],
  ["readlink", "-v", "f"],
  ["readlink", "-v", "nope"],
  ["readlink", "-n", "ld"],
  ["readlink", "-n", "ld", "ld"],
  ["readlink", "-m", "a/../b"],
  ["readlink", "-f", "loop1"],
  ["readlink", "-fv", "loop1"],
  ["readlink", "-z", "ld"],
  ["readlink"],
];

for (const argv of cases) {
  test(argv.join(" "), async () => {
    const { vm, host } = await runBoth(argv, { files: FILES });
    const hostDir = /\/tmp\/agentos-diff-[^/\s]+/g;
    const vmDir = new RegExp(VM_WORKDIR.replace(/\//g, "\\/"), "g");
    assert.deepEqual(norm(vm, vmDir), norm(host, hostDir));
  });
}
