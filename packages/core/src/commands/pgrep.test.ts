/**
 * pgrep/pkill regex matching (POSIX ERE via lib/posix-regex.ts). Regex errors are compared
 * with procps on the host (they fail before looking at processes); matching is VM-only since
 * the processes differ.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { AgentOs } from "../vm/agent-os.ts";
import { hostHas, runArgv, runBoth } from "./testing.ts";

const skip = hostHas("pgrep") ? false : "host has no pgrep";

for (const args of [
  ["("],
  ["a{1"],
  ["-x", "("],
  ["[[:foo:]]"],
  ["[a"],
  ["a\\"],
  ["-f", "x)("],
  ["x)"],
  ["[)]("],
  ["(a))"],
  ["^qq**z$"],
  ["*a"],
  ["a{2,1}"],
]) {
  test(`pgrep ${args.join(" ")}: regex compiled as procps`, { skip }, async () => {
    const { vm, host } = await runBoth(["pgrep", ...args]);
    assert.deepEqual(vm, host);
  });
}

test("pkill: regex error as procps", { skip }, async () => {
  const { vm, host } = await runBoth(["pkill", "(("]);
  assert.deepEqual(vm, host);
});

async function withSleepers(fn: (vm: AgentOs, pids: number[]) => Promise<void>): Promise<void> {
  const vm = await AgentOs.create({ env: { LC_ALL: "C", TZ: "UTC" } });
  try {
    const a = vm.spawn("sleep", ["100"]).pid;
    const b = vm.spawn("sleep", ["200"]).pid;
    await new Promise((r) => setTimeout(r, 20));
    await fn(vm, [a, b]);
  } finally {
    await vm.dispose();
  }
}

test("pgrep: ERE syntax (alternation, intervals, classes, anchors, -x, -i)", async () => {
  await withSleepers(async (vm, [a, b]) => {
    const both = `${a}\n${b}\n`;
    const cases: [string[], string][] = [
      [["sle+p"], both],
      [["^s(l|x)eep$"], both],
      [["-x", "sl|sleep"], both],
      [["-x", "sle"], ""],
      [["-f", "sleep [[:digit:]]{3}$"], both],
      [["-f", "sleep 1[0-9]+"], `${a}\n`],
      [["-f", "^sleep (2|3)00"], `${b}\n`],
      [["-i", "SL[E]+P"], both],
      [["-f", "-x", "sleep 100|sleep 200"], both],
      [["-f", "sleep\\ 100"], `${a}\n`],
      [["^(ab|cd)$"], ""],
      [["-f", "100)?$"], `${a}\n`],
      [["-f", "100)$"], ""],
      [["-f", "^(sleep 100)|x)"], `${a}\n`],
      [["-f", "^(sleep 200|x))"], ""],
    ];
    for (const [args, expected] of cases) {
      const r = await runArgv(vm, ["pgrep", ...args]);
      assert.equal(r.stdout, expected, args.join(" "));
      assert.equal(r.exitCode, expected === "" ? 1 : 0, args.join(" "));
    }
  });
});

test("pkill: ERE pattern with -f and -x", async () => {
  await withSleepers(async (vm, [a, b]) => {
    assert.equal((await runArgv(vm, ["pkill", "-f", "-x", "sleep (1|3)00"])).exitCode, 0);
    assert.equal(await vm.waitProcess(a), 143);
    assert.equal((await runArgv(vm, ["pkill", "-KILL", "-f", "^sleep [[:digit:]]+$"])).exitCode, 0);
    assert.equal(await vm.waitProcess(b), 137);
  });
});
