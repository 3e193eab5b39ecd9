/**
 * Corpus cases that fail today, by case name: corpus.test.ts runs them as `todo` so they stay
 * visible without failing the suite. When one passes, delete its entry here.
 * owner: who has to fix it: "lead" (runtime core: fatal output, event loop, eval/stdin, the
 * node command), "modules" (the module loader), "stdlib", "fs", "child_process",
 * "crypto-zlib", "net".
 */
export interface KnownGap {
  owner: string;
  /** The difference in one line: VM vs host. */
  reason: string;
}

export const KNOWN_GAPS: Record<string, KnownGap> = {
  "require esm error thrown while evaluating": {
    owner: "modules",
    reason:
      "require() of an ES module that throws while evaluating: VM require() returns and the error ends the process as uncaught when the task ends (isolated-vm's in-isolate evaluateSync keeps V8's rejected evaluation promise out of reach); Node throws it from require()",
  },
  "throw a string": {
    owner: "lead",
    reason:
      "fatal print of a thrown non-error: VM lacks Node's blank line + 'file:line / source / ^' header",
  },
  "throw an object": {
    owner: "lead",
    reason:
      "fatal print of a thrown object: VM lacks the source header and prints the --trace-uncaught hint Node omits for objects",
  },
  "throw null": {
    owner: "lead",
    reason: "fatal print of `throw null`: VM lacks the blank line + source header",
  },
  "error with extra props": {
    owner: "lead",
    reason:
      "fatal header caret: VM points at `new Error` (stack column), Node at the `throw` statement (V8 message location)",
  },
  "esm uncaught error": {
    owner: "lead",
    reason:
      "fatal header caret for ESM: Node points at the error expression (col 7), VM moves it to `throw`",
  },
  "error in microtask is uncaught": {
    owner: "lead",
    reason:
      "fatal header caret: VM moves it to `throw`, Node points at the `new Error` expression for this frame",
  },
  "error in exit handler": {
    owner: "lead",
    reason: "throw inside an 'exit' listener: Node prints it and exits 1, VM ignores it (exit 0)",
  },
  "syntax error output": {
    owner: "lead",
    reason:
      "SyntaxError in the main file: Node prints the 'file:line / source / ^^^' header (decorated stack); VM prints the bare message",
  },
  "esm syntax error output": {
    owner: "lead",
    reason: "SyntaxError in an ES module: Node's 'file:line / source / ^' header missing in the VM",
  },
  "syntax error in required file": {
    owner: "lead",
    reason:
      "SyntaxError in a required file: Node's decorated 'broken.js:2 / source / ^' header missing (needs an arrow-message hook in fatal.ts; module-ops strips V8's ' [file:l:c]' suffix already)",
  },
  "esm ordering": {
    owner: "lead",
    reason:
      "ordering after an ES module body: Node runs microtasks before nextTick there, the VM the other way round",
  },
  "inspect promises": {
    owner: "lead",
    reason:
      "util.inspect(Promise.resolve(4)) prints '<pending>': isolated-vm exposes no promise state (V8's is C++-only; natives syntax is process-wide and unsafe; a wrapped then misses async functions' promises), so it stays",
  },
  "print promise": {
    owner: "lead",
    reason:
      "node -p of a resolved promise prints '<pending>' (promise state not visible to inspect)",
  },
  "eval throws": {
    owner: "lead",
    reason:
      "node -e stack frames: Node 'at [eval]:1:7 / at [eval]-wrapper:6:24', VM 'at eval ([eval]:1:7) / at eval (<anonymous>)'",
  },
  "eval syntax error": {
    owner: "lead",
    reason:
      "node -e SyntaxError: Node prints the '[eval]:1 / source / ^ / Expression expected' header, VM an 'at eval (<anonymous>)' frame",
  },
  "stdin error location": {
    owner: "lead",
    reason:
      "script from stdin: stack frames named 'eval ([stdin]:2:7)' instead of Node's '[stdin]:2:7' / '[stdin]-wrapper'",
  },
  "missing script": {
    owner: "lead",
    reason:
      "main entry not found: Node's error has `requireStack: []`; the VM's error (resolved in guest/index.ts) lacks it",
  },
  "script dir without index": {
    owner: "lead",
    reason:
      "main entry directory without index: error lacks `requireStack: []` (see 'missing script')",
  },
  "preload missing": {
    owner: "lead",
    reason:
      "-r of a missing file: Node's require stack is 'internal/preload', the VM's '<cwd>/[eval]'",
  },
  "esm missing module": {
    owner: "modules",
    reason:
      "ERR_MODULE_NOT_FOUND lacks the `url` property Node adds (host op errors carry no extra props)",
  },
  "esm import directory fails": {
    owner: "modules",
    reason:
      "ERR_UNSUPPORTED_DIR_IMPORT lacks Node's 'Did you mean to import \"./dir/index.js\"?' line and `url` property",
  },
  "esm missing named export": {
    owner: "modules",
    reason:
      "link error: Node prints a 'file:line / source / ^^^^' header over the missing name; VM the bare SyntaxError",
  },
  "esm top level await order": {
    owner: "modules",
    reason:
      "isolated-vm resolves module.evaluate() before a dynamically imported module's top-level await settles",
  },
  "typescript enum unsupported": {
    owner: "modules",
    reason:
      "ERR_UNSUPPORTED_TYPESCRIPT_SYNTAX: Node prints the 'file:line / source / ^^^' header; VM the bare error",
  },
  "console table": {
    owner: "stdlib",
    reason: "console.table pads index/values left-aligned in Node 24, centred in the VM",
  },
  "console time labels": {
    owner: "stdlib",
    reason: "console.timeLog warning names console.timeEnd() instead of console.timeLog()",
  },
  "import.meta fields": {
    owner: "stdlib",
    reason: "node:url not importable from ESM yet ('node:url is not supported')",
  },
  "require node prefix only modules": {
    owner: "stdlib",
    reason: "node:test and node:sqlite not provided (ERR_AGENTOS_NOT_SUPPORTED)",
  },
  "events max listeners warning": {
    owner: "stdlib",
    reason:
      "MaxListenersExceededWarning printed as a raw error object, not Node's '(node:PID) ... added to [EventEmitter]' warning",
  },
  "buffer errors": {
    owner: "stdlib",
    reason:
      "Buffer range/type errors lack Node's codes (ERR_OUT_OF_RANGE, ERR_INVALID_ARG_TYPE, ERR_BUFFER_OUT_OF_BOUNDS) and messages",
  },
  "url invalid": {
    owner: "stdlib",
    reason:
      "new URL('not a url') error lacks code ERR_INVALID_URL and Node's message 'Invalid URL'",
  },
  "os constants and eol": {
    owner: "stdlib",
    reason: "os.constants.signals / os.constants.errno missing",
  },
  "vm module runInNewContext": {
    owner: "stdlib",
    reason: "vm module (runInNewContext/Script/createContext) missing",
  },
  "fetch global types": { owner: "net", reason: "WebSocket global missing" },
};
