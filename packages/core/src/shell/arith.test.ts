import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ArithError, parseArith, parseArithNumber } from "./arith.ts";
import { type ArithEnv, evaluateArith, evaluateArithText } from "./arith-eval.ts";
import type { ArithExpr } from "./ast.ts";

/** A variable store like the tests' bash: x=5 y=2 a=(10 20 30). */
function makeEnv(initial: Record<string, string> = { x: "5", y: "2" }): ArithEnv & {
  vars: Map<string, string>;
} {
  const vars = new Map(Object.entries(initial));
  const arrays = new Map<string, Map<string, string>>([
    [
      "a",
      new Map([
        ["0", "10"],
        ["1", "20"],
        ["2", "30"],
      ]),
    ],
  ]);
  const assoc = new Map<string, Map<string, string>>([["m", new Map([["key", "7"]])]]);
  return {
    vars,
    get(name, index) {
      const arr = arrays.get(name) ?? assoc.get(name);
      if (arr) return arr.get(index ?? "0");
      return index === undefined || index === "0" ? vars.get(name) : undefined;
    },
    set(name, value, index) {
      const arr = arrays.get(name) ?? assoc.get(name);
      if (arr) arr.set(index ?? "0", value);
      else vars.set(name, value);
    },
    isAssociative: (name) => assoc.has(name),
  };
}

/** Evaluates like bash's `$(( e ))` (note the blanks around the text). */
function run(expr: string, env = makeEnv()): string {
  try {
    return String(evaluateArith(parseArith(` ${expr} `), env));
  } catch (e) {
    if (e instanceof ArithError) return e.message;
    throw e;
  }
}

/** Parenthesized rendering to check precedence and associativity. */
function show(e: ArithExpr): string {
  switch (e.type) {
    case "number":
      return String(e.value);
    case "variable":
      return e.index ? `${e.name}[${e.index.text}]` : e.name;
    case "expansion":
      return e.text;
    case "unary":
      return `(${e.op}${show(e.operand)})`;
    case "update":
      return e.prefix ? `(${e.op}${show(e.target)})` : `(${show(e.target)}${e.op})`;
    case "binary":
      return `(${show(e.left)} ${e.op} ${show(e.right)})`;
    case "conditional":
      return `(${show(e.test)} ? ${show(e.consequent)} : ${show(e.alternate)})`;
    case "assign":
      return `(${show(e.target)} ${e.op} ${show(e.value)})`;
  }
}

