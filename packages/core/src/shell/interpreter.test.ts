/**
 * Differential tests of the interpreter: each script runs in a fresh VM (`exec`) and in the
 * host's bash on the same fixture; stdout, stderr and exit status must be identical.
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { runScriptBoth } from "../commands/testing.ts";
import { CORE_CASES } from "./corpus/core.ts";
import { SCRIPT_CASES } from "./corpus/scripts.ts";

describe("shell differential: core language", () => {
  for (const [name, script, options] of CORE_CASES) {
    test(name, async () => {
      const { vm, host } = await runScriptBoth(script, options);
      assert.deepEqual(vm, host, `script: ${script}`);
    });
  }
});

describe("shell differential: agent-style scripts", () => {
  for (const [name, script, options] of SCRIPT_CASES) {
    test(name, async () => {
      const { vm, host } = await runScriptBoth(script, options);
      assert.deepEqual(vm, host, `script: ${script}`);
    });
  }
});
