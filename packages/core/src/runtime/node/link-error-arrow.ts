/**
 * A missing named export fails when an ES module graph is linked: V8's SyntaxError "The
 * requested module './m.mjs' does not provide an export named 'x'". Node prints it under the
 * importing line with carets on the name ("file:line / source / ^^^^", then the stack), and,
 * when the entry module imported it from a CommonJS module, replaces the message with a hint
 * to import the default export instead. isolated-vm reports no location for link errors, so
 * the host finds the import in the graph's sources itself.
 */
import { init, parse } from "es-module-lexer";

await init;

const MISSING_EXPORT = /module '(.*)' does not provide an export named '(.+)'/;

export interface LinkedModule {
  url: string;
}

export interface LinkErrorContext<T extends LinkedModule> {
  /** The graph's modules, the entry first (the order V8 links them in). */
  graph: T[];
  /** A module's source text, or undefined when it has no file to read. */
  source(module: T): Promise<string | undefined>;
  /** Whether `specifier`, imported by the entry module, names a CommonJS module. */
  isCommonJs(specifier: string): Promise<boolean>;
}

/**
 * The link error with Node's header (`arrow`, see compile-error-arrow.ts) and message; other
 * errors, and link errors whose import cannot be found, are returned unchanged.
 */
export async function decorateLinkError<T extends LinkedModule>(
  error: unknown,
  context: LinkErrorContext<T>,
): Promise<unknown> {
  if (!(error instanceof SyntaxError)) return error;
  const match = MISSING_EXPORT.exec(error.message);
  if (!match) return error;
  const [, specifier, name] = match;
  for (const module of context.graph) {
    const source = await context.source(module);
    const found = source === undefined ? undefined : findImportedName(source, specifier, name);
    if (found === undefined || source === undefined) continue;
    const [at, length] = found;
    const lines = source.slice(0, at).split("\n");
    const line = lines.length;
    const column = lines[line - 1].length;
    const text = source.split("\n")[line - 1];
    const padding = text.slice(0, column).replace(/[^\t]/g, " ");
    // The trailing newline: Node prints the error right under the carets, no blank line.
    const arrow = `${module.url}:${line}\n${text}\n${padding}${"^".repeat(length)}\n`;
    if (module === context.graph[0] && (await context.isCommonJs(specifier))) {
      // Node rebuilds the statement's braces as a destructuring of the default export.
      const braces = /{.*}/.exec(text)?.[0].replace(/\s+as\s+/g, ": ");
      error.message =
        `Named export '${name}' not found. The requested module '${specifier}' is a CommonJS module, which may not support all module.exports as named exports.\n` +
        "CommonJS modules can always be imported via the default export, for example using:\n\n" +
        `import pkg from '${specifier}';\n${braces ? `const ${braces} = pkg;\n` : ""}`;
    }
    return Object.assign(error, { arrow });
  }
  return error;
}

/** [offset, length] of `name` (or the default binding) in the static import of `specifier`. */
function findImportedName(
  source: string,
  specifier: string,
  name: string,
): [number, number] | undefined {
  let imports: ReturnType<typeof parse>[0];
  try {
    [imports] = parse(source);
  } catch {
    return undefined;
  }
  const word = name.replace(/[$]/g, "\\$");
  for (const entry of imports) {
    if (entry.type !== "static" || entry.specifier !== specifier) continue;
    const start = entry.importStart;
    const statement = source.slice(start, entry.importEnd);
    if (name === "default") {
      // `import x from` / `import x, { y } from`: the default binding's name.
      const binding = /^import\s+([\p{ID_Start}$_][\p{ID_Continue}$]*)/u.exec(statement);
      if (binding) return [start + statement.indexOf(binding[1], 6), binding[1].length];
    }
    const open = statement.indexOf("{");
    if (open < 0) continue;
    const found = new RegExp(`(?<![\\p{ID_Continue}$])${word}(?![\\p{ID_Continue}$])`, "u").exec(
      statement.slice(open),
    );
    if (found) return [start + open + found.index, name.length];
  }
  return undefined;
}
