/**
 * curl [options] URL...: HTTP and HTTPS transfers through the VM's network (its loopback, and
 * the egress policy for everything else). Options: -s -S -f --fail-with-body -o -O -L
 * --max-redirs -X -H -d --data-raw --data-binary --data-urlencode -G -i -I -w -m --max-time
 * --connect-timeout -k -A -e -u -v --compressed --url. Exit codes and messages are curl
 * 7.88's (6 resolve, 7 connect, 22 -f on >= 400, 28 timeout, ...). Real curl options this
 * one lacks fail with "not supported in agentOS" (exit 2).
 */
import { Buffer } from "node:buffer";
import type { IncomingMessage } from "node:http";
import { createBrotliDecompress, createGunzip, createInflate } from "node:zlib";
import { O_CREAT, O_TRUNC, O_WRONLY } from "../fs/types.ts";
import type { CommandDefinition } from "../kernel/command-registry.ts";
import { ProcessTerminated } from "../kernel/process.ts";
import type { ProcessContext } from "../kernel/process-context.ts";
import { defaultPort, GuestHttpError, guestHttpRequest, urlHost } from "../net/guest-http.ts";

const VERSION = "8.5.0";
const USER_AGENT = `curl/${VERSION}`;
const MORE_HELP = "curl: try 'curl --help' or 'curl --manual' for more information\n";

interface CurlOptions {
  silent: boolean;
  showError: boolean;
  fail: boolean;
  failWithBody: boolean;
  outputs: string[];
  remoteNames: number;
  location: boolean;
  maxRedirs: number;
  method: string | undefined;
  headers: string[];
  data: Array<{ kind: "ascii" | "raw" | "binary" | "urlencode"; value: string }>;
  get: boolean;
  include: boolean;
  head: boolean;
  writeOut: string | undefined;
  maxTime: number | undefined;
  connectTimeout: number | undefined;
  insecure: boolean;
  userAgent: string | undefined;
  referer: string | undefined;
  user: string | undefined;
  verbose: boolean;
  compressed: boolean;
  urls: string[];
}

/** Options taking a value: short letter → long name. */
const SHORT_WITH_VALUE: Record<string, string> = {
  o: "output",
  X: "request",
  H: "header",
  d: "data",
  w: "write-out",
  m: "max-time",
  A: "user-agent",
  e: "referer",
  u: "user",
};
const SHORT_FLAGS: Record<string, string> = {
  s: "silent",
  S: "show-error",
  f: "fail",
  O: "remote-name",
  L: "location",
  G: "get",
  i: "include",
  I: "head",
  k: "insecure",
  v: "verbose",
};
const LONG_WITH_VALUE = new Set([
  "output",
  "request",
  "header",
  "data",
  "data-ascii",
  "data-raw",
  "data-binary",
  "data-urlencode",
  "write-out",
  "max-time",
  "connect-timeout",
  "user-agent",
  "referer",
  "user",
  "max-redirs",
  "url",
]);
const LONG_FLAGS = new Set([
  "silent",
  "show-error",
  "fail",
  "fail-with-body",
  "remote-name",
  "location",
  "get",
  "include",
  "head",
  "insecure",
  "verbose",
  "compressed",
  "no-progress-meter",
  "help",
  "version",
]);
/** Real curl options this implementation does not have (a clear error, not "unknown"). */
const UNSUPPORTED = new Set([
  "F",
  "form",
  "T",
  "upload-file",
  "b",
  "cookie",
  "c",
  "cookie-jar",
  "x",
  "proxy",
  "C",
  "continue-at",
  "r",
  "range",
  "retry",
  "resolve",
  "cacert",
  "cert",
  "key",
  "http2",
  "http3",
  "Z",
  "parallel",
  "K",
  "config",
  "4",
  "ipv4",
  "6",
  "ipv6",
  "unix-socket",
  "json",
  "D",
  "dump-header",
  "#",
  "progress-bar",
  "n",
  "netrc",
]);

class UsageError extends Error {}

