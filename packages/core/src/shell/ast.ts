/**
 * Syntax tree for the bash-compatible shell. Produced by `parse()` (parser.ts), consumed by the
 * interpreter. Every node is plain data (JSON-like, except `bigint` in arithmetic numbers) with a
 * `type` discriminant.
 *
 * Conventions the interpreter can rely on:
 * - Every command node carries the 1-based `line` of its first token (for $LINENO and messages).
 * - Words are kept as lists of parts; nothing is expanded here. Unquoted literal text keeps brace
 *   and glob characters so the expander can do brace expansion, globbing and field splitting.
 * - Arithmetic appears as `ArithText`: the raw source, the same source as a word (bash expands
 *   `$x`, `$(...)` inside arithmetic textually before evaluating), and the parsed expression.
 */

// ---------------------------------------------------------------------------------------------
// Programs and lists

export interface Program {
  type: "program";
  body: Statement[];
  /** Non-fatal diagnostics, e.g. a here-document delimited by end-of-file. */
  warnings: ParseWarning[];
}

export interface ParseWarning {
  line: number;
  /** Text after bash's `bash: line N: ` prefix, e.g. "warning: here-document at line 1 ...". */
  message: string;
}

/** One entry of a command list: an and-or list terminated by `;`, newline, or `&` (async). */
export interface Statement {
  type: "statement";
  command: Command;
  async: boolean;
}

export type Command =
  | SimpleCommand
  | Pipeline
  | AndOrList
  | CompoundCommand
  | FunctionDefinition
  | Coproc;

export type CompoundCommand =
  | Subshell
  | BraceGroup
  | IfCommand
  | WhileCommand
  | ForCommand
  | SelectCommand
  | ArithForCommand
  | CaseCommand
  | ArithCommand
  | CondCommand;

/** `a | b |& c`, `! a`, `time -p a | b`. Single commands without `!`/`time` are not wrapped. */
export interface Pipeline {
  type: "pipeline";
  line: number;
  /** Empty only for a bare `time` or `!` (both valid in bash). */
  commands: Command[];
  /** `stderr[i]` is true when commands[i] and commands[i+1] are joined by `|&`. */
  stderr: boolean[];
  negated: boolean;
  time: { posix: boolean } | null;
}

/** `left && right` / `left || right`; left-associative, so `a && b || c` is ((a && b) || c). */
export interface AndOrList {
  type: "andOr";
  line: number;
  op: "&&" | "||";
  left: Command;
  right: Command;
}

// ---------------------------------------------------------------------------------------------
// Simple commands, assignments, redirections

export interface SimpleCommand {
  type: "simple";
  line: number;
  /** Leading `name=value` words. With no `words` they set shell variables. */
  assignments: Assignment[];
  /** Command name and arguments, unexpanded. */
  words: Word[];
  /** In source order (redirections may appear anywhere among the words). */
  redirects: Redirect[];
}

export interface Assignment {
  type: "assignment";
  name: string;
  /**
   * `a[sub]=v`: evaluated as arithmetic for indexed arrays; for associative arrays expand
   * `subscript.word` (no splitting or globbing) to get the key.
   */
  subscript: ArithText | null;
  /** `+=` */
  append: boolean;
  /** Scalar value (an empty word for `a=`); null for a compound array assignment. */
  value: Word | null;
  /** `a=(1 2 [5]=x)`; null for scalar assignments. */
  array: ArrayElement[] | null;
  /** Raw source of the whole assignment word. */
  text: string;
}

/** One element of `a=( ... )`: `v`, `[k]=v`, or `[k]+=v`. */
export interface ArrayElement {
  subscript: ArithText | null;
  append: boolean;
  value: Word;
}

export type RedirectOp =
  | "<"
  | ">"
  | ">>"
  | ">|"
  | "<>"
  /** `n<&m`, `n<&-`, `n<&m-`: the target word decides (digits, `-`, digits followed by `-`). */
  | "<&"
  /** `n>&m`, `n>&-`, `>&file` (= `&>file` when the expanded target is not a number or `-`). */
  | ">&"
  | "&>"
  | "&>>"
  | "<<"
  | "<<-"
  | "<<<";

export interface Redirect {
  type: "redirect";
  line: number;
  op: RedirectOp;
  /** Explicit source descriptor (`2>`), or null for the operator's default. */
  fd: number | null;
  /** `{var}>file`: allocate a descriptor and store its number in `var`. */
  fdVar: string | null;
  /** File name, descriptor word, here-string, or (for here-documents) the delimiter word. */
  target: Word;
  heredoc: HereDoc | null;
}

