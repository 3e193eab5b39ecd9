/** echo (/usr/bin/echo): differential against GNU coreutils echo on the host. */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { test } from "node:test";
import { AgentOs } from "../vm/agent-os.ts";
import { COMPARABLE_ENV } from "./testing.ts";

const HOST_ECHO = "/usr/bin/echo";
const hasHostEcho = spawnSync(HOST_ECHO, ["x"]).status === 0;
const skip = hasHostEcho ? false : "host has no /usr/bin/echo";

/** Runs /usr/bin/echo on the host with argv[0] "echo", returning raw bytes as hex. */
function host(args: string[], env: Record<string, string> = {}) {
  const r = spawnSync(HOST_ECHO, args, {
    argv0: "echo",
    env: { PATH: "/usr/bin:/bin", LC_ALL: "C", ...env },
  });
  return { stdout: r.stdout.toString("hex"), stderr: r.stderr.toString(), exitCode: r.status };
}

/** Runs echo in a fresh VM, keeping stdout as raw bytes (the harness decodes UTF-8). */
async function vm(args: string[], env: Record<string, string> = {}) {
  const os = await AgentOs.create({ env: COMPARABLE_ENV });
  try {
    const stdout: Uint8Array[] = [];
    const stderr: Uint8Array[] = [];
    const { pid } = os.spawn("echo", args, {
      env,
      onStdout: (d) => stdout.push(d),
      onStderr: (d) => stderr.push(d),
    });
    try {
      os.closeProcessStdin(pid);
    } catch {
      // Already exited.
    }
    const exitCode = await os.waitProcess(pid);
    return {
      stdout: Buffer.concat(stdout).toString("hex"),
      stderr: Buffer.concat(stderr).toString(),
      exitCode,
    };
  } finally {
    await os.dispose();
  }
}

const CASES: string[][] = [
  [],
  ["hello", "world"],
  ["-n", "no newline"],
  ["-e", "a\\tb\\nc"],
  ["-E", "a\\tb"],
  ["a\\tb"],
  ["-e", "\\xff"],
  ["-e", "\\x41\\x4g\\xz\\x"],
  ["-e", "\\0101\\101\\0377\\377\\0400\\08\\0"],
  ["-e", "\\1\\12\\123\\1234"],
  ["-e", "\\a\\b\\e\\f\\r\\v\\\\"],
  ["-e", "\\E\\q\\u00e9\\"],
  ["-e", "before\\cafter", "more"],
  ["-e", "one", "two\\c", "three"],
  ["-ne", "x\\ty"],
  ["-en", "x"],
  ["-eE", "a\\tb"],
  ["-Ee", "a\\tb"],
  ["-n", "-e", "-n", "x\\n"],
  ["-nx", "y"],
  ["-", "y"],
  ["--", "y"],
  ["-e", "--", "\\t"],
  ["--help"],
  ["--version"],
  ["--help", "x"],
  ["-n", "--help"],
  ["--hel"],
  ["é", "ü\\x80"],
  ["-e", "é\\0351"],
  ["a", "", "b"],
  [""],
];

for (const args of CASES) {
  test(`echo ${JSON.stringify(args)}`, { skip }, async () => {
    assert.deepEqual(await vm(args), host(args));
  });
}

const POSIX_CASES: string[][] = [
  ["a\\tb"],
  ["-n", "a\\tb"],
  ["-e", "a\\tb", "-n"],
  ["-n", "-e", "x"],
  ["-E", "a\\tb"],
  ["--help"],
  ["--version"],
  ["\\xffz\\c", "gone"],
];

for (const args of POSIX_CASES) {
  test(`POSIXLY_CORRECT echo ${JSON.stringify(args)}`, { skip }, async () => {
    const env = { POSIXLY_CORRECT: "1" };
    assert.deepEqual(await vm(args, env), host(args, env));
  });
}

test("echo -e '\\xff' writes one byte 0xff", async () => {
  const r = await vm(["-e", "\\xff\\0376"]);
  assert.equal(r.stdout, "fffe0a");
});