function parseArgs(args: string[]): CurlOptions {
  const o: CurlOptions = {
    silent: false,
    showError: false,
    fail: false,
    failWithBody: false,
    outputs: [],
    remoteNames: 0,
    location: false,
    maxRedirs: 50,
    method: undefined,
    headers: [],
    data: [],
    get: false,
    include: false,
    head: false,
    writeOut: undefined,
    maxTime: undefined,
    connectTimeout: undefined,
    insecure: false,
    userAgent: undefined,
    referer: undefined,
    user: undefined,
    verbose: false,
    compressed: false,
    urls: [],
  };
  const seconds = (name: string, value: string): number => {
    const n = Number(value);
    if (!/^\d*\.?\d+$/.test(value) || !Number.isFinite(n))
      throw new UsageError(`curl: option --${name}: expected a proper numerical parameter\n`);
    return n;
  };
  const apply = (name: string, value: string | undefined, display: string): void => {
    switch (name) {
      case "silent":
        o.silent = true;
        return;
      case "no-progress-meter":
        return;
      case "show-error":
        o.showError = true;
        return;
      case "fail":
        o.fail = true;
        return;
      case "fail-with-body":
        o.failWithBody = true;
        return;
      case "remote-name":
        o.remoteNames++;
        return;
      case "location":
        o.location = true;
        return;
      case "get":
        o.get = true;
        return;
      case "include":
        o.include = true;
        return;
      case "head":
        o.head = true;
        return;
      case "insecure":
        o.insecure = true;
        return;
      case "verbose":
        o.verbose = true;
        return;
      case "compressed":
        o.compressed = true;
        return;
      case "output":
        o.outputs.push(value!);
        return;
      case "request":
        o.method = value!;
        return;
      case "header":
        o.headers.push(value!);
        return;
      case "data":
      case "data-ascii":
        o.data.push({ kind: "ascii", value: value! });
        return;
      case "data-raw":
        o.data.push({ kind: "raw", value: value! });
        return;
      case "data-binary":
        o.data.push({ kind: "binary", value: value! });
        return;
      case "data-urlencode":
        o.data.push({ kind: "urlencode", value: value! });
        return;
      case "write-out":
        o.writeOut = value!;
        return;
      case "max-time":
        o.maxTime = seconds(name, value!);
        return;
      case "connect-timeout":
        o.connectTimeout = seconds(name, value!);
        return;
      case "user-agent":
        o.userAgent = value!;
        return;
      case "referer":
        o.referer = value!;
        return;
      case "user":
        o.user = value!;
        return;
      case "max-redirs": {
        const n = Number(value);
        if (!/^-?\d+$/.test(value!))
          throw new UsageError(`curl: option ${display}: expected a proper numerical parameter\n`);
        o.maxRedirs = n;
        return;
      }
      case "url":
        o.urls.push(value!);
        return;
    }
  };
  let endOfOptions = false;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (endOfOptions || !arg.startsWith("-") || arg === "-") {
      o.urls.push(arg);
      continue;
    }
    if (arg === "--") {
      endOfOptions = true;
      continue;
    }
    if (arg.startsWith("--")) {
      const name = arg.slice(2);
      if (UNSUPPORTED.has(name))
        throw new UsageError(`curl: option ${arg}: is not supported in agentOS\n`);
      if (LONG_FLAGS.has(name)) {
        if (name === "help" || name === "version") throw new HelpRequest(name);
        apply(name, undefined, arg);
      } else if (LONG_WITH_VALUE.has(name)) {
        if (i + 1 >= args.length)
          throw new UsageError(`curl: option ${arg}: requires parameter\n${MORE_HELP}`);
        apply(name, args[++i], arg);
      } else throw new UsageError(`curl: option ${arg}: is unknown\n${MORE_HELP}`);
      continue;
    }
    for (let j = 1; j < arg.length; j++) {
      const letter = arg[j];
      if (UNSUPPORTED.has(letter))
        throw new UsageError(`curl: option -${letter}: is not supported in agentOS\n`);
      if (letter in SHORT_FLAGS) {
        apply(SHORT_FLAGS[letter], undefined, `-${letter}`);
        continue;
      }
      if (letter === "h") throw new HelpRequest("help");
      if (letter === "V") throw new HelpRequest("version");
      if (letter in SHORT_WITH_VALUE) {
        let value = arg.slice(j + 1);
        if (value === "") {
          if (i + 1 >= args.length)
            throw new UsageError(`curl: option -${letter}: requires parameter\n${MORE_HELP}`);
          value = args[++i];
        }
        apply(SHORT_WITH_VALUE[letter], value, `-${letter}`);
        break;
      }
      throw new UsageError(`curl: option -${letter}: is unknown\n${MORE_HELP}`);
    }
  }
  return o;
}

