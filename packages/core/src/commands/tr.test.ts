import assert from "node:assert/strict";
import { test } from "node:test";
import { type RunOptions, runBoth } from "./testing.ts";

const text = "Hello, World! 123 foo\tbar\n  aaa bbb  ccc\n\x01\x7f\n";

const cases: [string, string[], RunOptions][] = [
  ["simple map", ["tr", "abc", "xyz"], { stdin: text }],
  ["range upper", ["tr", "a-z", "A-Z"], { stdin: text }],
  ["class upper", ["tr", "[:lower:]", "[:upper:]"], { stdin: text }],
  ["class lower", ["tr", "[:upper:]", "[:lower:]"], { stdin: text }],
  ["class identity", ["tr", "[:upper:]", "[:upper:]"], { stdin: text }],
  ["lower to range", ["tr", "[:lower:]", "A-Z"], { stdin: text }],
  ["short set2 extends", ["tr", "a-z", "xy"], { stdin: text }],
  ["truncate", ["tr", "-t", "a-z", "xy"], { stdin: text }],
  ["delete", ["tr", "-d", "lo"], { stdin: text }],
  ["delete digits", ["tr", "-d", "[:digit:]"], { stdin: text }],
  ["delete complement", ["tr", "-cd", "[:alnum:]\\n"], { stdin: text }],
  ["delete complement C", ["tr", "-Cd", "a-z"], { stdin: text }],
  ["squeeze", ["tr", "-s", " "], { stdin: text }],
  ["squeeze class", ["tr", "-s", "[:space:]"], { stdin: text }],
  ["squeeze translate", ["tr", "-s", "a-z", "A-Z"], { stdin: text }],
  ["squeeze complement", ["tr", "-cs", "[:alpha:]", "\\n"], { stdin: text }],
  ["delete squeeze", ["tr", "-ds", "l", "o"], { stdin: "hellooo wooorld\n" }],
  ["complement translate", ["tr", "-c", "a-z\\n", "_"], { stdin: text }],
  ["escapes", ["tr", "\\t\\n", "TN"], { stdin: text }],
  ["octal", ["tr", "\\101\\040", "a_"], { stdin: "A B\n" }],
  ["backslash", ["tr", "\\\\", "/"], { stdin: "a\\b\n" }],
  ["repeat", ["tr", "a-f", "[x*]"], { stdin: "abcdefg\n" }],
  ["repeat n", ["tr", "a-f", "[x*2]yz"], { stdin: "abcdefg\n" }],
  ["repeat octal n", ["tr", "a-j", "[x*010]y"], { stdin: "abcdefghij\n" }],
  ["repeat middle", ["tr", "a-f", "1[x*]2"], { stdin: "abcdefg\n" }],
  ["equiv", ["tr", "[=a=]", "b"], { stdin: "aaa\n" }],
  ["all classes delete", ["tr", "-d", "[:punct:][:blank:][:cntrl:]"], { stdin: text }],
  ["graph print xdigit", ["tr", "-d", "[:xdigit:]"], { stdin: text }],
  ["print complement", ["tr", "-cd", "[:print:]"], { stdin: text }],
  ["graph", ["tr", "-cd", "[:graph:]"], { stdin: text }],
  ["literal bracket", ["tr", "[a", "xy"], { stdin: "[a]\n" }],
  ["dash at end", ["tr", "a-", "xy"], { stdin: "a-b\n" }],
  ["dash first", ["tr", "-d", "--", "-a"], { stdin: "a-b\n" }],
  ["later mapping wins", ["tr", "aa", "xy"], { stdin: "a\n" }],
  ["binary", ["tr", "\\000-\\377", "[x*]"], { stdin: new Uint8Array([0, 0xff, 0x80]) }],
  ["binary delete", ["tr", "-d", "\\200-\\377"], { stdin: new Uint8Array([0x41, 0xff, 0x80, 10]) }],
  ["missing operand", ["tr"], {}],
  ["missing second", ["tr", "abc"], {}],
  ["missing second ds", ["tr", "-ds", "a"], {}],
  ["extra operand", ["tr", "a", "b", "c"], {}],
  ["extra operand delete", ["tr", "-d", "a", "b"], {}],
  ["bad class", ["tr", "[:foo:]", "x"], {}],
  ["empty class", ["tr", "[::]", "x"], {}],
  ["reverse range", ["tr", "z-a", "x"], {}],
  ["class in set2", ["tr", "a", "[:digit:]"], {}],
  ["misaligned", ["tr", "[:upper:]", "x[:lower:]"], {}],
  ["equiv in set2", ["tr", "a", "b[=x=]"], {}],
  ["repeat in set1", ["tr", "[a*]", "x"], {}],
  ["two repeats", ["tr", "ab", "[x*][y*]"], {}],
  ["repeat when deleting", ["tr", "-ds", "a", "[x*]"], {}],
  ["empty set2", ["tr", "a", ""], {}],
  ["set2 ends with class", ["tr", "[:upper:]a", "[:lower:]"], {}],
  ["complement class needs one", ["tr", "-c", "[:alpha:]", "xy"], {}],
  ["bad repeat count", ["tr", "a", "[x*9a]"], {}],
  ["trailing backslash", ["tr", "a\\", "xy"], { stdin: "a\\\n" }],
  ["ambiguous octal", ["tr", "\\400", "xy"], { stdin: " 0\n" }],
  ["bad option", ["tr", "-x", "a"], {}],
];

for (const [name, argv, options] of cases) {
  test(`tr: ${name}`, async () => {
    const { vm, host } = await runBoth(argv, options);
    assert.deepEqual(vm, host);
  });
}
