/**
 * grep, egrep, fgrep: GNU grep 3.8 in the C locale. Input is matched as latin1 text (one char
 * per byte), read chunk by chunk and split into lines; output is batched. Patterns are POSIX
 * BRE/ERE (lib/posix-regex.ts), fixed strings, or Perl syntax translated to JS (-P).
 */
import { O_RDONLY, S_IFDIR, S_IFMT } from "../fs/types.ts";
import type { CommandDefinition } from "../kernel/command-registry.ts";
import type { ProcessContext } from "../kernel/process-context.ts";
import { describeError } from "./errors.ts";
import { GetoptError, gnuGetopt, type LongOption } from "./lib/gnu-getopt.ts";
import {
  latin1,
  latin1Bytes,
  PosixRegex,
  RegexSyntaxError,
  type Translation,
  toLatin1,
  translatePosixRegex,
} from "./lib/posix-regex.ts";

const USAGE =
  "Usage: grep [OPTION]... PATTERNS [FILE]...\nTry 'grep --help' for more information.\n";
const FLUSH_AT = 65536;
const HELP =
  "Usage: grep [OPTION]... PATTERNS [FILE]...\nSearch for PATTERNS in each FILE.\nExample: grep -i 'hello world' menu.h main.c\nPATTERNS can contain multiple patterns separated by newlines.\n\nPattern selection and interpretation:\n  -E, --extended-regexp     PATTERNS are extended regular expressions\n  -F, --fixed-strings       PATTERNS are strings\n  -G, --basic-regexp        PATTERNS are basic regular expressions\n  -P, --perl-regexp         PATTERNS are Perl regular expressions\n  -e, --regexp=PATTERNS     use PATTERNS for matching\n  -f, --file=FILE           take PATTERNS from FILE\n  -i, --ignore-case         ignore case distinctions in patterns and data\n      --no-ignore-case      do not ignore case distinctions (default)\n  -w, --word-regexp         match only whole words\n  -x, --line-regexp         match only whole lines\n  -z, --null-data           a data line ends in 0 byte, not newline\n\nMiscellaneous:\n  -s, --no-messages         suppress error messages\n  -v, --invert-match        select non-matching lines\n  -V, --version             display version information and exit\n      --help                display this help text and exit\n\nOutput control:\n  -m, --max-count=NUM       stop after NUM selected lines\n  -b, --byte-offset         print the byte offset with output lines\n  -n, --line-number         print line number with output lines\n      --line-buffered       flush output on every line\n  -H, --with-filename       print file name with output lines\n  -h, --no-filename         suppress the file name prefix on output\n      --label=LABEL         use LABEL as the standard input file name prefix\n  -o, --only-matching       show only nonempty parts of lines that match\n  -q, --quiet, --silent     suppress all normal output\n      --binary-files=TYPE   assume that binary files are TYPE;\n                            TYPE is 'binary', 'text', or 'without-match'\n  -a, --text                equivalent to --binary-files=text\n  -I                        equivalent to --binary-files=without-match\n  -d, --directories=ACTION  how to handle directories;\n                            ACTION is 'read', 'recurse', or 'skip'\n  -D, --devices=ACTION      how to handle devices, FIFOs and sockets;\n                            ACTION is 'read' or 'skip'\n  -r, --recursive           like --directories=recurse\n  -R, --dereference-recursive  likewise, but follow all symlinks\n      --include=GLOB        search only files that match GLOB (a file pattern)\n      --exclude=GLOB        skip files that match GLOB\n      --exclude-from=FILE   skip files that match any file pattern from FILE\n      --exclude-dir=GLOB    skip directories that match GLOB\n  -L, --files-without-match  print only names of FILEs with no selected lines\n  -l, --files-with-matches  print only names of FILEs with selected lines\n  -c, --count               print only a count of selected lines per FILE\n  -T, --initial-tab         make tabs line up (if needed)\n  -Z, --null                print 0 byte after FILE name\n\nContext control:\n  -B, --before-context=NUM  print NUM lines of leading context\n  -A, --after-context=NUM   print NUM lines of trailing context\n  -C, --context=NUM         print NUM lines of output context\n  -NUM                      same as --context=NUM\n      --group-separator=SEP  print SEP on line between matches with context\n      --no-group-separator  do not print separator for matches with context\n      --color[=WHEN],\n      --colour[=WHEN]       use markers to highlight the matching strings;\n                            WHEN is 'always', 'never', or 'auto'\n  -U, --binary              do not strip CR characters at EOL (MSDOS/Windows)\n\nWhen FILE is '-', read standard input.  With no FILE, read '.' if\nrecursive, '-' otherwise.  With fewer than two FILEs, assume -h.\nExit status is 0 if any line is selected, 1 otherwise;\nif any error occurs and -q is not given, the exit status is 2.\n\nReport bugs to: bug-grep@gnu.org\nGNU grep home page: <https://www.gnu.org/software/grep/>\nGeneral help using GNU software: <https://www.gnu.org/gethelp/>\n";