class HelpRequest extends Error {
  readonly what: string;
  constructor(what: string) {
    super(what);
    this.what = what;
  }
}

const HELP = `Usage: curl [options...] <url>
 -d, --data <data>          HTTP POST data
     --data-binary <data>   HTTP POST binary data
     --data-raw <data>      HTTP POST data, '@' allowed
     --data-urlencode <data> HTTP POST data url encoded
 -f, --fail                 Fail fast with no output on HTTP errors
     --fail-with-body       Fail on HTTP errors but save the body
 -G, --get                  Put the post data in the URL and use GET
 -H, --header <header>      Pass custom header(s) to server
 -I, --head                 Show document info only
 -i, --include              Include protocol response headers in the output
 -k, --insecure             Allow insecure server connections
 -L, --location             Follow redirects
 -m, --max-time <seconds>   Maximum time allowed for transfer
 -o, --output <file>        Write to file instead of stdout
 -O, --remote-name          Write output to a file named as the remote file
 -s, --silent               Silent mode
 -S, --show-error           Show error even when -s is used
 -u, --user <user:password> Server user and password
 -A, --user-agent <name>    Send User-Agent <name> to server
 -v, --verbose              Make the operation more talkative
 -w, --write-out <format>   Use output FORMAT after completion
 -X, --request <method>     Specify request method to use
`;

/** What one transfer learned, for -w and the exit status. */
interface TransferStats {
  code: number;
  httpVersion: string;
  contentType: string;
  urlEffective: string;
  redirectUrl: string;
  numRedirects: number;
  sizeDownload: number;
  sizeHeader: number;
  sizeUpload: number;
  remoteIp: string;
  remotePort: number;
  localIp: string;
  localPort: number;
  method: string;
  scheme: string;
  headers: IncomingMessage["headers"];
  timeTotal: number;
  timeConnect: number;
  timeStartTransfer: number;
  exitCode: number;
  errorMessage: string;
}

class CurlFailure extends Error {
  readonly exitCode: number;
  constructor(exitCode: number, message: string) {
    super(message);
    this.exitCode = exitCode;
  }
}

export const curl: CommandDefinition = {
  name: "curl",
  async main(ctx) {
    let options: CurlOptions;
    try {
      options = parseArgs(ctx.argv.slice(1));
    } catch (err) {
      if (err instanceof HelpRequest) {
        await ctx.out(
          err.what === "help"
            ? HELP
            : `curl ${VERSION} (agentOS) node:http\nProtocols: http https\nFeatures: HTTPS-proxy IPv6 Largefile libz SSL\n`,
        );
        return 0;
      }
      if (err instanceof UsageError) {
        await ctx.err(err.message);
        return 2;
      }
      throw err;
    }
    if (options.urls.length === 0) {
      await ctx.err(MORE_HELP);
      return 2;
    }
    let status = 0;
    let outputIndex = 0;
    let remoteNames = options.remoteNames;
    for (const rawUrl of options.urls) {
      let output: { kind: "stdout" } | { kind: "file"; path: string } | { kind: "remote" } = {
        kind: "stdout",
      };
      if (outputIndex < options.outputs.length) {
        const path = options.outputs[outputIndex++];
        output = path === "-" ? { kind: "stdout" } : { kind: "file", path };
      } else if (remoteNames > 0) {
        remoteNames--;
        output = { kind: "remote" };
      }
      status = await transfer(ctx, options, rawUrl, output);
    }
    return status;
  },
};