export interface HereDoc {
  /** Delimiter after quote removal. */
  delimiter: string;
  /** Any quoting in the delimiter: the body is taken literally (no expansion). */
  quoted: boolean;
  /** `<<-`: leading tabs were stripped from body lines and the delimiter line. */
  stripTabs: boolean;
  /**
   * The body. Quoted delimiter: a single quoted literal. Otherwise literal parts (quoted, since
   * no splitting or globbing happens) plus parameter/command/arithmetic expansions; backslash
   * escapes already applied with here-document rules (`\$ \` \\ \<newline>` only).
   */
  body: Word;
  /** False when the body ran into end of input (bash warns, see Program.warnings). */
  terminated: boolean;
}

// ---------------------------------------------------------------------------------------------
// Compound commands (all may carry redirections: `{ ...; } >log`, `while ...; done <file`)

export interface Subshell {
  type: "subshell";
  line: number;
  body: Statement[];
  redirects: Redirect[];
}

export interface BraceGroup {
  type: "braceGroup";
  line: number;
  body: Statement[];
  redirects: Redirect[];
}

export interface IfCommand {
  type: "if";
  line: number;
  /** `if` then each `elif`, in order. */
  clauses: { condition: Statement[]; body: Statement[] }[];
  elseBody: Statement[] | null;
  redirects: Redirect[];
}

export interface WhileCommand {
  type: "while";
  line: number;
  /** `until`: loop while the condition fails. */
  until: boolean;
  condition: Statement[];
  body: Statement[];
  redirects: Redirect[];
}

export interface ForCommand {
  type: "for";
  line: number;
  /** As written; the interpreter reports "`x': not a valid identifier" at run time like bash. */
  name: string;
  /** null when there is no `in` clause (iterate over "$@"). */
  words: Word[] | null;
  body: Statement[];
  redirects: Redirect[];
}

export interface SelectCommand {
  type: "select";
  line: number;
  name: string;
  words: Word[] | null;
  body: Statement[];
  redirects: Redirect[];
}

/** `for ((init; test; update))`; an empty clause is null (an empty test means true). */
export interface ArithForCommand {
  type: "arithFor";
  line: number;
  init: ArithText | null;
  test: ArithText | null;
  update: ArithText | null;
  body: Statement[];
  redirects: Redirect[];
}

export interface CaseCommand {
  type: "case";
  line: number;
  word: Word;
  items: CaseItem[];
  redirects: Redirect[];
}

export interface CaseItem {
  line: number;
  /** Patterns separated by `|`; quoted parts match literally. */
  patterns: Word[];
  body: Statement[];
  /** `;;` stop, `;&` fall through into the next body, `;;&` test the next patterns. */
  terminator: ";;" | ";&" | ";;&";
}

/** `(( expr ))`: status 0 when the value is non-zero. */
export interface ArithCommand {
  type: "arith";
  line: number;
  arith: ArithText;
  redirects: Redirect[];
}

/** `[[ expr ]]` */
export interface CondCommand {
  type: "cond";
  line: number;
  expr: CondExpr;
  redirects: Redirect[];
}

export interface FunctionDefinition {
  type: "function";
  line: number;
  /** As written (bash accepts almost any word; invalid names fail when the definition runs). */
  name: string;
  /** Any compound command; its `redirects` apply each time the function runs. */
  body: CompoundCommand;
  /** Raw source of the whole definition (for `declare -f`, `type`). */
  source: string;
}

/** `coproc [NAME] command`; parsed only (the interpreter reports it as unsupported). */
export interface Coproc {
  type: "coproc";
  line: number;
  /** Explicit name (only allowed before a compound command); null means COPROC. */
  name: string | null;
  body: Command;
}

// ---------------------------------------------------------------------------------------------
// [[ ... ]] conditional expressions

export type CondExpr =
  | { type: "condAnd"; left: CondExpr; right: CondExpr }
  | { type: "condOr"; left: CondExpr; right: CondExpr }
  | { type: "condNot"; expr: CondExpr }
  /** `-f file`, `-z str`, `-v name`, `-o option`, ... */
  | { type: "condUnary"; op: string; operand: Word }
  /**
   * `==`/`=`/`!=`: right is a pattern (quoted parts literal). `=~`: right is a regex, unquoted
   * parts are regex syntax and quoted parts match literally. `<`/`>`: string order.
   * Also -eq -ne -lt -le -gt -ge (arithmetic), -nt -ot -ef (files).
   */
  | { type: "condBinary"; op: string; left: Word; right: Word }
  /** A lone word: true when non-empty after expansion. */
  | { type: "condWord"; word: Word };

