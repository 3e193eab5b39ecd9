import assert from "node:assert/strict";
import { test } from "node:test";
import { runStepsBoth } from "./lib/file-testing.ts";
import type { Fixture } from "./testing.ts";

const FILES: Fixture = { f: "file\n", ref: "r", "d/x": "" };
const SHOW = ["stat", "-c", "%n %x %y", "f", "new"];

/** Times set by the fixture or "now" differ between the two runs: mask recent ones. */
function mask(r: { stdout: string; stderr: string; exitCode: number }[]): unknown {
  const year = new Date().getUTCFullYear();
  return r.map((x) => ({
    ...x,
    stdout: x.stdout.replace(new RegExp(`${year}-\\S+ \\S+ \\+0000`, "g"), "RECENT"),
  }));
}

const cases: [string, string[]][] = [
  ["-d ISO date", ["touch", "-d", "2020-01-01", "f"]],
  ["-d date time", ["touch", "-d", "2021-05-06 07:08:09", "f"]],
  ["-d T and Z", ["touch", "-d", "2021-05-06T07:08:09Z", "f"]],
  ["-d fraction", ["touch", "-d", "2021-05-06 07:08:09.5", "f"]],
  ["-d offset", ["touch", "-d", "2021-05-06 07:08:09 +0200", "f"]],
  ["-d @epoch", ["touch", "-d", "@1000000000", "f"]],
  ["--date=", ["touch", "--date=2020-02-29 23:59:59", "f"]],
  ["-t", ["touch", "-t", "202001020304.05", "f"]],
  ["-t short", ["touch", "-t", "0102030405", "f"]],
  ["-a", ["touch", "-a", "-d", "@0", "f"]],
  ["-m", ["touch", "-m", "-d", "@0", "f"]],
  ["creates with -d", ["touch", "-d", "@86400", "new"]],
  ["-c no create", ["touch", "-c", "new"]],
  ["-c existing", ["touch", "-c", "-d", "@5", "f"]],
  ["several", ["touch", "-d", "@77", "ref", "f", "new"]],
  ["bad date", ["touch", "-d", "garbage", "f"]],
  ["bad stamp", ["touch", "-t", "99", "f"]],
  ["missing ref", ["touch", "-r", "nope", "f"]],
  ["no such dir", ["touch", "nod/x"]],
  ["no operand", ["touch"]],
  ["bad option", ["touch", "-q", "f"]],
];

for (const [name, argv] of cases) {
  test(`touch ${name}`, async () => {
    const { vm, host } = await runStepsBoth([argv, SHOW], { files: FILES });
    assert.deepEqual(mask(vm), mask(host));
  });
}

test("touch -r copies times", async () => {
  const { vm, host } = await runStepsBoth(
    [["touch", "-d", "@123456", "ref"], ["touch", "-r", "ref", "f"], SHOW],
    { files: FILES },
  );
  assert.deepEqual(mask(vm), mask(host));
});

test("touch creates a file with the current time", async () => {
  const { runStepsInVm } = await import("./lib/file-testing.ts");
  const before = Date.now();
  const r = await runStepsInVm([
    ["touch", "new"],
    ["stat", "-c", "%s %Y", "new"],
  ]);
  const [size, secs] = r[1].stdout.trim().split(" ").map(Number);
  assert.equal(size, 0);
  assert.ok(Math.abs(secs * 1000 - before) < 5000);
});
