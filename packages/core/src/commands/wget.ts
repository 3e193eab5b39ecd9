/**
 * wget [options] URL...: downloads over HTTP and HTTPS through the VM's network (its
 * loopback, and the egress policy for everything else), logging to stderr as GNU Wget 1.21
 * does. Options: -O file (- for stdout), -q, -nv, -S, --header, -U, -T, --post-data,
 * --post-file, --method, --body-data, --no-check-certificate, -P, --max-redirect. Exit codes
 * are wget's: 1 generic, 2 usage, 3 file I/O, 4 network failure, 5 TLS verification, 8 an
 * error response from the server. Real wget options this one lacks fail with "not supported
 * in agentOS" (exit 2).
 */
import type { IncomingMessage } from "node:http";
import { O_APPEND, O_CREAT, O_EXCL, O_TRUNC, O_WRONLY } from "../fs/types.ts";
import type { CommandDefinition } from "../kernel/command-registry.ts";
import { ProcessTerminated } from "../kernel/process.ts";
import type { ProcessContext } from "../kernel/process-context.ts";
import { parseIp } from "../net/address.ts";
import {
  defaultPort,
  GuestHttpError,
  type GuestHttpResponse,
  guestHttpRequest,
  type KeptConnection,
  urlHost,
} from "../net/guest-http.ts";

const USER_AGENT = "Wget/1.21.3";
const USAGE = "Usage: wget [OPTION]... [URL]...\n\nTry `wget --help' for more options.\n";

interface WgetOptions {
  output: string | undefined;
  quiet: boolean;
  noVerbose: boolean;
  serverResponse: boolean;
  headers: string[];
  userAgent: string | undefined;
  timeoutSeconds: number | undefined;
  method: string | undefined;
  body: { kind: "data" | "file"; value: string } | undefined;
  insecure: boolean;
  prefix: string | undefined;
  maxRedirect: number;
  urls: string[];
  /** Quotes a name for messages, as the locale wants. */
  quote: (text: string) => string;
}

/** Long options with a value, by name; short letters map onto them. */
const WITH_VALUE = new Set([
  "output-document",
  "header",
  "user-agent",
  "timeout",
  "post-data",
  "post-file",
  "method",
  "body-data",
  "body-file",
  "directory-prefix",
  "max-redirect",
]);
const FLAGS = new Set([
  "quiet",
  "no-verbose",
  "server-response",
  "no-check-certificate",
  "verbose",
  "help",
  "version",
]);
const SHORT: Record<string, string> = {
  O: "output-document",
  U: "user-agent",
  T: "timeout",
  P: "directory-prefix",
  q: "quiet",
  S: "server-response",
  v: "verbose",
  h: "help",
  V: "version",
};
const UNSUPPORTED = new Set([
  "r",
  "recursive",
  "c",
  "continue",
  "N",
  "timestamping",
  "m",
  "mirror",
  "i",
  "input-file",
  "b",
  "background",
  "spider",
  "t",
  "tries",
  "l",
  "level",
  "k",
  "convert-links",
  "p",
  "page-requisites",
  "load-cookies",
  "save-cookies",
  "user",
  "password",
  "e",
  "execute",
  "o",
  "output-file",
  "a",
  "append-output",
]);

class UsageError extends Error {}

