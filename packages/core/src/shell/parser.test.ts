// biome-ignore-all lint/suspicious/noTemplateCurlyInString: the strings are shell source, not templates
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type {
  ArithForCommand,
  CaseCommand,
  CondCommand,
  CondExpr,
  Coproc,
  ForCommand,
  FunctionDefinition,
  IfCommand,
  Pipeline,
  Program,
  SimpleCommand,
  WhileCommand,
  Word,
} from "./ast.ts";
import { isIncomplete, parse, ShellSyntaxError } from "./parser.ts";
import { asSimple, firstCommand, renderArith, renderWord } from "./test-render.ts";

const first = (src: string) => firstCommand(parse(src));
const simple = (src: string): SimpleCommand => asSimple(first(src));
/** Rendered words of the first simple command. */
const words = (src: string): string[] => simple(src).words.map(renderWord);
/** Rendered second word of `echo <word>`. */
const arg = (word: string): string => words(`echo ${word}`)[1];

function syntaxError(src: string): ShellSyntaxError {
  try {
    parse(src);
  } catch (e) {
    if (e instanceof ShellSyntaxError) return e;
    throw e;
  }
  assert.fail(`expected a syntax error for ${JSON.stringify(src)}`);
}

describe("simple commands", () => {
  it("splits words on blanks and keeps operators apart", () => {
    assert.deepEqual(words("echo a  b\tc"), ["echo", "a", "b", "c"]);
    assert.deepEqual(words("echo a#b #comment"), ["echo", "a#b"]);
    assert.deepEqual(words("ec\\\nho x\\\ny"), ["echo", "xy"]);
    assert.equal(parse("a;b&c").body.length, 3);
  });

  it("parses assignments in every form", () => {
    const cmd = simple("a=1 b+=x c[2]=y d[$i+1]+=z e= f=(1 2 [5]=x [k]+=y) echo hi");
    const shown = cmd.assignments.map((a) => [
      a.name,
      a.append,
      renderArith(a.subscript),
      a.value ? renderWord(a.value) : null,
      a.array?.map(
        (e) =>
          `${e.subscript ? `[${e.subscript.source}]${e.append ? "+" : ""}=` : ""}${renderWord(e.value)}`,
      ) ?? null,
    ]);
    assert.deepEqual(shown, [
      ["a", false, "null", "1", null],
      ["b", true, "null", "x", null],
      ["c", false, "2", "y", null],
      ["d", true, "$i+1", "z", null],
      ["e", false, "null", "", null],
      ["f", false, "null", null, ["1", "2", "[5]=x", "[k]+=y"]],
    ]);
    assert.deepEqual(cmd.words.map(renderWord), ["echo", "hi"]);
  });

  it("keeps blanks inside an assignment subscript and parses the subscript", () => {
    const a = simple("a[i + 1]=x").assignments[0];
    assert.equal(a.subscript?.source, "i + 1");
    assert.equal(a.subscript?.expr?.type, "binary");
    // As an argument bash splits it.
    assert.deepEqual(words("echo a[1 + 2]=3"), ["echo", "a[1", "+", "2]=3"]);
  });

  it("reads name[...] as one unit wherever an assignment may appear", () => {
    assert.deepEqual(words("a[1 2] x"), ["a[1 2]", "x"]);
    assert.equal(simple(">x a[1 2]=3 cmd").assignments[0].subscript?.source, "1 2");
    assert.deepEqual(
      simple("cat <& 2>x").redirects.map((r) => `${r.op}${renderWord(r.target)}`),
      ["<&2", ">x"],
    );
  });

  it("treats assignments after the command name as words", () => {
    const cmd = simple("env a=1");
    assert.equal(cmd.assignments.length, 0);
    assert.deepEqual(cmd.words.map(renderWord), ["env", "a=1"]);
  });

  it("attaches assignments to declaration builtin arguments", () => {
    const cmd = simple("local -a x=(1 2) y=3 z");
    assert.equal(cmd.words[1].assignment, undefined);
    assert.deepEqual(
      cmd.words[2].assignment?.array?.map((e) => renderWord(e.value)),
      ["1", "2"],
    );
    assert.equal(cmd.words[3].assignment?.value && renderWord(cmd.words[3].assignment.value), "3");
    assert.equal(cmd.words[4].assignment, undefined);
    const exp = simple("export PATH=~/bin:$PATH");
    assert.equal(renderWord(exp.words[1].assignment!.value!), "~/bin:$PATH");
  });

  it("parses compound array assignments with newlines and comments", () => {
    const a = simple("arr=(\n  one # first\n  'two words'\n  \"$x\"\n)").assignments[0];
    assert.deepEqual(
      a.array?.map((e) => renderWord(e.value)),
      ["one", "'two words'", '"$x"'],
    );
  });

  it("parses every redirection operator", () => {
    const cmd = simple(
      "cmd <in >out >>app >|clob <>rw 2>&1 3<&0 >&2 &>both &>>bothapp 4>&- 5<&- {fd}>f 7>&3- <<<'str'",
    );
    const shown = cmd.redirects.map(
      (r) => `${r.fdVar ? `{${r.fdVar}}` : (r.fd ?? "")}${r.op}${renderWord(r.target)}`,
    );
    assert.deepEqual(shown, [
      "<in",
      ">out",
      ">>app",
      ">|clob",
      "<>rw",
      "2>&1",
      "3<&0",
      ">&2",
      "&>both",
      "&>>bothapp",
      "4>&-",
      "5<&-",
      "{fd}>f",
      "7>&3-",
      "<<<'str'",
    ]);
  });

  it("allows redirections anywhere, including alone", () => {
    const cmd = simple(">out echo 2>err hi");
    assert.deepEqual(cmd.words.map(renderWord), ["echo", "hi"]);
    assert.equal(cmd.redirects.length, 2);
    assert.equal(simple(">x").redirects.length, 1);
    assert.deepEqual(words("echo 2 >x"), ["echo", "2"]);
  });
});

