/**
 * Node's check when the loop runs dry while the entry point's module graph still waits on a
 * top-level await nothing will settle (`await new Promise(() => {})`): unless the program set
 * another exit code, it prints "Warning: Detected unsettled top-level await at <url>:<line>",
 * the source line and a caret for each stuck module (not with --no-warnings), and exits 13.
 *
 * The entry is evaluated under a generated wrapper module whose import.meta reaches
 * `rememberEntryModule` (esm-loader.ts, modules.ts evaluateLinked): behind that object V8
 * keeps the wrapper, from which the native side finds the graph (guest-v8's
 * module_evaluation.cc).
 */
import { callSync } from "./host.ts";
import { writeFd } from "./output.ts";
import { TextEncoder } from "./text-encoding.ts";
import type { ThrowPlace } from "./v8-extras.ts";
import { v8 } from "./v8-extras.ts";

/** Node's ExitCode::kUnsettledTopLevelAwait. */
export const UNSETTLED_TOP_LEVEL_AWAIT = 13;

let entryMeta: object | undefined;

/** Called once the entry's graph has been evaluated (its synchronous part). */
export function rememberEntryModule(meta: object): void {
  entryMeta ??= meta;
}

/**
 * At the loop's end: with no exit code set yet, reports each stalled top-level await of the
 * entry's graph; true when there was one (the exit status is then 13).
 */
export function reportUnsettledTopLevelAwait(exitCode: unknown, warnings: boolean): boolean {
  if (entryMeta === undefined || Number(exitCode ?? 0) !== 0) return false;
  const stalled = v8.stalledTopLevelAwaits(entryMeta);
  if (stalled.length === 0) return false;
  if (warnings) {
    const text = stalled
      .map(
        (place) =>
          `Warning: Detected unsettled top-level await at ${sourceArrow(asWritten(place))}\n\n\n`,
      )
      .join("");
    writeFd(2, new TextEncoder().encode(text));
  }
  return true;
}

/**
 * The place on the line as the file has it. The host rewrote `import()` and `import.meta` into
 * longer calls, so V8's copy of such a line is longer: the column is kept when the text before
 * it is unchanged, else counted from the line's end (the rewrite came before the await).
 */
function asWritten(place: ThrowPlace): ThrowPlace {
  const seen = place.sourceLine ?? "";
  let original: string | undefined;
  try {
    original = callSync<string | undefined>("module.sourceLine", place.file, place.line);
  } catch {
    original = undefined;
  }
  // Same length: unchanged, or TypeScript with its types blanked out, which Node shows too.
  if (typeof original !== "string" || original.length === seen.length) return place;
  const start = place.startColumn;
  const shift =
    seen.slice(0, start) === original.slice(0, start) ? 0 : seen.length - original.length;
  return {
    ...place,
    sourceLine: original,
    startColumn: start - shift,
    endColumn: place.endColumn - shift,
  };
}

/** Node's "file:line\nsource\n   ^\n" (GetErrorSource): tabs kept so the caret lines up. */
function sourceArrow(place: ThrowPlace): string {
  const line = place.sourceLine ?? "";
  let underline = "";
  for (let i = 0; i < place.startColumn && i < line.length; i++)
    underline += line[i] === "\t" ? "\t" : " ";
  for (let i = place.startColumn; i < place.endColumn && i < line.length; i++) underline += "^";
  return `${place.file}:${place.line}\n${line}\n${underline}\n`;
}
