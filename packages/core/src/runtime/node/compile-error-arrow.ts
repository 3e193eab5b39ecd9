/**
 * Node prints a compile error with an "arrow" header above its stack: the file and line, the
 * source line, and carets under the range V8 reported ("main.js:1\nconsole.log('a';\n
 * ^^^"). isolated-vm only appends " [file:line:column]" to the message, so the host rebuilds
 * the header: it compiles the same source the way Node would with the host's own V8 (compiling
 * runs nothing), whose decorated stack carries the exact range when V8 reports the same error
 * at the same place; otherwise (module-only syntax) the carets cover the token at the column.
 */
import { compileFunction, Script } from "node:vm";

/** How the guest compiled the source: a script, a CommonJS body, or an ES module. */
export type CompiledAs = "script" | "commonjs" | "module";

const CJS_PARAMETERS = ["exports", "require", "module", "__filename", "__dirname"];

/** " [file:line:column]" that isolated-vm appends to a compile error's message. */
const LOCATION_SUFFIX = / \[(.*):(\d+):(\d+)\]$/;

/**
 * The compile error with the location suffix removed from its message and `arrow` (Node's
 * header, without a trailing newline) set. `source` is the code as the guest wrote it: its
 * lines and columns are the ones V8 reported.
 */
export function withArrow(error: unknown, source: string, as: CompiledAs): unknown {
  if (!(error instanceof SyntaxError)) return error;
  const match = LOCATION_SUFFIX.exec(error.message);
  if (!match) return error;
  const [, file, lineText, columnText] = match;
  error.message = error.message.slice(0, match.index);
  const line = Number(lineText);
  const column = Number(columnText) - 1;
  const arrow =
    hostArrow(error.message, source, as, file, line, column) ??
    tokenArrow(source, file, line, column);
  if (arrow !== undefined) Object.defineProperty(error, "arrow", { value: arrow });
  return error;
}

function hostCompile(source: string, as: CompiledAs, filename: string): void {
  if (as === "commonjs") compileFunction(source, CJS_PARAMETERS, { filename });
  // The host cannot compile an ES module without a flag; as a script, the same error at the
  // same place has the same range.
  else new Script(source, { filename });
}

/** The header from the host V8's own decoration, if it fails the same way at the same place. */
function hostArrow(
  message: string,
  source: string,
  as: CompiledAs,
  file: string,
  line: number,
  column: number,
): string | undefined {
  try {
    hostCompile(source, as, file);
  } catch (error) {
    if (!(error instanceof SyntaxError) || error.message !== message) return undefined;
    const stack = String(error.stack);
    const header = stack.slice(0, stack.indexOf("\n\nSyntaxError"));
    const [where, , carets] = header.split("\n");
    if (where === `${file}:${line}` && carets?.indexOf("^") === column) return header;
  }
  return undefined;
}

/** One JavaScript token at the start of `text`: string, template, number, name or punctuator. */
const TOKEN =
  /^(?:'(?:[^'\\\n]|\\.)*'?|"(?:[^"\\\n]|\\.)*"?|`(?:[^`\\]|\\.)*`?|(?:0[xob][\da-f_]+|\d[\d_]*(?:\.[\d_]*)?(?:e[+-]?\d+)?|\.\d[\d_]*(?:e[+-]?\d+)?)n?|#?[\p{ID_Start}$_][\p{ID_Continue}$\u200c\u200d]*|>>>=|\.\.\.|===|!==|\*\*=|<<=|>>=|>>>|&&=|\|\|=|\?\?=|\?\.|=>|==|!=|<=|>=|&&|\|\||\?\?|\+\+|--|[-+*/%&|^]=|<<|>>|\*\*)/iu;

/** The header with carets under the token at `column` (0-based). */
function tokenArrow(
  source: string,
  file: string,
  line: number,
  column: number,
): string | undefined {
  const text = source.split("\n")[line - 1];
  if (text === undefined) return undefined;
  const start = Math.min(Math.max(0, column), text.length);
  const length = TOKEN.exec(text.slice(start))?.[0].length ?? 1;
  // Node keeps tabs in the padding, so the carets line up under tab-indented code.
  const padding = text.slice(0, start).replace(/[^\t]/g, " ");
  return `${file}:${line}\n${text}\n${padding}${"^".repeat(Math.max(1, length))}`;
}