describe("lists and pipelines", () => {
  it("builds statements with async flags", () => {
    const p = parse("a & b; c\nd &");
    assert.deepEqual(
      p.body.map((s) => [renderWord(asSimple(s.command).words[0]), s.async]),
      [
        ["a", true],
        ["b", false],
        ["c", false],
        ["d", true],
      ],
    );
  });

  it("makes && and || left-associative", () => {
    const c = first("a && b || c");
    assert.equal(c.type, "andOr");
    if (c.type !== "andOr") return;
    assert.equal(c.op, "||");
    assert.equal(c.left.type, "andOr");
    assert.equal(first("a &&\n\n b").type, "andOr");
  });

  it("parses pipelines with |&, ! and time", () => {
    const p = first("! time -p a | b |& c") as Pipeline;
    assert.equal(p.type, "pipeline");
    assert.equal(p.commands.length, 3);
    assert.deepEqual(p.stderr, [false, true]);
    assert.equal(p.negated, true);
    assert.deepEqual(p.time, { posix: true });
    assert.equal(first("! ! a").type, "simple");
    assert.equal(first("a | b").type, "pipeline");
    assert.equal(first("a").type, "simple");
    const bare = first("time") as Pipeline;
    assert.deepEqual([bare.commands.length, bare.time], [0, { posix: false }]);
    assert.equal(((first("a | time b") as Pipeline).commands[1] as SimpleCommand).words.length, 2);
  });
});

describe("compound commands", () => {
  it("parses subshells and brace groups with redirections", () => {
    const s = first("( a; b ) >out");
    assert.equal(s.type, "subshell");
    if (s.type === "subshell") assert.deepEqual([s.body.length, s.redirects.length], [2, 1]);
    const g = first("{ a\n b; } 2>&1 | cat");
    assert.equal(g.type, "pipeline");
    assert.equal((g as Pipeline).commands[0].type, "braceGroup");
    assert.deepEqual(words("echo { }"), ["echo", "{", "}"]);
  });

  it("parses if / elif / else", () => {
    const c = first("if a; then b; elif c\nthen d; else e; fi") as IfCommand;
    assert.equal(c.type, "if");
    assert.equal(c.clauses.length, 2);
    assert.equal(c.elseBody?.length, 1);
    assert.equal((first("if a; then b; fi") as IfCommand).elseBody, null);
  });

  it("parses while and until", () => {
    const w = first("while a; do b; done <in") as WhileCommand;
    assert.deepEqual([w.type, w.until, w.redirects.length], ["while", false, 1]);
    assert.equal((first("until a; do b; done") as WhileCommand).until, true);
  });

  it("parses for loops in all their shapes", () => {
    const f = first("for x in a 'b c' $d; do e; done") as ForCommand;
    assert.deepEqual([f.name, f.words?.map(renderWord)], ["x", ["a", "'b c'", "$d"]]);
    assert.equal((first("for x; do e; done") as ForCommand).words, null);
    assert.equal((first("for x\ndo e; done") as ForCommand).words, null);
    assert.deepEqual((first("for x in; do e; done") as ForCommand).words, []);
    assert.deepEqual((first("for x in do done; do e; done") as ForCommand).words?.map(renderWord), [
      "do",
      "done",
    ]);
    assert.equal((first("for x in 1 2; { echo; }") as ForCommand).body.length, 1);
    assert.equal(first("select x in a b; do e; done").type, "select");
  });

  it("parses arithmetic for loops", () => {
    const f = first("for ((i = 0; i < 3; i++)); do e; done") as ArithForCommand;
    assert.deepEqual(
      [renderArith(f.init), renderArith(f.test), renderArith(f.update)],
      ["i = 0", " i < 3", " i++"],
    );
    const empty = first("for ((;;)) { e; }") as ArithForCommand;
    assert.deepEqual([empty.init, empty.test, empty.update], [null, null, null]);
  });

  it("parses case with every terminator, optional parens and | patterns", () => {
    const c = first(
      "case $x in\n  a|b) one;;\n  (c) two ;&\n  *.txt | [0-9]*) three;;&\n  d) ;;\n  e) last\nesac",
    ) as CaseCommand;
    assert.equal(renderWord(c.word), "$x");
    assert.deepEqual(
      c.items.map((i) => [i.patterns.map(renderWord), i.body.length, i.terminator]),
      [
        [["a", "b"], 1, ";;"],
        [["c"], 1, ";&"],
        [["*.txt", "[0-9]*"], 1, ";;&"],
        [["d"], 0, ";;"],
        [["e"], 1, ";;"],
      ],
    );
    assert.equal((first("case x in esac") as CaseCommand).items.length, 0);
    assert.deepEqual(
      (first("case in in in) ;; esac") as CaseCommand).items[0].patterns.map(renderWord),
      ["in"],
    );
  });

  it("parses functions in both forms with any compound body", () => {
    const f = first("f() { echo; } >log") as FunctionDefinition;
    assert.deepEqual(
      [f.type, f.name, f.body.type, f.body.redirects.length],
      ["function", "f", "braceGroup", 1],
    );
    assert.equal(f.source, "f() { echo; } >log");
    assert.equal((first("function g { :; }") as FunctionDefinition).name, "g");
    assert.equal((first("function g() ( : )") as FunctionDefinition).body.type, "subshell");
    assert.equal((first("function g ( : )") as FunctionDefinition).body.type, "subshell");
    assert.equal(
      (first("h ( ) \n\n while :; do :; done") as FunctionDefinition).body.type,
      "while",
    );
    assert.equal((first("my-func.x() [[ -n 1 ]]") as FunctionDefinition).body.type, "cond");
    assert.equal((first("k() (( x++ ))") as FunctionDefinition).body.type, "arith");
  });

  it("parses (( )) and tells it apart from nested subshells", () => {
    const a = first("(( x = 1 + 2 ))");
    assert.equal(a.type, "arith");
    if (a.type === "arith") assert.equal(a.arith.expr?.type, "assign");
    const sub = first("((echo hi) )");
    assert.equal(sub.type, "subshell");
    if (sub.type === "subshell") assert.equal(sub.body[0].command.type, "subshell");
  });

  it("parses coproc", () => {
    const named = first("coproc NAME { cat; }") as Coproc;
    assert.deepEqual([named.type, named.name, named.body.type], ["coproc", "NAME", "braceGroup"]);
    const plain = first("coproc cat file") as Coproc;
    assert.deepEqual(
      [plain.name, asSimple(plain.body).words.map(renderWord)],
      [null, ["cat", "file"]],
    );
  });

  it("recognizes reserved words only in command position", () => {
    assert.deepEqual(words("echo if then fi done"), ["echo", "if", "then", "fi", "done"]);
    assert.equal(first("a=1 if").type, "simple");
    assert.equal(first('"if" x').type, "simple");
    assert.equal(first("\\if x").type, "simple");
  });
});

