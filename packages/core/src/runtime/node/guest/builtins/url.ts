/**
 * node:url: the WHATWG URL classes (the globals), the legacy parse/format/resolve API from the
 * `url` package (a port of Node's own legacy parser) with Node's querystring for query objects,
 * and the file-URL and host helpers written after Node's lib/internal/url.js.
 */
import { toUnicode } from "punycode/";
import * as legacy from "url";
import { codedError, invalidArgType } from "../errors.ts";
import { createPath } from "./path.ts";
import { createQuerystring } from "./querystring.ts";

type Querystring = {
  parse: (text: string) => Record<string, unknown>;
  stringify: (value: unknown) => string;
};
type LegacyUrl = Record<string, unknown>;
const legacyApi = legacy as unknown as {
  parse: (text: string, query: boolean, slashes: boolean) => LegacyUrl;
  format: (value: unknown) => string;
  resolve: (from: string, to: string) => string;
  resolveObject: (from: unknown, to: string) => LegacyUrl;
  Url: new () => LegacyUrl;
};

function querystring(): Querystring {
  return createQuerystring() as Querystring;
}

let parseWarned = false;

/** Node's one-time DEP0169, skipped (as there) when the caller lives in node_modules. */
function warnParseDeprecated(): void {
  if (parseWarned) return;
  const caller = new Error().stack?.split("\n")[3] ?? "";
  if (caller.includes("/node_modules/")) return;
  parseWarned = true;
  process.emitWarning(
    "`url.parse()` behavior is not standardized and prone to errors that have security implications. Use the WHATWG URL API instead. CVEs are not issued for `url.parse()` vulnerabilities.",
    "DeprecationWarning",
    "DEP0169",
  );
}

function parse(text: unknown, parseQueryString?: boolean, slashesDenoteHost?: boolean) {
  if (typeof text === "object" && text !== null && text instanceof legacyApi.Url) return text;
  if (typeof text !== "string") throw invalidArgType("url", "of type string", text);
  warnParseDeprecated();
  const result = legacyApi.parse(text, false, Boolean(slashesDenoteHost));
  if (parseQueryString) {
    const query = result.query;
    result.query = querystring().parse(typeof query === "string" ? query : "");
  }
  return result;
}

function format(value: unknown, options?: Record<string, unknown>): string {
  if (typeof value === "string") return legacyApi.format(parse(value));
  if (typeof value !== "object" || value === null) {
    throw invalidArgType("urlObject", "one of type object or string", value);
  }
  if (value instanceof URL) return formatWhatwg(value, options ?? {});
  const object = value as LegacyUrl;
  // The package would stringify a query object with `qs`; Node uses querystring.
  if (!object.search && object.query && typeof object.query === "object") {
    const query = querystring().stringify(object.query);
    return legacyApi.format({ ...object, query: undefined, search: query ? `?${query}` : "" });
  }
  return legacyApi.format(value);
}

function formatWhatwg(url: URL, options: Record<string, unknown>): string {
  const auth = options.auth ?? true;
  const fragment = options.fragment ?? true;
  const search = options.search ?? true;
  const unicode = options.unicode ?? false;
  let out = `${url.protocol}`;
  if (url.host || url.protocol === "file:") out += "//";
  if (auth && (url.username || url.password)) {
    out += url.username;
    if (url.password) out += `:${url.password}`;
    out += "@";
  }
  out += unicode ? domainToUnicode(url.hostname) : url.hostname;
  if (url.port) out += `:${url.port}`;
  out += url.pathname;
  if (search) out += url.search;
  if (fragment) out += url.hash;
  return out;
}

function fileURLToPath(input: unknown): string {
  let url: URL;
  if (typeof input === "string") url = new URL(input);
  else if (input instanceof URL) url = input;
  else throw invalidArgType("path", "of type string or an instance of URL", input);
  if (url.protocol !== "file:") {
    throw codedError(TypeError, "ERR_INVALID_URL_SCHEME", "The URL must be of scheme file");
  }
  if (url.hostname !== "") {
    throw codedError(
      TypeError,
      "ERR_INVALID_FILE_URL_HOST",
      'File URL host must be "localhost" or empty on linux',
    );
  }
  const pathname = url.pathname;
  if (/%2f/i.test(pathname)) {
    throw codedError(
      TypeError,
      "ERR_INVALID_FILE_URL_PATH",
      "File URL path must not include encoded / characters",
    );
  }
  return decodeURIComponent(pathname);
}

function pathToFileURL(path: unknown): URL {
  if (typeof path !== "string") throw invalidArgType("path", "of type string", path);
  const posix = (createPath() as { posix: { resolve: (...p: string[]) => string } }).posix;
  let resolved = posix.resolve(path);
  if (path.endsWith("/") && !resolved.endsWith("/")) resolved += "/";
  // Characters the pathname setter would keep but a file path must not carry literally.
  const encoded = resolved
    .replace(/%/g, "%25")
    .replace(/\\/g, "%5C")
    .replace(/\n/g, "%0A")
    .replace(/\r/g, "%0D")
    .replace(/\t/g, "%09");
  const url = new URL("file://");
  url.pathname = encoded.replace(/\?/g, "%3F").replace(/#/g, "%23");
  return url;
}

function urlToHttpOptions(url: URL): Record<string, unknown> {
  const { hostname, pathname, port, username, password, search } = url;
  const options: Record<string, unknown> = {
    __proto__: null,
    ...url,
    protocol: url.protocol,
    hostname: hostname.startsWith("[") ? hostname.slice(1, -1) : hostname,
    hash: url.hash,
    search,
    pathname,
    path: `${pathname || ""}${search || ""}`,
    href: url.href,
  };
  if (port !== "") options.port = Number(port);
  if (username || password) {
    options.auth = `${decodeURIComponent(username)}:${decodeURIComponent(password)}`;
  }
  return options;
}

function domainToASCII(...args: [domain?: unknown]): string {
  const [domain] = args;
  if (args.length < 1) {
    throw codedError(TypeError, "ERR_MISSING_ARGS", 'The "domain" argument must be specified');
  }
  try {
    return new URL(`ws://${String(domain)}`).hostname;
  } catch {
    return "";
  }
}

function domainToUnicode(...args: [domain?: unknown]): string {
  const [domain] = args;
  if (args.length < 1) {
    throw codedError(TypeError, "ERR_MISSING_ARGS", 'The "domain" argument must be specified');
  }
  const ascii = domainToASCII(domain);
  return ascii === "" ? "" : toUnicode(ascii);
}

export function createUrl(): unknown {
  return {
    Url: legacyApi.Url,
    parse,
    resolve: (from: string, to: string) => legacyApi.resolve(from, to),
    resolveObject: (from: unknown, to: string) => legacyApi.resolveObject(from, to),
    format,
    URL,
    URLSearchParams,
    domainToASCII,
    domainToUnicode,
    pathToFileURL,
    fileURLToPath,
    urlToHttpOptions,
  };
}