function parseArgs(
  args: string[],
  quote: (text: string) => string,
): WgetOptions | "help" | "version" {
  const o: WgetOptions = {
    output: undefined,
    quiet: false,
    noVerbose: false,
    serverResponse: false,
    headers: [],
    userAgent: undefined,
    timeoutSeconds: undefined,
    method: undefined,
    body: undefined,
    insecure: false,
    prefix: undefined,
    maxRedirect: 20,
    urls: [],
    quote,
  };
  let special: "help" | "version" | undefined;
  const apply = (name: string, value: string | undefined): void => {
    switch (name) {
      case "output-document":
        o.output = value;
        return;
      case "quiet":
        o.quiet = true;
        return;
      case "verbose":
        o.quiet = false;
        o.noVerbose = false;
        return;
      case "no-verbose":
        o.noVerbose = true;
        return;
      case "server-response":
        o.serverResponse = true;
        return;
      case "no-check-certificate":
        o.insecure = true;
        return;
      case "header":
        o.headers.push(value!);
        return;
      case "user-agent":
        o.userAgent = value;
        return;
      case "timeout": {
        const n = Number(value);
        if (!/^\d*\.?\d+$/.test(value!))
          throw new UsageError(`wget: --timeout: Invalid time period ${quote(value!)}\n`);
        o.timeoutSeconds = n;
        return;
      }
      case "post-data":
      case "body-data":
        o.body = { kind: "data", value: value! };
        if (name === "post-data") o.method = "POST";
        return;
      case "post-file":
      case "body-file":
        o.body = { kind: "file", value: value! };
        if (name === "post-file") o.method = "POST";
        return;
      case "method":
        o.method = value!.toUpperCase();
        return;
      case "directory-prefix":
        o.prefix = value;
        return;
      case "max-redirect":
        if (!/^\d+$/.test(value!))
          throw new UsageError(`wget: --max-redirect: Invalid number ${quote(value!)}.\n`);
        o.maxRedirect = Number(value);
        return;
      case "help":
      case "version":
        special = name;
        return;
    }
  };
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg === "--") {
      o.urls.push(...args.slice(i + 1));
      break;
    }
    if (arg.startsWith("--")) {
      const eq = arg.indexOf("=");
      const name = arg.slice(2, eq < 0 ? undefined : eq);
      if (UNSUPPORTED.has(name))
        throw new UsageError(`wget: option '--${name}' is not supported in agentOS\n`);
      if (FLAGS.has(name)) {
        if (eq >= 0)
          throw new UsageError(`wget: option '--${name}' doesn't allow an argument\n${USAGE}`);
        apply(name, undefined);
      } else if (WITH_VALUE.has(name)) {
        let value: string;
        if (eq >= 0) value = arg.slice(eq + 1);
        else if (i + 1 < args.length) value = args[++i];
        else throw new UsageError(`wget: option '--${name}' requires an argument\n${USAGE}`);
        apply(name, value);
      } else throw new UsageError(`wget: unrecognized option '${arg}'\n${USAGE}`);
      continue;
    }
    if (arg.startsWith("-") && arg.length > 1) {
      if (arg === "-nv") {
        apply("no-verbose", undefined);
        continue;
      }
      for (let j = 1; j < arg.length; j++) {
        const letter = arg[j];
        if (UNSUPPORTED.has(letter))
          throw new UsageError(`wget: option '-${letter}' is not supported in agentOS\n`);
        const name = SHORT[letter];
        if (!name) throw new UsageError(`wget: invalid option -- '${letter}'\n${USAGE}`);
        if (WITH_VALUE.has(name)) {
          let value = arg.slice(j + 1);
          if (value === "") {
            if (i + 1 >= args.length)
              throw new UsageError(`wget: option requires an argument -- '${letter}'\n${USAGE}`);
            value = args[++i];
          }
          apply(name, value);
          break;
        }
        apply(name, undefined);
      }
      continue;
    }
    o.urls.push(arg);
  }
  return special ?? o;
}

/** Failures of one URL: wget's exit status and the log line(s) it prints. */
class WgetFailure extends Error {
  readonly exitCode: number;
  constructor(exitCode: number, message: string) {
    super(message);
    this.exitCode = exitCode;
  }
}