async function transfer(
  ctx: ProcessContext,
  options: CurlOptions,
  rawUrl: string,
  output: { kind: "stdout" } | { kind: "file"; path: string } | { kind: "remote" },
): Promise<number> {
  const started = performance.now();
  const stats: TransferStats = {
    code: 0,
    httpVersion: "0",
    contentType: "",
    urlEffective: rawUrl,
    redirectUrl: "",
    numRedirects: 0,
    sizeDownload: 0,
    sizeHeader: 0,
    sizeUpload: 0,
    remoteIp: "",
    remotePort: 0,
    localIp: "",
    localPort: 0,
    method: "GET",
    scheme: "",
    headers: {},
    timeTotal: 0,
    timeConnect: 0,
    timeStartTransfer: 0,
    exitCode: 0,
    errorMessage: "",
  };
  const showErrors = !options.silent || options.showError;
  const meter = !options.silent && !options.verbose && (output.kind !== "stdout" || !ctx.isatty(1));
  if (meter) {
    await ctx.err(
      "  % Total    % Received % Xferd  Average Speed   Time    Time     Time  Current\n" +
        "                                 Dload  Upload   Total   Spent    Left  Speed\n" +
        progressLine(0, 0, 0, 0),
    );
  }
  const deadline = new AbortController();
  const timer =
    options.maxTime !== undefined && options.maxTime > 0
      ? setTimeout(() => deadline.abort(), options.maxTime * 1000)
      : undefined;
  let outFd: number | undefined;
  try {
    let url = parseUrl(rawUrl);
    stats.scheme = url.protocol.slice(0, -1).toUpperCase();
    let { method, body, headers } = await buildRequest(ctx, options);
    if (options.get && body) {
      url.search = url.search
        ? `${url.search}&${new TextDecoder().decode(body)}`
        : `?${new TextDecoder().decode(body)}`;
      body = undefined;
      method = options.method ?? (options.head ? "HEAD" : "GET");
      headers = headers.filter(([name]) => !/^content-(length|type)$/i.test(name));
    }
    for (;;) {
      stats.urlEffective = url.href;
      stats.method = method;
      if (options.verbose) await ctx.err(`*   Trying ${urlHost(url)}:${defaultPort(url)}...\n`);
      const connectDeadline =
        options.connectTimeout !== undefined && options.connectTimeout > 0
          ? AbortSignal.any([deadline.signal, AbortSignal.timeout(options.connectTimeout * 1000)])
          : deadline.signal;
      let exchange: Awaited<ReturnType<typeof guestHttpRequest>>;
      try {
        exchange = await guestHttpRequest(ctx.net, {
          url,
          method,
          headers: hostHeader(url, headers),
          body,
          insecure: options.insecure,
          signal: connectDeadline,
        });
      } catch (err) {
        throw mapFailure(
          err,
          url,
          started,
          deadline.signal.aborted || connectDeadline.aborted,
          stats,
        );
      }
      const { response, connection } = exchange;
      try {
        stats.timeConnect = (performance.now() - started) / 1000;
        stats.timeStartTransfer = stats.timeConnect;
        stats.remoteIp = connection.remoteAddress;
        stats.remotePort = connection.remotePort;
        stats.localIp = connection.localAddress;
        stats.localPort = connection.localPort;
        stats.sizeUpload += body?.length ?? 0;
        stats.code = response.statusCode ?? 0;
        stats.httpVersion =
          response.httpVersion === "1.0" ? "1" : response.httpVersion.replace(/\.0$/, "");
        stats.contentType = String(response.headers["content-type"] ?? "");
        stats.headers = response.headers;
        const head = headBlock(response);
        stats.sizeHeader += head.length;
        if (options.verbose) {
          await ctx.err(
            `* Connected to ${urlHost(url)} (${connection.remoteAddress}) port ${connection.remotePort}\n` +
              requestBlock(method, url, hostHeader(url, headers)) +
              head
                .split("\r\n")
                .slice(0, -1)
                .map((line) => `< ${line}\r\n`)
                .join(""),
          );
        }
        const location = response.headers.location;
        const redirect = stats.code >= 300 && stats.code < 400 && location !== undefined;
        if (redirect) stats.redirectUrl = new URL(location, url).href;
        const following = redirect && options.location;
        // Headers go out as they arrive (with -i, and -I), before curl judges the status.
        if (options.include || options.head) {
          outFd ??= await openOutput(ctx, output, url);
          await ctx.write(outFd, head);
        }
        if (following) {
          response.resume();
          exchange.close();
          if (stats.numRedirects >= options.maxRedirs)
            throw new CurlFailure(47, `Maximum (${options.maxRedirs}) redirects followed`);
          stats.numRedirects++;
          url = new URL(location!, url);
          if (url.protocol !== "http:" && url.protocol !== "https:")
            throw new CurlFailure(
              1,
              `Protocol "${url.protocol.slice(0, -1)}" not supported or disabled in libcurl`,
            );
          if (
            (stats.code === 301 || stats.code === 302 || stats.code === 303) &&
            method === "POST" &&
            !options.method
          ) {
            method = "GET";
            body = undefined;
            headers = headers.filter(([name]) => !/^content-(length|type)$/i.test(name));
          }
          if (stats.code === 303 && !options.method && method !== "HEAD") method = "GET";
          continue;
        }
        if (options.fail && stats.code >= 400) {
          response.resume();
          throw new CurlFailure(22, `The requested URL returned error: ${stats.code}`);
        }
        if (!options.head || method !== "HEAD") {
          const stream = decoded(response, options.compressed);
          for await (const chunk of stream) {
            outFd ??= await openOutput(ctx, output, url);
            stats.sizeDownload += (chunk as Buffer).length;
            await ctx.write(outFd, chunk as Buffer);
          }
        }
        if (options.failWithBody && stats.code >= 400)
          throw new CurlFailure(22, `The requested URL returned error: ${stats.code}`);
        break;
      } finally {
        exchange.close();
      }
    }
    if (outFd === undefined && output.kind !== "stdout") outFd = await openOutput(ctx, output, url);
  } catch (err) {
    const failure = asFailure(err, deadline.signal.aborted, started, stats);
    stats.exitCode = failure.exitCode;
    stats.errorMessage = failure.message;
  } finally {
    if (timer) clearTimeout(timer);
    if (outFd !== undefined && outFd > 2) ctx.close(outFd);
  }
  stats.timeTotal = (performance.now() - started) / 1000;
  if (meter) {
    await ctx.err(
      `\r${progressLine(stats.sizeDownload, stats.sizeUpload, stats.timeTotal, stats.exitCode === 0 ? 100 : 0)}\n`,
    );
  }
  if (options.writeOut !== undefined) await writeOut(ctx, options.writeOut, stats);
  if (stats.exitCode !== 0 && showErrors)
    await ctx.err(`curl: (${stats.exitCode}) ${stats.errorMessage}\n`);
  return stats.exitCode;
}

