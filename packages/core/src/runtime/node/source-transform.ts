/**
 * What guest source goes through before V8 compiles it: TypeScript type stripping (Node 24's
 * strip-only mode, via amaro, the same library Node uses), and rewriting of `import(...)` and
 * `import.meta`, which isolated-vm does not wire up to a host loader: they become calls into the
 * guest's module system that carry the importing module's URL.
 */

import { pathToFileURL } from "node:url";
import { transformSync } from "amaro";
import { init, parse } from "es-module-lexer";

await init;

/** The global the rewritten code calls (defined by the guest runtime). */
export const ESM_HOOKS = "__agentos_esm";

export class TypeScriptSyntaxError extends SyntaxError {
  readonly code = "ERR_UNSUPPORTED_TYPESCRIPT_SYNTAX";
  /** Node's "file:line" and amaro's source snippet, printed above the error if it is fatal. */
  arrow?: string;
}

/** Removes type annotations, keeping every other character's line and column. */
export function stripTypes(source: string, filename: string): string {
  try {
    return transformSync(source, { mode: "strip-only", filename }).code;
  } catch (error) {
    const message = (error as Error).message ?? String(error);
    if (/not supported in strip-only mode/.test(message)) {
      const unsupported = new TypeScriptSyntaxError(message.split("\n")[0]);
      const { snippet, startLine } = error as { snippet?: unknown; startLine?: unknown };
      if (typeof snippet === "string" && typeof startLine === "number") {
        // Node names the file by its URL there.
        const name = filename.startsWith("/") ? pathToFileURL(filename).href : filename;
        unsupported.arrow = `${name}:${startLine}\n${snippet.replace(/\n$/, "")}`;
      }
      throw unsupported;
    }
    const syntax = new SyntaxError(message.split("\n")[0]);
    throw syntax;
  }
}

export interface ModuleSyntax {
  /** Whether the source has static `import`/`export` statements (it must be an ES module). */
  hasModuleSyntax: boolean;
}

/** Rewrites dynamic imports and import.meta; returns the source unchanged when it has none. */
export function rewriteImports(source: string, url: string): { code: string } & ModuleSyntax {
  let imports: ReturnType<typeof parse>[0];
  let exports: ReturnType<typeof parse>[1];
  try {
    [imports, exports] = parse(source, url);
  } catch {
    // The lexer rejects some valid scripts; leave those alone and let V8 judge them.
    return { code: source, hasModuleSyntax: false };
  }
  let hasModuleSyntax = exports.length > 0;
  const edits: Array<[number, number, string]> = [];
  const quotedUrl = JSON.stringify(url);
  for (const entry of imports) {
    const record = entry as unknown as {
      type?: string;
      d?: number;
      ss?: number;
      s: number;
      e: number;
      importStart?: number;
      dynamicStart?: number;
      start?: number;
      end?: number;
    };
    const kind =
      record.type ??
      (record.d === -2 ? "import-meta" : (record.d ?? -1) > -1 ? "dynamic" : "static");
    if (kind === "static") {
      hasModuleSyntax = true;
    } else if (kind === "dynamic") {
      const start = record.importStart ?? record.ss ?? 0;
      edits.push([start, start + "import".length, `${ESM_HOOKS}.importFrom(${quotedUrl})`]);
    } else if (kind === "import-meta") {
      hasModuleSyntax = true;
      const start = record.start ?? record.s;
      const end = record.end ?? record.e;
      edits.push([start, end, `${ESM_HOOKS}.meta(${quotedUrl})`]);
    }
  }
  if (edits.length === 0) return { code: source, hasModuleSyntax };
  edits.sort((a, b) => a[0] - b[0]);
  let code = "";
  let last = 0;
  for (const [start, end, replacement] of edits) {
    code += source.slice(last, start) + replacement;
    last = end;
  }
  return { code: code + source.slice(last), hasModuleSyntax };
}

/**
 * An ES module's source with a last statement that tells the guest the body ran to its end.
 * require() of an ES module needs it: a throw while evaluating only rejects V8's evaluation
 * promise, and isolated-vm's in-isolate evaluateSync returns nothing either way. `key`: the
 * module's file path (its URL when it has none).
 */
export function markEvaluated(code: string, key: string): string {
  return `${code}\n;${ESM_HOOKS}.evaluated(${JSON.stringify(key)});`;
}