describe("[[ ]] conditional expressions", () => {
  const cond = (src: string): CondExpr => (first(`[[ ${src} ]]`) as CondCommand).expr;
  const show = (e: CondExpr): string => {
    switch (e.type) {
      case "condAnd":
        return `(${show(e.left)} && ${show(e.right)})`;
      case "condOr":
        return `(${show(e.left)} || ${show(e.right)})`;
      case "condNot":
        return `!${show(e.expr)}`;
      case "condUnary":
        return `${e.op} ${renderWord(e.operand)}`;
      case "condBinary":
        return `${renderWord(e.left)} ${e.op} ${renderWord(e.right)}`;
      case "condWord":
        return renderWord(e.word);
    }
  };

  it("parses unary, binary and word tests", () => {
    const table: [string, string][] = [
      ["-f $file", "-f $file"],
      ["-z $x", "-z $x"],
      ["-v name", "-v name"],
      ["$a == b*", "$a == b*"],
      ["$a = 'x'", "$a = 'x'"],
      ['$a != "$b"', '$a != "$b"'],
      ["$a < $b", "$a < $b"],
      ["$a > $b", "$a > $b"],
      ["$n -eq 3", "$n -eq 3"],
      ["$n -lt 3", "$n -lt 3"],
      ["a -nt b", "a -nt b"],
      ["$x", "$x"],
      ["-n -n", "-n -n"],
    ];
    for (const [src, expected] of table) assert.equal(show(cond(src)), expected, src);
  });

  it("handles &&, ||, ! and grouping with bash precedence", () => {
    assert.equal(show(cond("a || b && c")), "(a || (b && c))");
    assert.equal(show(cond("! a && ( b || c )")), "(!a && (b || c))");
    assert.equal(show(cond("a &&\n b")), "(a && b)");
  });

  it("reads =~ right sides with regex quoting rules", () => {
    assert.equal(show(cond("$x =~ ^(a|b)+[0-9]$")), "$x =~ ^(a|b)+[0-9]$");
    const e = cond("$x =~ (a b)");
    assert.equal(e.type === "condBinary" && renderWord(e.right), "(a b)");
    const q = cond('$x =~ ^"a.b"\\.c$');
    assert.equal(q.type === "condBinary" && renderWord(q.right), '^"«a.b»"«.»c$');
    assert.equal(show(cond("$x =~ a|b")), "$x =~ a|b");
  });

  it("accepts extglob patterns on the right of ==", () => {
    assert.equal(show(cond("$x == +([0-9])")), "$x == +([0-9])");
    assert.equal(show(cond("$x == @(a|b c)")), "$x == @(a|b c)");
  });
});

