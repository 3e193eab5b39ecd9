/**
 * printf: coreutils `printf` in the VM against the host's /usr/bin/printf, and the bash
 * dialect of lib/printf-format.ts against `bash -c 'printf ...'` on the host.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { byteStringToBytes, formatPrintf } from "./lib/printf-format.ts";
import { hostHas, runBoth, runInVm, runOnHost } from "./testing.ts";

/** [format, ...args]: each case runs in both dialects. */
const CASES: string[][] = [
  ["%d\n", "abc", "12abc", "99999999999999999999", "-5", "0x1f", "010", "'a"],
  ["%.1f %.2f %.0f %.0f %.20f\n", "0.35", "2.675", "0.5", "2.5", "0.1"],
  ["%e %E %g %G %#g %g\n", "123456", "0.000123", "1e-5", "1e20", "1", "100000"],
  ["%a %a %A %.2a\n", "1", "0.1", "255", "1.999"],
  ["%5s|%-5s|%.2s\n", "ab", "cd", "xyz"],
  ["%c%c\n", "hello"],
  ["%q\n", "a b", "it's", "a\tb", "", "a$b", "~x", "#a", "a#"],
  ["%b|\n", "a\\0101b\\101\\x41\\cZ"],
  ['\\101\\0101\\q\\E\\"\n'],
  ["%+d % d %05d %-5d| %#x %#o %#X\n", "5", "5", "5", "5", "255", "8", "255"],
  ["%*d|%-*d|%.*f\n", "5", "1", "4", "2", "2", "3.14159"],
  ["%s %s\n", "a", "b", "c"],
  ["%u %x %o\n", "-1", "-1", "-1"],
  ["%y"],
  ["ab%"],
  ["%i\n", " 12", "12 "],
  ["%f\n", "inf", "-inf", "nan", "1e5000"],
  ["%08.3f|%-8.2e|%+.1e|% f\n", "3.14159", "1234.5", "-0.00015", "1"],
  ["%.3d %8.3d %-8.3x|\n", "5", "5", "5"],
  ["%#.0o %#x %.0d|\n", "0", "0", "0"],
  ["%g %g %g %g\n", "0", "-0", "1e-4", "123456789"],
  ["%.3g %.10g %g\n", "3.14159", "2", "0.0001234"],
  ["%s\n"],
  ["x\n", "extra"],
  ["%c|%d|%s|%b|\n"],
  ["a\\cb"],
  ["%05s|\n", "ab"],
  ["%-5c|%3c|\n", "a", "b"],
  ["%b\n", "\\u00e9\\q\\'\\E"],
  ["\\u00e9\\x\n"],
  ["%d\n", "'"],
  ["%d\n", "'ab"],
  ["%x %X %o\n", "18446744073709551616", "-99999999999999999999", "0x"],
  ["%.3s|%10.4f|%-10.2e|\n", "abcdef", "3.14159265", "-12345.678"],
  [
    "%q\n",
    "a'b",
    "a\tb'c",
    "!",
    "[x]",
    "*",
    "a,b",
    "{",
    "{a}",
    "~",
    "a~",
    "=x",
    "@",
    "%",
    "^",
    "a=b",
  ],
  ["%5%|\n"],
  ["%ld %hd %lld %jd %zd %Lf\n", "1", "2", "3", "4", "5", "6"],
  ["%s=%d\n", "a", "1", "b"],
  ["%.2f%%\n", "99.555"],
  ["%5.1f|%-7.3g|\n", "2.25", "1234567"],
  ["%e\n", "0"],
  ["%.0e %#.0e %.0g %#.0f\n", "12345", "12345", "12345", "3"],
  ["%g %g %g\n", "1e100", "1.5e-300", "123456.5"],
  ["%f %f\n", "1e20", "123.456e-2"],
  ["%a %a\n", "-0.5", "1e10"],
  ["%d %d\n", "0x7fffffffffffffff", "-0x8000000000000000"],
  ["%d\n", "1.5"],
  ["%f\n", "1.5x"],
  ["%f\n", "0x1p3"],
  ["%s\n", "héllo"],
  ["%.2s|\n", "héllo"],
  ["%d %d\n", "09", "0x"],
  ["%(%Y-%m-%d %H:%M:%S)T\n", "0", "86400", "1700000000"],
  ["%10(%Y)T|%-6(%m)T|\n", "0", "0"],
  ["%5b|%-5b|%.2b|\n", "a", "b", "cdef"],
  ["%5q|%.2q|\n", "a b", "abc"],
  ["%(%Y"],
  ["%(%Y)x"],
  ["%s\n", "a\u0001b"],
  ["%q\n", "a\u0001b", "a\u001bb", "\\\\"],
  ["%b", "\\x"],
  ["%b|%s\n", "ab\\c", "z"],
  ["%-5b|\n", "x\\cy"],
  ["\\x41\\u0041\\U00000041\n"],
  ["\\u00\n"],
  ["%i %o\n", "-0", "077"],
  ["%+.3e %+g\n", "-1", "0"],
  ["%5.3s|\n", "abcdef"],
  ["%.*s|\n", "-1", "abc"],
  ["%*s|\n", "-3", "a"],
  ["%'d %'f\n", "1234567", "1234.5"],
  ["%#o %#x %#X\n", "0", "0", "0"],
  ["%#g %#e %#f\n", "0", "0", "0"],
  ["%G %E\n", "1e-10", "1e-10"],
  ["%.15g %.17g\n", "0.1", "0.1"],
  ["%d\n", "-"],
  ["%d\n", "+"],
  ["%d\n", "  -7"],
  ["%s-%s;", "a", "b", "c"],
  ["%%%s\n", "x"],
  ["%z\n"],
  ["%I\n", "5"],
  ["%.3c|\n", "a"],
  ["%#s|\n", "a"],
  ["%+s|% s|\n", "a", "b"],
  ["%0-5d|%-05d|\n", "3", "4"],
  ["%x\n", "0xFF"],
  ["%d\n", "0X1A"],
  ["%f\n", "0x"],
  ["%f\n", ".5"],
  ["%f\n", "5."],
  ["%f\n", "-.5e1"],
  ["%f\n", "1e"],
  ["%g\n", "100000"],
  ["%g\n", "999999.5"],
  ["%g\n", "0.00001"],
  ["%.0f\n", "1e30"],
  ["%.30f\n", "1"],
  ["%Lg\n", "3.3"],
  ["%c\n", "é"],
];

