import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { describe, it } from "node:test";
import {
  compilePosixRegex,
  latin1,
  type PosixRegexOptions,
  RegexSyntaxError,
  toLatin1,
} from "./posix-regex.ts";

const ENV = { PATH: "/usr/bin:/bin", LC_ALL: "C" };

/** What `grep -o` prints, computed with our translator (empty matches skipped, as grep). */
function ourGrepO(pattern: string, input: string, opts: PosixRegexOptions): string {
  const re = compilePosixRegex(toLatin1(pattern), { ...opts, dialect: "grep" });
  let out = "";
  for (const line of input.split("\n").slice(0, -1)) {
    let pos = 0;
    while (pos <= line.length) {
      const m = re.exec(line, pos);
      if (m === null) break;
      if (m[0].length === 0) {
        pos = m.index + 1;
        continue;
      }
      out += `${m[0]}\n`;
      pos = m.index + m[0].length;
    }
  }
  return out;
}

function hostGrepO(pattern: string, input: string, opts: PosixRegexOptions): string {
  const args = ["-o", opts.extended ? "-E" : "-G"];
  if (opts.ignoreCase) args.push("-i");
  const r = spawnSync("grep", [...args, "-e", pattern], {
    input: Buffer.from(input, "latin1"),
    env: ENV,
  });
  return latin1(r.stdout);
}

/** `sed s/PAT/[&]/g` with our translator (glibc dialect). */
function ourSedG(pattern: string, input: string, opts: PosixRegexOptions): string {
  const re = compilePosixRegex(toLatin1(pattern), { ...opts, dialect: "glibc" });
  let out = "";
  for (const line of input.split("\n").slice(0, -1)) {
    let pos = 0;
    let res = "";
    let prevEnd = -1;
    while (pos <= line.length) {
      const m = re.exec(line, pos);
      if (m === null) break;
      if (m[0].length === 0 && m.index === prevEnd) {
        if (m.index < line.length) res += line[m.index];
        pos = m.index + 1;
        continue;
      }
      res += `${line.slice(pos, m.index)}[${m[0]}]`;
      pos = m.index + m[0].length;
      prevEnd = pos;
      if (m[0].length === 0) {
        if (pos < line.length) res += line[pos];
        pos++;
      }
    }
    if (pos < line.length) res += line.slice(pos);
    out += `${res}\n`;
  }
  return out;
}

function hostSedG(pattern: string, input: string, opts: PosixRegexOptions): string {
  const args = opts.extended ? ["-E"] : [];
  const flags = opts.ignoreCase ? "gI" : "g";
  const r = spawnSync("sed", [...args, `s\x01${pattern}\x01[&]\x01${flags}`], {
    input: Buffer.from(input, "latin1"),
    env: ENV,
  });
  return latin1(r.stdout);
}

const INPUT = [
  "abcd",
  "hello world foo_bar 42",
  "aaa bbb aab abab",
  "The Quick brown FOX",
  "x+y=z (a) [b] {c} a.b a*b",
  "tab\there  spaces",
  "ab abcd abc",
  "caf\xe9 na\xefve \xff\x80",
  "",
  "foofoo barbar 123123",
].join("\n");

const CASES: [string, PosixRegexOptions][] = [
  ["a", {}],
  ["ab*", {}],
  ["a.c", {}],
  ["[[:alpha:]]*", {}],
  ["[[:digit:]]\\+", {}],
  ["[[:upper:]][[:lower:]]*", {}],
  ["[[:space:]]", {}],
  ["[[:punct:]]", {}],
  ["[^a-z ]\\+", {}],
  ["[]a]", {}],
  ["[^]a]b", {}],
  ["[a-]", {}],
  ["\\w\\+", {}],
  ["\\W", {}],
  ["\\s", {}],
  ["\\S\\+", {}],
  ["\\bb\\w*", {}],
  ["\\Bo", {}],
  ["\\<a", {}],
  ["b\\>", {}],
  ["^.", {}],
  [".$", {}],
  ["a\\{2\\}", {}],
  ["a\\{1,2\\}b", {}],
  ["b\\{2,\\}", {}],
  ["\\(ab\\)\\1", {}],
  ["\\(o\\)\\1", {}],
  ["\\(foo\\|bar\\)\\1", {}],
  ["ab\\|abcd", {}],
  ["a\\?b", {}],
  ["*a", {}],
  ["a*", {}],
  ["x\\+y", {}],
  ["a\\.b", {}],
  ["\\$", {}],
  ["a$b", {}],
  ["a^b", {}],
  ["[\u00e9\u00ef]", {}],
  ["\u00e9\\|\u00ef", {}],
  ["quick", { ignoreCase: true }],
  ["[a-c]\\+", { ignoreCase: true }],
  ["[^a-z ]\\+", { ignoreCase: true }],
  ["ab|abcd", { extended: true }],
  ["abc|ab|abcd", { extended: true }],
  ["(a|ab)(c|bcd)", { extended: true }],
  ["a+", { extended: true }],
  ["a{2}", { extended: true }],
  ["(ab)+", { extended: true }],
  ["(foo|bar)\\1", { extended: true }],
  ["[0-9]{2,3}", { extended: true }],
  ["a|b|c", { extended: true }],
  ["x\\+y", { extended: true }],
  ["\\(a\\)", { extended: true }],
  ["\\{c\\}", { extended: true }],
  ["a{,2}", { extended: true }],
  ["(^| )a", { extended: true }],
  ["b($| )", { extended: true }],
  ["fo+|ba?r", { extended: true }],
  ["(a|b)*", { extended: true }],
  ["w.r|wor|world", { extended: true }],
  ["FOX|fox", { extended: true, ignoreCase: true }],
];

