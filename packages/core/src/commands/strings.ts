/**
 * strings: prints runs of printable characters (at least -n N, default 4) from files or stdin,
 * as GNU binutils strings 2.40 scanning whole files. Options: -a -n -t d|o|x -o -f -w -s -e s|S.
 */
import type { CommandDefinition } from "../kernel/command-registry.ts";
import { describeError } from "./errors.ts";
import { getopt, type LongOption, UsageError } from "./lib/text-getopt.ts";
import { argToLatin1, OutBuffer, openInput } from "./lib/text-io.ts";

const USAGE =
  "Usage: strings [option(s)] [file(s)]\n Display printable strings in [file(s)] (stdin by default)\n The options are:\n  -a - --all                Scan the entire file, not just the data section [default]\n  -d --data                 Only scan the data sections in the file\n  -f --print-file-name      Print the name of the file before each string\n  -n <number>               Locate & print any sequence of at least <number>\n    --bytes=<number>         displayable characters.  (The default is 4).\n  -t --radix={o,d,x}        Print the location of the string in base 8, 10 or 16\n  -w --include-all-whitespace Include all whitespace as valid string characters\n  -o                        An alias for --radix=o\n  -T --target=<BFDNAME>     Specify the binary file format\n  -e --encoding={s,S,b,l,B,L} Select character size and endianness:\n                            s = 7-bit, S = 8-bit, {b,l} = 16-bit, {B,L} = 32-bit\n  --unicode={default|show|invalid|hex|escape|highlight}\n  -U {d|s|i|x|e|h}          Specify how to treat UTF-8 encoded unicode characters\n  -s --output-separator=<string> String used to separate strings in output.\n  @<file>                   Read options from <file>\n  -h --help                 Display this information\n  -v -V --version           Print the program's version number\nstrings: supported targets: elf64-x86-64 elf32-i386 elf32-iamcu elf32-x86-64 pei-i386 pe-x86-64 pei-x86-64 elf64-little elf64-big elf32-little elf32-big pe-bigobj-x86-64 pe-i386 pdb srec symbolsrec verilog tekhex binary ihex plugin\nReport bugs to <https://sourceware.org/bugzilla/>\n";

/** The usage text printed on errors (without --help's bug-report line). */
const USAGE_ERR = USAGE.slice(0, USAGE.indexOf("Report bugs"));

const LONGS: LongOption[] = [
  { name: "all", arg: "none", key: "a" },
  { name: "data", arg: "none", key: "d" },
  { name: "print-file-name", arg: "none", key: "f" },
  { name: "bytes", arg: "required", key: "n" },
  { name: "radix", arg: "required", key: "t" },
  { name: "include-all-whitespace", arg: "none", key: "w" },
  { name: "encoding", arg: "required", key: "e" },
  { name: "output-separator", arg: "required", key: "s" },
  { name: "help", arg: "none", key: "h" },
  { name: "version", arg: "none", key: "v" },
];

export const strings: CommandDefinition = {
  name: "strings",
  async main(ctx) {
    let min = 4;
    let radix: "" | "d" | "o" | "x" = "";
    let printName = false;
    let allWhitespace = false;
    let eightBit = false;
    let separator: string | undefined;
    let operands: string[];
    try {
      // "-N" (digits) is binutils' short form of "-n N".
      const args = ctx.argv.slice(1).map((a) => (/^-\d+$/.test(a) ? `-n${a.slice(1)}` : a));
      const parsed = getopt(args, "adfhn:ot:we:s:T:vV", LONGS);
      operands = parsed.operands;
      for (const opt of parsed.options) {
        const value = opt.value ?? "";
        switch (opt.key) {
          case "a":
          case "d":
            break;
          case "f":
            printName = true;
            break;
          case "n": {
            if (!/^\s*[+-]?\d+$/.test(value)) {
              await ctx.err(`strings: invalid integer argument ${value}\n`);
              return 1;
            }
            const n = Number(value);
            if (n < 1) {
              await ctx.err(`strings: invalid minimum string length ${n}\n`);
              return 1;
            }
            min = n;
            break;
          }
          case "o":
            radix = "o";
            break;
          case "t":
            if (value !== "d" && value !== "o" && value !== "x") {
              await ctx.err(USAGE_ERR);
              return 1;
            }
            radix = value;
            break;
          case "w":
            allWhitespace = true;
            break;
          case "e":
            if (value === "s") eightBit = false;
            else if (value === "S") eightBit = true;
            else {
              await ctx.err(`strings: option '--encoding=${value}' is not supported\n`);
              return 1;
            }
            break;
          case "s":
            separator = argToLatin1(value);
            break;
          case "h":
            await ctx.out(USAGE);
            return 0;
          case "v":
          case "V":
            await ctx.out("GNU strings (GNU Binutils for Debian) 2.40\n");
            return 0;
          default:
            await ctx.err(`strings: option '${opt.spelled}' is not supported\n`);
            return 1;
        }
      }
    } catch (err) {
      if (err instanceof UsageError) {
        await ctx.err(`strings: ${err.message}\n${USAGE_ERR}`);
        return 1;
      }
      throw err;
    }
    const isGraphic = (c: number): boolean =>
      (c >= 0x20 && c < 0x7f) ||
      c === 0x09 ||
      (allWhitespace && c >= 0x0a && c <= 0x0d) ||
      (eightBit && c >= 0x80);
    const out = new OutBuffer(ctx);
    const end = separator ?? "\n";
    let status = 0;
    const files = operands.length > 0 ? operands : ["-"];
    for (const name of files) {
      let input: Awaited<ReturnType<typeof openInput>>;
      try {
        if (name !== "-") {
          const st = await ctx.stat(name);
          if ((st.mode & 0o170000) === 0o040000) {
            await out.flush();
            await ctx.err(`strings: Warning: '${name}' is a directory\n`);
            status = 1;
            continue;
          }
        }
        input = await openInput(ctx, name);
      } catch (err) {
        if (!ctx.alive) throw err;
        await out.flush();
        const why =
          describeError(err) === "No such file or directory" ? "No such file" : describeError(err);
        await ctx.err(`strings: '${name}': ${why}\n`);
        status = 1;
        continue;
      }
      const label = printName ? `${argToLatin1(name === "-" ? "{standard input}" : name)}: ` : "";
      let run = "";
      let runStart = 0;
      let offset = 0;
      const flushRun = async (): Promise<void> => {
        if (run.length >= min) {
          let prefix = label;
          if (radix) {
            const base = radix === "d" ? 10 : radix === "o" ? 8 : 16;
            prefix += `${runStart.toString(base).padStart(7, " ")} `;
          }
          await out.write(prefix + run + end);
        }
        run = "";
      };
      try {
        for (;;) {
          const chunk = await ctx.read(input.fd);
          if (chunk === null || chunk.length === 0) break;
          for (const c of chunk) {
            if (isGraphic(c)) {
              if (run.length === 0) runStart = offset;
              run += String.fromCharCode(c);
            } else if (run.length > 0) await flushRun();
            offset++;
          }
        }
        if (run.length > 0) await flushRun();
      } finally {
        input.close();
      }
    }
    await out.flush();
    return status;
  },
};
