import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { type Fixture, runBoth, runInVm } from "./testing.ts";

const files: Fixture = {
  lines: "a\nb\nc\nd\ne\n",
  nonl: "x\ny",
  seed: "some random bytes for the seed",
  z: "p\0q\0r\0",
};

const sortLines = (s: string, sep = "\n"): string[] =>
  s
    .split(sep)
    .filter((l) => l !== "")
    .sort();

describe("shuf", () => {
  const multisets: Array<[string[], string?]> = [
    [["shuf", "lines"]],
    [["shuf"], "1\n2\n3\n"],
    [["shuf", "nonl"]],
    [["shuf", "-e", "a", "b", "c"]],
    [["shuf", "-i", "1-10"]],
    [["shuf", "-i", "5-5"]],
    [["shuf", "-i", "5-4"]],
    [["shuf", "-n", "0", "lines"]],
    [["shuf", "-n", "10", "lines"]],
  ];
  for (const [argv, stdin] of multisets) {
    it(`${argv.slice(1).join(" ")}: same multiset as GNU`, async () => {
      const { vm, host } = await runBoth(argv, { files, stdin });
      assert.deepEqual(sortLines(vm.stdout), sortLines(host.stdout));
      assert.equal(vm.stderr, host.stderr);
      assert.equal(vm.exitCode, host.exitCode);
    });
  }

  it("-z uses NUL terminators", async () => {
    const { vm, host } = await runBoth(["shuf", "-z", "z"], { files });
    assert.deepEqual(sortLines(vm.stdout, "\0"), sortLines(host.stdout, "\0"));
  });

  it("-n picks a subset", async () => {
    const vm = await runInVm(["shuf", "-n", "2", "lines"], { files });
    const got = sortLines(vm.stdout);
    assert.equal(got.length, 2);
    for (const l of got) assert.ok(["a", "b", "c", "d", "e"].includes(l));
  });

  it("-r -n repeats with replacement", async () => {
    const vm = await runInVm(["shuf", "-r", "-n", "50", "-e", "x", "y"]);
    const got = vm.stdout.split("\n").filter(Boolean);
    assert.equal(got.length, 50);
    for (const l of got) assert.ok(l === "x" || l === "y");
  });

  it("--random-source is deterministic", async () => {
    const a = await runInVm(["shuf", "--random-source=seed", "-i", "1-100"], { files });
    const b = await runInVm(["shuf", "--random-source=seed", "-i", "1-100"], { files });
    assert.equal(a.stdout, b.stdout);
    assert.deepEqual(
      sortLines(a.stdout)
        .map(Number)
        .sort((x, y) => x - y),
      Array.from({ length: 100 }, (_, i) => i + 1),
    );
  });

  it("-o writes to a file", async () => {
    const vm = await runInVm(["shuf", "-o", "out", "-e", "only"]);
    assert.deepEqual(vm, { stdout: "", stderr: "", exitCode: 0 });
  });

  const errors: string[][] = [
    ["shuf", "-i", "x"],
    ["shuf", "-i", "5-1"],
    ["shuf", "-n", "x"],
    ["shuf", "-e", "-i", "1-2"],
    ["shuf", "missing"],
    ["shuf", "a", "b"],
    ["shuf", "-r", "-i", "1-0", "-n", "2"],
    ["shuf", "--bogus"],
  ];
  for (const argv of errors) {
    it(`error: ${argv.slice(1).join(" ")}`, async () => {
      const { vm, host } = await runBoth(argv, { files });
      assert.deepEqual(vm, host);
    });
  }
});
