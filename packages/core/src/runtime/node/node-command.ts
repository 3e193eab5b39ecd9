/**
 * The `node` command: Node 24's command line (`node file`, `-e`, `-p`, `-`, `--input-type`,
 * `-r`/`--import`, `--version`, `--max-old-space-size`, ...) running the program in a V8 isolate
 * of its own as this kernel process.
 */
import { normalizePath } from "../../fs/path.ts";
import type { CommandDefinition } from "../../kernel/command-registry.ts";
import type { ProcessContext } from "../../kernel/process-context.ts";
import { SIGNALS } from "../../kernel/signals.ts";
import { agentImageFor } from "./agent-image.ts";
import { type GuestLaunch, GuestProcess } from "./guest-process.ts";
import { nodeDisposition } from "./ops/process-ops.ts";
import { TEST_VALUE_OPTIONS } from "./test-value-options.ts";

const VALUE_OPTIONS = new Set([
  "-e",
  "--eval",
  "-p",
  "--print",
  "-r",
  "--require",
  "--import",
  "--input-type",
  "--max-old-space-size",
  "--stack-size",
  "--title",
  "--conditions",
  "-C",
  "--env-file",
  ...TEST_VALUE_OPTIONS,
]);

/** Test runner switches (read by node:test from execArgv). */
const TEST_FLAGS = new Set(["--test", "--test-only", "--test-force-exit"]);

/** What `node --test` runs: node:test's runner entry (see guest/builtins/test/runner.ts). */
const TEST_RUNNER_SOURCE = 'require("node:test")[Symbol.for("agentos.testRunnerMain")]()';

/** Options Node accepts that change nothing here (the VM decides these itself). */
const IGNORED_FLAGS = new Set([
  "--no-warnings",
  "--no-deprecation",
  "--enable-source-maps",
  "--experimental-strip-types",
  "--no-experimental-strip-types",
  "--experimental-transform-types",
  "--trace-warnings",
  "--trace-uncaught",
  "--expose-gc",
  "--experimental-vm-modules",
  "--no-node-snapshot",
  "--experimental-require-module",
  "--experimental-detect-module",
  "--preserve-symlinks",
  "--experimental-default-type=commonjs",
  "--throw-deprecation",
  "--pending-deprecation",
  "--no-experimental-fetch",
  "--experimental-websocket",
  "--harmony",
  "--use-strict",
  "--abort-on-uncaught-exception",
  "--trace-deprecation",
  "--frozen-intrinsics",
]);

const UNSUPPORTED_FLAGS = [
  "--inspect",
  "--inspect-brk",
  "--inspect-wait",
  "--watch",
  "--experimental-test-coverage",
  "--test-update-snapshots",
  "--prof",
  "--cpu-prof",
  "--heap-prof",
  "--run",
  "--check",
  "-c",
  "-i",
  "--interactive",
];

interface ParsedCommandLine {
  launch?: GuestLaunch;
  memoryMb?: number;
  /** Something to print instead of running (--version, --help). */
  print?: string;
  error?: { message: string; status: number };
}

