/**
 * Whether an ES module's source uses top-level await. Node refuses `require()` of such a graph
 * (ERR_REQUIRE_ASYNC_MODULE) before evaluating anything, so this must be known statically;
 * V8 knows it but isolated-vm does not say, so esbuild parses the source (it rejects top-level
 * await when asked for CommonJS output). Answers are kept per exact source, for every isolate
 * of the host process: agents load the same multi-megabyte bundles in every session.
 */
import { createHash } from "node:crypto";
import { transform } from "esbuild";

const answers = new Map<string, boolean>();
const MAX_ANSWERS = 4096;

export async function hasTopLevelAwait(source: string, file: string): Promise<boolean> {
  // No `await` token at all: nothing to parse.
  if (!/\bawait\b/.test(source)) return false;
  const key = createHash("sha1").update(source).digest("base64");
  const known = answers.get(key);
  if (known !== undefined) return known;
  let found = false;
  try {
    await transform(source, { format: "cjs", loader: "js", sourcefile: file, logLevel: "silent" });
  } catch (error) {
    // Any other complaint is esbuild's own: V8 has already compiled this source.
    found = /Top-level await/.test((error as Error).message);
  }
  if (answers.size >= MAX_ANSWERS) answers.delete(answers.keys().next().value as string);
  answers.set(key, found);
  return found;
}
