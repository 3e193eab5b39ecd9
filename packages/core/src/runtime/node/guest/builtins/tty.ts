/**
 * node:tty: isatty and the terminal streams. process.stdout/stderr on a PTY are WriteStreams
 * (size, colour depth, cursor control, 'resize' on SIGWINCH) and process.stdin a ReadStream
 * (setRawMode turns the kernel line discipline's canonical mode, echo and signals off).
 */

import { codedError } from "../errors.ts";
import { FdReadStream, FdWriteStream } from "../fd-streams.ts";
import { callSync } from "../host.ts";

export function isatty(fd: unknown): boolean {
  if (typeof fd !== "number" || !Number.isInteger(fd) || fd < 0 || fd > 2147483647) return false;
  try {
    return callSync<boolean>("fd.isatty", fd);
  } catch {
    return false;
  }
}

function ttyInitFailed(): Error {
  const error = codedError(
    Error,
    "ERR_TTY_INIT_FAILED",
    "TTY initialization failed: uv_tty_init returned EINVAL (invalid argument)",
  );
  Object.assign(error, { errno: -22, syscall: "uv_tty_init" });
  return error;
}

function checkTty(fd: unknown): number {
  if (typeof fd !== "number" || !Number.isInteger(fd) || fd < 0) {
    throw codedError(
      RangeError,
      "ERR_INVALID_FD",
      `"fd" must be a positive integer: ${String(fd)}`,
    );
  }
  if (isatty(fd)) return fd;
  // libuv's uv_tty_init also takes pipes and sockets (the stream then just is not a terminal);
  // files, other devices and closed descriptors fail with EINVAL.
  let mode: number;
  try {
    mode = callSync<number[]>("fs.fstat", fd)[1] & 0o170000;
  } catch {
    throw ttyInitFailed();
  }
  if (mode !== 0o010000 && mode !== 0o140000) throw ttyInitFailed();
  return fd;
}

export class ReadStream extends FdReadStream {
  isRaw = false;
  isTTY = true;

  constructor(fd: number) {
    super(checkTty(fd));
  }

  setRawMode(flag: unknown): this {
    callSync("fd.setRawMode", this.fd, Boolean(flag));
    this.isRaw = Boolean(flag);
    return this;
  }
}

const COLORS_2 = 1;
const COLORS_16 = 4;
const COLORS_256 = 8;
const COLORS_16m = 24;

const TERM_ENVS: Record<string, number> = {
  eterm: COLORS_16,
  cons25: COLORS_16,
  console: COLORS_16,
  cygwin: COLORS_16,
  dtterm: COLORS_16,
  gnome: COLORS_16,
  hurd: COLORS_16,
  jfbterm: COLORS_16,
  konsole: COLORS_16,
  kterm: COLORS_16,
  mlterm: COLORS_16,
  mosh: COLORS_16m,
  putty: COLORS_16,
  st: COLORS_16,
  "rxvt-unicode-24bit": COLORS_16m,
  terminator: COLORS_16m,
  "xterm-kitty": COLORS_16m,
};

const TERM_PATTERNS = [
  /ansi/,
  /color/,
  /linux/,
  /direct/,
  /^con[0-9]*x[0-9]/,
  /^rxvt/,
  /^screen/,
  /^xterm/,
  /^vt100/,
  /^vt220/,
];

/** CI services by the variable they set, with the depth Node assumes for each. */
const CI_DEPTHS: Array<[name: string, depth: number]> = [
  ["APPVEYOR", COLORS_256],
  ["BUILDKITE", COLORS_256],
  ["CIRCLECI", COLORS_16m],
  ["DRONE", COLORS_256],
  ["GITEA_ACTIONS", COLORS_16m],
  ["GITHUB_ACTIONS", COLORS_16m],
  ["GITLAB_CI", COLORS_256],
  ["TRAVIS", COLORS_256],
];

let warnedColorsIgnored = false;

/** Once per process, as Node: FORCE_COLOR wins over NO_COLOR / NODE_DISABLE_COLORS, and says so. */
function warnIfColorsIgnored(env: Record<string, string | undefined>): void {
  if (warnedColorsIgnored) return;
  const ignored = ["NODE_DISABLE_COLORS", "NO_COLOR"].filter(
    (name) => env[name] !== undefined && env[name] !== "",
  );
  if (ignored.length === 0) return;
  warnedColorsIgnored = true;
  process.emitWarning(
    `The '${ignored.join("' and '")}' env is ignored due to the 'FORCE_COLOR' env being set.`,
    "Warning",
  );
}