function parseUrl(raw: string): URL {
  const withScheme = /^[a-zA-Z][a-zA-Z0-9+.-]*:\/\//.test(raw) ? raw : `http://${raw}`;
  const scheme = withScheme.slice(0, withScheme.indexOf(":")).toLowerCase();
  if (scheme !== "http" && scheme !== "https")
    throw new CurlFailure(1, `Protocol "${scheme}" not supported or disabled in libcurl`);
  try {
    const url = new URL(withScheme);
    if (url.hostname === "") throw new Error("no host");
    return url;
  } catch {
    throw new CurlFailure(3, "URL using bad/illegal format or missing URL");
  }
}

async function buildRequest(
  ctx: ProcessContext,
  options: CurlOptions,
): Promise<{ method: string; body: Uint8Array | undefined; headers: Array<[string, string]> }> {
  let body: Uint8Array | undefined;
  if (options.data.length > 0) {
    const parts: Uint8Array[] = [];
    for (const item of options.data) parts.push(await dataPart(ctx, item, options));
    const joined: Uint8Array[] = [];
    parts.forEach((part, i) => {
      if (i > 0) joined.push(new Uint8Array([0x26]));
      joined.push(part);
    });
    body = Buffer.concat(joined);
  }
  const method = options.method ?? (options.head ? "HEAD" : body ? "POST" : "GET");
  const defaults: Array<[string, string]> = [
    ["User-Agent", options.userAgent ?? USER_AGENT],
    ["Accept", "*/*"],
  ];
  if (options.referer) defaults.push(["Referer", options.referer]);
  if (options.user !== undefined) {
    const credentials = options.user.includes(":") ? options.user : `${options.user}:`;
    defaults.unshift(["Authorization", `Basic ${Buffer.from(credentials).toString("base64")}`]);
  }
  if (options.compressed) defaults.push(["Accept-Encoding", "deflate, gzip, br"]);
  if (body) {
    defaults.push(["Content-Length", String(body.length)]);
    defaults.push(["Content-Type", "application/x-www-form-urlencoded"]);
  }
  return { method, body, headers: mergeHeaders(defaults, options.headers) };
}