const CHUNK = 98304;

const LONGS: LongOption[] = [
  { name: "basic-regexp", arg: "none", key: "G" },
  { name: "extended-regexp", arg: "none", key: "E" },
  { name: "fixed-regexp", arg: "none", key: "F" },
  { name: "fixed-strings", arg: "none", key: "F" },
  { name: "perl-regexp", arg: "none", key: "P" },
  { name: "after-context", arg: "required", key: "A" },
  { name: "before-context", arg: "required", key: "B" },
  { name: "binary-files", arg: "required", key: "binary-files" },
  { name: "byte-offset", arg: "none", key: "b" },
  { name: "context", arg: "required", key: "C" },
  { name: "color", arg: "optional", key: "color" },
  { name: "colour", arg: "optional", key: "color" },
  { name: "count", arg: "none", key: "c" },
  { name: "devices", arg: "required", key: "D" },
  { name: "directories", arg: "required", key: "d" },
  { name: "dereference-recursive", arg: "none", key: "R" },
  { name: "exclude", arg: "required", key: "exclude" },
  { name: "exclude-from", arg: "required", key: "exclude-from" },
  { name: "exclude-dir", arg: "required", key: "exclude-dir" },
  { name: "file", arg: "required", key: "f" },
  { name: "files-with-matches", arg: "none", key: "l" },
  { name: "files-without-match", arg: "none", key: "L" },
  { name: "group-separator", arg: "required", key: "group-separator" },
  { name: "help", arg: "none", key: "help" },
  { name: "include", arg: "required", key: "include" },
  { name: "ignore-case", arg: "none", key: "i" },
  { name: "no-ignore-case", arg: "none", key: "no-ignore-case" },
  { name: "initial-tab", arg: "none", key: "T" },
  { name: "label", arg: "required", key: "label" },
  { name: "line-buffered", arg: "none", key: "line-buffered" },
  { name: "line-number", arg: "none", key: "n" },
  { name: "line-regexp", arg: "none", key: "x" },
  { name: "max-count", arg: "required", key: "m" },
  { name: "no-filename", arg: "none", key: "h" },
  { name: "no-group-separator", arg: "none", key: "no-group-separator" },
  { name: "no-messages", arg: "none", key: "s" },
  { name: "null", arg: "none", key: "Z" },
  { name: "null-data", arg: "none", key: "z" },
  { name: "only-matching", arg: "none", key: "o" },
  { name: "quiet", arg: "none", key: "q" },
  { name: "recursive", arg: "none", key: "r" },
  { name: "regexp", arg: "required", key: "e" },
  { name: "invert-match", arg: "none", key: "v" },
  { name: "silent", arg: "none", key: "q" },
  { name: "text", arg: "none", key: "a" },
  { name: "binary", arg: "none", key: "U" },
  { name: "unix-byte-offsets", arg: "none", key: "u" },
  { name: "version", arg: "none", key: "V" },
  { name: "with-filename", arg: "none", key: "H" },
  { name: "word-regexp", arg: "none", key: "w" },
];

const SHORTS = "0123456789A:B:C:D:EFGHIJLNPRTUVX:abcd:e:f:hiLlm:noqRrsuvwxyZz";

/** GNU's default GREP_COLORS. */
const COLORS = { ms: "01;31", mc: "01;31", fn: "35", ln: "32", bn: "32", se: "36" };

interface Options {
  mode: "G" | "E" | "F" | "P";
  patterns: string[];
  havePatterns: boolean;
  ignoreCase: boolean;
  word: boolean;
  line: boolean;
  invert: boolean;
  count: boolean;
  listMatching: boolean;
  listNonMatching: boolean;
  only: boolean;
  quiet: boolean;
  noMessages: boolean;
  lineNumber: boolean;
  byteOffset: boolean;
  withFilename: boolean | undefined;
  after: number;
  before: number;
  maxCount: number;
  nullData: boolean;
  nullAfterName: boolean;
  color: boolean;
  label: string;
  binaryFiles: "binary" | "text" | "without-match";
  directories: "read" | "skip" | "recurse";
  devices: "read" | "skip";
  dereference: boolean;
  includes: RegExp[];
  excludes: RegExp[];
  excludeDirs: RegExp[];
  initialTab: boolean;
  lineBuffered: boolean;
  groupSeparator: string | undefined;
}

class Usage extends Error {
  readonly code: number;
  constructor(message: string, code = 2) {
    super(message);
    this.code = code;
  }
}