export const wget: CommandDefinition = {
  name: "wget",
  async main(ctx) {
    let parsed: ReturnType<typeof parseArgs>;
    try {
      parsed = parseArgs(ctx.argv.slice(1), localeQuoter(ctx.env));
    } catch (err) {
      if (!(err instanceof UsageError)) throw err;
      await ctx.err(err.message);
      return 2;
    }
    if (parsed === "version") {
      await ctx.out("GNU Wget 1.21.3 (agentOS) built on node:http.\n");
      return 0;
    }
    if (parsed === "help") {
      await ctx.out(
        "GNU Wget 1.21.3 (agentOS), a non-interactive network retriever.\n" +
          "Usage: wget [OPTION]... [URL]...\n\n" +
          "  -O,  --output-document=FILE   write documents to FILE ('-' for stdout)\n" +
          "  -q,  --quiet                  quiet (no output)\n" +
          "  -nv, --no-verbose             turn off verboseness, without being quiet\n" +
          "  -S,  --server-response        print server response\n" +
          "       --header=STRING          insert STRING among the headers\n" +
          "  -U,  --user-agent=AGENT       identify as AGENT instead of Wget/VERSION\n" +
          "  -T,  --timeout=SECONDS        set all timeout values to SECONDS\n" +
          "       --post-data=STRING       use the POST method; send STRING as the data\n" +
          "       --post-file=FILE         use the POST method; send contents of FILE\n" +
          '       --method=HTTPMethod      use method "HTTPMethod" in the request\n' +
          "       --no-check-certificate   don't validate the server's certificate\n" +
          "  -P,  --directory-prefix=PREFIX  save files to PREFIX/..\n",
      );
      return 0;
    }
    const options = parsed;
    if (options.urls.length === 0) {
      await ctx.err(`wget: missing URL\n${USAGE}`);
      return 1;
    }
    const log = async (text: string): Promise<void> => {
      if (!options.quiet && !options.noVerbose) await ctx.err(text);
    };
    // -O names one file for every URL: created (emptied) up front, as wget does.
    let sharedFd: number | undefined;
    if (options.output !== undefined && options.output !== "-") {
      try {
        sharedFd = await ctx.open(options.output, O_WRONLY | O_CREAT | O_TRUNC, 0o666);
      } catch (err) {
        await ctx.err(
          `${options.output}: ${(err as { description?: string }).description ?? err}\n`,
        );
        return 3;
      }
    }
    let status = 0;
    try {
      for (const raw of options.urls) {
        const code = await retrieve(ctx, options, raw, sharedFd, log);
        // wget reports the most serious failure... and the last one for equal weight.
        if (code !== 0) status = code;
      }
    } finally {
      if (sharedFd !== undefined) ctx.close(sharedFd);
    }
    return status;
  },
};