/** -H semantics: "Name: value" replaces a default of that name, "Name:" removes it, "Name;" sends it empty. */
function mergeHeaders(
  defaults: Array<[string, string]>,
  custom: string[],
): Array<[string, string]> {
  const out = [...defaults];
  for (const line of custom) {
    const colon = line.indexOf(":");
    const semi = line.indexOf(";");
    if (colon < 0 && semi > 0 && line.slice(semi + 1).trim() === "") {
      const name = line.slice(0, semi).trim();
      removeHeader(out, name);
      out.push([name, ""]);
      continue;
    }
    if (colon <= 0) continue;
    const name = line.slice(0, colon).trim();
    const value = line.slice(colon + 1).trim();
    const existing = out.findIndex(([n]) => n.toLowerCase() === name.toLowerCase());
    if (value === "") {
      removeHeader(out, name);
    } else if (existing >= 0 && defaults.some(([n]) => n.toLowerCase() === name.toLowerCase())) {
      out[existing] = [name, value];
    } else out.push([name, value]);
  }
  return out;
}

function removeHeader(headers: Array<[string, string]>, name: string): void {
  for (let i = headers.length - 1; i >= 0; i--)
    if (headers[i][0].toLowerCase() === name.toLowerCase()) headers.splice(i, 1);
}

function hostHeader(url: URL, headers: Array<[string, string]>): Array<[string, string]> {
  if (headers.some(([n]) => n.toLowerCase() === "host")) return headers;
  return [["Host", url.host], ...headers];
}

async function dataPart(
  ctx: ProcessContext,
  item: CurlOptions["data"][number],
  options: CurlOptions,
): Promise<Uint8Array> {
  const encoder = new TextEncoder();
  if (item.kind === "urlencode") {
    // "content", "=content", "name=content", "@file", "name@file".
    const eq = item.value.indexOf("=");
    const at = item.value.indexOf("@");
    if (eq >= 0 && (at < 0 || eq < at)) {
      const name = item.value.slice(0, eq);
      const content = formEncode(item.value.slice(eq + 1));
      return encoder.encode(name ? `${name}=${content}` : content);
    }
    if (at >= 0) {
      const name = item.value.slice(0, at);
      const text = new TextDecoder().decode(await readData(ctx, item.value.slice(at + 1), options));
      return encoder.encode(name ? `${name}=${formEncode(text)}` : formEncode(text));
    }
    return encoder.encode(formEncode(item.value));
  }
  if (item.kind === "raw" || !item.value.startsWith("@")) return encoder.encode(item.value);
  const data = await readData(ctx, item.value.slice(1), options);
  if (item.kind === "binary") return data;
  // -d @file drops carriage returns and newlines, as curl does.
  return data.filter((b) => b !== 0x0a && b !== 0x0d);
}

async function readData(
  ctx: ProcessContext,
  path: string,
  options: CurlOptions,
): Promise<Uint8Array> {
  try {
    return path === "-" ? await ctx.readAll(0) : await ctx.readFile(path);
  } catch {
    if (!options.silent)
      await ctx.err(`Warning: Couldn't read data from file "${path}", this makes an empty POST.\n`);
    return new Uint8Array(0);
  }
}

async function openOutput(
  ctx: ProcessContext,
  output: { kind: "stdout" } | { kind: "file"; path: string } | { kind: "remote" },
  url: URL,
): Promise<number> {
  if (output.kind === "stdout") return 1;
  const path =
    output.kind === "file" ? output.path : url.pathname.slice(url.pathname.lastIndexOf("/") + 1);
  if (path === "") throw new CurlFailure(23, "Failed writing received data to disk/application");
  try {
    return await ctx.open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o666);
  } catch (err) {
    const reason = (err as { description?: string }).description ?? String(err);
    throw new CurlFailure(
      23,
      `Failure writing output to destination, passed 0 returned 4294967295 (${path}: ${reason})`,
    );
  }
}

function headBlock(response: IncomingMessage): string {
  let text =
    `HTTP/${response.httpVersion} ${response.statusCode} ${response.statusMessage ?? ""}`.trimEnd();
  text += "\r\n";
  for (let i = 0; i + 1 < response.rawHeaders.length; i += 2)
    text += `${response.rawHeaders[i]}: ${response.rawHeaders[i + 1]}\r\n`;
  return `${text}\r\n`;
}

function requestBlock(method: string, url: URL, headers: Array<[string, string]>): string {
  let text = `> ${method} ${url.pathname}${url.search} HTTP/1.1\r\n`;
  for (const [name, value] of headers) text += `> ${name}: ${value}\r\n`;
  return `${text}> \r\n`;
}