// ---------------------------------------------------------------------------------------------
// Words

export interface Word {
  parts: WordPart[];
  /** Raw source text of the word (line continuations included). */
  text: string;
  /**
   * Set on arguments of declaration builtins (declare, typeset, local, export, readonly) that
   * have assignment form, e.g. `local a=(1 2)` or `export PATH=~/bin:$PATH`. For a compound
   * array (`assignment.array`), `parts` holds only the `name=` prefix.
   */
  assignment?: Assignment;
}

export type WordPart =
  | LiteralPart
  | SingleQuotedPart
  | AnsiCQuotedPart
  | DoubleQuotedPart
  | ParameterPart
  | CommandSubstitutionPart
  | ArithmeticPart
  | ProcessSubstitutionPart
  | TildePart
  | BadSubstitutionPart;

/**
 * Plain text. `quoted: false` means it came from unquoted source, so it is subject to brace
 * expansion, globbing (and `*`, `?`, `[`, extglob `@(...)` stay as written). `quoted: true` is
 * text that was escaped (`\*`) or sits inside double quotes / a here-document.
 */
export interface LiteralPart {
  type: "literal";
  value: string;
  quoted: boolean;
}

/** `'...'` */
export interface SingleQuotedPart {
  type: "singleQuoted";
  value: string;
}

/**
 * `$'...'`, with escapes already decoded (`\x`/octal bytes as UTF-8). Decoding stops at a NUL,
 * where bash's string ends.
 */
export interface AnsiCQuotedPart {
  type: "ansiCQuoted";
  value: string;
}

/**
 * `"..."` (`locale: true` for `$"..."`, which this shell does not translate). Inner literal parts
 * are `quoted: true`; expansions inside are not field-split or globbed, and "$@" expands to
 * separate words.
 */
export interface DoubleQuotedPart {
  type: "doubleQuoted";
  parts: WordPart[];
  locale: boolean;
}

/**
 * `$x`, `${x}`, `$1`, `${10}`, specials (`@ * # ? - $ ! 0 _`), and every `${...}` form.
 * `${!x}` is `indirect: true` (and may combine with an operator: `${!x:-d}`).
 */
export interface ParameterPart {
  type: "parameter";
  name: string;
  braced: boolean;
  subscript: ParameterSubscript | null;
  indirect: boolean;
  op: ParameterOp | null;
  /** Raw source, e.g. `${a[i]:-x}` (bash quotes it in "bad substitution"/"unbound" errors). */
  text: string;
}

export type ParameterSubscript =
  /** `[@]` or `[*]` */
  { type: "all"; star: boolean } | { type: "index"; index: ArithText };

/**
 * Operator inside `${...}`. Operand words were parsed with bash's rules for their position:
 * inside double quotes, `'` is literal for the default/alternate family and quoting for the
 * pattern family. Quoted operand parts are literal in patterns.
 */
export type ParameterOp =
  /** `${#x}`, `${#a[@]}` */
  | { type: "length" }
  /** `${x:-w}` `${x-w}` `${x:=w}` `${x=w}` `${x:?w}` `${x?w}` `${x:+w}` `${x+w}` */
  | { type: "default"; op: "-" | "=" | "?" | "+"; colon: boolean; word: Word }
  /** `${x:offset}`, `${x:offset:length}` */
  | { type: "substring"; offset: ArithText; length: ArithText | null }
  /** `${x#p}` (prefix, shortest), `${x##p}`, `${x%p}` (suffix), `${x%%p}` */
  | { type: "removePattern"; side: "prefix" | "suffix"; longest: boolean; pattern: Word }
  /** `${x/p/r}` first, `${x//p/r}` all, `${x/#p/r}` anchored at start, `${x/%p/r}` at end */
  | {
      type: "replace";
      mode: "first" | "all" | "prefix" | "suffix";
      pattern: Word;
      replacement: Word | null;
    }
  /** `${x^p}` `${x^^p}` upper, `${x,p}` `${x,,p}` lower, `${x~p}` `${x~~p}` toggle */
  | {
      type: "case";
      direction: "upper" | "lower" | "toggle";
      all: boolean;
      pattern: Word | null;
    }
  /** `${x@Q}` and friends */
  | { type: "transform"; operator: "Q" | "E" | "P" | "A" | "K" | "a" | "U" | "u" | "L" | "k" }
  /** `${!prefix*}` / `${!prefix@}`: names of variables starting with `name` */
  | { type: "prefixNames"; star: boolean }
  /** `${!a[@]}` / `${!a[*]}`: the array's keys */
  | { type: "keys"; star: boolean };

