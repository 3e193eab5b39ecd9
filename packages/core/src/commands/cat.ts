/**
 * cat: concatenates files (or stdin for "-" / no operands) to stdout, streaming chunk by
 * chunk. Options: -n -b -s -E -T -v -A -e -t, as GNU cat.
 */
import { O_RDONLY } from "../fs/types.ts";
import type { CommandDefinition } from "../kernel/command-registry.ts";
import type { ProcessContext } from "../kernel/process-context.ts";
import { describeError } from "./errors.ts";

interface CatOptions {
  number: boolean;
  numberNonBlank: boolean;
  squeeze: boolean;
  showEnds: boolean;
  showTabs: boolean;
  showNonPrinting: boolean;
}

const LONG: Record<string, string> = {
  "--number": "n",
  "--number-nonblank": "b",
  "--squeeze-blank": "s",
  "--show-ends": "E",
  "--show-tabs": "T",
  "--show-nonprinting": "v",
  "--show-all": "A",
};

export const cat: CommandDefinition = {
  name: "cat",
  async main(ctx) {
    const opts: CatOptions = {
      number: false,
      numberNonBlank: false,
      squeeze: false,
      showEnds: false,
      showTabs: false,
      showNonPrinting: false,
    };
    const files: string[] = [];
    let endOfOptions = false;
    for (const arg of ctx.argv.slice(1)) {
      if (endOfOptions || arg === "-" || !arg.startsWith("-")) {
        files.push(arg);
        continue;
      }
      if (arg === "--") {
        endOfOptions = true;
        continue;
      }
      const letters = arg.startsWith("--") ? LONG[arg] : arg.slice(1);
      if (letters === undefined) {
        await ctx.err(
          `cat: unrecognized option '${arg}'\nTry 'cat --help' for more information.\n`,
        );
        return 1;
      }
      for (const letter of letters) {
        switch (letter) {
          case "n":
            opts.number = true;
            break;
          case "b":
            opts.numberNonBlank = true;
            break;
          case "s":
            opts.squeeze = true;
            break;
          case "E":
            opts.showEnds = true;
            break;
          case "T":
            opts.showTabs = true;
            break;
          case "v":
            opts.showNonPrinting = true;
            break;
          case "A":
            opts.showNonPrinting = opts.showEnds = opts.showTabs = true;
            break;
          case "e":
            opts.showNonPrinting = opts.showEnds = true;
            break;
          case "t":
            opts.showNonPrinting = opts.showTabs = true;
            break;
          case "u":
            break;
          default:
            await ctx.err(
              `cat: invalid option -- '${letter}'\nTry 'cat --help' for more information.\n`,
            );
            return 1;
        }
      }
    }
    if (files.length === 0) files.push("-");
    const plain = !(
      opts.number ||
      opts.numberNonBlank ||
      opts.squeeze ||
      opts.showEnds ||
      opts.showTabs ||
      opts.showNonPrinting
    );
    const formatter = plain ? undefined : new LineFormatter(opts);
    let status = 0;
    for (const name of files) {
      let fd = 0;
      let opened = false;
      try {
        if (name !== "-") {
          fd = await ctx.open(name, O_RDONLY);
          opened = true;
        }
        await copy(ctx, fd, formatter);
      } catch (err) {
        if (!ctx.alive) throw err;
        await ctx.err(`cat: ${name}: ${describeError(err)}\n`);
        status = 1;
      } finally {
        // A file can land on fd 0 when stdin is closed; close what we opened, never stdin.
        if (opened) ctx.close(fd);
      }
    }
    return status;
  },
};

async function copy(
  ctx: ProcessContext,
  fd: number,
  formatter: LineFormatter | undefined,
): Promise<void> {
  for (;;) {
    const chunk = await ctx.read(fd);
    if (chunk === null || chunk.length === 0) return;
    await ctx.write(1, formatter ? formatter.format(chunk) : chunk);
  }
}

/** Applies numbering and visibility options; keeps line state across chunks and files, as GNU does. */
class LineFormatter {
  readonly #opts: CatOptions;
  #atLineStart = true;
  #line = 0;
  #blankRun = 0;

  constructor(opts: CatOptions) {
    this.#opts = opts;
  }

  format(chunk: Uint8Array): Uint8Array {
    const out: number[] = [];
    const o = this.#opts;
    for (const byte of chunk) {
      if (this.#atLineStart) {
        const blank = byte === 0x0a;
        this.#blankRun = blank ? this.#blankRun + 1 : 0;
        if (o.squeeze && blank && this.#blankRun > 1) continue;
        if (o.numberNonBlank ? !blank : o.number) {
          const label = `${String(++this.#line).padStart(6, " ")}\t`;
          for (let i = 0; i < label.length; i++) out.push(label.charCodeAt(i));
        }
        this.#atLineStart = false;
      }
      if (byte === 0x0a) {
        if (o.showEnds) out.push(0x24);
        out.push(byte);
        this.#atLineStart = true;
      } else if (byte === 0x09) {
        if (o.showTabs) out.push(0x5e, 0x49);
        else out.push(byte);
      } else if (o.showNonPrinting) {
        pushVisible(out, byte);
      } else {
        out.push(byte);
      }
    }
    return Uint8Array.from(out);
  }
}

/** GNU `cat -v` notation: ^X for controls, M- for the high half, ^? for DEL. */
function pushVisible(out: number[], byte: number): void {
  if (byte >= 0x80) {
    out.push(0x4d, 0x2d);
    byte -= 0x80;
  }
  if (byte < 0x20) out.push(0x5e, byte + 0x40);
  else if (byte === 0x7f) out.push(0x5e, 0x3f);
  else out.push(byte);
}