/** A matcher over one line (latin1 text without its terminator). */
interface Matcher {
  test(line: string): boolean;
  /** Leftmost-longest match at or after `from`. */
  exec(line: string, from: number): { index: number; length: number } | null;
}

function parseContext(value: string): number {
  if (!/^[0-9]+$/.test(value)) throw new GrepFatal(`${value}: invalid context length argument`);
  const n = Number(value);
  return Number.isSafeInteger(n) ? n : Number.MAX_SAFE_INTEGER;
}

class GrepFatal extends Error {}

/** fnmatch(3) without flags, as a RegExp (used by --include/--exclude). */
function globToRegExp(glob: string): RegExp {
  let src = "";
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i];
    if (c === "*") src += "[^]*";
    else if (c === "?") src += "[^]";
    else if (c === "[") {
      const end = glob.indexOf("]", i + 2);
      if (end < 0) {
        src += "\\[";
        continue;
      }
      let body = glob.slice(i + 1, end);
      let neg = "";
      if (body.startsWith("!") || body.startsWith("^")) {
        neg = "^";
        body = body.slice(1);
      }
      src += `[${neg}${body.replace(/[\\\]]/g, "\\$&")}]`;
      i = end;
    } else if (c === "\\" && i + 1 < glob.length) {
      src += `\\x${glob.charCodeAt(++i).toString(16).padStart(2, "0")}`;
    } else {
      src += `\\x${c.charCodeAt(0).toString(16).padStart(2, "0")}`;
    }
  }
  return new RegExp(`^(?:${src})$`);
}

/** GNU's "name suffix" rule: the whole name or any part after a slash matches. */
function globMatches(re: RegExp, name: string): boolean {
  if (re.test(name)) return true;
  for (let i = name.indexOf("/"); i >= 0; i = name.indexOf("/", i + 1)) {
    const rest = name.slice(i + 1);
    if (rest !== "" && rest[0] !== "/" && re.test(rest)) return true;
  }
  return false;
}

function fixedSource(text: string, ignoreCase: boolean): string {
  let src = "";
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    const isLetter = (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
    if (isLetter && ignoreCase) src += `[${text[i].toLowerCase()}${text[i].toUpperCase()}]`;
    else if ((c >= 48 && c <= 57) || isLetter) src += text[i];
    else src += `\\x${c.toString(16).padStart(2, "0")}`;
  }
  return src;
}

/** Translates a Perl pattern to JS source for the features both share. */
function perlTranslation(pattern: string, ignoreCase: boolean): Translation {
  let flags = ignoreCase ? "i" : "";
  let p = pattern;
  for (;;) {
    const m = /^\(\?([a-z]+)\)/.exec(p);
    if (m === null) break;
    for (const f of m[1]) {
      if (f === "i") flags = "i";
      else if (f === "s") flags += flags.includes("s") ? "" : "s";
      else if (f === "m") flags += flags.includes("m") ? "" : "m";
      else throw new GrepFatal(`unsupported Perl option (?${m[1]}) in -P pattern`);
    }
    p = p.slice(m[0].length);
  }
  let src = "";
  let inClass = false;
  for (let i = 0; i < p.length; i++) {
    const c = p[i];
    if (c === "\\") {
      const n = p[i + 1] ?? "";
      i++;
      if (n === "Q") {
        const end = p.indexOf("\\E", i + 1);
        const quoted = p.slice(i + 1, end < 0 ? undefined : end);
        src += fixedSource(quoted, false);
        i = end < 0 ? p.length : end + 1;
      } else if (n === "s") src += inClass ? "\\t-\\r " : "[\\t-\\r ]";
      else if (n === "S") src += inClass ? "\\S" : "[^\\t-\\r ]";
      else if (n === "h") src += inClass ? " \\t" : "[ \\t]";
      else if (n === "A") src += "^";
      else if (n === "z" || n === "Z") src += "$";
      else if (n === "K" || n === "G" || n === "R" || n === "X") {
        throw new GrepFatal(`\\${n} is not supported in -P patterns`);
      } else src += `\\${n}`;
      continue;
    }
    if (inClass) {
      if (c === "]") inClass = false;
      src += c;
      continue;
    }
    if (c === "[") {
      inClass = true;
      src += c;
      if (p[i + 1] === "^") src += p[++i];
      if (p[i + 1] === "]") src += `\\${p[++i]}`;
      continue;
    }
    if ((c === "+" || c === "*" || c === "?" || c === "}") && p[i + 1] === "+") {
      throw new GrepFatal("possessive quantifiers are not supported in -P patterns");
    }
    if (
      c === "(" &&
      p[i + 1] === "?" &&
      (p[i + 2] === ">" || p[i + 2] === "R" || p[i + 2] === "|")
    ) {
      throw new GrepFatal(`(?${p[i + 2]} is not supported in -P patterns`);
    }
    src += c;
  }
  try {
    new RegExp(src, flags);
  } catch (err) {
    throw new GrepFatal(`invalid -P pattern: ${(err as Error).message}`);
  }
  return { source: src, flags, groups: 0, needsLongest: false, endSensitive: false };
}