function decoded(response: IncomingMessage, compressed: boolean): AsyncIterable<unknown> {
  if (!compressed) return response;
  const encoding = String(response.headers["content-encoding"] ?? "").toLowerCase();
  const decoder =
    encoding === "gzip" || encoding === "x-gzip"
      ? createGunzip()
      : encoding === "deflate"
        ? createInflate()
        : encoding === "br"
          ? createBrotliDecompress()
          : undefined;
  return decoder ? response.pipe(decoder) : response;
}

/** curl's --data-urlencode escaping: everything but A-Z a-z 0-9 - . _ ~ as %XX, space as "+". */
function formEncode(text: string): string {
  let out = "";
  for (const byte of new TextEncoder().encode(text)) {
    const c = String.fromCharCode(byte);
    if (/[A-Za-z0-9._~-]/.test(c)) out += c;
    else if (byte === 0x20) out += "+";
    else out += `%${byte.toString(16).toUpperCase().padStart(2, "0")}`;
  }
  return out;
}

/** Turns an exchange failure into curl's exit code and message. */
function mapFailure(
  err: unknown,
  url: URL,
  started: number,
  timedOut: boolean,
  stats: TransferStats,
): CurlFailure {
  const host = urlHost(url);
  const port = defaultPort(url);
  const ms = Math.round(performance.now() - started);
  if (timedOut) {
    return stats.code === 0 && !(err instanceof GuestHttpError && err.stage === "exchange")
      ? new CurlFailure(
          28,
          `Failed to connect to ${host} port ${port} after ${ms} ms: Timeout was reached`,
        )
      : new CurlFailure(
          28,
          `Operation timed out after ${ms} milliseconds with ${stats.sizeDownload} bytes received`,
        );
  }
  if (!(err instanceof GuestHttpError)) return asFailure(err, false, started, stats);
  switch (err.stage) {
    case "resolve":
      return new CurlFailure(6, `Could not resolve host: ${host}`);
    case "connect": {
      const cause = err.cause as { code?: string; message?: string };
      const reason =
        cause?.code === "EACCES"
          ? (cause.message ?? "").replace(/^.* - /, "")
          : cause?.code === "ETIMEDOUT"
            ? "Timeout was reached"
            : "Couldn't connect to server";
      return new CurlFailure(
        cause?.code === "ETIMEDOUT" ? 28 : 7,
        `Failed to connect to ${host} port ${port} after ${ms} ms: ${reason}`,
      );
    }
    case "tls": {
      const code = err.code ?? "";
      if (/CERT|SELF_SIGNED|UNABLE_TO|HOSTNAME|ERR_TLS_CERT/.test(code))
        return new CurlFailure(60, `SSL certificate problem: ${err.message}`);
      return new CurlFailure(35, `OpenSSL SSL_connect: ${err.message}`);
    }
    default:
      if (err.code === "ECONNRESET" && /hang up/.test(err.message))
        return new CurlFailure(52, "Empty reply from server");
      return new CurlFailure(56, `Recv failure: ${err.message}`);
  }
}

function asFailure(
  err: unknown,
  timedOut: boolean,
  started: number,
  stats: TransferStats,
): CurlFailure {
  if (err instanceof CurlFailure) return err;
  if (timedOut) {
    const ms = Math.round(performance.now() - started);
    return new CurlFailure(
      28,
      `Operation timed out after ${ms} milliseconds with ${stats.sizeDownload} bytes received`,
    );
  }
  const code = (err as { code?: string })?.code;
  if (code === "EPIPE" || code === "EBADF")
    return new CurlFailure(23, "Failure writing output to destination");
  if (code === "Z_DATA_ERROR" || code === "ERR_ZLIB")
    return new CurlFailure(61, "Error while processing content unencoding");
  // A terminated process stops here; anything else is reported like curl's receive failure.
  if (err instanceof ProcessTerminated) throw err;
  return new CurlFailure(56, `Recv failure: ${(err as Error)?.message ?? String(err)}`);
}

