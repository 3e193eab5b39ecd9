/**
 * jq: the real jq (WebAssembly build from the npm package jq-web, see lib/jq-wasm.ts), made to
 * print what the hosts' jq 1.6 prints: numbers in 1.6's double format, raw output done here
 * (lib/jq-output.ts), 1.6's wording of a few messages, and 1.6's `leaf_paths`.
 *
 * The VM's files named on the command line are copied into jq's in-memory filesystem; stdin is
 * read to its end first, and only when jq will read it (no input files, or `-`; with -n only when
 * the program mentions `input`). Output is printed when jq has finished.
 */
import { S_IFDIR, S_IFMT, S_IFREG } from "../fs/types.ts";
import type { CommandDefinition } from "../kernel/command-registry.ts";
import type { ProcessContext } from "../kernel/process-context.ts";
import { rewriteJqOutput } from "./lib/jq-output.ts";
import { runJq } from "./lib/jq-wasm.ts";

/** Definitions jq 1.6 has that the newer jq we run dropped; loaded like a ~/.jq file. */
/** jq 1.6's `--help` text. */
const HELP =
  'jq - commandline JSON processor [version 1.6]\n\nUsage:\tjq [options] <jq filter> [file...]\n\tjq [options] --args <jq filter> [strings...]\n\tjq [options] --jsonargs <jq filter> [JSON_TEXTS...]\n\njq is a tool for processing JSON inputs, applying the given filter to\nits JSON text inputs and producing the filter\'s results as JSON on\nstandard output.\n\nThe simplest filter is ., which copies jq\'s input to its output\nunmodified (except for formatting, but note that IEEE754 is used\nfor number representation internally, with all that that implies).\n\nFor more advanced filters see the jq(1) manpage ("man jq")\nand/or https://stedolan.github.io/jq\n\nExample:\n\n\t$ echo \'{"foo": 0}\' | jq .\n\t{\n\t\t"foo": 0\n\t}\n\nSome of the options include:\n  -c               compact instead of pretty-printed output;\n  -n               use `null` as the single input value;\n  -e               set the exit status code based on the output;\n  -s               read (slurp) all inputs into an array; apply filter to it;\n  -r               output raw strings, not JSON texts;\n  -R               read raw strings, not JSON texts;\n  -C               colorize JSON;\n  -M               monochrome (don\'t colorize JSON);\n  -S               sort keys of objects on output;\n  --tab            use tabs for indentation;\n  --arg a v        set variable $a to value <v>;\n  --argjson a v    set variable $a to JSON value <v>;\n  --slurpfile a f  set variable $a to an array of JSON texts read from <f>;\n  --rawfile a f    set variable $a to a string consisting of the contents of <f>;\n  --args           remaining arguments are string arguments, not files;\n  --jsonargs       remaining arguments are JSON arguments, not files;\n  --               terminates argument processing;\n\nNamed arguments are also available as $ARGS.named[], while\npositional arguments are available as $ARGS.positional[].\n\nSee the manpage for more options.\n';

const COMPAT_DEFS = "def leaf_paths: paths(scalars);\ndef recurse_down: recurse;\n";

/** Where ~/.jq goes when the VM has no HOME (the run's HOME is then this, not the host's). */
const FALLBACK_HOME = "/home/jq";

interface Parsed {
  args: string[];
  raw: boolean;
  join: boolean;
  ascii: boolean;
  nullInput: boolean;
  exitStatus: boolean;
  fromFile: boolean;
  program: string | undefined;
  inputs: string[];
  /** Arguments that may name files jq opens (inputs, -f, --slurpfile, --rawfile). */
  paths: string[];
  /** -L directories: their modules (*.jq, *.json) are copied too. */
  libraryDirs: string[];
  error: string | undefined;
  help: boolean;
  version: boolean;
}