export function parseNodeCommandLine(argv: string[], cwd: string): ParsedCommandLine {
  const execArgv: string[] = [];
  const requires: string[] = [];
  const imports: string[] = [];
  let evalSource: string | undefined;
  let print = false;
  let inputType: "module" | "commonjs" | undefined;
  let memoryMb: number | undefined;
  let i = 0;
  const args = argv.slice(1);
  let script: string | undefined;
  let readStdin = false;
  let testRunner = false;
  while (i < args.length) {
    const arg = args[i];
    if (arg === "--") {
      i++;
      if (evalSource === undefined && i < args.length) script = args[i++];
      break;
    }
    if (arg === "-") {
      readStdin = true;
      i++;
      break;
    }
    if (!arg.startsWith("-") || arg === "-") {
      // With --test every operand is a test file or glob.
      if (evalSource === undefined && !testRunner) {
        script = arg;
        i++;
      }
      break;
    }
    let name = arg;
    let value: string | undefined;
    const eq = arg.indexOf("=");
    if (arg.startsWith("--") && eq > 0) {
      name = arg.slice(0, eq);
      value = arg.slice(eq + 1);
    }
    if (name === "-v" || name === "--version") return { print: `${process.version}\n` };
    if (name === "-h" || name === "--help") return { print: HELP };
    if (UNSUPPORTED_FLAGS.includes(name)) {
      return {
        error: { message: `node: ${name} is not supported in the agentOS VM\n`, status: 9 },
      };
    }
    execArgv.push(arg);
    i++;
    if (VALUE_OPTIONS.has(name)) {
      if (value === undefined) {
        if (i >= args.length) {
          return { error: { message: `${argv[0]}: ${name} requires an argument\n`, status: 9 } };
        }
        value = args[i++];
        execArgv.push(value);
      }
      switch (name) {
        case "-e":
        case "--eval":
          evalSource = value;
          break;
        case "-p":
        case "--print":
          evalSource = value;
          print = true;
          break;
        case "-r":
        case "--require":
          requires.push(value);
          break;
        case "--import":
          imports.push(value);
          break;
        case "--input-type":
          if (
            value !== "module" &&
            value !== "commonjs" &&
            value !== "module-typescript" &&
            value !== "commonjs-typescript"
          ) {
            return {
              error: {
                message: `${argv[0]}: --input-type must be "module" or "commonjs"\n`,
                status: 9,
              },
            };
          }
          inputType = value.startsWith("module") ? "module" : "commonjs";
          break;
        case "--max-old-space-size":
          memoryMb = Number(value);
          break;
        default:
          break;
      }
      continue;
    }
    if (name === "-pe" || name === "-ep") {
      // Node accepts the combined short form.
      print = true;
      evalSource = args[i++];
      execArgv.push(evalSource ?? "");
      continue;
    }
    if (TEST_FLAGS.has(name)) {
      if (name === "--test") testRunner = true;
      continue;
    }
    if (
      !IGNORED_FLAGS.has(name) &&
      !name.startsWith("--experimental-") &&
      !name.startsWith("--no-experimental-")
    ) {
      return { error: { message: `${argv[0]}: bad option: ${arg}\n`, status: 9 } };
    }
  }
  const rest = args.slice(i);
  const typescript = execArgv.some((a) => /--input-type=(module|commonjs)-typescript/.test(a));
  let entry: GuestLaunch["entry"];
  let guestArgv: string[];
  if (evalSource !== undefined) {
    entry = { kind: "eval", source: evalSource, print, module: inputType === "module", typescript };
    guestArgv = [
      "/usr/bin/node",
      ...(script !== undefined ? [script] : readStdin ? ["-"] : []),
      ...rest,
    ];
  } else if (testRunner) {
    entry = { kind: "eval", source: TEST_RUNNER_SOURCE, print: false, module: false, typescript };
    guestArgv = ["/usr/bin/node", ...rest];
  } else if (script !== undefined) {
    const path = script.startsWith("/") ? script : `${cwd === "/" ? "" : cwd}/${script}`;
    entry = { kind: "file", path };
    guestArgv = ["/usr/bin/node", normalizePath(path), ...rest];
  } else {
    entry = { kind: "stdin", module: inputType === "module", typescript };
    // `node - x y` keeps the '-' as argv[1], as Node does.
    guestArgv = ["/usr/bin/node", ...(readStdin ? ["-"] : []), ...rest];
  }
  return {
    launch: {
      argv: guestArgv,
      execArgv,
      entry,
      requires,
      imports,
      detectModule: inputType === undefined && !typescript,
    },
    ...(memoryMb !== undefined && memoryMb > 0 ? { memoryMb } : {}),
  };
}

const HELP = `Usage: node [options] [ script.js ] [arguments]
       node - [arguments]  (read the script from stdin)

Options (the agentOS VM's node):
  -e, --eval script            evaluate script
  -p, --print script           evaluate script and print the result
  -r, --require module         preload a CommonJS module
  --import module              preload an ES module
  --input-type=module|commonjs how to read -e and stdin code
  --max-old-space-size=MB      heap limit of this process
  --test [files or globs]      run tests with node:test, each file in a process of its own
  --test-only, --test-name-pattern=re, --test-skip-pattern=re, --test-reporter=spec|tap|dot,
  --test-reporter-destination=file, --test-concurrency=n, --test-timeout=ms
  -v, --version                print the Node.js version
  -h, --help                   this text
`;

async function runNode(ctx: ProcessContext): Promise<number> {
  const parsed = parseNodeCommandLine(ctx.argv, ctx.cwd);
  if (parsed.print !== undefined) {
    await ctx.out(parsed.print);
    return 0;
  }
  if (parsed.error) {
    await ctx.err(parsed.error.message);
    return parsed.error.status;
  }
  const limits = ctx.kernel.limits;
  const entry = (parsed.launch as GuestLaunch).entry;
  // An agent's own processes start from its image (its SDK already loaded), when it has one.
  const image =
    entry.kind === "file" ? await agentImageFor(ctx, normalizePath(entry.path)) : undefined;
  const guest = await GuestProcess.create(
    ctx,
    {
      memoryMb: parsed.memoryMb ?? limits.nodeMemoryMb,
      cpuTimeMs: limits.nodeCpuTimeMs,
    },
    image,
  );
  // As Node at startup: SIGPIPE does not end the process (see nodeDisposition).
  ctx.onSignal(SIGNALS.SIGPIPE, nodeDisposition(SIGNALS.SIGPIPE));
  return guest.run(parsed.launch as GuestLaunch);
}

export const node: CommandDefinition = {
  name: "node",
  driver: "node",
  main: runNode,
};