describe("arithmetic parsing", () => {
  it("follows bash precedence and associativity", () => {
    const table: [string, string][] = [
      ["1 + 2 * 3", "(1 + (2 * 3))"],
      ["1 - 2 - 3", "((1 - 2) - 3)"],
      ["2 ** 3 ** 2", "(2 ** (3 ** 2))"],
      ["-2 ** 2", "((-2) ** 2)"],
      ["a = b = 1", "(a = (b = 1))"],
      ["a += b * 2", "(a += (b * 2))"],
      ["1 ? 2 : 3 ? 4 : 5", "(1 ? 2 : (3 ? 4 : 5))"],
      ["a || b && c", "(a || (b && c))"],
      ["a | b ^ c & d", "(a | (b ^ (c & d)))"],
      ["a == b < c", "(a == (b < c))"],
      ["a << 1 + 2", "(a << (1 + 2))"],
      ["!a + ~b", "((!a) + (~b))"],
      ["x++ + ++y", "((x++) + (++y))"],
      ["x+++y", "((x++) + y)"],
      ["1, 2, 3", "((1 , 2) , 3)"],
      ["(1 + 2) * 3", "((1 + 2) * 3)"],
      ["a[i + 1] * 2", "(a[i + 1] * 2)"],
      ["--5", "(-(-5))"],
    ];
    for (const [src, expected] of table) assert.equal(show(parseArith(src)), expected, src);
  });

  it("parses numbers in every base with bash's rules", () => {
    const table: [string, bigint | string][] = [
      ["42", 42n],
      ["0", 0n],
      ["010", 8n],
      ["0x1F", 31n],
      ["0X1f", 31n],
      ["2#1010", 10n],
      ["16#ff", 255n],
      ["36#Z", 35n],
      ["62#Z", 61n],
      ["64#@", 62n],
      ["64#_", 63n],
      ["9223372036854775808", -9223372036854775808n],
      ["08", "value too great for base"],
      ["1#1", "invalid arithmetic base"],
      ["65#1", "invalid arithmetic base"],
      ["2#", "invalid integer constant"],
    ];
    for (const [src, expected] of table) assert.equal(parseArithNumber(src), expected, src);
  });

  it("parses array elements with their subscript text", () => {
    const e = parseArith("m[some key] + a[$i]", {
      expansion: (_text, offset) => ({
        part: {
          type: "parameter",
          name: "i",
          braced: false,
          subscript: null,
          indirect: false,
          op: null,
          text: "$i",
        },
        end: offset + 2,
      }),
    });
    assert.equal(e.type, "binary");
    if (e.type !== "binary" || e.left.type !== "variable" || e.right.type !== "variable") return;
    assert.deepEqual(
      [e.left.name, e.left.index?.text, e.left.index?.expr],
      ["m", "some key", null],
    );
    assert.equal(e.right.index?.expr?.type, "expansion");
  });

  it("treats an empty expression as 0", () => {
    assert.deepEqual(parseArith(""), { type: "number", value: 0n });
    assert.deepEqual(parseArith("   "), { type: "number", value: 0n });
  });

  it("rejects $ without an expansion hook", () => {
    assert.throws(() => parseArith("$x + 1"), ArithError);
  });
});

describe("arithmetic evaluation (values checked against bash 5.2 with x=5 y=2 a=(10 20 30))", () => {
  const table: [string, string][] = [
    ["1+2*3", "7"],
    ["(1+2)*3", "9"],
    ["2**10", "1024"],
    ["2**3**2", "512"],
    ["-2**2", "4"],
    ["10/3", "3"],
    ["-7/2", "-3"],
    ["-7%3", "-1"],
    ["7%-3", "1"],
    ["1<<4", "16"],
    ["-8>>1", "-4"],
    ["1<<64", "1"],
    ["1<<65", "2"],
    ["1 << -1", "-9223372036854775808"],
    ["1 >> 64", "1"],
    ["5&3", "1"],
    ["5|3", "7"],
    ["5^3", "6"],
    ["~0", "-1"],
    ["!0", "1"],
    ["!5", "0"],
    ["3>2", "1"],
    ["3<2", "0"],
    ["3>=3", "1"],
    ["3<=2", "0"],
    ["3==3", "1"],
    ["3!=3", "0"],
    ["1 < 2 == 1", "1"],
    ["1 == 2 == 0", "1"],
    ["5 & 3 | 8 ^ 1", "9"],
    ["1 << 2 + 1", "8"],
    ["10 % 3 * 2", "2"],
    ["0 || 0 && 1", "0"],
    ["1 && 0 || 1", "1"],
    ["1 ? 2 : 3", "2"],
    ["0 ? 2 : 3", "3"],
    ["1 ? 2 : 3 ? 4 : 5", "2"],
    ["0 ? 1 : 0 ? 4 : 5", "5"],
    ["1 ? 2 , 3 : 4", "3"],
    ["(1,2)", "2"],
    ["1,2,3", "3"],
    ["077", "63"],
    ["0x1f", "31"],
    ["0X1F", "31"],
    ["2#101", "5"],
    ["8#17", "15"],
    ["16#ff", "255"],
    ["36#z", "35"],
    ["64#@", "62"],
    ["64#_", "63"],
    ["10#08", "8"],
    ["0", "0"],
    ["00", "0"],
    ["0x", "0"],
    ["9223372036854775807 + 1", "-9223372036854775808"],
    ["9223372036854775808", "-9223372036854775808"],
    ["-9223372036854775808 - 1", "9223372036854775807"],
    ["0x7fffffffffffffffff", "-1"],
    ["2**63", "-9223372036854775808"],
    ["2**64", "0"],
    ["3**40", "-6289078614652622815"],
    ["0**0", "1"],
    ["-2**63/-1", "-9223372036854775808"],
    ["(-9223372036854775807-1)/-1", "-9223372036854775808"],
    ["(-9223372036854775807-1)%-1", "0"],
    ["--5", "5"],
    ["- -5", "5"],
    ["-(-5)", "5"],
    ["++5", "5"],
    ["+-+-5", "5"],
    ["1++2", "3"],
    ["1--2", "3"],
    [" 7 ", "7"],
    ["", "0"],
    ["   ", "0"],
    ["x", "5"],
    ["x+y", "7"],
    ["x*y-1", "9"],
    ["x++", "5"],
    ["x--", "5"],
    ["++x", "6"],
    ["--x", "4"],
    ["x++ + x", "11"],
    ["x+++y", "7"],
    ["x = 3", "3"],
    ["x += 2", "7"],
    ["x -= 2", "3"],
    ["x *= 3", "15"],
    ["x /= 2", "2"],
    ["x %= 3", "2"],
    ["x <<= 2", "20"],
    ["x >>= 1", "2"],
    ["x &= 4", "4"],
    ["x |= 8", "13"],
    ["x ^= 1", "4"],
    ["x = y = 4", "4"],
    ["y--, y", "1"],
    ["(x += 2) * 2", "14"],
    ["x, y, x+y", "7"],
    ["a[0]", "10"],
    ["a[1]", "20"],
    ["a[2]", "30"],
    ["a[x-4]", "20"],
    ["a[1] += 5", "25"],
    ["a[x-4]++", "20"],
    ["++a[0]", "11"],
    ["a", "10"],
    ["a[5]", "0"],
    ["unset_var", "0"],
    ["unset_var + 1", "1"],
    ["!x", "0"],
    ["~x", "-6"],
    ["-x", "-5"],
    ["x ? y : 7", "2"],
    ["x1", "0"],
    ["_a", "0"],
  ];
  for (const [expr, expected] of table) {
    it(JSON.stringify(expr), () => assert.equal(run(expr), expected));
  }
});

