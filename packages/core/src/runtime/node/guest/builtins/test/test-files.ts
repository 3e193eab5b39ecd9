/**
 * Which files `node --test` runs: the given globs (or Node 24's default pattern: `test.*`,
 * `test-*.*`, `*.test.*`, `*-test.*`, `*_test.*` anywhere and every file under a `test`
 * directory, in JavaScript or TypeScript), outside node_modules, sorted. A pattern without glob
 * characters that matches nothing is an error, as in Node.
 */
import { loadBuiltin } from "../registry.ts";

const PATTERNS = ["test", "test/**/*", "test-*", "*[._-]test"];
const EXTENSIONS = ["js", "mjs", "cjs", "ts", "mts", "cts"];
export const DEFAULT_PATTERN = `**/{${PATTERNS.join(",")}}.{${EXTENSIONS.join(",")}}`;

const MAGIC = /[*?[\]{}()!+@]/;

interface FsGlob {
  globSync(
    patterns: string[],
    options: { cwd: string; exclude: (path: string) => boolean },
  ): string[];
}

function isNodeModules(path: string): boolean {
  return path === "node_modules" || path.endsWith("/node_modules");
}

export function findTestFiles(patterns: unknown, cwd: string): string[] {
  const given = patterns as string[] | undefined | null;
  const userSupplied = given != null;
  const list = given && given.length > 0 ? given : [DEFAULT_PATTERN];
  const fs = loadBuiltin("fs") as FsGlob;
  const results = fs.globSync(list, { cwd, exclude: isNodeModules });
  if (userSupplied && results.length === 0 && list.every((pattern) => !MAGIC.test(pattern))) {
    process.stderr.write(`Could not find '${list.join(", ")}'\n`);
    process.exit(1);
  }
  return results.sort();
}
