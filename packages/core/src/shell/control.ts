/**
 * Non-local control flow of the interpreter, carried by exceptions so that deep recursion
 * through the tree unwinds cleanly: `exit`, `return`, `break`/`continue`, and fatal errors
 * that end a non-interactive shell (bash's "expansion error" exits).
 */

/** `exit N`, or the end of the shell after a fatal error. */
export class ShellExit extends Error {
  override name = "ShellExit";
  readonly status: number;
  constructor(status: number) {
    super(`exit ${status}`);
    this.status = status;
  }
}

/** `return N` from a function or sourced file. */
export class ReturnSignal extends Error {
  override name = "ReturnSignal";
  readonly status: number;
  constructor(status: number) {
    super(`return ${status}`);
    this.status = status;
  }
}

/** `break N` / `continue N`; `levels` counts the loops still to leave. */
export class LoopControl extends Error {
  override name = "LoopControl";
  readonly kind: "break" | "continue";
  levels: number;
  constructor(kind: "break" | "continue", levels: number) {
    super(kind);
    this.kind = kind;
    this.levels = levels;
  }
}

/**
 * An error that aborts the current command and, in a non-interactive shell, the shell itself
 * (unbound variable with `set -u`, `${x:?}`, bad substitution, arithmetic errors in
 * expansions). The message has already been printed.
 */
export class FatalShellError extends Error {
  override name = "FatalShellError";
  readonly status: number;
  constructor(status: number) {
    super("fatal shell error");
    this.status = status;
  }
}

/** A command-level failure (e.g. a redirection that cannot open its file): status, no exit. */
export class CommandFailure extends Error {
  override name = "CommandFailure";
  readonly status: number;
  constructor(status: number) {
    super("command failed");
    this.status = status;
  }
}
