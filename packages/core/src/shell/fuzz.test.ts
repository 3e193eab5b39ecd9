/**
 * Fuzzing the shell: random text must parse to a program or fail with a ShellSyntaxError, and
 * random (mostly valid) scripts must run to an exit status in a VM, never hanging the VM or
 * throwing into the host. Seeded, so failures reproduce.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { AgentOs } from "../vm/agent-os.ts";
import { parse, ShellSyntaxError } from "./parser.ts";

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

const ALPHABET = "abcxyz019 \t\n;|&<>(){}[]$`'\"\\*?!#=+-/:,.%^~@";

const FRAGMENTS = [
  "echo a",
  "echo $x",
  "x=1",
  "x=$((x+1))",
  'echo "${x:-d}"',
  "true",
  "false",
  "echo $(echo sub)",
  "for i in 1 2; do echo $i; done",
  "while false; do :; done",
  "if true; then echo y; else echo n; fi",
  "case $x in 1) echo one;; *) echo other;; esac",
  "f() { echo f$1; }",
  "f z",
  "(echo sub)",
  "{ echo grp; }",
  "echo a | cat",
  "echo b > /tmp/fz; cat /tmp/fz",
  "cat < /dev/null",
  "[[ $x == 1 ]]",
  "(( x > 0 ))",
  "a=(1 2 3); echo ${a[@]}",
  "read v <<< word; echo $v",
  "echo {1..3}",
  "set -e",
  "set +e",
  "exit 3",
  "return",
  "break",
  "shift",
  "echo ${#x} ${x/1/2} ${x%1}",
  "trap 'echo t' EXIT",
  "sleep 0 &",
  "wait",
  "printf '%s\\n' a b",
  "unset x",
  "local y=1",
  "nosuchcommand",
  "echo $((1/0))",
  "echo ${u?}",
  "eval 'echo ev'",
];

function randomText(next: () => number): string {
  const length = Math.floor(next() * 40);
  let text = "";
  for (let i = 0; i < length; i++) text += ALPHABET[Math.floor(next() * ALPHABET.length)];
  return text;
}

function randomScript(next: () => number): string {
  const count = 1 + Math.floor(next() * 6);
  const parts: string[] = [];
  for (let i = 0; i < count; i++) {
    parts.push(FRAGMENTS[Math.floor(next() * FRAGMENTS.length)]);
    parts.push(["; ", "\n", " && ", " || ", " | "][Math.floor(next() * 5)]);
  }
  parts.pop();
  return parts.join("");
}

describe("shell fuzzing", () => {
  it("parses random text or reports a syntax error (2,000 inputs)", () => {
    const next = rng(12345);
    for (let i = 0; i < 2000; i++) {
      const text = randomText(next);
      try {
        parse(text);
      } catch (err) {
        assert.ok(err instanceof ShellSyntaxError, `input ${JSON.stringify(text)}: ${err}`);
      }
    }
  });

  it("runs random scripts to an exit status without hanging or crashing (300 scripts)", async () => {
    const next = rng(777);
    const vm = await AgentOs.create();
    try {
      for (let i = 0; i < 300; i++) {
        const script = randomScript(next);
        const result = await vm.exec(script, { timeout: 5000 });
        assert.equal(typeof result.exitCode, "number", script);
        assert.ok(result.exitCode >= 0 && result.exitCode <= 255, script);
        assert.notEqual(result.timedOut, true, `timed out: ${script}`);
      }
      // The VM is still healthy afterwards.
      assert.equal((await vm.exec("echo alive")).stdout, "alive\n");
    } finally {
      await vm.dispose();
    }
  });

  it("runs random text as scripts without crashing (300 inputs)", async () => {
    const next = rng(4242);
    const vm = await AgentOs.create();
    try {
      for (let i = 0; i < 300; i++) {
        const text = randomText(next);
        const result = await vm.exec(text, { timeout: 5000 });
        assert.equal(typeof result.exitCode, "number", text);
      }
      assert.equal((await vm.exec("echo alive")).stdout, "alive\n");
    } finally {
      await vm.dispose();
    }
  });
});