const decoder = new TextDecoder();

for (const argv of CASES) {
  test(`printf ${JSON.stringify(argv)} matches coreutils`, async () => {
    const { vm, host } = await runBoth(["printf", ...argv]);
    assert.deepEqual(vm, host);
  });
  test(`printf ${JSON.stringify(argv)} matches bash's builtin`, {
    skip: hostHas("bash") ? false : "no bash on the host",
  }, () => {
    const host = runOnHost(["bash", "-c", 'printf "$@"', "bash", ...argv]);
    const r = formatPrintf(argv[0], argv.slice(1), "bash", { now: Date.now() });
    const stdout = decoder.decode(byteStringToBytes(r.output));
    const stderr = r.errors.map((e) => `bash: line 1: printf: ${e}\n`).join("");
    if (argv[0].includes("%(")) {
      // Only the deterministic (fixed epoch) time cases are compared byte for byte.
      if (argv.slice(1).every((a) => /^\d+$/.test(a))) assert.equal(stdout, host.stdout);
      return;
    }
    assert.deepEqual({ stdout, stderr, exitCode: r.exitStatus }, host);
  });
}

test("printf: missing operand", async () => {
  const { vm, host } = await runBoth(["printf"]);
  assert.deepEqual(vm, host);
});

test("printf: -- ends options", async () => {
  const { vm, host } = await runBoth(["printf", "--", "%s-\n", "a"]);
  assert.deepEqual(vm, host);
});

test("printf: options-looking formats are formats", async () => {
  const { vm, host } = await runBoth(["printf", "-x"]);
  assert.deepEqual(vm, host);
});

test("printf: binary bytes pass through %b and \\NNN unchanged", async () => {
  const vm = await runInVm(["printf", "\\377\\200%b", "\\0101\\376"]);
  assert.equal(vm.exitCode, 0);
  const r = formatPrintf("\\377\\200%b", ["\\0101\\376"], "coreutils");
  assert.deepEqual([...byteStringToBytes(r.output)], [0xff, 0x80, 0x41, 0xfe]);
});

test("printf: UTF-8 locale turns \\u escapes into UTF-8", () => {
  const r = formatPrintf("\\u00e9\\U0001F600", [], "coreutils", { utf8: true });
  assert.deepEqual([...byteStringToBytes(r.output)], [0xc3, 0xa9, 0xf0, 0x9f, 0x98, 0x80]);
  const c = formatPrintf("\\u00e9", [], "coreutils");
  assert.equal(c.output, "\\u00E9");
});

test("printf: non-ASCII arguments count bytes in %.Ns", () => {
  const r = formatPrintf("%.2s|%c", ["\u00e9x", "\u00e9"], "coreutils");
  assert.deepEqual([...byteStringToBytes(r.output)], [0xc3, 0xa9, 0x7c, 0xc3]);
});

test("printf: bash %(fmt)T uses -1 as now and TZ", () => {
  const r = formatPrintf("%(%Y-%m-%d %H:%M %Z)T", ["-1"], "bash", {
    now: Date.UTC(2024, 0, 15, 10, 30),
    tz: "UTC",
  });
  assert.equal(r.output, "2024-01-15 10:30 UTC");
  const s = formatPrintf("%(%s)T", ["-2"], "bash", { shellStart: 5000 });
  assert.equal(s.output, "5");
  const z = formatPrintf("%(%H:%M %z)T", ["0"], "bash", { tz: "Asia/Kolkata" });
  assert.equal(z.output, "05:30 +0530");
});

test("printf: \\c in %b stops everything and reports stopped", () => {
  const r = formatPrintf("%b|%s", ["a\\cb", "z"], "bash");
  assert.deepEqual({ output: r.output, stopped: r.stopped }, { output: "a", stopped: true });
});