function buildMatcher(opts: Options, warn: (m: string) => void): Matcher {
  const translations: Translation[] = [];
  const patterns = opts.patterns;
  if (opts.mode === "F") {
    const sorted = [...patterns].sort((a, b) => b.length - a.length);
    if (sorted.length > 0) {
      translations.push({
        source: sorted.map((p) => fixedSource(p, opts.ignoreCase)).join("|"),
        flags: "",
        groups: 0,
        needsLongest: false,
        endSensitive: false,
      });
    }
  } else if (opts.mode === "P") {
    if (patterns.length > 1) throw new GrepFatal("the -P option only supports a single pattern");
    for (const p of patterns) translations.push(perlTranslation(p, opts.ignoreCase));
  } else {
    for (const p of patterns) {
      translations.push(
        translatePosixRegex(p, {
          extended: opts.mode === "E",
          ignoreCase: opts.ignoreCase,
          dialect: "grep",
          warn,
        }),
      );
    }
  }
  const wrap = (t: Translation): Translation => {
    let source = t.source;
    if (opts.line) source = `^(?:${source})$`;
    else if (opts.word) source = `(?<![A-Za-z0-9_])(?:${source})(?![A-Za-z0-9_])`;
    return {
      ...t,
      source,
      endSensitive: t.endSensitive || opts.word || opts.line,
    };
  };
  // Patterns without back-references combine into one alternation (longest wins across them).
  let regexes: PosixRegex[];
  const backrefs = translations.some((t) => t.groups > 0 && /\\[1-9]/.test(t.source));
  if (translations.length > 1 && !backrefs && opts.mode !== "P") {
    const flags = translations.some((t) => t.flags.includes("i")) ? "i" : "";
    const combined: Translation = {
      source: translations.map((t) => `(?:${t.source})`).join("|"),
      flags,
      groups: translations.reduce((n, t) => n + t.groups, 0),
      needsLongest: true,
      endSensitive: translations.some((t) => t.endSensitive),
    };
    regexes = [new PosixRegex(wrap(combined))];
  } else {
    regexes = translations.map((t) => new PosixRegex(wrap(t)));
  }
  return {
    test(line) {
      for (const re of regexes) if (re.test(line)) return true;
      return false;
    },
    exec(line, from) {
      let best: { index: number; length: number } | null = null;
      for (const re of regexes) {
        const m = re.exec(line, from);
        if (m === null) continue;
        if (
          best === null ||
          m.index < best.index ||
          (m.index === best.index && m[0].length > best.length)
        ) {
          best = { index: m.index, length: m[0].length };
        }
      }
      return best;
    },
  };
}

class Output {
  readonly ctx: ProcessContext;
  parts: string[] = [];
  size = 0;
  lineBuffered: boolean;

  constructor(ctx: ProcessContext, lineBuffered: boolean) {
    this.ctx = ctx;
    this.lineBuffered = lineBuffered;
  }

  add(text: string): void {
    this.parts.push(text);
    this.size += text.length;
  }

  async maybeFlush(): Promise<void> {
    if (this.size >= FLUSH_AT || (this.lineBuffered && this.size > 0)) await this.flush();
  }

  async flush(): Promise<void> {
    if (this.size === 0 && this.parts.length === 0) return;
    const text = this.parts.join("");
    this.parts = [];
    this.size = 0;
    await this.ctx.write(1, latin1Bytes(text));
  }
}

interface State {
  status: number;
  anyMatch: boolean;
  error: boolean;
  /** Whether something was printed since which a "--" separator may be due. */
  printedGroup: boolean;
}

function sgr(color: string, text: string): string {
  return `\x1b[${color}m\x1b[K${text}\x1b[m\x1b[K`;
}

class Searcher {
  readonly ctx: ProcessContext;
  readonly opts: Options;
  readonly matcher: Matcher;
  readonly out: Output;
  readonly state: State;
  readonly eol: string;
  readonly outputLines: boolean;

  constructor(ctx: ProcessContext, opts: Options, matcher: Matcher, out: Output, state: State) {
    this.ctx = ctx;
    this.opts = opts;
    this.matcher = matcher;
    this.out = out;
    this.state = state;
    this.eol = opts.nullData ? "\0" : "\n";
    this.outputLines = !(opts.quiet || opts.count || opts.listMatching || opts.listNonMatching);
  }

  sep(c: string): string {
    return this.opts.color ? sgr(COLORS.se, c) : c;
  }