describe("arithmetic errors (messages checked against bash 5.2)", () => {
  const table: [string, string][] = [
    ["1+", '1+ : syntax error: operand expected (error token is "+ ")'],
    ["1/0", '1/0 : division by 0 (error token is "0 ")'],
    ["5%0", '5%0 : division by 0 (error token is "0 ")'],
    ["08", '08: value too great for base (error token is "08")'],
    ["1 2", '1 2 : syntax error in expression (error token is "2 ")'],
    ["x=", 'x= : syntax error: operand expected (error token is "= ")'],
    ["2**-1", '2**-1 : exponent less than 0 (error token is "1 ")'],
    ["1 ? 2", '1 ? 2 : `:\' expected for conditional expression (error token is "2 ")'],
    ["1 ? 2 :", '1 ? 2 : : expression expected (error token is ": ")'],
    ["a b", 'a b : syntax error in expression (error token is "b ")'],
    ["3=4", '3=4 : attempted assignment to non-variable (error token is "=4 ")'],
    ["x++ ++", 'x++ ++ : syntax error: operand expected (error token is "+ ")'],
    ["65#1", '65#1: invalid arithmetic base (error token is "65#1")'],
    ["1#1", '1#1: invalid arithmetic base (error token is "1#1")'],
    ["2#2", '2#2: value too great for base (error token is "2#2")'],
    ["0xg", '0xg: value too great for base (error token is "0xg")'],
    ["09.5", '09: value too great for base (error token is "09")'],
    ["1.5", '1.5 : syntax error: invalid arithmetic operator (error token is ".5 ")'],
    ["a[1", 'a[1 : bad array subscript (error token is "a[1 ")'],
    ["~", '~ : syntax error: operand expected (error token is "~ ")'],
    ["1,", '1, : syntax error: operand expected (error token is ", ")'],
    [",1", ',1 : syntax error: operand expected (error token is ",1 ")'],
    ["'1'+2", "'1'+2 : syntax error: operand expected (error token is \"'1'+2 \")"],
    ["5 += 2", '5 += 2 : attempted assignment to non-variable (error token is "+= 2 ")'],
    ["!", '! : syntax error: operand expected (error token is "! ")'],
    ["x+=", 'x+= : syntax error: operand expected (error token is "+= ")'],
    ["1 1 1", '1 1 1 : syntax error in expression (error token is "1 1 ")'],
    ["7 >>> 1", '7 >>> 1 : syntax error: operand expected (error token is "> 1 ")'],
    ["1 <= > 2", '1 <= > 2 : syntax error: operand expected (error token is "> 2 ")'],
    ["a.b", 'a.b : syntax error: invalid arithmetic operator (error token is ".b ")'],
    ["0b1", '0b1: value too great for base (error token is "0b1")'],
    ["10#", '10#: invalid integer constant (error token is "10#")'],
    ["2#", '2#: invalid integer constant (error token is "2#")'],
    ["3#1_2", '3#1_2: value too great for base (error token is "3#1_2")'],
    ["12abc", '12abc: value too great for base (error token is "12abc")'],
    ["0x1G", '0x1G: value too great for base (error token is "0x1G")'],
    ["5/0+1", '5/0+1 : division by 0 (error token is "0+1 ")'],
    ["5/0 + 1", '5/0 + 1 : division by 0 (error token is "0 + 1 ")'],
    ["(5/0)", '(5/0) : division by 0 (error token is "0) ")'],
    ["(5/0) + 3", '(5/0) + 3 : division by 0 (error token is "0) + 3 ")'],
    ["5/0?1:2", '5/0?1:2 : division by 0 (error token is "0?1:2 ")'],
    ["1 + 08 + 2", '1 + 08: value too great for base (error token is "08")'],
    [" 1 + 2 2", '1 + 2 2 : syntax error in expression (error token is "2 ")'],
    ["2**-1+3", '2**-1+3 : exponent less than 0 (error token is "+3 ")'],
    ["x+=1/0", 'x+=1/0 : division by 0 (error token is "0 ")'],
    ["1 && 1/0", '1 && 1/0 : division by 0 (error token is "0 ")'],
    ["y=5/0,3", 'y=5/0,3 : division by 0 (error token is "0,3 ")'],
    ["1 = 2", '1 = 2 : attempted assignment to non-variable (error token is "= 2 ")'],
    ["x = 08 + 1", 'x = 08: value too great for base (error token is "08")'],
    ["-", '- : syntax error: operand expected (error token is "- ")'],
    ["1-", '1- : syntax error: operand expected (error token is "- ")'],
    ["(1+2 3)", '(1+2 3) : missing `)\' (error token is "3) ")'],
    ["1 ? 2 3", '1 ? 2 3 : `:\' expected for conditional expression (error token is "3 ")'],
    ["  5%0  ", '5%0   : division by 0 (error token is "0   ")'],
    ["@", '@ : syntax error: operand expected (error token is "@ ")'],
    ["1 @ 2", '1 @ 2 : syntax error: invalid arithmetic operator (error token is "@ 2 ")'],
    [".", '. : syntax error: operand expected (error token is ". ")'],
    [";", '; : syntax error: operand expected (error token is "; ")'],
    ["1 ;", '1 ; : syntax error: invalid arithmetic operator (error token is "; ")'],
    ["1 . 2", '1 . 2 : syntax error: invalid arithmetic operator (error token is ". 2 ")'],
    ["a b c", 'a b c : syntax error in expression (error token is "b c ")'],
    ["++", '++ : syntax error: operand expected (error token is "+ ")'],
    ["--x++", '--x++ : ++: assignment requires lvalue (error token is "++ ")'],
    ["a[1]b", 'a[1]b : syntax error in expression (error token is "b ")'],
    ["a[1]]", 'a[1]] : syntax error: invalid arithmetic operator (error token is "] ")'],
    ["1=", '1= : attempted assignment to non-variable (error token is "= ")'],
    ["{", '{ : syntax error: operand expected (error token is "{ ")'],
    ["(x) = 1", '(x) = 1 : attempted assignment to non-variable (error token is "= 1 ")'],
    ["x/=0", 'x/=0 : division by 0 (error token is "0 ")'],
    ["x%=0", 'x%=0 : division by 0 (error token is "0 ")'],
    ["2**-1", '2**-1 : exponent less than 0 (error token is "1 ")'],
    ["37#Z", '37#Z: value too great for base (error token is "37#Z")'],
    ["1e5", '1e5: value too great for base (error token is "1e5")'],
  ];
  for (const [expr, expected] of table) {
    it(JSON.stringify(expr), () => assert.equal(run(expr), expected));
  }
});

