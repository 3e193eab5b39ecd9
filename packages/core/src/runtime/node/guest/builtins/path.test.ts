/**
 * The guest's node:path against the host's, call by call: the guest module is plain TypeScript,
 * so it runs here on the host and every function is compared with Node's own on thousands of
 * generated paths (drive letters, UNC and device roots, reserved names, dots, both separators).
 * The generator is seeded, so a failure names a reproducible input.
 */
import assert from "node:assert/strict";
import nodePath from "node:path";
import { describe, test } from "node:test";
import { createPath } from "./path.ts";

type PathModule = typeof nodePath;
const guest = createPath() as PathModule;

/** Pieces paths are built from: the ones Windows path parsing branches on. */
const PIECES = [
  "a",
  "bc",
  "C",
  "c",
  "z",
  ".",
  "..",
  "...",
  "/",
  "\\",
  "\\\\",
  "//",
  ":",
  "C:",
  "d:",
  "?",
  ".x",
  "a.b",
  "CON",
  "con",
  "NUL:",
  "COM1",
  "LPT¹",
  "prn",
  "server",
  "share",
  "UNC",
  " ",
  "Ä",
  "İ",
];

function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state * 1664525 + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

function generatePaths(count: number, seed: number): string[] {
  const next = random(seed);
  const paths = ["", ".", "..", "/", "\\", "C:", "C:\\", "\\\\server\\share", "\\\\?\\C:\\x"];
  while (paths.length < count) {
    let path = "";
    const pieces = 1 + Math.floor(next() * 6);
    for (let i = 0; i < pieces; i++) path += PIECES[Math.floor(next() * PIECES.length)];
    paths.push(path);
  }
  return paths;
}

function outcome(fn: () => unknown): unknown {
  try {
    return fn();
  } catch (error) {
    return `throws ${(error as { code?: string }).code}`;
  }
}

function compareAll(flavour: "win32" | "posix", seed: number): void {
  const host = nodePath[flavour];
  const mine = guest[flavour];
  const paths = generatePaths(2500, seed);
  const calls: [string, (p: PathModule, a: string, b: string) => unknown][] = [
    ["normalize", (p, a) => p.normalize(a)],
    ["isAbsolute", (p, a) => p.isAbsolute(a)],
    ["dirname", (p, a) => p.dirname(a)],
    ["basename", (p, a) => p.basename(a)],
    ["basename(suffix)", (p, a, b) => p.basename(a, b)],
    ["extname", (p, a) => p.extname(a)],
    ["parse", (p, a) => p.parse(a)],
    ["format(parse)", (p, a) => p.format(p.parse(a))],
    ["toNamespacedPath", (p, a) => p.toNamespacedPath(a)],
    ["join", (p, a, b) => p.join(a, b)],
    ["join3", (p, a, b) => p.join(b, a, b)],
    ["resolve", (p, a, b) => p.resolve(a, b)],
    ["resolve1", (p, a) => p.resolve(a)],
    ["relative", (p, a, b) => p.relative(a, b)],
  ];
  for (let i = 0; i < paths.length; i++) {
    const a = paths[i];
    const b = paths[(i * 7 + 3) % paths.length];
    for (const [name, call] of calls) {
      assert.deepEqual(
        outcome(() => call(mine as PathModule, a, b)),
        outcome(() => call(host as PathModule, a, b)),
        `path.${flavour}.${name}(${JSON.stringify(a)}, ${JSON.stringify(b)})`,
      );
    }
  }
}

describe("guest node:path matches the host's", () => {
  test("win32: every function on generated paths", () => {
    compareAll("win32", 1);
    compareAll("win32", 2);
  });

  test("posix: every function on generated paths", () => {
    compareAll("posix", 1);
    compareAll("posix", 2);
  });

  test("win32: constants, identities and argument errors", () => {
    const w = guest.win32;
    assert.equal(w.sep, "\\");
    assert.equal(w.delimiter, ";");
    assert.equal(w.win32, w);
    assert.equal(w.posix, guest.posix);
    assert.equal(guest.win32, w);
    assert.equal(w.resolve(), nodePath.win32.resolve());
    assert.deepEqual(
      outcome(() => w.join("a", 1 as unknown as string)),
      outcome(() => nodePath.win32.join("a", 1 as unknown as string)),
    );
    assert.deepEqual(
      outcome(() => w.format(null as unknown as nodePath.FormatInputPathObject)),
      outcome(() => nodePath.win32.format(null as unknown as nodePath.FormatInputPathObject)),
    );
    assert.equal(
      w.format({ root: "C:\\", dir: "C:\\x", name: "f", ext: "txt" }),
      nodePath.win32.format({ root: "C:\\", dir: "C:\\x", name: "f", ext: "txt" }),
    );
  });
});