describe("posix-regex matches like GNU grep -o", () => {
  for (const [pattern, opts] of CASES) {
    it(`${opts.extended ? "ERE" : "BRE"}${opts.ignoreCase ? " -i" : ""} ${pattern}`, () => {
      assert.equal(ourGrepO(pattern, `${INPUT}\n`, opts), hostGrepO(pattern, `${INPUT}\n`, opts));
    });
  }
});

describe("posix-regex substitutes like GNU sed s///g", () => {
  for (const [pattern, opts] of CASES) {
    if (pattern === "*a" && opts.extended) continue;
    it(`${opts.extended ? "ERE" : "BRE"}${opts.ignoreCase ? " -i" : ""} ${pattern}`, () => {
      assert.equal(ourSedG(pattern, `${INPUT}\n`, opts), hostSedG(pattern, `${INPUT}\n`, opts));
    });
  }
});

function hostGrepError(pattern: string, extended: boolean): string {
  const r = spawnSync("grep", [extended ? "-E" : "-G", "-e", pattern], { input: "x\n", env: ENV });
  return r.stderr.toString();
}

function ourError(pattern: string, opts: PosixRegexOptions): string {
  try {
    compilePosixRegex(pattern, opts);
    return "";
  } catch (err) {
    assert.ok(err instanceof RegexSyntaxError);
    return err.message;
  }
}

const ERRORS: [string, boolean][] = [
  ["a\\{1", false],
  ["[a", false],
  ["[", false],
  ["a[", false],
  ["\\(", false],
  ["\\)", false],
  ["(", true],
  ["a\\{2,1\\}", false],
  ["a{2,1}", true],
  ["[:alpha:]", false],
  ["a\\", false],
  ["\\1", false],
  ["\\(a\\)\\2", false],
  ["(a)\\2", true],
  ["[b-a]", false],
  ["[[:foo:]]", false],
  ["[[.hyphen.]]", false],
  ["a\\{x", false],
  ["a\\{1,x\\}", false],
  ["a{1,2,3}", true],
  ["a{32768}", true],
  ["[[:alpha:]", false],
];

describe("posix-regex errors like GNU grep", () => {
  for (const [pattern, extended] of ERRORS) {
    it(`${extended ? "ERE" : "BRE"} ${pattern}`, () => {
      const host = hostGrepError(pattern, extended)
        .replace(/^grep: /, "")
        .trimEnd();
      assert.equal(ourError(pattern, { extended, dialect: "grep" }), host);
    });
  }
});

function hostSedError(pattern: string, extended: boolean): string {
  const args = extended ? ["-E"] : [];
  const r = spawnSync("sed", [...args, `s\x01${pattern}\x01X\x01`], { input: "x\n", env: ENV });
  return r.stderr
    .toString()
    .replace(/^sed: (-e expression #1, char \d+: )?/, "")
    .trimEnd();
}

const SED_ERRORS: [string, boolean][] = [
  ["a\\{1", false],
  ["\\(", false],
  ["\\)", false],
  ["a**", false],
  ["x\\{1\\}\\{2\\}", false],
  ["*a", true],
  ["a|*b", true],
  ["{1", true],
  ["a{1", true],
  ["a{x", true],
  ["a{1,x}", true],
  [")", true],
  ["a|b)", true],
  ["[[:foo:]]", false],
  ["\\1", false],
  ["a**", true],
  ["*a", false],
  ["\\(*a\\)", false],
  ["a\\|*b", false],
];

describe("posix-regex errors like GNU sed (glibc)", () => {
  for (const [pattern, extended] of SED_ERRORS) {
    it(`${extended ? "ERE" : "BRE"} ${pattern}`, () => {
      assert.equal(
        ourError(pattern, { extended, dialect: "glibc" }),
        hostSedError(pattern, extended),
      );
    });
  }
});

describe("posix-regex options", () => {
  it("multiline anchors and dot", () => {
    const re = compilePosixRegex("^b.", { multiline: true });
    assert.equal(re.exec("a\nb\nc")?.index, undefined);
    assert.equal(re.exec("a\nbc")?.[0], "bc");
    assert.equal(compilePosixRegex("a$", { multiline: true }).exec("a\nb")?.index, 0);
    assert.equal(compilePosixRegex("a.b").exec("a\nb")?.[0], "a\nb");
  });
  it("warns about a leading * in grep ERE", () => {
    const warnings: string[] = [];
    compilePosixRegex("*a", { extended: true, dialect: "grep", warn: (m) => warnings.push(m) });
    assert.deepEqual(warnings, ["* at start of expression"]);
  });
});
