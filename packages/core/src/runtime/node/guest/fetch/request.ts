/** The WHATWG Request: URL and method checks with undici's messages, body rules, clone. */
import { Body, extractBody, readBody } from "./body.ts";
import { Headers } from "./headers.ts";

const NORMALIZED_METHODS = new Set(["DELETE", "GET", "HEAD", "OPTIONS", "POST", "PUT", "PATCH"]);
const FORBIDDEN_METHODS = new Set(["CONNECT", "TRACE", "TRACK"]);
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

export interface RequestInit {
  method?: string;
  headers?: ConstructorParameters<typeof Headers>[0];
  body?: unknown;
  redirect?: "follow" | "error" | "manual";
  signal?: AbortSignal | null;
  duplex?: "half";
  cache?: string;
  credentials?: string;
  mode?: string;
  referrer?: string;
  referrerPolicy?: string;
  integrity?: string;
  keepalive?: boolean;
  window?: null;
}

export class Request {
  #url: string;
  #method: string;
  #headers: Headers;
  #body: Body | null = null;
  #redirect: "follow" | "error" | "manual";
  #signal: AbortSignal;
  #duplex: "half" | undefined;
  #init: RequestInit;

  constructor(input: unknown, init: RequestInit = {}) {
    const base = input instanceof Request ? input : undefined;
    if (base) this.#url = base.url;
    else {
      try {
        this.#url = new URL(String(input)).href;
      } catch (cause) {
        throw new TypeError(`Failed to parse URL from ${String(input)}`, { cause });
      }
      const parsed = new URL(this.#url);
      if (parsed.username || parsed.password)
        throw new TypeError(
          `Request cannot be constructed from a URL that includes credentials: ${String(input)}`,
        );
    }
    let method = init.method ?? base?.method ?? "GET";
    if (!TOKEN.test(method)) throw new TypeError(`'${method}' is not a valid HTTP method.`);
    const upper = method.toUpperCase();
    if (FORBIDDEN_METHODS.has(upper))
      throw new TypeError(`'${method}' HTTP method is unsupported.`);
    if (NORMALIZED_METHODS.has(upper)) method = upper;
    this.#method = method;
    this.#headers = new Headers(init.headers ?? base?.headers);
    this.#redirect = init.redirect ?? base?.redirect ?? "follow";
    const Controller = (globalThis as { AbortController: typeof AbortController }).AbortController;
    const controller = new Controller();
    const parent = init.signal !== undefined ? init.signal : base?.signal;
    if (parent) {
      if (parent.aborted) controller.abort(parent.reason);
      else parent.addEventListener("abort", () => controller.abort(parent.reason), { once: true });
    }
    this.#signal = controller.signal;
    this.#init = init;
    const bodyInit = init.body;
    if (bodyInit !== undefined && bodyInit !== null) {
      if (method === "GET" || method === "HEAD")
        throw new TypeError("Request with GET/HEAD method cannot have body.");
      const extracted = extractBody(bodyInit);
      if (
        extracted.length === null &&
        !(extracted.type ?? "").startsWith("multipart/") &&
        init.duplex !== "half"
      )
        throw new TypeError("RequestInit: duplex option is required when sending a body.");
      this.#duplex = init.duplex;
      this.#body = extracted.body;
      if (extracted.type && !this.#headers.has("content-type"))
        this.#headers.set("content-type", extracted.type);
    } else if (base !== undefined && base.#body !== null) {
      const inherited = base.#body;
      if (base.bodyUsed)
        throw new TypeError(
          "Cannot construct a Request with a Request object that has already been used.",
        );
      // The body moves to the new request; the old one counts as read.
      const bytes = inherited.knownBytes;
      this.#body = bytes !== null ? new Body(bytes) : new Body(inherited.stream);
      inherited.markUsed();
    }
  }

  get url(): string {
    return this.#url;
  }

  get method(): string {
    return this.#method;
  }

  get headers(): Headers {
    return this.#headers;
  }

  get redirect(): "follow" | "error" | "manual" {
    return this.#redirect;
  }

  get signal(): AbortSignal {
    return this.#signal;
  }

  get duplex(): "half" | undefined {
    return this.#duplex;
  }

  get body(): ReadableStream<Uint8Array> | null {
    return this.#body?.stream ?? null;
  }

  get bodyUsed(): boolean {
    return this.#body?.used ?? false;
  }

  get cache(): string {
    return this.#init.cache ?? "default";
  }

  get credentials(): string {
    return this.#init.credentials ?? "same-origin";
  }

  get mode(): string {
    return this.#init.mode ?? "cors";
  }

  get referrer(): string {
    return "about:client";
  }

  get referrerPolicy(): string {
    return this.#init.referrerPolicy ?? "";
  }

  get integrity(): string {
    return this.#init.integrity ?? "";
  }

  get keepalive(): boolean {
    return Boolean(this.#init.keepalive);
  }

  get destination(): string {
    return "";
  }

  /** The body object (for fetch, which sends it). */
  static bodyOf(request: Request): Body | null {
    return request.#body;
  }

  #read(as: Parameters<typeof readBody>[1]): Promise<never> {
    return readBody(this.#body, as, this.#headers.get("content-type") ?? "") as Promise<never>;
  }

  text(): Promise<string> {
    return this.#read("text");
  }

  json(): Promise<unknown> {
    return this.#read("json");
  }

  arrayBuffer(): Promise<ArrayBuffer> {
    return this.#read("arrayBuffer");
  }

  bytes(): Promise<Uint8Array> {
    return this.#read("bytes");
  }

  blob(): Promise<Blob> {
    return this.#read("blob");
  }

  formData(): Promise<unknown> {
    return this.#read("formData");
  }

  clone(): Request {
    if (this.bodyUsed) throw new TypeError("Request.clone: Body has already been consumed.");
    const body = this.#body;
    this.#body = null;
    const copy = new Request(this, { signal: this.#signal });
    this.#body = body;
    copy.#body = body ? body.clone() : null;
    return copy;
  }

  get [Symbol.toStringTag](): string {
    return "Request";
  }
}
