import assert from "node:assert/strict";
import { test } from "node:test";
import { runStepsBoth } from "./lib/file-testing.ts";
import type { Fixture } from "./testing.ts";

const FILES: Fixture = { t: "0123456789abcdefghij", r: "12345", dd: { dir: true } };
const SHOW = ["stat", "-c", "%s %n", "t", "u"];

const cases: string[][] = [
  ["truncate", "-s", "10", "t"],
  ["truncate", "-s", "0", "t"],
  ["truncate", "-s", "+5", "t"],
  ["truncate", "-s", "-3", "t"],
  ["truncate", "-s", "-30", "t"],
  ["truncate", "-s", "<5", "t"],
  ["truncate", "-s", "<50", "t"],
  ["truncate", "-s", ">50", "t"],
  ["truncate", "-s", ">5", "t"],
  ["truncate", "-s", "%7", "t"],
  ["truncate", "-s", "/7", "t"],
  ["truncate", "-s", "1K", "t"],
  ["truncate", "-s", "1KB", "t"],
  ["truncate", "-s", "1KiB", "t"],
  ["truncate", "-s", "2M", "t"],
  ["truncate", "-s", "3", "u"],
  ["truncate", "-c", "-s", "3", "u"],
  ["truncate", "-r", "r", "t"],
  ["truncate", "-r", "r", "-s", "+1", "u"],
  ["truncate", "-o", "-s", "1", "t"],
  ["truncate", "-s", "x", "t"],
  ["truncate", "-s", "%0", "t"],
  ["truncate", "t"],
  ["truncate", "-s", "5"],
  ["truncate", "-s", "5", "dd"],
  ["truncate", "-s", "5", "nod/x"],
  ["truncate", "-r", "nope", "t"],
  ["truncate", "-q"],
];

for (const argv of cases) {
  test(argv.join(" "), async () => {
    const { vm, host } = await runStepsBoth([argv, SHOW, ["od", "-c", "t"]], { files: FILES });
    assert.deepEqual(vm, host);
  });
}