describe("words", () => {
  it("marks quoted and unquoted literal text", () => {
    const table: [string, string][] = [
      ["plain", "plain"],
      ["a\\*b", "a«*»b"],
      ["'single $x'", "'single $x'"],
      ['"dq $x \\$ \\a"', '"«dq »$x« $ \\a»"'],
      ["$'tab\\there\\x41\\101\\u00e9\\cA'", "$'tab\\thereAAé\\u0001'"],
      ['$"locale"', '$"«locale»"'],
      ['"$"', '"«$»"'],
      ["a$", "a$"],
      ["*.txt", "*.txt"],
      ["{a,b}c", "{a,b}c"],
      ['"{a,b}"', '"«{a,b}»"'],
      ["x'y'\"z\"", "x'y'\"«z»\""],
      ["\\'", "«'»"],
      ['"\\""', '"«\\"»"'.replace('\\"', '"')],
      ["@(a|b)", "@(a|b)"],
      ["!(*.o)", "!(*.o)"],
    ];
    for (const [src, expected] of table) assert.equal(arg(src), expected, src);
  });

  it("decodes ANSI-C escapes, stopping at NUL", () => {
    const value = (src: string) => {
      const part = simple(`echo ${src}`).words[1].parts[0];
      return part.type === "ansiCQuoted" ? part.value : null;
    };
    assert.equal(value("$'a\\nb'"), "a\nb");
    assert.equal(value("$'\\xc3\\xa9'"), "é");
    assert.equal(value("$'\\e[0m'"), "\x1b[0m");
    assert.equal(value("$'it\\'s'"), "it's");
    assert.equal(value("$'a\\0b'"), "a");
    assert.equal(value("$'\\q'"), "\\q");
  });

  it("parses simple and special parameters", () => {
    const table: [string, string][] = [
      ["$x", "$x"],
      ["$x_1y", "$x_1y"],
      ["$1", "$1"],
      ["$10", "$10"],
      ["${10}", "${10}"],
      ["$@", "$@"],
      ["$*", "$*"],
      ["$#", "$#"],
      ["$?", "$?"],
      ["$-", "$-"],
      ["$$", "$$"],
      ["$!", "$!"],
      ["$0", "$0"],
      ["$_", "$_"],
      ["${#}", "${#}"],
    ];
    for (const [src, expected] of table) assert.equal(arg(src), expected, src);
    const ten = simple("echo $10").words[1].parts;
    assert.deepEqual(
      ten.map((p) => p.type),
      ["parameter", "literal"],
    );
  });

  it("parses every ${...} form", () => {
    const forms = [
      "${x}",
      "${#x}",
      "${##}",
      "${#a[@]}",
      "${x:-d}",
      "${x-d}",
      "${x:=d}",
      "${x=d}",
      "${x:?msg}",
      "${x?msg}",
      "${x:+alt}",
      "${x+alt}",
      "${x:2}",
      "${x:1:2}",
      "${x: -1}",
      "${x:(-2):1}",
      "${x#p*}",
      "${x##*/}",
      "${x%.*}",
      "${x%%.*}",
      "${x/a/b}",
      "${x//a/b}",
      "${x/#a/b}",
      "${x/%a/b}",
      "${x/a}",
      "${x^}",
      "${x^^}",
      "${x,}",
      "${x,,[A-C]}",
      "${x~~}",
      "${!x}",
      "${!x:-d}",
      "${!pre*}",
      "${!pre@}",
      "${!a[@]}",
      "${!a[*]}",
      "${a[1]}",
      "${a[@]}",
      "${a[*]}",
      "${a[i+1]}",
      "${a[@]:1:2}",
      "${x@Q}",
      "${x@a}",
    ];
    for (const form of forms) assert.equal(arg(form), form, form);
  });

  it("keeps unparsable ${...} as bad substitutions (reported at expansion time)", () => {
    for (const bad of ["${}", "${x!}", "${#x:-y}", "${x@Z}", "${a[}"]) {
      assert.equal(arg(bad), `BAD(${bad})`, bad);
    }
  });

  it("parses operand words with nested quoting and expansions", () => {
    assert.equal(arg("${x:-a b}"), "${x:-a b}");
    assert.equal(arg('"${x:-"a b"}"'), '"${x:-"«a b»"}"');
    // Inside double quotes, ' is literal for :- but quotes for pattern operators.
    assert.equal(arg(`"\${x:-'a'}"`), `"\${x:-«'»a«'»}"`);
    assert.equal(arg(`"\${x#'a'}"`), `"\${x#'a'}"`);
    assert.equal(arg("${x:-$(echo })}"), "${x:-$(echo })}");
    assert.equal(arg("${x:-{a}}"), "${x:-{a}}");
    assert.equal(arg("${x/\\//-}"), "${x/«/»/-}");
    assert.equal(arg("${x:-~/a}"), "${x:-~/a}");
    assert.equal(arg("${x:-${y:-${z}}}"), "${x:-${y:-${z}}}");
    const sub = simple("echo ${x:$i:2}").words[1].parts[0];
    assert.equal(
      sub.type === "parameter" && sub.op?.type === "substring" && sub.op.offset.expr?.type,
      "expansion",
    );
  });

  it("parses command substitutions, storing program and source", () => {
    const part = simple("echo $(echo a | tr a b)").words[1].parts[0];
    assert.equal(part.type, "commandSubstitution");
    if (part.type !== "commandSubstitution") return;
    assert.equal(part.source, "echo a | tr a b");
    assert.equal(part.program?.body[0].command.type, "pipeline");
    assert.equal(part.backtick, false);
  });

  it("finds the end of $( ) through case, quotes, comments and nesting", () => {
    const table: [string, string][] = [
      ["$(case x in a) echo a;; esac)", "$(case x in a) echo a;; esac)"],
      ["$(case x in (a) echo a;; esac)", "$(case x in (a) echo a;; esac)"],
      ["$(echo \")\" ')')", "$(echo \")\" ')')"],
      ["$(echo \\))", "$(echo \\))"],
      ["$(echo $(echo $(echo deep)))", "$(echo $(echo $(echo deep)))"],
      ["$( (a) )", "$( (a) )"],
      ["$(# comment )\n)", "$(# comment )\n)"],
      ['"$(echo "a b")"', '"$(echo "a b")"'],
    ];
    for (const [src, expected] of table) assert.equal(arg(src), expected, src);
  });

  it("parses backticks, unescaping nested ones", () => {
    const part = simple("echo `echo \\`echo n\\``").words[1].parts[0];
    assert.equal(part.type === "commandSubstitution" && part.source, "echo `echo n`");
    const inner =
      part.type === "commandSubstitution" ? asSimple(part.program!.body[0].command) : null;
    assert.equal(inner?.words[1].parts[0].type, "commandSubstitution");
    const dq = simple('echo "`echo \\"q\\"`"').words[1].parts[0];
    assert.equal(
      dq.type === "doubleQuoted" &&
        dq.parts[0].type === "commandSubstitution" &&
        dq.parts[0].source,
      'echo "q"',
    );
    // Syntax errors inside backquotes surface only when run, as in bash.
    const bad = simple("echo `fi`").words[1].parts[0];
    assert.equal(bad.type === "commandSubstitution" && bad.program, null);
    assert.equal(
      bad.type === "commandSubstitution" && bad.parseError?.message,
      "syntax error near unexpected token `fi'",
    );
  });

  it("parses arithmetic expansions", () => {
    const part = simple("echo $(( (1 + 2) * x ))").words[1].parts[0];
    assert.equal(part.type, "arithmetic");
    if (part.type !== "arithmetic") return;
    assert.equal(part.arith.source, " (1 + 2) * x ");
    assert.equal(part.arith.expr?.type, "binary");
    assert.equal(arg("$[1+2]"), "$[1+2]");
    const withSub = simple("echo $((1 + $(echo 2) + $y))").words[1].parts[0];
    assert.equal(
      withSub.type === "arithmetic" && renderWord(withSub.arith.word),
      "«1 + »$(echo 2)« + »$y",
    );
    // Invalid arithmetic is a run-time error in bash, so parsing succeeds with expr null.
    const invalid = simple("echo $((1 +))").words[1].parts[0];
    assert.equal(invalid.type === "arithmetic" && invalid.arith.expr, null);
    // Not closed by `))`: a command substitution holding a subshell.
    assert.equal(arg("$((echo hi) )"), "$((echo hi) )");
    assert.equal(simple("echo $((echo hi) )").words[1].parts[0].type, "commandSubstitution");
  });

  it("parses process substitution, also inside words", () => {
    assert.deepEqual(words("diff <(sort a) >(tee b) x<(c)"), [
      "diff",
      "<(sort a)",
      ">(tee b)",
      "x<(c)",
    ]);
    const cmd = simple("cat < <(ls)");
    assert.equal(renderWord(cmd.redirects[0].target), "<(ls)");
  });

  it("recognizes tilde prefixes", () => {
    const table: [string, string][] = [
      ["~", "~"],
      ["~/x", "~/x"],
      ["~root/x", "~root/x"],
      ["~+", "~+"],
      ["~-", "~-"],
      ["a=~/b:~/c", "a=~/b:~/c"],
      ["x~", "x~"],
      ['~"x"', '~"«x»"'],
      ["~$USER", "~$USER"],
    ];
    for (const [src, expected] of table) assert.equal(arg(src), expected, src);
    const parts = (src: string) => simple(`echo ${src}`).words[1].parts.map((p) => p.type);
    assert.deepEqual(parts("~/x"), ["tilde", "literal"]);
    assert.deepEqual(parts('~"x"'), ["literal", "doubleQuoted"]);
    assert.deepEqual(parts("a=~/b:~/c"), ["literal", "tilde", "literal", "tilde", "literal"]);
    assert.deepEqual(parts("x:~"), ["literal"]);
    const value = simple("PATH=~/bin:~root:$PATH").assignments[0].value!;
    assert.deepEqual(
      value.parts.map((p) => p.type),
      ["tilde", "literal", "tilde", "literal", "parameter"],
    );
  });

  it("records raw source text of words", () => {
    assert.equal(simple("echo 'a b'\"c\"$x").words[1].text, "'a b'\"c\"$x");
  });
});

