/**
 * Test helper: renders words back to compact bash-like text so tests can assert structure in
 * one line. Quoted literal text is shown as «text» to make the quoted/unquoted flag visible.
 */

import type {
  ArithText,
  Command,
  ParameterPart,
  Program,
  SimpleCommand,
  Word,
  WordPart,
} from "./ast.ts";

function renderParam(p: ParameterPart): string {
  if (!p.braced) return `$${p.name}`;
  const sub =
    p.subscript === null
      ? ""
      : p.subscript.type === "all"
        ? p.subscript.star
          ? "[*]"
          : "[@]"
        : `[${p.subscript.index.source}]`;
  const op = p.op;
  const bang = p.indirect ? "!" : "";
  if (op === null) return `\${${bang}${p.name}${sub}}`;
  switch (op.type) {
    case "length":
      return `\${#${p.name}${sub}}`;
    case "default":
      return `\${${bang}${p.name}${sub}${op.colon ? ":" : ""}${op.op}${renderWord(op.word)}}`;
    case "substring":
      return `\${${bang}${p.name}${sub}:${op.offset.source}${op.length ? `:${op.length.source}` : ""}}`;
    case "removePattern": {
      const c = op.side === "prefix" ? "#" : "%";
      return `\${${bang}${p.name}${sub}${op.longest ? c + c : c}${renderWord(op.pattern)}}`;
    }
    case "replace": {
      const mode = { first: "", all: "/", prefix: "#", suffix: "%" }[op.mode];
      const rep = op.replacement ? `/${renderWord(op.replacement)}` : "";
      return `\${${bang}${p.name}${sub}/${mode}${renderWord(op.pattern)}${rep}}`;
    }
    case "case": {
      const c = { upper: "^", lower: ",", toggle: "~" }[op.direction];
      return `\${${bang}${p.name}${sub}${op.all ? c + c : c}${op.pattern ? renderWord(op.pattern) : ""}}`;
    }
    case "transform":
      return `\${${bang}${p.name}${sub}@${op.operator}}`;
    case "prefixNames":
      return `\${!${p.name}${op.star ? "*" : "@"}}`;
    case "keys":
      return `\${!${p.name}${sub}}`;
  }
}

export function renderPart(part: WordPart): string {
  switch (part.type) {
    case "literal":
      return part.quoted ? `«${part.value}»` : part.value;
    case "singleQuoted":
      return `'${part.value}'`;
    case "ansiCQuoted":
      return `$'${JSON.stringify(part.value).slice(1, -1)}'`;
    case "doubleQuoted":
      return `${part.locale ? "$" : ""}"${part.parts.map(renderPart).join("")}"`;
    case "parameter":
      return renderParam(part);
    case "commandSubstitution":
      return part.backtick ? `\`${part.source}\`` : `$(${part.source})`;
    case "arithmetic":
      return part.legacy ? `$[${part.arith.source}]` : `$((${part.arith.source}))`;
    case "processSubstitution":
      return `${part.direction}(${part.source})`;
    case "tilde":
      return `~${part.user}`;
    case "badSubstitution":
      return `BAD(${part.text})`;
  }
}

export function renderWord(word: Word): string {
  return word.parts.map(renderPart).join("");
}

export function renderArith(a: ArithText | null): string {
  return a === null ? "null" : a.source;
}

/** The first command of a program. */
export function firstCommand(program: Program): Command {
  return program.body[0].command;
}

export function asSimple(command: Command): SimpleCommand {
  if (command.type !== "simple") throw new Error(`expected a simple command, got ${command.type}`);
  return command;
}