/** `$(...)` or backticks. The program is parsed once here; `source` is the text inside. */
export interface CommandSubstitutionPart {
  type: "commandSubstitution";
  /**
   * null when the text could not be parsed and bash only reports that at run time (backticks,
   * and `$((...) ...)` that is not arithmetic). The interpreter prints `parseError` then.
   */
  program: Program | null;
  source: string;
  backtick: boolean;
  parseError: { message: string; line: number } | null;
}

/** `$((...))`, or the deprecated `$[...]` (`legacy: true`). */
export interface ArithmeticPart {
  type: "arithmetic";
  arith: ArithText;
  legacy: boolean;
}

/** `<(...)` / `>(...)` */
export interface ProcessSubstitutionPart {
  type: "processSubstitution";
  direction: "<" | ">";
  program: Program;
  source: string;
}

/**
 * Unquoted tilde prefix: `~` (user ""), `~user`, `~+`, `~-`, `~+2`... Found at the start of a
 * word, and after `=` and unquoted `:` in assignment-shaped words.
 */
export interface TildePart {
  type: "tilde";
  user: string;
}

/** A `${...}` bash cannot parse, e.g. `${}`; expanding it is the error `${}: bad substitution`. */
export interface BadSubstitutionPart {
  type: "badSubstitution";
  text: string;
}

// ---------------------------------------------------------------------------------------------
// Arithmetic

/**
 * An arithmetic expression as it appears in the script. To match bash exactly, expand `word`
 * (double-quote rules, no splitting), then parse and evaluate the result with arith.ts. When
 * `word` is a single literal part, `expr` is that parse already (the fast path). `expr` is null
 * when the text does not parse as written: bash only reports that when it evaluates.
 */
export interface ArithText {
  source: string;
  word: Word;
  expr: ArithExpr | null;
}

export type ArithExpr =
  | ArithNumber
  | ArithVariable
  | ArithExpansion
  | ArithUnary
  | ArithUpdate
  | ArithBinary
  | ArithConditional
  | ArithAssign;

export interface ArithNumber {
  type: "number";
  value: bigint;
}

/** `x` or `a[i]`. Variables hold strings that are themselves evaluated as expressions. */
export interface ArithVariable {
  type: "variable";
  name: string;
  /** Subscript text (a key for associative arrays) and its parse as an index expression. */
  index: { text: string; expr: ArithExpr | null } | null;
}

/** `$x`, `${...}`, `$(...)` written inside arithmetic; its expansion is evaluated in place. */
export interface ArithExpansion {
  type: "expansion";
  part: WordPart;
  text: string;
}

export interface ArithUnary {
  type: "unary";
  op: "+" | "-" | "!" | "~";
  operand: ArithExpr;
}

/** `++x`, `x--`, ... */
export interface ArithUpdate {
  type: "update";
  op: "++" | "--";
  prefix: boolean;
  target: ArithVariable;
}

export type ArithBinaryOp =
  | ","
  | "||"
  | "&&"
  | "|"
  | "^"
  | "&"
  | "=="
  | "!="
  | "<"
  | ">"
  | "<="
  | ">="
  | "<<"
  | ">>"
  | "+"
  | "-"
  | "*"
  | "/"
  | "%"
  | "**";

/** Where bash points when evaluation of this node fails (division by 0, negative exponent). */
export interface ArithErrorSite {
  expression: string;
  token: string;
}

export interface ArithBinary {
  type: "binary";
  op: ArithBinaryOp;
  left: ArithExpr;
  right: ArithExpr;
  /** Present for `/`, `%`, `**`. */
  site?: ArithErrorSite;
}

export interface ArithConditional {
  type: "conditional";
  test: ArithExpr;
  consequent: ArithExpr;
  alternate: ArithExpr;
}

export type ArithAssignOp =
  | "="
  | "+="
  | "-="
  | "*="
  | "/="
  | "%="
  | "<<="
  | ">>="
  | "&="
  | "^="
  | "|=";

export interface ArithAssign {
  type: "assign";
  op: ArithAssignOp;
  target: ArithVariable;
  value: ArithExpr;
  /** Present for `/=` and `%=`. */
  site?: ArithErrorSite;
}
