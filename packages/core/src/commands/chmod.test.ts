import assert from "node:assert/strict";
import { test } from "node:test";
import { runStepsBoth } from "./lib/file-testing.ts";
import type { Fixture } from "./testing.ts";

const FILES: Fixture = {
  f: "file\n",
  g: "",
  "d/e/x": "x\n",
  l: { symlink: "f" },
  broken: { symlink: "nope" },
  "s/ls": { symlink: "../f" },
};

const SHOW = ["stat", "-c", "%a %A %n", "f", "g", "d", "d/e", "d/e/x", "s"];

const cases: [string, string[]][] = [
  ["octal", ["chmod", "755", "f"]],
  ["octal -v", ["chmod", "-v", "755", "f", "g"]],
  ["octal -c", ["chmod", "-c", "644", "f", "g"]],
  ["4 digits", ["chmod", "-v", "4755", "f"]],
  ["sticky", ["chmod", "-v", "1777", "d"]],
  ["5 digits clears dir setgid", ["chmod", "-v", "00755", "d"]],
  ["u+x", ["chmod", "-v", "u+x", "f"]],
  ["g-r,o-r", ["chmod", "-v", "g-r,o-r", "f"]],
  ["a=rw", ["chmod", "-v", "a=rw", "f"]],
  ["=", ["chmod", "-v", "=", "f"]],
  ["+x uses umask", ["chmod", "-v", "+x", "f"]],
  ["-w as option-like mode", ["chmod", "-w", "f"]],
  ["-w with -v", ["chmod", "-v", "-w", "f"]],
  ["o+w then -w warns", ["chmod", "o+w,-w", "f"]],
  ["u=g copy", ["chmod", "-v", "u=g", "f"]],
  ["g=u", ["chmod", "-v", "g=u", "f"]],
  ["o+X on file", ["chmod", "-v", "o+X", "f"]],
  ["a+X on dir", ["chmod", "-v", "a-x,a+X", "d"]],
  ["u+s", ["chmod", "-v", "u+s,g+s", "f"]],
  ["+t", ["chmod", "-v", "+t", "d"]],
  ["ug+rwx,o=", ["chmod", "-v", "ug+rwx,o=", "f"]],
  ["-R", ["chmod", "-R", "go-rwx", "d"]],
  ["-R -v single-child", ["chmod", "-Rv", "u-w", "d"]],
  ["-R symlink in tree", ["chmod", "-Rv", "700", "s"]],
  ["symlink operand", ["chmod", "-v", "600", "l"]],
  ["dangling symlink", ["chmod", "644", "broken"]],
  ["dangling symlink -v", ["chmod", "-v", "644", "broken"]],
  ["missing", ["chmod", "755", "nope"]],
  ["missing -f", ["chmod", "-f", "755", "nope"]],
  ["invalid mode", ["chmod", "abc", "f"]],
  ["invalid octal", ["chmod", "8", "f"]],
  ["too big octal", ["chmod", "17777", "f"]],
  ["missing operand", ["chmod"]],
  ["missing file", ["chmod", "755"]],
  ["--reference", ["chmod", "--reference=d", "f"]],
  ["--reference missing", ["chmod", "--reference=nope", "f"]],
  ["bad option", ["chmod", "-q", "755", "f"]],
];

for (const [name, argv] of cases) {
  test(`chmod ${name}`, async () => {
    const { vm, host } = await runStepsBoth([argv, SHOW], { files: FILES });
    assert.deepEqual(vm, host);
  });
}
