import assert from "node:assert/strict";
import { test } from "node:test";
import { runStepsBoth, runStepsInVm } from "./lib/file-testing.ts";
import { type Fixture, runBoth, runInVm } from "./testing.ts";

const FILES: Fixture = {
  f: "hello\n",
  e: "",
  big: "z".repeat(5000),
  d: { dir: true },
  l: { symlink: "f" },
  q: { symlink: "it's" },
  "a b": "",
};

/** Fields that agree between host and VM (no inode, device, owner or times). */
const portable: [string, string[]][] = [
  ["%n %s %b %B %f %F %a %A %h", ["f", "e", "big", "d", "l"]],
  ["%N", ["f", "l", "q", "a b"]],
  ["%10s|%-5h|%04a|%-12F|", ["f", "d"]],
  ["%o %%", ["f"]],
  ["%Q %", ["f"]],
  ["%.3n", ["big"]],
];

for (const [fmt, files] of portable) {
  test(`stat -c '${fmt}'`, async () => {
    const { vm, host } = await runBoth(["stat", "-c", fmt, ...files], { files: FILES });
    assert.deepEqual(vm, host);
  });
}

test("stat -L follows", async () => {
  const { vm, host } = await runBoth(["stat", "-L", "-c", "%n %F %s", "l"], { files: FILES });
  assert.deepEqual(vm, host);
});

test("stat --printf escapes and no newline", async () => {
  const { vm, host } = await runBoth(["stat", "--printf", "%n\\t%s\\n\\x41\\101\\\\", "f"], {
    files: FILES,
  });
  assert.deepEqual(vm, host);
});

const errors: string[][] = [
  ["stat", "nope"],
  ["stat", "-c", "%s", "nope", "f"],
  ["stat"],
  ["stat", "-q", "f"],
  ["stat", "-c"],
];

for (const argv of errors) {
  test(argv.join(" "), async () => {
    const { vm, host } = await runBoth(argv, { files: FILES });
    assert.deepEqual(vm, host);
  });
}

test("stat times after touch -d", async () => {
  const steps = [
    ["touch", "-d", "2021-05-06 07:08:09.123", "f"],
    ["stat", "-c", "%x|%y|%X|%Y|%.3Y|%.9Y|%.Y", "f"],
  ];
  const { vm, host } = await runStepsBoth(steps, { files: FILES });
  assert.deepEqual(vm, host);
});

test("stat default format (VM: user names, mount device)", async () => {
  const r = await runStepsInVm(
    [
      ["touch", "-d", "@1000000000", "f"],
      ["stat", "f"],
    ],
    { files: FILES },
  );
  const lines = r[1].stdout.split("\n");
  assert.equal(lines[0], "  File: f");
  assert.equal(lines[1], "  Size: 6         \tBlocks: 8          IO Block: 4096   regular file");
  assert.match(lines[2], /^Device: \d+,\d+\tInode: \d+ +Links: 1$/);
  assert.equal(
    lines[3],
    "Access: (0644/-rw-r--r--)  Uid: ( 1000/    user)   Gid: ( 1000/    user)",
  );
  assert.equal(lines[4], "Access: 2001-09-09 01:46:40.000000000 +0000");
  assert.equal(lines[5], "Modify: 2001-09-09 01:46:40.000000000 +0000");
  assert.match(lines[6], /^Change: \d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{9} \+0000$/);
  assert.match(lines[7], /^ Birth: /);
});

test("stat default format of a symlink and a device", async () => {
  const r = await runInVm(["stat", "l", "/dev/null"], { files: FILES });
  assert.match(
    r.stdout,
    /^ {2}File: l -> f\n {2}Size: 1 {9}\tBlocks: 0 {10}IO Block: \d+ +symbolic link\n/,
  );
  assert.match(
    r.stdout,
    /\n {2}File: \/dev\/null\n.*character special file\n.*Links: 1 +Device type: 1,3\n/,
  );
});

test("stat -t terse", async () => {
  const r = await runInVm(["stat", "-t", "f"], { files: FILES });
  assert.match(r.stdout, /^f 6 8 81a4 1000 1000 [0-9a-f]+ \d+ 1 0 0 \d+ \d+ \d+ \d+ 4096\n$/);
});

test("stat -c %U %G %u %g %i %m", async () => {
  const r = await runInVm(["stat", "-c", "%U %G %u %g %m", "f", "/etc/passwd"], { files: FILES });
  assert.equal(r.stdout, "user user 1000 1000 /\nroot root 0 0 /\n");
});