/** jq's own (1.6 main.c) reading of argv: which words are options, the program, input files. */
function parseArgs(argv: string[]): Parsed {
  const p: Parsed = {
    args: [],
    raw: false,
    join: false,
    ascii: false,
    nullInput: false,
    exitStatus: false,
    fromFile: false,
    program: undefined,
    inputs: [],
    paths: [],
    libraryDirs: [],
    error: undefined,
    help: false,
    version: false,
  };
  let argsDone = false;
  let positionalMode: "files" | "strings" | "json" = "files";
  for (let i = 0; i < argv.length; i++) {
    const text = argv[i];
    const optish = text.startsWith("-") && (text[1] === "-" || /^[A-Za-z]$/.test(text[1] ?? ""));
    if (argsDone || !optish) {
      p.args.push(text);
      if (p.program === undefined) {
        p.program = text;
        if (p.fromFile) p.paths.push(text);
      } else if (positionalMode === "files") {
        p.inputs.push(text);
        p.paths.push(text);
      }
      continue;
    }
    if (text === "--") {
      argsDone = true;
      p.args.push(text);
      continue;
    }
    if (text.startsWith("--")) {
      switch (text) {
        case "--raw-output":
          p.raw = true;
          continue;
        case "--join-output":
          p.raw = p.join = true;
          continue;
        case "--ascii-output":
          p.ascii = true;
          break;
        case "--null-input":
          p.nullInput = true;
          break;
        case "--exit-status":
          p.exitStatus = true;
          break;
        case "--from-file":
          p.fromFile = true;
          break;
        case "--help":
          p.help = true;
          return p;
        case "--version":
          p.version = true;
          return p;
        case "--color-output":
          p.error = "jq: option '--color-output' is not supported\n";
          return p;
        case "--args":
          positionalMode = "strings";
          break;
        case "--jsonargs":
          positionalMode = "json";
          break;
        case "--arg":
        case "--argjson":
        case "--slurpfile":
        case "--rawfile":
          p.args.push(text, ...argv.slice(i + 1, i + 3));
          if (text === "--slurpfile" || text === "--rawfile") {
            if (argv[i + 2] !== undefined) p.paths.push(argv[i + 2]);
          }
          i += 2;
          continue;
        case "--indent":
          p.args.push(text, ...argv.slice(i + 1, i + 2));
          i += 1;
          continue;
        case "--library-path":
          p.args.push(text, ...argv.slice(i + 1, i + 2));
          if (argv[i + 1] !== undefined) p.libraryDirs.push(argv[i + 1]);
          i += 1;
          continue;
      }
      p.args.push(text);
      continue;
    }
    // A bundle of short options; -r and -j are done here, so they are taken out.
    if (text.startsWith("-L")) {
      p.args.push(text);
      const dir = text.length > 2 ? text.slice(2) : argv[++i];
      if (text.length === 2 && dir !== undefined) p.args.push(dir);
      if (dir !== undefined) p.libraryDirs.push(dir);
      continue;
    }
    let kept = "-";
    for (const letter of text.slice(1)) {
      if (letter === "r") p.raw = true;
      else if (letter === "j") p.raw = p.join = true;
      else {
        if (letter === "a") p.ascii = true;
        else if (letter === "n") p.nullInput = true;
        else if (letter === "e") p.exitStatus = true;
        else if (letter === "f") p.fromFile = true;
        else if (letter === "h") {
          p.help = true;
          return p;
        } else if (letter === "C") {
          p.error = "jq: option '-C' is not supported\n";
          return p;
        }
        kept += letter;
      }
    }
    if (kept !== "-") p.args.push(kept);
  }
  return p;
}

/** 1.6's wording where the newer jq reworded a message. */
function rewriteStderr(text: string): string {
  return text
    .replaceAll("https://jqlang.github.io/jq", "https://stedolan.github.io/jq")
    .replaceAll("expecting end of file", "expecting $end")
    .replaceAll("unexpected end of file", "unexpected $end")
    .replace(/^jq: ((?:ignoring )?parse error: )/gm, "$1");
}