async function retrieve(
  ctx: ProcessContext,
  options: WgetOptions,
  raw: string,
  sharedFd: number | undefined,
  log: (text: string) => Promise<void>,
): Promise<number> {
  const q = options.quote;
  let url: URL;
  try {
    url = new URL(/^[a-zA-Z][a-zA-Z0-9+.-]*:\/\//.test(raw) ? raw : `http://${raw}`);
    if (url.protocol !== "http:" && url.protocol !== "https:") throw new Error("scheme");
    if (!url.hostname) throw new Error("host");
  } catch {
    const scheme = /^([a-zA-Z][a-zA-Z0-9+.-]*):\/\//.exec(raw)?.[1];
    await ctx.err(scheme ? `${raw}: Unsupported scheme ${q(scheme)}.\n` : `${raw}: Invalid URL.\n`);
    return 1;
  }
  const originalUrl = url;
  let body: Uint8Array | undefined;
  if (options.body) {
    try {
      body =
        options.body.kind === "data"
          ? new TextEncoder().encode(options.body.value)
          : await ctx.readFile(options.body.value);
    } catch (err) {
      await ctx.err(`wget: ${options.body.value}: ${describe(err)}\n`);
      return 3;
    }
  }
  let method = options.method ?? "GET";
  const deadline = new AbortController();
  const timer =
    options.timeoutSeconds !== undefined && options.timeoutSeconds > 0
      ? setTimeout(() => deadline.abort(), options.timeoutSeconds * 1000)
      : undefined;
  let kept: KeptConnection | undefined;
  try {
    for (let redirects = 0; ; redirects++) {
      await log(`--${timestamp()}--  ${url.href}\n`);
      const host = urlHost(url);
      const port = defaultPort(url);
      const reusing = kept !== undefined && kept.origin === url.origin;
      if (!reusing && !parseIp(host)) await log(`Resolving ${host} (${host})... `);
      let exchange: GuestHttpResponse;
      try {
        exchange = await guestHttpRequest(
          ctx.net,
          {
            url,
            method,
            headers: requestHeaders(options, url, body),
            body,
            insecure: options.insecure,
            signal: deadline.signal,
            keepAlive: true,
          },
          kept,
        );
      } catch (err) {
        throw connectFailure(err, host, port, deadline.signal.aborted, q);
      } finally {
        kept = undefined;
      }
      const { response, connection } = exchange;
      let keepAfter = false;
      try {
        const where = parseIp(host)
          ? `${host}:${port}`
          : `${host} (${host})|${connection.remoteAddress}|:${port}`;
        if (reusing) await log(`Reusing existing connection to ${host}:${port}.\n`);
        else {
          if (!parseIp(host)) await log(`${connection.remoteAddress}\n`);
          await log(`Connecting to ${where}... connected.\n`);
        }
        await log(`HTTP request sent, awaiting response... `);
        const status = response.statusCode ?? 0;
        const reason = response.statusMessage ?? "";
        if (options.serverResponse && !options.quiet)
          await ctx.err(`\n${serverResponse(response)}`);
        await log(`${status} ${reason}\n`);
        const location = response.headers.location;
        if (status >= 300 && status < 400 && location !== undefined) {
          await drain(response);
          keepAfter = true;
          if (redirects >= options.maxRedirect) {
            await log(`${options.maxRedirect} redirections exceeded.\n`);
            return 8;
          }
          await log(`Location: ${location} [following]\n`);
          url = new URL(location, url);
          if (status === 303 || ((status === 301 || status === 302) && method === "POST")) {
            method = "GET";
            body = undefined;
          }
          continue;
        }
        if (status >= 400) {
          await drain(response);
          await log(`${timestamp()} ERROR ${status}: ${reason}.\n\n`);
          if (options.noVerbose && !options.quiet)
            await ctx.err(`${url.href}:\n${timestamp()} ERROR ${status}: ${reason}.\n`);
          return 8;
        }
        return await save(ctx, options, response, originalUrl, url, sharedFd, log);
      } finally {
        if (keepAfter) kept = exchange.keep();
        else exchange.close();
      }
    }
  } catch (err) {
    if (err instanceof ProcessTerminated) throw err;
    if (err instanceof WgetFailure) {
      if (!options.quiet) await ctx.err(err.message);
      return err.exitCode;
    }
    const message = deadline.signal.aborted
      ? "Read error (Connection timed out) in headers."
      : `Read error (${(err as Error).message}).`;
    if (!options.quiet) await ctx.err(`${message}\n`);
    return 4;
  } finally {
    kept?.close();
    if (timer) clearTimeout(timer);
  }
}

/** Reads a response body to its end, so its connection can carry the next request. */
async function drain(response: IncomingMessage): Promise<void> {
  for await (const _ of response) {
    // Discarded: redirect and error bodies are not saved.
  }
}

function requestHeaders(
  options: WgetOptions,
  url: URL,
  body: Uint8Array | undefined,
): Array<[string, string]> {
  const headers: Array<[string, string]> = [
    ["Host", url.host],
    ["User-Agent", options.userAgent ?? USER_AGENT],
    ["Accept", "*/*"],
    ["Accept-Encoding", "identity"],
    ["Connection", "Keep-Alive"],
  ];
  if (body) {
    headers.push(["Content-Type", "application/x-www-form-urlencoded"]);
    headers.push(["Content-Length", String(body.length)]);
  }
  // --header adds to (or, for a name wget sets itself, replaces) the defaults.
  for (const line of options.headers) {
    const colon = line.indexOf(":");
    if (colon <= 0) continue;
    const name = line.slice(0, colon).trim();
    const value = line.slice(colon + 1).trim();
    const at = headers.findIndex(([n]) => n.toLowerCase() === name.toLowerCase());
    if (at >= 0) headers[at] = [name, value];
    else headers.push([name, value]);
  }
  return headers;
}

function connectFailure(
  err: unknown,
  host: string,
  port: number,
  timedOut: boolean,
  q: (text: string) => string,
): WgetFailure {
  const cause = (err instanceof GuestHttpError ? err.cause : err) as {
    code?: string;
    message?: string;
  };
  const target = parseIp(host) ? `${host}:${port}` : `${host} (${host})|${host}|:${port}`;
  if (err instanceof GuestHttpError && err.stage === "resolve") {
    return new WgetFailure(
      4,
      `failed: Name or service not known.\nwget: unable to resolve host address ${q(host)}\n`,
    );
  }
  if (timedOut || cause?.code === "ETIMEDOUT")
    return new WgetFailure(4, `Connecting to ${target}... failed: Connection timed out.\n`);
  if (err instanceof GuestHttpError && err.stage === "tls") {
    const verify = /CERT|SELF_SIGNED|UNABLE_TO|HOSTNAME/.test(err.code ?? "");
    return new WgetFailure(
      verify ? 5 : 4,
      `ERROR: cannot verify ${host}'s certificate: ${err.message}\n` +
        (verify ? "To connect to it insecurely, use `--no-check-certificate'.\n" : ""),
    );
  }
  if (err instanceof GuestHttpError && err.stage === "connect") {
    const reason =
      cause?.code === "EACCES"
        ? `Permission denied (${(cause.message ?? "").replace(/^.* - /, "")})`
        : cause?.code === "ECONNREFUSED"
          ? "Connection refused"
          : (cause?.message ?? "Network failure");
    return new WgetFailure(4, `Connecting to ${target}... failed: ${reason}.\n`);
  }
  return new WgetFailure(
    4,
    `Connecting to ${target}... failed: ${cause?.message ?? String(err)}.\n`,
  );
}

async function save(
  ctx: ProcessContext,
  options: WgetOptions,
  response: IncomingMessage,
  originalUrl: URL,
  finalUrl: URL,
  sharedFd: number | undefined,
  log: (text: string) => Promise<void>,
): Promise<number> {
  const q = options.quote;
  const lengthHeader = response.headers["content-length"];
  const length = lengthHeader === undefined ? undefined : Number(lengthHeader);
  const type = response.headers["content-type"];
  const size =
    length === undefined
      ? "unspecified"
      : `${length}${length >= 1024 ? ` (${humanSize(length)})` : ""}`;
  await log(`Length: ${size}${type ? ` [${type}]` : ""}\n`);
  let fd: number;
  let name: string;
  if (options.output === "-") {
    fd = 1;
    name = "STDOUT";
  } else if (sharedFd !== undefined) {
    fd = sharedFd;
    name = options.output!;
  } else {
    // Named after the URL asked for (not the redirect target), as wget does by default.
    const path = originalUrl.pathname;
    const base = path.slice(path.lastIndexOf("/") + 1) || "index.html";
    const prefixed = options.prefix ? `${options.prefix.replace(/\/$/, "")}/${base}` : base;
    const opened = await createUnique(ctx, prefixed);
    fd = opened.fd;
    name = opened.name;
  }
  await log(`Saving to: ${q(name)}\n\n`);
  const progress = new DotProgress(length);
  try {
    for await (const chunk of response) {
      await ctx.write(fd, chunk as Buffer);
      await log(progress.add((chunk as Buffer).length));
    }
  } finally {
    if (fd !== 1 && fd !== sharedFd) ctx.close(fd);
  }
  const received = progress.received;
  const seconds = progress.elapsed();
  const counts = `${received}${length === undefined ? "" : `/${length}`}`;
  const saved = name === "STDOUT" ? "written to stdout" : q(name);
  await log(
    `${progress.finish()}\n${timestamp()} (${rate(received / seconds, true)}) - ${saved} saved [${counts}]\n\n`,
  );
  if (options.noVerbose && !options.quiet)
    await ctx.err(
      `${timestamp()} URL:${finalUrl.href} [${counts}] -> "${name === "STDOUT" ? "-" : name}" [1]\n`,
    );
  return 0;
}

/**
 * wget's "dot" progress (what it shows when stderr is not a terminal): a dot per KiB in
 * groups of ten, fifty to a line, each full line ending with the percentage, the line's
 * rate and the time left; the last line ends with the average rate and the time taken.
 */
class DotProgress {
  readonly #length: number | undefined;
  readonly #started = performance.now();
  #lineStarted = this.#started;
  received = 0;
  #dotsOnLine = 0;
  #line = "";

  constructor(length: number | undefined) {
    this.#length = length;
  }

  elapsed(): number {
    return Math.max((performance.now() - this.#started) / 1000, 1e-6);
  }

  /** Counts `n` more bytes; returns the text of any lines completed. */
  add(n: number): string {
    const before = Math.floor(this.received / 1024);
    this.received += n;
    const after = Math.floor(this.received / 1024);
    let out = "";
    for (let k = before; k < after; k++) {
      if (this.#dotsOnLine === 0) this.#line = `${`${k}`.padStart(6)}K `;
      else if (this.#dotsOnLine % 10 === 0) this.#line += " ";
      this.#line += ".";
      this.#dotsOnLine++;
      if (this.#dotsOnLine === 50) {
        const now = performance.now();
        const lineRate = (50 * 1024) / Math.max((now - this.#lineStarted) / 1000, 1e-6);
        const left =
          this.#length === undefined
            ? ""
            : ` ${eta((this.#length - (k + 1) * 1024) / (((k + 1) * 1024) / this.elapsed()))}`;
        out += `${this.#line}${this.#percent((k + 1) * 1024)} ${rate(lineRate, false).padStart(5)}${left}\n`;
        this.#lineStarted = now;
        this.#dotsOnLine = 0;
      }
    }
    return out;
  }

  /** The last line. */
  finish(): string {
    const start = Math.floor(this.received / 1024) - this.#dotsOnLine;
    const line = this.#dotsOnLine === 0 ? `${`${start}`.padStart(6)}K ` : this.#line;
    const seconds = this.elapsed();
    const taken =
      seconds < 0.01
        ? "0s"
        : seconds < 100
          ? `${seconds.toFixed(seconds < 10 ? 1 : 0)}s`
          : eta(seconds);
    return `${line.padEnd(62)}${this.#percent(this.received)} ${rate(this.received / seconds, false).padStart(5)}=${taken}\n`;
  }

  #percent(done: number): string {
    if (!this.#length) return "";
    return `${`${Math.min(100, Math.floor((done / this.#length) * 100))}`.padStart(3)}%`;
  }
}

/** wget's rates: 1024-based units, three significant digits ("338M", "14.9M", "1.02K"). */
function rate(bytesPerSecond: number, long: boolean): string {
  const units = long ? ["B/s", "KB/s", "MB/s", "GB/s"] : ["B", "K", "M", "G"];
  let value = bytesPerSecond;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  const digits = value >= 99.95 ? 0 : value >= 9.995 ? 1 : 2;
  return `${value.toFixed(digits)}${long ? " " : ""}${units[unit]}`;
}

function eta(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  if (s < 100) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m ${s % 60}s`;
  return `${Math.floor(s / 3600)}h ${Math.floor(s / 60) % 60}m`;
}

/** Creates `path`, or path.1, path.2, ... when it exists (wget's no-clobber numbering). */
async function createUnique(
  ctx: ProcessContext,
  path: string,
): Promise<{ fd: number; name: string }> {
  for (let n = 0; ; n++) {
    const name = n === 0 ? path : `${path}.${n}`;
    try {
      return { fd: await ctx.open(name, O_WRONLY | O_CREAT | O_EXCL | O_APPEND, 0o666), name };
    } catch (err) {
      if ((err as { code?: string }).code === "EEXIST") continue;
      throw new WgetFailure(3, `${name}: ${describe(err)}\n`);
    }
  }
}

function serverResponse(response: IncomingMessage): string {
  let text = `  HTTP/${response.httpVersion} ${response.statusCode} ${response.statusMessage ?? ""}\n`;
  for (let i = 0; i + 1 < response.rawHeaders.length; i += 2)
    text += `  ${response.rawHeaders[i]}: ${response.rawHeaders[i + 1]}\n`;
  return text;
}

/** Sizes as wget prints them after Length: "2.9K", "59K", "19M". */
function humanSize(n: number): string {
  const units = ["K", "M", "G", "T"];
  let value = n / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value < 10 ? (Math.floor(value * 10) / 10).toFixed(1) : Math.round(value)}${units[unit]}`;
}

function timestamp(): string {
  const d = new Date();
  const p = (n: number): string => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`;
}

function describe(err: unknown): string {
  return (err as { description?: string }).description ?? String(err);
}

/** wget quotes names with ‘ ’ in a UTF-8 locale and ' ' otherwise (gnulib's quote()). */
export function localeQuoter(env: Record<string, string>): (text: string) => string {
  const locale = env.LC_ALL || env.LC_CTYPE || env.LANG || "";
  const utf8 = /utf-?8/i.test(locale);
  return (text) => (utf8 ? `‘${text}’` : `'${text}'`);
}