describe("here-documents", () => {
  const heredocs = (program: Program) =>
    program.body.flatMap((s) => asSimple(s.command).redirects.map((r) => r.heredoc!));

  it("reads bodies after the line, several per line, in order", () => {
    const p = parse("cat <<A; cat <<-'B'\nline $x\n\tA\nA\n\t\tb body\n\tB\necho done");
    const [a, b] = heredocs({ ...p, body: p.body.slice(0, 2) });
    assert.deepEqual([a.delimiter, a.quoted, a.stripTabs], ["A", false, false]);
    assert.equal(renderWord(a.body), "«line »$x«\n\tA\n»");
    assert.deepEqual([b.delimiter, b.quoted, b.stripTabs], ["B", true, true]);
    assert.equal(renderWord(b.body), "«b body\n»");
    assert.equal(p.body.length, 3);
    assert.equal(asSimple(p.body[2].command).line, 7);
  });

  it("applies here-document backslash rules to unquoted bodies", () => {
    const [h] = heredocs(parse('cat <<EOF\n\\$HOME \\\\ \\a \\" "$HOME" `echo bt` a\\\nb\nEOF'));
    assert.equal(renderWord(h.body), '«$HOME \\ \\a \\" "»$HOME«" »`echo bt`« ab\n»');
  });

  it("treats any quoting in the delimiter as a quoted delimiter", () => {
    for (const d of ["'EOF'", '"EOF"', "\\EOF", 'E"O"F']) {
      const [h] = heredocs(parse(`cat <<${d}\n$x\nEOF`));
      assert.deepEqual([h.delimiter, h.quoted, renderWord(h.body)], ["EOF", true, "«$x\n»"], d);
    }
  });

  it("reads bodies belonging to a command substitution inside it", () => {
    const p = parse("x=$(cat <<EOF\nin $y\nEOF\n); echo $x");
    const part = asSimple(p.body[0].command).assignments[0].value!.parts[0];
    assert.equal(part.type, "commandSubstitution");
    if (part.type !== "commandSubstitution") return;
    const [h] = heredocs(part.program!);
    assert.equal(renderWord(h.body), "«in »$y«\n»");
    assert.equal(p.body.length, 2);
  });

  it("waits for the newline token, not a newline inside a word", () => {
    const p = parse('cat <<EOF; echo "x\ny"\nbody\nEOF');
    const [h] = heredocs({ ...p, body: [p.body[0]] });
    assert.equal(renderWord(h.body), "«body\n»");
  });

  it("warns (not fails) when the body runs into end of file", () => {
    const p = parse("cat <<EOF\na\nb");
    assert.deepEqual(p.warnings, [
      {
        line: 3,
        message: "warning: here-document at line 1 delimited by end-of-file (wanted `EOF')",
      },
    ]);
    assert.equal(heredocs(p)[0].terminated, false);
    assert.equal(parse("echo x\ncat <<EOF\na\nb\n").warnings[0].line, 4);
  });
});