/** One line of curl's progress meter. */
function progressLine(down: number, up: number, seconds: number, percent: number): string {
  const size = (n: number): string => {
    if (n < 100000) return String(n).padStart(5);
    if (n < 10000 * 1024) return `${Math.floor(n / 1024)}k`.padStart(5);
    if (n < 100 * 1024 * 1024) return `${(n / 1048576).toFixed(1)}M`.padStart(5);
    return `${Math.floor(n / 1048576)}M`.padStart(5);
  };
  const time = (s: number): string => {
    if (s < 1) return "--:--:--";
    const t = Math.floor(s);
    return `${Math.floor(t / 3600)}:${String(Math.floor(t / 60) % 60).padStart(2, "0")}:${String(t % 60).padStart(2, "0")}`.padStart(
      8,
    );
  };
  const speed = (n: number): string => size(seconds > 0 ? Math.round(n / seconds) : 0);
  const pct = (n: number): string => String(n).padStart(3);
  return (
    `${pct(percent)} ${size(down)}  ${pct(percent)} ${size(down)}  ${pct(up > 0 ? percent : 0)} ${size(up)}  ` +
    `${speed(down)}  ${speed(up)} --:--:-- ${time(seconds)} --:--:-- ${speed(down)}`
  );
}

/** -w: %{variable}, %header{name}, %{stderr}/%{stdout} switches, \n \r \t escapes, %%. */
async function writeOut(ctx: ProcessContext, format: string, stats: TransferStats): Promise<void> {
  if (format.startsWith("@")) {
    const path = format.slice(1);
    format = new TextDecoder().decode(
      path === "-" ? await ctx.readAll(0) : await ctx.readFile(path),
    );
  }
  let fd = 1;
  let text = "";
  const flush = async (): Promise<void> => {
    if (text) await ctx.write(fd, text);
    text = "";
  };
  const seconds = (s: number): string => s.toFixed(6);
  const values: Record<string, () => string> = {
    http_code: () => String(stats.code).padStart(3, "0"),
    response_code: () => String(stats.code).padStart(3, "0"),
    http_version: () => stats.httpVersion,
    content_type: () => stats.contentType,
    url_effective: () => stats.urlEffective,
    url: () => stats.urlEffective,
    redirect_url: () => stats.redirectUrl,
    num_redirects: () => String(stats.numRedirects),
    size_download: () => String(stats.sizeDownload),
    size_upload: () => String(stats.sizeUpload),
    size_header: () => String(stats.sizeHeader),
    remote_ip: () => stats.remoteIp,
    remote_port: () => (stats.remotePort ? String(stats.remotePort) : ""),
    local_ip: () => stats.localIp,
    local_port: () => (stats.localPort ? String(stats.localPort) : ""),
    method: () => stats.method,
    scheme: () => stats.scheme,
    exitcode: () => String(stats.exitCode),
    errormsg: () => stats.errorMessage,
    time_total: () => seconds(stats.timeTotal),
    time_connect: () => seconds(stats.timeConnect),
    time_namelookup: () => seconds(0),
    time_appconnect: () => seconds(0),
    time_pretransfer: () => seconds(stats.timeConnect),
    time_starttransfer: () => seconds(stats.timeStartTransfer),
    time_redirect: () => seconds(0),
    speed_download: () =>
      String(stats.timeTotal > 0 ? Math.round(stats.sizeDownload / stats.timeTotal) : 0),
    speed_upload: () =>
      String(stats.timeTotal > 0 ? Math.round(stats.sizeUpload / stats.timeTotal) : 0),
  };
  for (let i = 0; i < format.length; i++) {
    const c = format[i];
    if (c === "\\" && i + 1 < format.length) {
      const next = format[i + 1];
      const escaped = ({ n: "\n", r: "\r", t: "\t", "\\": "\\" } as Record<string, string>)[next];
      if (escaped !== undefined) {
        text += escaped;
        i++;
        continue;
      }
    }
    if (c === "%" && format[i + 1] === "%") {
      text += "%";
      i++;
      continue;
    }
    if (c === "%" && format.startsWith("{", i + 1)) {
      const end = format.indexOf("}", i);
      if (end > 0) {
        const name = format.slice(i + 2, end);
        i = end;
        if (name === "stderr" || name === "stdout") {
          await flush();
          fd = name === "stderr" ? 2 : 1;
        } else if (values[name]) text += values[name]();
        else {
          await flush();
          await ctx.err(`curl: unknown --write-out variable: '${name}'\n`);
        }
        continue;
      }
    }
    if (c === "%" && format.startsWith("header{", i + 1)) {
      const end = format.indexOf("}", i);
      if (end > 0) {
        const value = stats.headers[format.slice(i + 8, end).toLowerCase()];
        text += Array.isArray(value) ? value.join(", ") : (value ?? "");
        i = end;
        continue;
      }
    }
    text += c;
  }
  await flush();
}