  head(name: string, showName: boolean, lineNo: number, offset: number, sepChar: string): string {
    const o = this.opts;
    let h = "";
    if (showName) {
      h += o.color ? sgr(COLORS.fn, name) : name;
      h += o.nullAfterName ? "\0" : this.sep(sepChar);
    }
    const num = (n: number, color: string): string => {
      let s = String(n);
      if (o.initialTab && s.length < 7) s = ` ${s}`;
      return (o.color ? sgr(color, s) : s) + this.sep(sepChar);
    };
    if (o.lineNumber) h += num(lineNo, COLORS.ln);
    if (o.byteOffset) h += num(offset, COLORS.bn);
    if (o.initialTab && (showName || o.lineNumber || o.byteOffset)) h += "\t";
    return h;
  }

  /** Colors the matches in `line` (GNU prints the rest of the line plainly). */
  colorLine(line: string, color: string): string {
    let out = "";
    let pos = 0;
    let from = 0;
    while (from <= line.length) {
      const m = this.matcher.exec(line, from);
      if (m === null) break;
      if (m.length === 0) {
        from = m.index + 1;
        continue;
      }
      out += line.slice(pos, m.index) + sgr(color, line.slice(m.index, m.index + m.length));
      pos = from = m.index + m.length;
    }
    return out + line.slice(pos);
  }

  /** Searches one open file; returns the number of selected lines. */
  async search(fd: number, name: string, showName: boolean): Promise<number> {
    const o = this.opts;
    const st = this.state;
    let count = 0;
    let lineNo = 0;
    let offset = 0;
    let carry = "";
    let binary = false;
    let binaryChecked = false;
    let afterLeft = 0;
    let lastPrinted = -1; // line number of the last printed line
    const before: { line: string; no: number; off: number }[] = [];
    const useContext = this.outputLines && !o.only && (o.after > 0 || o.before > 0);
    const separators = this.outputLines && (o.after >= 0 || o.before >= 0);
    const lname = toLatin1(name);
    let stop = false;
    let done = false;

    const printLine = (line: string, no: number, off: number, sepChar: string): void => {
      const gap = lastPrinted < 0 || no > lastPrinted + 1;
      if (separators && st.printedGroup && gap && o.groupSeparator !== undefined) {
        this.out.add(`${this.sep(o.groupSeparator)}\n`);
      }
      st.printedGroup = true;
      lastPrinted = no;
      if (o.only) {
        if (sepChar !== ":") return;
        let from = 0;
        while (from <= line.length) {
          const m = this.matcher.exec(line, from);
          if (m === null) break;
          if (m.length === 0) {
            from = m.index + 1;
            continue;
          }
          const text = line.slice(m.index, m.index + m.length);
          this.out.add(
            this.head(lname, showName, no, off + m.index, sepChar) +
              (o.color ? sgr(COLORS.ms, text) : text) +
              this.eol,
          );
          from = m.index + m.length;
        }
        return;
      }
      let body = line;
      if (o.color) {
        const matching = (sepChar === ":") !== o.invert;
        if (matching) body = this.colorLine(line, sepChar === ":" ? COLORS.ms : COLORS.mc);
      }
      this.out.add(this.head(lname, showName, no, off, sepChar) + body + this.eol);
    };

    const handleLine = async (line: string): Promise<void> => {
      lineNo++;
      const off = offset;
      offset += line.length + 1;
      const selected = this.matcher.test(line) !== o.invert;
      if (done) {
        // After the last allowed match only trailing context (up to a selected line) is left.
        if (afterLeft <= 0) {
          stop = true;
          return;
        }
        afterLeft--;
        printLine(line, lineNo, off, "-");
        if (afterLeft === 0) stop = true;
        return;
      }
      if (selected) {
        count++;
        st.anyMatch = true;
        if (o.quiet || o.listMatching || o.listNonMatching) {
          stop = true;
          return;
        }
        if (o.count) {
          if (count >= o.maxCount) stop = true;
          return;
        }
        if (binary && o.binaryFiles === "binary") {
          await this.out.flush();
          await this.ctx.err(latin1Bytes(`grep: ${lname}: binary file matches\n`));
          stop = true;
          return;
        }
        if (useContext) {
          for (const b of before) printLine(b.line, b.no, b.off, "-");
          before.length = 0;
        }
        printLine(line, lineNo, off, ":");
        afterLeft = o.after;
        if (count >= o.maxCount) {
          done = true;
          if (afterLeft <= 0 || !useContext) stop = true;
        }
      } else if (useContext) {
        if (afterLeft > 0) {
          afterLeft--;
          printLine(line, lineNo, off, "-");
        } else {
          if (o.before > 0) {
            before.push({ line, no: lineNo, off });
            if (before.length > o.before) before.shift();
          }
        }
      }
      await this.out.maybeFlush();
    };

    if (o.maxCount === 0) return 0;
    for (;;) {
      const chunk = await this.ctx.read(fd, CHUNK);
      if (chunk === null || chunk.length === 0) break;
      if (!binaryChecked || !binary) {
        binaryChecked = true;
        if (!o.nullData && o.binaryFiles !== "text" && chunk.includes(0)) {
          binary = true;
          if (o.binaryFiles === "without-match") {
            stop = true;
            break;
          }
        }
      }
      const text = carry + latin1(chunk);
      // GNU treats NUL bytes as line ends too once a file is known to be binary.
      const lines = binary ? text.split(/[\n\0]/) : text.split(this.eol);
      carry = lines.pop() ?? "";
      for (const line of lines) {
        await handleLine(line);
        if (stop) break;
      }
      if (stop) break;
    }
    if (!stop && carry.length > 0) await handleLine(carry);
    if (binary && o.binaryFiles === "without-match") count = 0;
    if (o.count && !o.listMatching && !o.listNonMatching) {
      let h = "";
      if (showName) {
        h = o.color ? sgr(COLORS.fn, lname) : lname;
        h += o.nullAfterName ? "\0" : this.sep(":");
      }
      this.out.add(`${h}${count}\n`);
    }
    if ((o.listMatching && count > 0) || (o.listNonMatching && count === 0)) {
      const n = o.color ? sgr(COLORS.fn, lname) : lname;
      this.out.add(n + (o.nullAfterName ? "\0" : "\n"));
    }
    await this.out.maybeFlush();
    return count;
  }
}

