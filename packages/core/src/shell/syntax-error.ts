/**
 * Parse errors of the shell front end. `message` is exactly what bash prints after its
 * `bash: line N: ` prefix, so the interpreter can format diagnostics identically.
 */

export interface ShellSyntaxErrorOptions {
  /** The input ended inside a construct: an interactive shell should read another line. */
  incomplete?: boolean;
  fileName?: string;
}

export class ShellSyntaxError extends Error {
  override name = "ShellSyntaxError";
  /** 1-based line bash reports. */
  readonly line: number;
  readonly incomplete: boolean;
  readonly fileName: string | undefined;

  constructor(message: string, line: number, options: ShellSyntaxErrorOptions = {}) {
    super(message);
    this.line = line;
    this.incomplete = options.incomplete ?? false;
    this.fileName = options.fileName;
  }
}

/** `syntax error near unexpected token `X'` (newline shows as `newline`). */
export function unexpectedToken(token: string, line: number): ShellSyntaxError {
  return new ShellSyntaxError(`syntax error near unexpected token \`${token}'`, line);
}

/** `syntax error: unexpected end of file` */
export function unexpectedEnd(line: number): ShellSyntaxError {
  return new ShellSyntaxError("syntax error: unexpected end of file", line, { incomplete: true });
}

/** `unexpected EOF while looking for matching `X'` (unterminated quote, `$(`, `${`, ...). */
export function unmatched(close: string, line: number): ShellSyntaxError {
  return new ShellSyntaxError(`unexpected EOF while looking for matching \`${close}'`, line, {
    incomplete: true,
  });
}