describe("line numbers", () => {
  it("records the line of each command", () => {
    const p = parse("a\n\nif b\nthen\n  c\nfi\nd \\\n e\nf");
    assert.deepEqual(
      p.body.map((s) => s.command.line),
      [1, 3, 7, 9],
    );
    const c = p.body[1].command as IfCommand;
    assert.equal(c.clauses[0].body[0].command.line, 5);
  });

  it("numbers command substitutions within the script", () => {
    const part = simple("x=$(\necho c)").assignments[0].value!.parts[0];
    assert.equal(part.type === "commandSubstitution" && part.program?.body[0].command.line, 2);
  });
});

describe("syntax errors (messages and lines checked against bash 5.2)", () => {
  const cases: [string, string, number][] = [
    ["echo )", "syntax error near unexpected token `)'", 1],
    ["if true; then", "syntax error: unexpected end of file", 2],
    ["if true\nthen\n", "syntax error: unexpected end of file", 3],
    ['echo "abc', "unexpected EOF while looking for matching `\"'", 1],
    ["echo 'abc\n\n", "unexpected EOF while looking for matching `''", 1],
    ["echo $(echo", "unexpected EOF while looking for matching `)'", 2],
    ["echo $(echo\n\n", "unexpected EOF while looking for matching `)'", 3],
    ["echo `echo", "unexpected EOF while looking for matching ``'", 1],
    ["echo ${x", "unexpected EOF while looking for matching `}'", 1],
    ["echo $((1+", "unexpected EOF while looking for matching `)'", 1],
    ["echo $[1+", "unexpected EOF while looking for matching `]'", 1],
    ["echo >", "syntax error near unexpected token `newline'", 1],
    ["echo > ;", "syntax error near unexpected token `;'", 1],
    ["echo >\necho", "syntax error near unexpected token `newline'", 1],
    ["a && ", "syntax error: unexpected end of file", 2],
    ["echo a | | b", "syntax error near unexpected token `|'", 1],
    ["echo a && || b", "syntax error near unexpected token `||'", 1],
    ["fi", "syntax error near unexpected token `fi'", 1],
    ["if true\nthen\nfi", "syntax error near unexpected token `fi'", 3],
    ["{ }", "syntax error near unexpected token `}'", 1],
    ["(\n)", "syntax error near unexpected token `)'", 2],
    ["echo a;;", "syntax error near unexpected token `;;'", 1],
    ["case x in a|) ;; esac", "syntax error near unexpected token `)'", 1],
    ["case x in esac) ;; esac", "syntax error near unexpected token `)'", 1],
    ["case x a) esac", "syntax error near unexpected token `a'", 1],
    ["for x y", "syntax error near unexpected token `y'", 1],
    ["for x { :; }", "syntax error near unexpected token `{'", 1],
    ["f() echo", "syntax error near unexpected token `echo'", 1],
    ["function { :; }", "syntax error near unexpected token `:'", 1],
    ["echo a=(1)", "syntax error near unexpected token `('", 1],
    ["a=(1 2 (3))", "syntax error near unexpected token `('", 1],
    ["x=(a b", "unexpected EOF while looking for matching `)'", 1],
    ["echo | ! cat", "syntax error near unexpected token `!'", 1],
    ["in", "syntax error near unexpected token `in'", 1],
    [">x { a; }", "syntax error near unexpected token `}'", 1],
    ["echo $(fi)", "syntax error near unexpected token `fi'", 1],
    ["for ((i=0;i<3)); do :; done", "syntax error: arithmetic expression required", 1],
    ["for ((i;j;k;l)); do :; done", "syntax error: `;' unexpected", 1],
    ["[[ a", "unexpected token `newline', conditional binary operator expected", 1],
    ["[[ a ==", "unexpected argument `newline' to conditional binary operator", 1],
    ["[[ -f ]]", "unexpected argument `]]' to conditional unary operator", 1],
    ["[[ a b ]]", "conditional binary operator expected", 1],
    ["[[ ( a ]]", "unexpected token `]]', expected `)'", 1],
    ["[[ a == b c ]]", "syntax error in conditional expression", 1],
    ["[[ a ) ]]", "syntax error in conditional expression: unexpected token `)'", 1],
    ["[[ ) ]]", "unexpected token `)' in conditional command", 1],
    ["[[ a &&", "unexpected token `EOF' in conditional command", 2],
    ["[[ ( ]]", "expected `)'", 1],
    ["[[ a =~ ( ]]", "unexpected EOF while looking for matching `)'", 1],
    ["[[ a ]] b", "syntax error near unexpected token `b'", 1],
    ["cat <<< 2>x", "syntax error near unexpected token `2'", 1],
    ["time time then", "syntax error near unexpected token `then'", 1],
    ["echo ok; a[1 2", "unexpected EOF while looking for matching `]'", 1],
    ["echo $(if true", "unexpected EOF while looking for matching `)'", 2],
    ["echo $(case x in", "unexpected EOF while looking for matching `)'", 2],
    ["echo $(( $(fi) ))", "syntax error near unexpected token `fi'", 1],
  ];

  for (const [src, message, line] of cases) {
    it(JSON.stringify(src), () => {
      const e = syntaxError(src);
      assert.equal(e.message, message);
      assert.equal(e.line, line);
    });
  }

  it("flags end-of-input errors as incomplete", () => {
    assert.equal(syntaxError("if true; then").incomplete, true);
    assert.equal(syntaxError('echo "abc').incomplete, true);
    assert.equal(syntaxError("echo )").incomplete, false);
    assert.equal(syntaxError("echo >").incomplete, false);
  });

  it("records the file name when given", () => {
    try {
      parse("fi", { fileName: "script.sh" });
      assert.fail("expected an error");
    } catch (e) {
      assert.ok(e instanceof ShellSyntaxError);
      assert.equal(e.fileName, "script.sh");
    }
  });

  it("rejects absurd nesting with a syntax error instead of overflowing", () => {
    const e = syntaxError("(".repeat(50000));
    assert.ok(e instanceof ShellSyntaxError);
  });
});