describe("arithmetic environment semantics", () => {
  it("assigns and updates variables through the environment", () => {
    const env = makeEnv();
    assert.equal(evaluateArithText("x += 10, y *= 3, z = x + y", env), 21n);
    assert.deepEqual([env.vars.get("x"), env.vars.get("y"), env.vars.get("z")], ["15", "6", "21"]);
    assert.equal(evaluateArithText("z++", env), 21n);
    assert.equal(env.vars.get("z"), "22");
    assert.equal(evaluateArithText("--z", env), 21n);
  });

  it("evaluates variable values recursively as expressions", () => {
    const env = makeEnv({ e: "x * 2", x: "1 + 2", s: " 3 ", empty: "" });
    assert.equal(evaluateArithText("e", env), 6n);
    assert.equal(evaluateArithText("s + 1", env), 4n);
    assert.equal(evaluateArithText("empty + unset + 1", env), 1n);
    const loop = makeEnv({ x: "x" });
    assert.throws(() => evaluateArithText("x", loop), /expression recursion level exceeded/);
    const bad = makeEnv({ v: "1+" });
    assert.throws(() => evaluateArithText("v * 2", bad), {
      message: '1+: syntax error: operand expected (error token is "+")',
    });
  });

  it("indexes arrays numerically and associative arrays by key text", () => {
    const env = makeEnv();
    assert.equal(evaluateArithText("a[1] + a[x - 3]", env), 50n);
    evaluateArithText("a[1] += 1, m[key] *= 2", env);
    assert.equal(env.get("a", "1"), "21");
    assert.equal(env.get("m", "key"), "14");
    assert.throws(() => evaluateArithText("a[1/0]", env), {
      message: '1/0: division by 0 (error token is "0")',
    });
  });

  it("short-circuits &&, || and ?: like bash", () => {
    const env = makeEnv();
    assert.equal(evaluateArithText("0 && (x = 99)", env), 0n);
    assert.equal(evaluateArithText("1 || (x = 99)", env), 1n);
    assert.equal(evaluateArithText("1 ? 7 : (x = 99)", env), 7n);
    assert.equal(env.vars.get("x"), "5");
    assert.equal(evaluateArithText("0 ? 1/0 : 3", env), 3n);
  });

  it("evaluates $-expansions parsed at script parse time through env.expand", () => {
    const expr = parseArith("$n * 2", {
      expansion: (_text, offset) => ({
        part: {
          type: "parameter",
          name: "n",
          braced: false,
          subscript: null,
          indirect: false,
          op: null,
          text: "$n",
        },
        end: offset + 2,
      }),
    });
    const env = { ...makeEnv(), expand: () => "21" };
    assert.equal(evaluateArith(expr, env), 42n);
  });

  it("wraps at 64 bits", () => {
    assert.equal(evaluateArithText("9223372036854775807 + 1", makeEnv()), -9223372036854775808n);
    assert.equal(evaluateArithText("3 ** 64", makeEnv()), 8733086111712066817n);
    assert.equal(evaluateArithText("-9223372036854775807 - 3", makeEnv()), 9223372036854775806n);
  });
});
