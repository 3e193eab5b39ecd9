import assert from "node:assert/strict";
import { test } from "node:test";
import { runStepsInVm } from "./lib/file-testing.ts";
import { runBoth } from "./testing.ts";

/**
 * The host runs the GNU tools as root (every chown succeeds there) while the VM's user is uid
 * 1000 "user": differential cases are limited to argument errors; the rest asserts the VM's
 * output against what GNU prints as a non-root user.
 */
const FILES = { f: "x", "d/e": "y", l: { symlink: "f" } };

const diffCases: string[][] = [
  ["chown"],
  ["chown", "root"],
  ["chown", "bogus", "f"],
  ["chown", ":bogus", "f"],
  ["chown", "root:bogus", "f"],
  ["chown", "root", "nope"],
  ["chown", "-q", "root", "f"],
  ["chgrp"],
  ["chgrp", "root"],
  ["chgrp", "bogus", "f"],
  ["chgrp", "root", "nope"],
  ["chown", "--from=bogus", "root", "f"],
  ["chown", "--reference=nope", "f"],
];

for (const argv of diffCases) {
  test(argv.join(" "), async () => {
    const { vm, host } = await runBoth(argv, { files: FILES });
    assert.deepEqual(vm, host);
  });
}

const vmCases: [string[], { stdout: string; stderr: string; exitCode: number }][] = [
  [["chown", "user", "f"], { stdout: "", stderr: "", exitCode: 0 }],
  [
    ["chown", "-v", "user", "f"],
    { stdout: "ownership of 'f' retained as user\n", stderr: "", exitCode: 0 },
  ],
  [
    ["chown", "-v", "user:user", "f"],
    { stdout: "ownership of 'f' retained as user:user\n", stderr: "", exitCode: 0 },
  ],
  [["chown", "-c", "user:user", "f"], { stdout: "", stderr: "", exitCode: 0 }],
  [["chown", "1000:1000", "f"], { stdout: "", stderr: "", exitCode: 0 }],
  [
    ["chown", "root", "f"],
    {
      stdout: "",
      stderr: "chown: changing ownership of 'f': Operation not permitted\n",
      exitCode: 1,
    },
  ],
  [["chown", "-f", "root", "f"], { stdout: "", stderr: "", exitCode: 1 }],
  [
    ["chown", "-v", "0:0", "f"],
    {
      stdout: "failed to change ownership of 'f' from user:user to root:root\n",
      stderr: "chown: changing ownership of 'f': Operation not permitted\n",
      exitCode: 1,
    },
  ],
  [
    ["chgrp", "root", "f"],
    { stdout: "", stderr: "chgrp: changing group of 'f': Operation not permitted\n", exitCode: 1 },
  ],
  [
    ["chgrp", "-v", "user", "f"],
    { stdout: "group of 'f' retained as user\n", stderr: "", exitCode: 0 },
  ],
  [["chown", "-h", "user", "l"], { stdout: "", stderr: "", exitCode: 0 }],
  [
    ["chown", "-Rv", "user", "d"],
    {
      stdout: "ownership of 'd' retained as user\nownership of 'd/e' retained as user\n",
      stderr: "",
      exitCode: 0,
    },
  ],
  [["chown", ":user", "f"], { stdout: "", stderr: "", exitCode: 0 }],
  [["chown", "user:", "f"], { stdout: "", stderr: "", exitCode: 0 }],
  [["chown", "--from=root", "root", "f"], { stdout: "", stderr: "", exitCode: 0 }],
  [
    ["chown", "user.user", "f"],
    { stdout: "", stderr: "chown: warning: '.' should be ':': 'user.user'\n", exitCode: 0 },
  ],
];

for (const [argv, expected] of vmCases) {
  test(`VM: ${argv.join(" ")}`, async () => {
    const [r] = await runStepsInVm([argv], { files: FILES });
    assert.deepEqual(r, expected);
  });
}

test("chown to own uid keeps ownership and ls shows it", async () => {
  const r = await runStepsInVm(
    [
      ["chown", "1000", "f"],
      ["stat", "-c", "%U:%G %u:%g", "f"],
    ],
    {
      files: FILES,
    },
  );
  assert.equal(r[1].stdout, "user:user 1000:1000\n");
});