describe("isIncomplete", () => {
  it("answers whether an interactive shell needs another line", () => {
    const table: [string, boolean][] = [
      ["echo hi", false],
      ["if true; then", true],
      ["for x in a b; do", true],
      ['echo "abc', true],
      ["echo $(ls", true],
      ["a &&", true],
      ["a |", true],
      ["f() {", true],
      ["cat <<EOF\nbody", true],
      ["cat <<EOF\nbody\nEOF", false],
      ["echo a \\", true],
      ["[[ a &&", true],
      ["echo )", false],
    ];
    for (const [src, expected] of table) assert.equal(isIncomplete(src), expected, src);
  });
});

describe("robustness", () => {
  /** Deterministic PRNG so failures reproduce. */
  function prng(seed: number): () => number {
    let s = seed >>> 0;
    return () => {
      s = (s * 1664525 + 1013904223) >>> 0;
      return s / 4294967296;
    };
  }
  const TOKENS = [
    "if",
    "then",
    "else",
    "elif",
    "fi",
    "for",
    "in",
    "do",
    "done",
    "while",
    "until",
    "case",
    "esac",
    "select",
    "function",
    "coproc",
    "time",
    "!",
    "{",
    "}",
    "[[",
    "]]",
    "((",
    "))",
    "(",
    ")",
    "$(",
    "$((",
    "${",
    "`",
    "'",
    '"',
    "$'",
    '$"',
    "\\",
    "\n",
    ";",
    ";;",
    ";&",
    ";;&",
    "&",
    "&&",
    "|",
    "||",
    "|&",
    "<",
    ">",
    ">>",
    "<<",
    "<<-",
    "<<<",
    "<&",
    ">&",
    "&>",
    "2>",
    "{fd}>",
    "=",
    "+=",
    "a=",
    "a[",
    "]",
    "x",
    "$x",
    "$1",
    "$@",
    "#",
    "~",
    "*",
    "?",
    "[",
    "-f",
    "==",
    "=~",
    "-eq",
    ":-",
    "%",
    "/",
    "//",
    "^^",
    ",,",
    "@Q",
    "EOF",
    " ",
    "\t",
    "0",
    "1",
    "+",
    "-",
    "**",
    ":",
    "$[",
    "<(",
    ">(",
    "@(",
    "a=(",
    "\\\n",
  ];

  function check(src: string): void {
    try {
      parse(src);
    } catch (e) {
      if (!(e instanceof ShellSyntaxError)) {
        assert.fail(`${JSON.stringify(src)} threw ${(e as Error).stack}`);
      }
    }
  }

  it("never throws anything but ShellSyntaxError on random bytes", () => {
    const rnd = prng(1);
    const deadline = performance.now() + 4000;
    for (let i = 0; i < 20000 && performance.now() < deadline; i++) {
      let src = "";
      const len = Math.floor(rnd() * 80);
      for (let j = 0; j < len; j++) {
        src += String.fromCharCode(Math.floor(rnd() * (rnd() < 0.85 ? 128 : 0x3000)));
      }
      check(src);
    }
  });

  it("never throws anything but ShellSyntaxError on token soups", () => {
    const rnd = prng(2);
    const deadline = performance.now() + 6000;
    for (let i = 0; i < 30000 && performance.now() < deadline; i++) {
      let src = "";
      const len = Math.floor(rnd() * 30);
      for (let j = 0; j < len; j++) {
        src += TOKENS[Math.floor(rnd() * TOKENS.length)] + (rnd() < 0.5 ? " " : "");
      }
      const started = performance.now();
      check(src);
      assert.ok(performance.now() - started < 1000, `slow input ${JSON.stringify(src)}`);
    }
  });

  it("stays fast on deeply nested substitutions", () => {
    const started = performance.now();
    parse(`echo ${"$(( a[".repeat(30)}1${"] ))".repeat(30)}`);
    parse(`${"a[$(".repeat(30)}b[1]=1${")]=1".repeat(30)}`);
    parse(`echo ${'"${x:-$(echo '.repeat(30)}1${')}"'.repeat(30)}`);
    assert.ok(performance.now() - started < 2000);
  });

  it("parses a 2,000-line script quickly (speed printed, not asserted)", () => {
    const block = [
      "# configuration",
      'PREFIX="${PREFIX:-/usr/local}"',
      "for f in src/*.ts; do",
      '  if [[ -f "$f" && "$f" != *.test.ts ]]; then',
      '    echo "building ${f%.ts}" >>"$LOG" 2>&1',
      "  fi",
      "done",
      "case $(uname -s) in",
      "  Linux) os=linux ;;",
      "  Darwin|*BSD) os=bsd ;;",
      "esac",
      "count=$((count + ${#files[@]} * 2))",
      "while read -r line; do printf '%s\\n' \"$line\" | sed 's/a/b/'; done < <(ls -1)",
      "cat <<EOF >out.txt",
      "value: $count $(date +%s)",
      "EOF",
      'build() { local -a args=("$@"); (( ${#args[@]} )) || return 1; }',
      "[[ $os =~ ^(linux|bsd)$ ]] && echo ok || echo no",
      "x=`echo legacy` y=$'tab\\there'",
      "",
    ];
    const lines: string[] = [];
    while (lines.length < 2000) lines.push(...block);
    const script = lines.slice(0, 2000).join("\n");
    parse(script); // warm up
    const started = performance.now();
    const program = parse(script);
    const ms = performance.now() - started;
    console.log(`parsed 2,000 lines (${script.length} bytes) in ${ms.toFixed(1)} ms`);
    assert.ok(program.body.length > 500);
  });
});

describe("program shape", () => {
  it("is plain data", () => {
    const p = parse("a=1; f() { echo ${x:-y}; }; (( z = 2 ** 3 ))");
    const json = JSON.stringify(p, (_k, v) => (typeof v === "bigint" ? v.toString() : v));
    assert.ok(json.length > 0);
    assert.equal(p.type, "program");
  });

  it("gives words their text and parts", () => {
    const w: Word = simple("echo a'b'").words[1];
    assert.equal(w.text, "a'b'");
    assert.equal(w.parts.length, 2);
  });
});