async function readPatternFile(ctx: ProcessContext, file: string): Promise<string[]> {
  let data: Uint8Array;
  if (file === "-") data = await ctx.readAll(0);
  else data = await ctx.readFile(file);
  const text = latin1(data);
  if (text === "") return [];
  const lines = text.split("\n");
  if (text.endsWith("\n")) lines.pop();
  return lines;
}

function commandFor(name: string, forced: Options["mode"] | undefined): CommandDefinition {
  return {
    name,
    async main(ctx) {
      try {
        return await grepMain(ctx, forced);
      } catch (err) {
        if (err instanceof Usage) {
          await ctx.err(err.message ? `grep: ${err.message}\n${USAGE}` : USAGE);
          return err.code;
        }
        if (err instanceof GrepFatal || err instanceof RegexSyntaxError) {
          await ctx.err(`grep: ${err.message}\n`);
          return 2;
        }
        throw err;
      }
    },
  };
}

async function grepMain(ctx: ProcessContext, forced: Options["mode"] | undefined): Promise<number> {
  const opts: Options = {
    mode: forced ?? "G",
    patterns: [],
    havePatterns: false,
    ignoreCase: false,
    word: false,
    line: false,
    invert: false,
    count: false,
    listMatching: false,
    listNonMatching: false,
    only: false,
    quiet: false,
    noMessages: false,
    lineNumber: false,
    byteOffset: false,
    withFilename: undefined,
    after: -1,
    before: -1,
    maxCount: Number.POSITIVE_INFINITY,
    nullData: false,
    nullAfterName: false,
    color: false,
    label: "(standard input)",
    binaryFiles: "binary",
    directories: "read",
    devices: "read",
    dereference: false,
    includes: [],
    excludes: [],
    excludeDirs: [],
    initialTab: false,
    lineBuffered: false,
    groupSeparator: "--",
  };
  let parsed: ReturnType<typeof gnuGetopt>;
  try {
    parsed = gnuGetopt(ctx.argv.slice(1), SHORTS, LONGS, {
      permute: ctx.env.POSIXLY_CORRECT === undefined,
    });
  } catch (err) {
    if (err instanceof GetoptError) throw new Usage(err.message);
    throw err;
  }
  let context = -1;
  let digits = "";
  let digitsIndex = -2;
  let modeSet: string | undefined = forced;
  const setMode = (m: Options["mode"]): void => {
    if (modeSet !== undefined && modeSet !== m)
      throw new GrepFatal("conflicting matchers specified");
    modeSet = m;
    opts.mode = m;
  };
  for (const opt of parsed.options) {
    const v = opt.value ?? "";
    if (opt.key >= "0" && opt.key <= "9") {
      digits = digitsIndex === opt.index ? digits + opt.key : opt.key;
      digitsIndex = opt.index;
      context = parseContext(digits);
      continue;
    }
    switch (opt.key) {
      case "A":
        opts.after = parseContext(v);
        break;
      case "B":
        opts.before = parseContext(v);
        break;
      case "C":
        context = parseContext(v);
        break;
      case "E":
      case "F":
      case "G":
      case "P":
        setMode(opt.key);
        break;
      case "X":
        throw new GrepFatal("the -X option is not supported");
      case "e":
        opts.patterns.push(...toLatin1(v).split("\n"));
        opts.havePatterns = true;
        break;
      case "f":
        try {
          opts.patterns.push(...(await readPatternFile(ctx, v)));
        } catch (err) {
          if (!ctx.alive) throw err;
          throw new GrepFatal(`${v}: ${describeError(err)}`);
        }
        opts.havePatterns = true;
        break;
      case "i":
      case "y":
        opts.ignoreCase = true;
        break;
      case "no-ignore-case":
        opts.ignoreCase = false;
        break;
      case "w":
        opts.word = true;
        break;
      case "x":
        opts.line = true;
        break;
      case "v":
        opts.invert = true;
        break;
      case "c":
        opts.count = true;
        break;
      case "l":
        opts.listMatching = true;
        opts.listNonMatching = false;
        break;
      case "L":
        opts.listNonMatching = true;
        opts.listMatching = false;
        break;
      case "o":
        opts.only = true;
        break;
      case "q":
        opts.quiet = true;
        break;
      case "s":
        opts.noMessages = true;
        break;
      case "n":
        opts.lineNumber = true;
        break;
      case "b":
        opts.byteOffset = true;
        break;
      case "H":
        opts.withFilename = true;
        break;
      case "h":
        opts.withFilename = false;
        break;
      case "m": {
        if (!/^-?[0-9]+$/.test(v.trim())) throw new GrepFatal("invalid max count");
        const n = Number(v.trim());
        opts.maxCount = n < 0 ? Number.POSITIVE_INFINITY : n;
        break;
      }
      case "z":
        opts.nullData = true;
        break;
      case "Z":
        opts.nullAfterName = true;
        break;
      case "a":
        opts.binaryFiles = "text";
        break;
      case "I":
        opts.binaryFiles = "without-match";
        break;
      case "binary-files":
        if (v !== "binary" && v !== "text" && v !== "without-match") {
          throw new GrepFatal("unknown binary-files type");
        }
        opts.binaryFiles = v;
        break;
      case "d":
        if (v !== "read" && v !== "skip" && v !== "recurse") {
          throw new Usage(
            `invalid argument '${v}' for '--directories'\nValid arguments are:\n  - 'read'\n  - 'recurse'\n  - 'skip'`,
            1,
          );
        }
        opts.directories = v;
        break;
      case "D":
        if (v !== "read" && v !== "skip") throw new GrepFatal("unknown devices method");
        opts.devices = v;
        break;
      case "r":
        opts.directories = "recurse";
        break;
      case "R":
        opts.directories = "recurse";
        opts.dereference = true;
        break;
      case "include":
        opts.includes.push(globToRegExp(v));
        break;
      case "exclude":
        opts.excludes.push(globToRegExp(v));
        break;
      case "exclude-from":
        try {
          for (const g of await readPatternFile(ctx, v)) opts.excludes.push(globToRegExp(g));
        } catch (err) {
          if (!ctx.alive) throw err;
          throw new GrepFatal(`${v}: ${describeError(err)}`);
        }
        break;
      case "exclude-dir":
        opts.excludeDirs.push(globToRegExp(v));
        break;
      case "color":
        if (opt.value === undefined || ["always", "yes", "force"].includes(v)) {
          opts.color = opt.value !== undefined || colorAuto(ctx);
          if (opt.value === undefined) opts.color = colorAuto(ctx);
        } else if (["never", "no", "none"].includes(v)) opts.color = false;
        else if (["auto", "tty", "if-tty"].includes(v)) opts.color = colorAuto(ctx);
        else {
          // GNU grep shows its help (exit 0) for an unknown --color argument.
          await ctx.out(HELP);
          return 0;
        }
        break;
      case "label":
        opts.label = v;
        break;
      case "line-buffered":
        opts.lineBuffered = true;
        break;
      case "T":
        opts.initialTab = true;
        break;
      case "U":
      case "u":
        break;
      case "group-separator":
        opts.groupSeparator = opt.text === "--no-group-separator" ? undefined : v;
        break;
      case "no-group-separator":
        opts.groupSeparator = undefined;
        break;
      case "V":
        await ctx.out("grep (GNU grep) 3.8\n");
        return 0;
      case "help":
        await ctx.out(HELP);
        return 0;
      default:
        throw new Usage(`invalid option -- '${opt.key}'`);
    }
  }
  if (context >= 0) {
    if (opts.after < 0) opts.after = context;
    if (opts.before < 0) opts.before = context;
  }
  const operands = parsed.operands;
  if (!opts.havePatterns) {
    if (operands.length === 0) throw new Usage("");
    opts.patterns.push(...toLatin1(operands.shift() ?? "").split("\n"));
  }
  const warn = (m: string): void => {
    warnings.push(`grep: warning: ${m}\n`);
  };
  const warnings: string[] = [];
  const matcher = buildMatcher(opts, warn);
  for (const w of warnings) await ctx.err(w);

  const state: State = { status: 1, anyMatch: false, error: false, printedGroup: false };
  const out = new Output(ctx, opts.lineBuffered);
  const searcher = new Searcher(ctx, opts, matcher, out, state);
  const recursive = opts.directories === "recurse";
  const files = operands.length > 0 ? operands : [recursive ? "." : "-"];
  const implicitDot = operands.length === 0 && recursive;
  // With -r a lone file operand prints no names; files found inside directories do.
  const showNames = opts.withFilename ?? files.length > 1;

  const fail = async (message: string): Promise<void> => {
    state.error = true;
    if (!opts.noMessages) {
      await out.flush();
      await ctx.err(`grep: ${message}\n`);
    }
  };

  const excludedFile = (name: string, commandLine: boolean): boolean => {
    const base = commandLine ? name : name.slice(name.lastIndexOf("/") + 1);
    for (const re of opts.excludes) if (globMatches(re, base)) return true;
    if (opts.includes.length > 0 && !opts.includes.some((re) => globMatches(re, base))) return true;
    return false;
  };
  const excludedDir = (name: string, commandLine: boolean): boolean => {
    const base = commandLine ? name : name.slice(name.lastIndexOf("/") + 1);
    return opts.excludeDirs.some((re) => globMatches(re, base));
  };

  const searchFd = async (fd: number, name: string, found = false): Promise<void> => {
    await searcher.search(fd, name, found ? (opts.withFilename ?? true) : showNames);
  };

  const visit = async (path: string, display: string, commandLine: boolean): Promise<boolean> => {
    // Returns true when searching should stop (-q matched).
    let st: Awaited<ReturnType<ProcessContext["stat"]>>;
    try {
      st = commandLine || opts.dereference ? await ctx.stat(path) : await ctx.lstat(path);
    } catch (err) {
      if (!ctx.alive) throw err;
      if (!commandLine) {
        try {
          const l = await ctx.lstat(path);
          if ((l.mode & S_IFMT) === 0o120000) return false; // dangling link met recursively
        } catch {
          // fall through to the message
        }
      }
      await fail(`${display}: ${describeError(err)}`);
      return false;
    }
    const kind = st.mode & S_IFMT;
    if (kind === 0o120000) return false; // a symlink met while recursing with -r
    if (kind === S_IFDIR) {
      if (opts.directories === "skip") return false;
      if (opts.directories === "read") {
        await fail(`${display}: Is a directory`);
        return false;
      }
      if (excludedDir(display, commandLine) && !(commandLine && implicitDot)) return false;
      let entries: { name: string }[];
      try {
        entries = await ctx.readdir(path);
      } catch (err) {
        if (!ctx.alive) throw err;
        await fail(`${display}: ${describeError(err)}`);
        return false;
      }
      for (const entry of entries) {
        const childPath = path === "/" ? `/${entry.name}` : `${path}/${entry.name}`;
        const childDisplay = implicitDot && display === "." ? entry.name : childPath;
        const realPath = implicitDot && display === "." ? entry.name : childPath;
        if (await visit(realPath, childDisplay, false)) return true;
      }
      return false;
    }
    const regular = kind === 0o100000;
    if (!regular && (!commandLine || (opts.devices === "skip" && kind !== 0o010000))) return false;
    if (excludedFile(display, commandLine)) return false;
    let fd: number;
    try {
      fd = await ctx.open(path, O_RDONLY);
    } catch (err) {
      if (!ctx.alive) throw err;
      await fail(`${display}: ${describeError(err)}`);
      return false;
    }
    try {
      await searchFd(fd, display, !commandLine);
    } catch (err) {
      if (!ctx.alive) throw err;
      await fail(`${display}: ${describeError(err)}`);
    } finally {
      ctx.close(fd);
    }
    return opts.quiet && state.anyMatch;
  };

  for (const file of files) {
    if (file === "-") {
      if (excludedFile(opts.label, true) && opts.excludes.length > 0) continue;
      try {
        await searchFd(0, opts.label);
      } catch (err) {
        if (!ctx.alive) throw err;
        await fail(`${opts.label}: ${describeError(err)}`);
      }
      if (opts.quiet && state.anyMatch) break;
      continue;
    }
    if (await visit(file, file, true)) break;
  }
  await out.flush();
  if (state.error && !(opts.quiet && state.anyMatch)) return 2;
  return state.anyMatch ? 0 : 1;
}

function colorAuto(ctx: ProcessContext): boolean {
  return ctx.isatty(1) && ctx.env.TERM !== undefined && ctx.env.TERM !== "dumb";
}

export const grep = commandFor("grep", undefined);
export const egrep = commandFor("egrep", "E");
export const fgrep = commandFor("fgrep", "F");