/** Node's getColorDepth: the same environment rules, in the same order. */
export function colorDepth(env: Record<string, string | undefined>): number {
  if (env.FORCE_COLOR !== undefined) {
    switch (env.FORCE_COLOR) {
      case "":
      case "1":
      case "true":
        warnIfColorsIgnored(env);
        return COLORS_16;
      case "2":
        warnIfColorsIgnored(env);
        return COLORS_256;
      case "3":
        warnIfColorsIgnored(env);
        return COLORS_16m;
      default:
        return COLORS_2;
    }
  }
  // An empty NO_COLOR / NODE_DISABLE_COLORS counts as unset (Node 24).
  if (
    (env.NODE_DISABLE_COLORS !== undefined && env.NODE_DISABLE_COLORS !== "") ||
    (env.NO_COLOR !== undefined && env.NO_COLOR !== "") ||
    env.TERM === "dumb"
  ) {
    return COLORS_2;
  }
  if (env.TMUX) return COLORS_16m;
  if (Object.hasOwn(env, "TF_BUILD") && Object.hasOwn(env, "AGENT_NAME")) return COLORS_16;
  if (Object.hasOwn(env, "CI")) {
    const service = CI_DEPTHS.find(([name]) => Object.hasOwn(env, name));
    if (service) return service[1];
    return env.CI_NAME === "codeship" ? COLORS_256 : COLORS_2;
  }
  if ("TEAMCITY_VERSION" in env) {
    return /^(9\.(0*[1-9]\d*)\.|\d{2,}\.)/.test(env.TEAMCITY_VERSION ?? "") ? COLORS_16 : COLORS_2;
  }
  switch (env.TERM_PROGRAM) {
    case "iTerm.app":
      return !env.TERM_PROGRAM_VERSION || /^[0-2]\./.test(env.TERM_PROGRAM_VERSION)
        ? COLORS_256
        : COLORS_16m;
    case "HyperTerm":
    case "MacTerm":
      return COLORS_16m;
    case "Apple_Terminal":
      return COLORS_256;
  }
  if (env.COLORTERM === "truecolor" || env.COLORTERM === "24bit") return COLORS_16m;
  if (env.TERM) {
    if (/truecolor/.test(env.TERM)) return COLORS_16m;
    if (/^xterm-256/.test(env.TERM)) return COLORS_256;
    const term = env.TERM.toLowerCase();
    if (TERM_ENVS[term]) return TERM_ENVS[term];
    if (TERM_PATTERNS.some((pattern) => pattern.test(term))) return COLORS_16;
  }
  if (env.COLORTERM) return COLORS_16;
  return COLORS_2;
}

/**
 * Node's rule for colouring output to a stream (console, assert's diffs): FORCE_COLOR decides
 * when set, whatever the stream; otherwise only a TTY with more than 2 colours.
 */
export function shouldColorize(
  stream: { isTTY?: boolean; getColorDepth?: () => number } | undefined,
): boolean {
  if (process.env.FORCE_COLOR !== undefined) return colorDepth(process.env) > 2;
  if (!stream?.isTTY) return false;
  return typeof stream.getColorDepth === "function" ? stream.getColorDepth() > 2 : true;
}

export class WriteStream extends FdWriteStream {
  isTTY = true;
  columns: number | undefined;
  rows: number | undefined;

  constructor(fd: number) {
    super(checkTty(fd));
    this._type = "tty";
    try {
      [this.columns, this.rows] = this.getWindowSize();
    } catch {
      // Not a terminal after all (a pipe): no size, as in Node.
    }
  }

  getWindowSize(): [number, number] {
    return callSync<[number, number]>("fd.windowSize", this.fd);
  }

  /** Re-reads the size after SIGWINCH; 'resize' only when it changed. */
  _refreshSize(): void {
    const oldColumns = this.columns;
    const oldRows = this.rows;
    let size: [number, number];
    try {
      size = this.getWindowSize();
    } catch (error) {
      this.emit("error", error);
      return;
    }
    [this.columns, this.rows] = size;
    if (oldColumns !== this.columns || oldRows !== this.rows) this.emit("resize");
  }

  getColorDepth(env: Record<string, string | undefined> = process.env): number {
    return colorDepth(env);
  }

  hasColors(count?: unknown, env?: Record<string, string | undefined>): boolean {
    if (
      env === undefined &&
      (count === undefined || (typeof count === "object" && count !== null))
    ) {
      env = count as Record<string, string | undefined> | undefined;
      count = 16;
    } else if (typeof count !== "number" || !Number.isInteger(count) || count < 2) {
      throw codedError(
        RangeError,
        "ERR_OUT_OF_RANGE",
        `The value of "count" is out of range. It must be >= 2 && <= 4294967295. Received ${String(count)}`,
      );
    }
    return (count as number) <= 2 ** this.getColorDepth(env);
  }

  cursorTo(x: number, y?: number | (() => void), callback?: () => void): boolean {
    if (typeof y === "function") return this.#ansi(`\x1b[${x + 1}G`, y);
    return this.#ansi(
      typeof y === "number" ? `\x1b[${y + 1};${x + 1}H` : `\x1b[${x + 1}G`,
      callback,
    );
  }

  moveCursor(dx: number, dy: number, callback?: () => void): boolean {
    let text = "";
    if (dx < 0) text += `\x1b[${-dx}D`;
    else if (dx > 0) text += `\x1b[${dx}C`;
    if (dy < 0) text += `\x1b[${-dy}A`;
    else if (dy > 0) text += `\x1b[${dy}B`;
    return this.#ansi(text, callback);
  }

  clearLine(dir: number, callback?: () => void): boolean {
    return this.#ansi(dir < 0 ? "\x1b[1K" : dir > 0 ? "\x1b[0K" : "\x1b[2K", callback);
  }

  clearScreenDown(callback?: () => void): boolean {
    return this.#ansi("\x1b[0J", callback);
  }

  #ansi(text: string, callback?: () => void): boolean {
    return this.write(text, callback);
  }
}

export function createTty(): unknown {
  return { isatty, ReadStream, WriteStream };
}
