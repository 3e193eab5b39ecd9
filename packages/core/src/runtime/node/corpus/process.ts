/** `process`: argv, env, exit codes, fatal error output, lifecycle events. */
import { js, mjs, type NodeCase } from "./case.ts";

export const PROCESS_CASES: NodeCase[] = [
  js("argv after the script", "console.log(process.argv.slice(2))", {
    args: ["a", "b c", "--flag", "-x"],
  }),
  js(
    "argv1 is the script path",
    "console.log(process.argv[1] === __filename, process.argv.length)",
  ),
  js("execArgv empty", "console.log(process.execArgv)"),
  js(
    "env variables given",
    "console.log(process.env.GREETING, process.env.MISSING, 'GREETING' in process.env)",
    { env: { GREETING: "hi" } },
  ),
  js(
    "env assignment coerces to string",
    "process.env.N = 5; process.env.U = undefined; console.log(typeof process.env.N, process.env.N, process.env.U); delete process.env.N; console.log(process.env.N)",
  ),
  js(
    "env TZ and LC_ALL",
    "console.log(process.env.TZ, process.env.LC_ALL, new Date(0).getHours())",
  ),
  js("exit code from process.exit", "console.log('before'); process.exit(3); console.log('after')"),
  js("exit code property", "process.exitCode = 7; console.log('set')"),
  js("exit code property overridden by exit", "process.exitCode = 7; process.exit()"),
  js("exit with string code", "process.exit('4')"),
  js(
    "exit event receives code",
    "process.on('exit', (c) => console.log('exit', c, process.exitCode)); process.exitCode = 2",
  ),
  js(
    "beforeExit fires once work is done",
    "let n = 0; process.on('beforeExit', (c) => { console.log('beforeExit', c, n); if (n++ < 2) setTimeout(() => console.log('more'), 1); }); process.on('exit', () => console.log('exit'))",
  ),
  js(
    "exit inside exit handler",
    "process.on('exit', (c) => { console.log('exit', c); process.exitCode = 9; })",
  ),
  js(
    "uncaught exception output",
    "function thrower() { throw new Error('kaboom'); }\nthrower();\n",
  ),
  js("uncaught type error output", "const o = undefined;\nconsole.log('start');\no.prop;\n"),
  js("throw a string", "throw 'just a string';"),
  js("throw an object", "throw { code: 42, msg: 'obj' };"),
  js("throw null", "throw null;"),
  js(
    "error with extra props",
    "const e = new Error('extra'); e.code = 'E_X'; e.info = { a: 1 }; throw e;",
  ),
  js("throw a number", "throw 42;"),
  js("throw undefined", "throw undefined;"),
  js("throw a symbol", "throw Symbol('s');"),
  js("throw an error-like object", "throw { name: 'Fake', message: 'like', stack: 'Fake: like' };"),
  js(
    "throw an object made from Error.prototype",
    "const e = Object.create(Error.prototype); e.message = 'fake'; throw e;",
  ),
  js(
    "fatal error props print five levels deep",
    "const e = new Error('deep'); e.info = { a: { b: { c: { d: { e: { f: 1 } } } } } }; throw e;",
  ),
  js(
    "thrown object printed without its custom inspect",
    "throw { [Symbol.for('nodejs.util.inspect.custom')]() { return 'CUSTOM'; }, x: 1 };",
  ),
  js("throw under tab indentation", "if (true) {\n\t\tthrow 'tabbed';\n}\n"),
  js("rethrow points at the rethrow", "try {\n  null.x;\n} catch (e) {\n  throw e;\n}\n"),
  js("throw a string in a required file", "require('./lib');", {
    files: { "lib.js": "function f() {\n  throw 'lib str';\n}\nf();\n" },
  }),
  js("throw a string from a timer", "setTimeout(() => {\n  throw 'timer string';\n}, 1);\n"),
  js(
    "timer rethrows an error made earlier",
    "const e = new Error('made early');\nsetTimeout(() => {\n  throw e;\n}, 1);\n",
  ),
  js(
    "throw from an interval",
    "let n = 0;\nsetInterval(() => {\n  if (++n === 2) throw new Error('interval ' + n);\n}, 1);\n",
  ),
  js(
    "throw from setImmediate",
    "setImmediate(() => {\n  const e = new Error('imm');\n  throw e;\n});\n",
  ),
  js(
    "throw from nextTick points at the throw",
    "process.nextTick(() => {\n  const e = new TypeError('tick');\n  throw e;\n});\n",
  ),
  js("throw an object from nextTick", "process.nextTick(() => { throw { tick: 1 }; });"),
  js(
    "nextTick throw ends only its tick",
    "process.on('uncaughtException', (e) => console.log('caught', e.message));\nprocess.nextTick(() => { throw new Error('t1'); });\nprocess.nextTick(() => console.log('t2 runs'));\n",
  ),
  js(
    "uncaughtException handler throws",
    "process.on('exit', (c) => console.log('exit', c));\nprocess.on('uncaughtException', () => {\n  throw new Error('in handler');\n});\nthrow new Error('first');\n",
  ),
  js(
    "uncaughtException handler throws a string",
    "process.on('uncaughtException', () => {\n  throw 'str in handler';\n});\nsetTimeout(() => { throw new Error('first'); }, 1);\n",
  ),
  js(
    "throw from an fs callback",
    "require('fs').readFile(__filename, () => {\n  throw new Error('fs cb');\n});\n",
  ),
  js(
    "async function throws",
    "async function f() {\n  const e = new Error('async');\n  throw e;\n}\nf();\n",
  ),
  js("promise callback throws a string", "Promise.resolve().then(() => { throw 'then str'; });"),
  js("promise rejects with an error-like object", "Promise.reject({ stack: 'S', x: 1 });"),
  js(
    "uncaught in timer",
    "setTimeout(function later() { throw new RangeError('from timer'); }, 1);",
  ),
  js(
    "uncaughtException handler",
    "process.on('uncaughtException', (e, origin) => { console.log('caught', e.message, origin); }); setTimeout(() => console.log('still alive'), 5); throw new Error('x');",
  ),
  js(
    "unhandled rejection exits 1",
    "Promise.reject(new Error('nobody catches'));\nsetTimeout(() => console.log('not printed'), 50);",
  ),
  js("unhandled rejection with non-error", "Promise.reject(42);"),
  js(
    "unhandledRejection handler",
    "process.on('unhandledRejection', (r, p) => console.log('unhandled', r.message, p instanceof Promise)); Promise.reject(new Error('r1'));",
  ),
  js(
    "rejection handled late in same tick",
    "const p = Promise.reject(new Error('late')); p.catch((e) => console.log('handled', e.message));",
  ),
  js(
    "process.nextTick args",
    "process.nextTick((a, b) => console.log('tick', a, b), 1, 2); console.log('sync')",
  ),
  js(
    "process properties",
    "console.log(process.platform, process.version, typeof process.pid, process.arch.length > 0, process.release.name, typeof process.versions.v8, process.title)",
  ),
  js(
    "process cwd and chdir",
    "const start = process.cwd(); process.chdir('sub'); console.log(process.cwd() === start + '/sub'); try { process.chdir('nope'); } catch (e) { console.log(e.code, e.syscall); }",
    { files: { "sub/x": "" } },
  ),
  js(
    "hrtime and uptime types",
    "const t = process.hrtime(); const b = process.hrtime.bigint(); console.log(Array.isArray(t), t.length, typeof b, process.uptime() >= 0, typeof performance.now())",
  ),
  js(
    "memoryUsage shape",
    "const m = process.memoryUsage(); console.log(Object.keys(m).sort(), typeof process.memoryUsage.rss())",
  ),
  js(
    "process emitWarning",
    "process.emitWarning('careful', 'CustomWarning', 'W001'); console.log('done')",
  ),
  js(
    "process emitWarning listener",
    "process.on('warning', (w) => console.log('warn', w.name, w.message)); process.emitWarning('heads up');",
  ),
  js("process umask", "console.log(process.umask().toString(8))"),
  js(
    "process.exit in promise",
    "Promise.resolve().then(() => { console.log('then'); process.exit(5); }); setTimeout(() => console.log('never'), 10)",
  ),
  js(
    "process stdout write callback",
    "process.stdout.write('a\\n', () => { console.log('written'); });",
  ),
  js(
    "stdout isTTY false in pipes",
    "console.log(process.stdout.isTTY, process.stderr.isTTY, process.stdin.isTTY)",
  ),
  js(
    "process.kill self with SIGTERM",
    "process.on('exit', () => console.log('exit runs?')); process.kill(process.pid, 'SIGTERM'); setTimeout(() => {}, 1000)",
  ),
  js(
    "signal handler SIGUSR2",
    "process.on('SIGUSR2', (s) => { console.log('got', s); }); process.kill(process.pid, 'SIGUSR2'); setTimeout(() => console.log('after'), 20)",
  ),
  js("process.abort-like exit codes", "process.exitCode = 300;"),
  mjs("esm uncaught error", "console.log('esm');\nthrow new Error('esm boom');\n"),
  mjs("esm error after top level await", "await null;\nthrow new Error('late');\n"),
  js("async function throw output", "async function f() { throw new Error('a'); }\nf();\n"),
  js("promise callback throw output", "Promise.resolve().then(() => { throw new Error('p'); });"),
  js("promise executor throw output", "new Promise(() => { throw new Error('ctor'); });"),
  js("timer callback throw output", "setTimeout(() => { throw new Error('t'); });"),
  mjs("esm process exit code", "process.exitCode = 6; await null; console.log('x')"),
  mjs("esm unhandled rejection", "Promise.reject(new TypeError('esm reject'));"),
  js(
    "error in exit handler",
    "process.on('exit', () => { throw new Error('in exit'); }); console.log('body')",
  ),
  js(
    "error in exit handler keeps the exit code",
    "process.on('exit', () => { throw new Error('in exit'); }); process.exitCode = 3;",
  ),
  js(
    "error in exit handler skips later listeners",
    "process.on('exit', () => { throw new Error('in exit'); });\nprocess.on('exit', () => console.log('second'));",
  ),
  js(
    "error in exit handler goes to uncaughtException",
    "process.on('uncaughtException', (e, origin) => console.log('caught', e.message, origin));\nprocess.on('exit', () => { throw new Error('in exit'); });",
  ),
  js(
    "process.exit in exit handler",
    "process.on('exit', () => { process.exit(4); });\nprocess.on('exit', () => console.log('not reached'));",
  ),
  js(
    "listener frames name the process",
    "process.on('x', function () { console.log(new Error().stack.split('\\n')[1].trim().split(' (')[0]); });\nprocess.emit('x');\nconsole.log(process.constructor.name);",
  ),
  js("syntax error output", "console.log('a';\n"),
  mjs("esm syntax error output", "let x = ;\n"),
  js("syntax error range over an expression", "const x = 1;\n\tx ++ = 2;\n"),
  js("syntax error in a nested function", "function f() {\n  return {\n    a: 1,,\n  };\n}\n"),
  mjs("esm syntax error only a module has", "import fs from 'node:fs';\nconst fs = 1;\n"),
  js(
    "syntax error caught by require stays catchable",
    "try { require('./bad.js'); } catch (e) { console.log(e.name, e.message, e.stack.split('\\n')[0]); }",
    {
      files: { "bad.js": "module.exports = {;\n" },
    },
  ),
  js("reference error output", "notDefined + 1;"),
  js(
    "custom error class output",
    "class MyError extends Error { constructor(m) { super(m); this.name = 'MyError'; } }\nthrow new MyError('custom');\n",
  ),
  js("error cause output", "throw new Error('top', { cause: new Error('bottom') });"),
  js(
    "aggregate error output",
    "throw new AggregateError([new Error('a1'), new Error('a2')], 'many');",
  ),
  js(
    "unhandled error event output",
    "const { EventEmitter } = require('events');\nconst e = new EventEmitter();\nfunction fail() { e.emit('error', new Error('boom')); }\nfail();\n",
  ),
  js(
    "unhandled error event of a subclass in a timer",
    "const EventEmitter = require('events');\nclass Pump extends EventEmitter {}\nconst p = new Pump();\nsetTimeout(() => p.emit('error', Object.assign(new Error('pump'), { code: 'EPUMP' })), 1);\n",
  ),
  js(
    "unhandled error event with a non-error",
    "const EventEmitter = require('events');\nnew EventEmitter().emit('error', { reason: 'x' });\n",
  ),
  js(
    "unhandled error event of a file stream",
    "require('fs').createReadStream('missing.txt');\nconsole.log('opened');\n",
  ),
  js("unhandled error event of a socket", "require('net').connect(1, '127.0.0.1');\n"),
  js(
    "unhandled error event in a promise job",
    "const EventEmitter = require('events');\nconst e = new EventEmitter();\nPromise.resolve().then(() => e.emit('error', new Error('later')));\n",
  ),
  mjs(
    "unhandled error event in an es module",
    "import { EventEmitter } from 'node:events';\nnew EventEmitter().emit('error', new Error('esm'));\n",
  ),
  js(
    "caught error event keeps its stack",
    "const EventEmitter = require('events');\ntry { new EventEmitter().emit('error', new Error('c')); } catch (e) { console.log(e.stack.includes('Emitted'), Object.getOwnPropertySymbols(e).length); }\n",
  ),
  js(
    "a throw in an unhandledRejection listener, then in uncaughtException",
    "process.on('unhandledRejection', (e) => { throw e; });\nprocess.on('uncaughtException', (e) => { throw e; });\nPromise.reject(new Error('x'));\n",
  ),
  js(
    "a throw in an unhandledRejection listener is an uncaught exception",
    "process.on('unhandledRejection', () => { throw new TypeError('from listener'); });\nprocess.on('uncaughtException', (e, origin) => console.log('caught', e.message, origin));\nPromise.reject(1);\n",
  ),
];
