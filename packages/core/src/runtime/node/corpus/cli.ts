/** The node command line: -e, -p, stdin, --input-type, -r, --import, --version, errors. */
import { cli, type NodeCase } from "./case.ts";

export const CLI_CASES: NodeCase[] = [
  cli("eval", ["-e", "console.log('evaluated', 1 + 1)"]),
  cli("eval argv", ["-e", "console.log(process.argv.slice(1))", "a", "b"]),
  cli("eval filename", ["-e", "console.log(__filename, module.id, require.main === undefined)"]),
  cli("eval with long option", ["--eval", "console.log(typeof require)"]),
  cli("print expression", ["-p", "6 * 7"]),
  cli("print object", ["-p", "({ a: [1, 2], s: 'x' })"]),
  cli("print undefined", ["-p", "void 0"]),
  cli("print promise", ["-p", "Promise.resolve(3)"]),
  cli("eval throws", ["-e", "throw new Error('eval err')"]),
  cli("eval syntax error", ["-e", "let = ;"]),
  cli("eval throws a string", ["-e", "throw 'e str'"]),
  cli("eval throws an object", ["-e", "throw { a: 1 }"]),
  cli("eval stack through functions", [
    "-e",
    "function a() { throw new Error('deep'); }\nfunction b() { a(); }\nb();",
  ]),
  cli("eval throw from a timer", ["-e", "setTimeout(() => {\n  throw new Error('later');\n}, 1);"]),
  cli("eval error seen by an uncaughtException listener", [
    "-e",
    "process.on('uncaughtException', (e) => console.log('caught', e.message)); throw new Error('x')",
  ]),
  cli("eval module object", [
    "-e",
    "console.log(module.filename === process.cwd() + '/[eval]', module.id, __dirname)",
  ]),
  cli("eval throws a frozen error", ["-e", "throw Object.freeze(new Error('frozen'))"]),
  cli("eval module throws", ["--input-type=module", "-e", "const e = new Error('m');\nthrow e;"]),
  cli("stdin module throws", ["--input-type=module", "-"], { stdin: "throw new Error('m');\n" }),
  cli("print throws", ["-p", "throw new Error('p err')"]),
  cli("print throws a string", ["-p", "throw 'p str'"]),
  cli("print result after the loop and before exit listeners", [
    "-p",
    "process.on('exit', () => console.log('bye')); setTimeout(() => console.log('t'), 1); 5",
  ]),
  cli("print result as it is at exit", ["-p", "const a = []; setTimeout(() => a.push(1), 1); a"]),
  cli("print result after a fatal timer error", [
    "-p",
    "process.on('exit', () => console.log('bye')); setTimeout(() => { throw new Error('x'); }, 1); 5",
  ]),
  cli("print with exit code", ["-p", "process.exitCode = 3; 'done'"]),
  cli("eval exit code", ["-e", "process.exitCode = 12"]),
  cli("eval input type module", [
    "--input-type=module",
    "-e",
    "import { sep } from 'path'; console.log(sep, typeof import.meta.url);",
  ]),
  cli("eval detects esm syntax", [
    "-e",
    "import { sep } from 'node:path'; console.log('detected', sep)",
  ]),
  cli("eval top level await needs module", [
    "--input-type=module",
    "-e",
    "console.log(await Promise.resolve('tla'))",
  ]),
  cli("eval detects top level await", [
    "-e",
    "console.log(await Promise.resolve('tla'), typeof require, import.meta.filename.endsWith('/[eval1]'))",
  ]),
  cli("eval dynamic import stays commonjs", [
    "-e",
    "import('node:os').then((os) => console.log(typeof os.EOL, typeof require))",
  ]),
  cli("print refuses esm", ["-p", "import 'node:os'; 1"]),
  cli("eval dash argv", ["-e", "console.log(process.argv.slice(1))", "-", "x"]),
  cli("stdin detects esm syntax", [], {
    stdin:
      "import os from 'node:os'; console.log(typeof os.EOL, import.meta.filename.endsWith('/[eval1]'));\n",
  }),
  cli("stdin script", [], { stdin: "console.log('from stdin', typeof require);\n" }),
  cli("stdin dash", ["-", "x", "y"], { stdin: "console.log(process.argv.slice(2));\n" }),
  cli("stdin module", ["--input-type=module"], { stdin: "console.log(typeof import.meta);\n" }),
  cli("stdin error location", ["-"], { stdin: "\nthrow new Error('stdin err');\n" }),
  cli("stdin throws a string", ["-"], { stdin: "throw 'stdin str';\n" }),
  cli("stdin syntax error", ["-"], { stdin: "console.log(1);\nif (true {\n" }),
  cli("eval syntax error with typescript hint", ["-e", "let x: = 1"]),
  cli("eval runtime syntax errors stay plain", [
    "-e",
    "try { JSON.parse('{'); } catch (e) { console.log(e.stack.split('\\n')[0]); }\ntry { new Function('let = ;'); } catch (e) { console.log(e.stack.split('\\n')[0]); }",
  ]),
  cli("require preload", ["-r", "./pre.js", "main.js"], {
    files: {
      "pre.js": "console.log('preloaded'); globalThis.PRE = 1;",
      "main.js": "console.log('main', PRE)",
    },
  }),
  cli("require preload long form", ["--require=./pre.js", "-e", "console.log('eval', PRE)"], {
    files: { "pre.js": "globalThis.PRE = 2;" },
  }),
  cli("import preload", ["--import", "./pre.mjs", "main.js"], {
    files: {
      "pre.mjs": "console.log('imported first'); globalThis.PRE = 3;",
      "main.js": "console.log('main', PRE)",
    },
  }),
  cli("preload missing", ["-r", "./missing.js", "-e", "1"]),
  cli("version", ["--version"]),
  cli("version short", ["-v"]),
  cli("missing script", ["does-not-exist.js"]),
  cli("script dir without index", ["emptydir"], { files: { "emptydir/readme": "" } }),
  cli("script without extension", ["noext"], {
    files: { noext: "console.log('no extension runs as cjs')" },
  }),
  cli("script dir with index", ["withindex"], {
    files: { "withindex/index.js": "console.log('index ran')" },
  }),
  cli("shebang line", ["s.js"], {
    files: { "s.js": "#!/usr/bin/env node\nconsole.log('shebang ok');\n" },
  }),
  cli("options after script belong to it", ["main.js", "--version", "-e", "x"], {
    files: { "main.js": "console.log(process.argv.slice(2), process.execArgv)" },
  }),
  cli("execArgv lists node options", ["--no-warnings", "--max-old-space-size=100", "main.js"], {
    files: { "main.js": "console.log(process.execArgv)" },
  }),
  cli("double dash", ["--", "main.js", "--x"], {
    files: { "main.js": "console.log(process.argv.slice(2))" },
  }),
  cli("eval missing argument", ["-e"]),
  cli("print with require", ["-p", "require('path').extname('a.ts')"]),
  cli("eval uses cwd for require", ["-e", "console.log(require('./local'))"], {
    files: { "local.js": "module.exports = 'local module';" },
  }),
  cli("eval module unsettled top level await", [
    "--input-type=module",
    "-e",
    "await new Promise(() => {})",
  ]),
  cli("eval detected module unsettled top level await", ["-e", "await new Promise(() => {})"]),
  cli("stdin module unsettled top level await after import.meta", ["--input-type=module"], {
    stdin: "console.log(import.meta.url.endsWith('/[eval1]')); await new Promise(() => {});\n",
  }),
  cli("no warnings hides unsettled top level await", ["--no-warnings", "main.mjs"], {
    files: { "main.mjs": "await new Promise(() => {});" },
  }),
  cli("stdin ts with input type", ["--input-type=module", "-e", "const s = 'x'; console.log(s)"]),
];
