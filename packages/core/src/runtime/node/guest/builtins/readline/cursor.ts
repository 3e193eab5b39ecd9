/** readline's cursor helpers: ANSI control sequences written to a stream, as Node writes them. */
import { codedError } from "../../errors.ts";

type Callback = (error?: Error | null) => void;
interface Output {
  write(data: string, callback?: Callback): boolean;
}

function skip(callback: unknown): true {
  if (typeof callback === "function") process.nextTick(callback as () => void, null);
  return true;
}

export function cursorTo(stream: unknown, x: unknown, y?: unknown, callback?: unknown): boolean {
  if (typeof y === "function") {
    callback = y;
    y = undefined;
  }
  if (Number.isNaN(x))
    throw codedError(
      TypeError,
      "ERR_INVALID_ARG_VALUE",
      "The argument 'x' is invalid. Received NaN",
    );
  if (Number.isNaN(y))
    throw codedError(
      TypeError,
      "ERR_INVALID_ARG_VALUE",
      "The argument 'y' is invalid. Received NaN",
    );
  if (stream === null || stream === undefined || (typeof x !== "number" && typeof y !== "number")) {
    return skip(callback);
  }
  if (typeof x !== "number") {
    throw codedError(
      TypeError,
      "ERR_INVALID_CURSOR_POS",
      "Cannot set cursor row without setting its column",
    );
  }
  const data = typeof y !== "number" ? `\x1b[${x + 1}G` : `\x1b[${y + 1};${x + 1}H`;
  return (stream as Output).write(data, callback as Callback | undefined);
}

export function moveCursor(stream: unknown, dx: number, dy: number, callback?: unknown): boolean {
  if (stream === null || stream === undefined || !(dx || dy)) return skip(callback);
  let data = "";
  if (dx < 0) data += `\x1b[${-dx}D`;
  else if (dx > 0) data += `\x1b[${dx}C`;
  if (dy < 0) data += `\x1b[${-dy}A`;
  else if (dy > 0) data += `\x1b[${dy}B`;
  return (stream as Output).write(data, callback as Callback | undefined);
}

export function clearLine(stream: unknown, dir: number, callback?: unknown): boolean {
  if (stream === null || stream === undefined) return skip(callback);
  const data = dir < 0 ? "\x1b[1K" : dir > 0 ? "\x1b[0K" : "\x1b[2K";
  return (stream as Output).write(data, callback as Callback | undefined);
}

export function clearScreenDown(stream: unknown, callback?: unknown): boolean {
  if (stream === null || stream === undefined) return skip(callback);
  return (stream as Output).write("\x1b[0J", callback as Callback | undefined);
}