async function collectFiles(
  ctx: ProcessContext,
  names: string[],
  files: Map<string, Uint8Array | null>,
): Promise<void> {
  for (const name of names) {
    if (name === "-" || name === "") continue;
    const path = ctx.resolvePath(name);
    if (files.has(path)) continue;
    try {
      const st = await ctx.stat(name);
      const kind = st.mode & S_IFMT;
      if (kind === S_IFDIR) files.set(path, null);
      else if (kind === S_IFREG) files.set(path, await ctx.readFile(name));
    } catch {
      // Missing or unreadable: jq reports it itself ("Could not open ...").
    }
  }
}

/** Copies the modules under a -L directory (two levels deep) into `files`. */
async function collectModules(
  ctx: ProcessContext,
  dir: string,
  files: Map<string, Uint8Array | null>,
  depth: number,
): Promise<void> {
  let entries: Awaited<ReturnType<ProcessContext["readdir"]>>;
  try {
    entries = await ctx.readdir(dir);
  } catch {
    return;
  }
  files.set(ctx.resolvePath(dir), null);
  for (const entry of entries) {
    const path = `${dir}/${entry.name}`;
    if (/\.(jq|json)$/.test(entry.name)) await collectFiles(ctx, [path], files);
    else if (depth > 0) await collectModules(ctx, path, files, depth - 1);
  }
}

export const jq: CommandDefinition = {
  name: "jq",
  async main(ctx) {
    const parsed = parseArgs(ctx.argv.slice(1));
    if (parsed.help) {
      await ctx.out(HELP);
      return 0;
    }
    if (parsed.version) {
      await ctx.out("jq-1.6\n");
      return 0;
    }
    if (parsed.error) {
      await ctx.err(parsed.error);
      return 2;
    }
    const files = new Map<string, Uint8Array | null>();
    await collectFiles(ctx, parsed.paths, files);
    for (const dir of parsed.libraryDirs) await collectModules(ctx, dir, files, 1);
    const home = ctx.env.HOME || FALLBACK_HOME;
    let userDefs = "";
    try {
      userDefs = new TextDecoder().decode(await ctx.readFile(`${home}/.jq`));
    } catch {
      // No ~/.jq (or not a file).
    }
    files.set(`${home}/.jq`, new TextEncoder().encode(`${COMPAT_DEFS}${userDefs}`));

    let programText = parsed.program ?? "";
    if (parsed.fromFile && parsed.program !== undefined) {
      const content = files.get(ctx.resolvePath(parsed.program));
      programText = content ? new TextDecoder().decode(content) : "";
    }
    // With no program at all, jq runs `.` when stdin is not a terminal.
    const readsStdin =
      (parsed.program !== undefined || !ctx.isatty(0)) &&
      (parsed.inputs.length === 0 || parsed.inputs.includes("-")) &&
      (!parsed.nullInput || /\binputs?\b/.test(programText));
    const stdin = readsStdin ? await ctx.readAll(0) : new Uint8Array(0);

    const result = await runJq({
      args: parsed.args,
      stdin,
      files,
      cwd: ctx.cwd,
      env: { ...ctx.env, HOME: home },
    });
    const stdout = rewriteJqOutput(result.stdout, parsed);
    for (let off = 0; off < stdout.length; off += 65536) {
      await ctx.write(1, stdout.subarray(off, off + 65536));
    }
    if (result.stderr.length > 0) {
      await ctx.err(rewriteStderr(new TextDecoder().decode(result.stderr)));
    }
    let code = result.exitCode;
    // jq 1.6 ends with 4 after a parse error in the input (the newer jq says 5).
    if (code === 5 && /^jq: parse error: /m.test(new TextDecoder().decode(result.stderr))) code = 4;
    // jq 1.6 -e: no input at all ends with 0 (the newer jq says 4).
    if (
      code === 4 &&
      parsed.exitStatus &&
      !parsed.nullInput &&
      isBlank(stdin) &&
      parsed.inputs.length === 0
    )
      code = 0;
    return code;
  },
};

function isBlank(bytes: Uint8Array): boolean {
  for (const b of bytes) if (b !== 0x20 && b !== 0x0a && b !== 0x09 && b !== 0x0d) return false;
  return true;
}
