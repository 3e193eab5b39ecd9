import assert from "node:assert/strict";
import { test } from "node:test";
import { gzipSync } from "node:zlib";
import { type Fixture, hostHas, runBoth } from "./testing.ts";

const skip = hostHas("file") ? false : "host has no file";

const bytes = (...parts: (string | number[])[]): Uint8Array =>
  Uint8Array.from(
    parts.flatMap((p) => (typeof p === "string" ? [...p].map((c) => c.charCodeAt(0)) : p)),
  );

const gz = gzipSync(Buffer.from("hello\n"));
// Clear mtime so the "last modified" text does not depend on when the fixture was made.
gz.writeUInt32LE(0, 4);
gz[9] = 3;

const FILES: Fixture = {
  empty: "",
  ascii: "hello\n",
  utf8: "caf\u00e9\n",
  bom: bytes([0xef, 0xbb, 0xbf], "hi\n"),
  crlf: "a\r\nb\r\n",
  cr: "x\ry\r",
  mixed: "a\r\nb\n",
  nonl: "no newline",
  long: `${"x".repeat(400)}\n`,
  esc: "hi\x1b[0m\n",
  bs: "a\bb\n",
  latin1: bytes("caf", [0xe9], "\n"),
  ext: bytes([0x80, 0x81], "abc\n"),
  u16: bytes([0xff, 0xfe], "h", [0], "i", [0]),
  bin: bytes("abc", [0], "def"),
  sh1: "#!/bin/bash\necho\n",
  sh2: "#!/bin/sh\necho\n",
  envb: "#!/usr/bin/env bash\n",
  shcrlf: "#!/bin/bash\r\necho\r\n",
  zs: "#!/bin/zsh\n",
  py: "#!/usr/bin/env python3\nprint()\n",
  pyu: "#!/usr/bin/python3\nprint('\u00e9')\n",
  pl: "#!/usr/bin/perl\n",
  rb: "#!/usr/bin/env ruby\n",
  nodejs: "#!/usr/bin/env node\n",
  "j.json": '{"a": 1}\n',
  "arr.json": "[1, 2]\n",
  "bad.json": "{nope\n",
  "c.c": "#include <stdio.h>\nint main(void) { return 0; }\n",
  "x.html": "<!DOCTYPE html>\n<html><body></body></html>\n",
  "x.xml": '<?xml version="1.0"?>\n<a/>\n',
  "s.svg": '<svg xmlns="http://www.w3.org/2000/svg"></svg>\n',
  "p.png": bytes(
    "\x89PNG\r\n\x1a\n",
    [0, 0, 0, 13],
    "IHDR",
    [0, 0, 0, 16, 0, 0, 0, 32, 8, 6, 0, 0, 0],
  ),
  "g.png": bytes(
    "\x89PNG\r\n\x1a\n",
    [0, 0, 0, 13],
    "IHDR",
    [0, 0, 1, 0, 0, 0, 0, 2, 8, 0, 0, 0, 1],
  ),
  "g.gif": bytes("GIF89a", [16, 0, 32, 0]),
  "d.pdf": "%PDF-1.4\n",
  "z.gz": new Uint8Array(gz),
  "h.bz2": "BZh91AY&SY",
  "h.xz": bytes([0xfd], "7zXZ", [0, 0, 4, 0xe6, 0xd6, 0xb4, 0x46]),
  "w.webp": bytes("RIFF", [0x24, 0, 0, 0], "WEBPVP8 "),
  shortzip: "PK\x03\x04",
  elf: bytes([0x7f], "ELF", [2, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2, 0, 0x3e, 0]),
  so: bytes([0x7f], "ELF", [2, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 3, 0, 0x3e, 0]),
  dd: { dir: true },
  lnk: { symlink: "ascii" },
  brk: { symlink: "nope" },
};

const names = Object.keys(FILES).sort();

const cases: string[][] = [
  ["file", ...names],
  ["file", "-b", ...names],
  ["file", "-i", ...names],
  ["file", "--mime-type", ...names],
  ["file", "--mime-encoding", "ascii", "utf8", "latin1", "bin"],
  ["file", "-L", "lnk", "brk"],
  ["file", "-N", "ascii", "dd"],
  ["file", "-F", "|", "ascii", "dd"],
  ["file", "nope"],
  ["file", "ascii"],
  ["file"],
];

for (const argv of cases) {
  test(argv.slice(0, 3).join(" "), { skip }, async () => {
    const { vm, host } = await runBoth(argv, { files: FILES });
    assert.deepEqual(vm, host);
  });
}

test("file - reads stdin", { skip }, async () => {
  const { vm, host } = await runBoth(["file", "-"], { stdin: "hello" });
  assert.deepEqual(vm, host);
});

test("file of a real zip and tar made by the host", { skip }, async () => {
  if (!hostHas("zip") || !hostHas("tar")) return;
  const { execFileSync } = await import("node:child_process");
  const { mkdtempSync, readFileSync, rmSync, writeFileSync } = await import("node:fs");
  const { join } = await import("node:path");
  const { tmpdir } = await import("node:os");
  const dir = mkdtempSync(join(tmpdir(), "agentos-file-"));
  try {
    writeFileSync(join(dir, "h"), "hi\n");
    execFileSync("zip", ["-q", "z.zip", "h"], { cwd: dir });
    execFileSync("tar", ["cf", "t.tar", "h"], { cwd: dir });
    const files: Fixture = {
      "z.zip": readFileSync(join(dir, "z.zip")),
      "t.tar": readFileSync(join(dir, "t.tar")),
    };
    const { vm, host } = await runBoth(["file", "z.zip", "t.tar"], { files });
    assert.deepEqual(vm, host);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
