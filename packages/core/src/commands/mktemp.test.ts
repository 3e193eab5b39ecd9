import assert from "node:assert/strict";
import { test } from "node:test";
import { runStepsInVm } from "./lib/file-testing.ts";
import { runBoth, runInVm } from "./testing.ts";

test("mktemp creates /tmp/tmp.XXXXXXXXXX with mode 600", async () => {
  const r = await runInVm(["mktemp"]);
  assert.match(r.stdout, /^\/tmp\/tmp\.[A-Za-z0-9]{10}\n$/);
  const { AgentOs } = await import("../vm/agent-os.ts");
  assert.ok(AgentOs);
});

test("mktemp file exists afterwards, -d makes a 700 directory", async () => {
  const { AgentOs } = await import("../vm/agent-os.ts");
  const { runArgv } = await import("./testing.ts");
  const vm = await AgentOs.create();
  try {
    const f = (await runArgv(vm, ["mktemp"])).stdout.trim();
    const d = (await runArgv(vm, ["mktemp", "-d"])).stdout.trim();
    const s = await runArgv(vm, ["stat", "-c", "%a %F", f, d]);
    assert.equal(s.stdout, "600 regular empty file\n700 directory\n");
  } finally {
    await vm.dispose();
  }
});

const shapes: [string[], RegExp][] = [
  [["mktemp", "-u"], /^\/tmp\/tmp\.[A-Za-z0-9]{10}\n$/],
  [["mktemp", "-u", "abc.XXX"], /^abc\.[A-Za-z0-9]{3}\n$/],
  [["mktemp", "-u", "-p", "/x", "fooXXXX"], /^\/x\/foo[A-Za-z0-9]{4}\n$/],
  [["mktemp", "-u", "-t", "fooXXX"], /^\/tmp\/foo[A-Za-z0-9]{3}\n$/],
  [["mktemp", "-u", "XXXXXXa"], /^[A-Za-z0-9]{6}a\n$/],
  [["mktemp", "-u", "--suffix=.txt", "fXXX"], /^f[A-Za-z0-9]{3}\.txt\n$/],
  [["mktemp", "-u", "fXXX.txt"], /^f[A-Za-z0-9]{3}\.txt\n$/],
  [["mktemp", "-u", "a/bXXX"], /^a\/b[A-Za-z0-9]{3}\n$/],
  [["mktemp", "-du"], /^\/tmp\/tmp\.[A-Za-z0-9]{10}\n$/],
  [["mktemp", "-p", "."], /^\.\/tmp\.[A-Za-z0-9]{10}\n$/],
  [["mktemp", "dXXXXX"], /^d[A-Za-z0-9]{5}\n$/],
];

for (const [argv, re] of shapes) {
  test(argv.join(" "), async () => {
    const { vm, host } = await runBoth(argv);
    assert.match(vm.stdout, re);
    assert.match(host.stdout, re);
    assert.equal(vm.stderr, host.stderr);
    assert.equal(vm.exitCode, host.exitCode);
  });
}

test("mktemp honours TMPDIR with -t", async () => {
  const r = await runInVm(["mktemp", "-u", "-t"], { env: { TMPDIR: "/var" } });
  assert.match(r.stdout, /^\/var\/tmp\.[A-Za-z0-9]{10}\n$/);
});

const errors: string[][] = [
  ["mktemp", "-u", "ab"],
  ["mktemp", "-p", "nod"],
  ["mktemp", "-q", "-p", "nod"],
  ["mktemp", "-u", "-t", "a/bXXX"],
  ["mktemp", "--suffix=x", "aXXXb"],
  ["mktemp", "a", "b"],
  ["mktemp", "-k"],
];

for (const argv of errors) {
  test(argv.join(" "), async () => {
    const { vm, host } = await runBoth(argv);
    assert.deepEqual(vm, host);
  });
}

test("mktemp never returns an existing name", async () => {
  const r = await runStepsInVm([
    ["mktemp", "-d", "-p", ".", "xXXX"],
    ["mktemp", "-p", ".", "xXXX"],
  ]);
  assert.notEqual(r[0].stdout, r[1].stdout);
});
