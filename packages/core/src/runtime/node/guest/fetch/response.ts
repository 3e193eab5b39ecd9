/** The WHATWG Response: status checks, static json/error/redirect, body readers, clone. */
import { type Body, extractBody, readBody } from "./body.ts";
import { Headers } from "./headers.ts";

const NULL_BODY_STATUS = new Set([101, 103, 204, 205, 304]);
const REDIRECT_STATUS = new Set([301, 302, 303, 307, 308]);

export interface ResponseInit {
  status?: number;
  statusText?: string;
  headers?: ConstructorParameters<typeof Headers>[0];
}

/** What fetch fills in that a constructed Response cannot set. */
export interface ResponseInternals {
  url?: string;
  redirected?: boolean;
  type?: ResponseType;
  body?: Body | null;
  immutable?: boolean;
}

type ResponseType = "basic" | "cors" | "default" | "error" | "opaque" | "opaqueredirect";

export class Response {
  #status: number;
  #statusText: string;
  #headers: Headers;
  #body: Body | null;
  #url = "";
  #redirected = false;
  #type: ResponseType = "default";

  constructor(body: unknown = null, init: ResponseInit = {}, internals?: ResponseInternals) {
    const status = init.status ?? 200;
    if (!Number.isInteger(status) || status < 200 || status > 599) {
      if (!internals)
        throw new RangeError('init["status"] must be in the range of 200 to 599, inclusive.');
    }
    const statusText = init.statusText ?? "";
    if (/[^\t\x20-\x7e\x80-\xff]/.test(statusText)) throw new TypeError("Invalid statusText");
    this.#status = status;
    this.#statusText = statusText;
    this.#headers = new Headers(init.headers);
    this.#body = null;
    if (internals) {
      this.#body = internals.body ?? null;
      this.#url = internals.url ?? "";
      this.#redirected = internals.redirected ?? false;
      this.#type = internals.type ?? "default";
      if (internals.immutable) Headers.setGuard(this.#headers, "immutable");
      return;
    }
    if (body !== null && body !== undefined) {
      if (NULL_BODY_STATUS.has(status))
        throw new TypeError(`Response constructor: Invalid response status code ${status}`);
      const extracted = extractBody(body);
      this.#body = extracted.body;
      if (extracted.type && !this.#headers.has("content-type"))
        this.#headers.set("content-type", extracted.type);
    }
  }

  static json(data: unknown, init: ResponseInit = {}): Response {
    const text = JSON.stringify(data);
    if (text === undefined) throw new TypeError("Value is not JSON serializable");
    const response = new Response(text, init);
    response.#headers.set("content-type", "application/json");
    return response;
  }

  static error(): Response {
    const response = new Response(null, { status: 0 }, { type: "error", immutable: true });
    return response;
  }

  static redirect(url: string | URL, status = 302): Response {
    let parsed: URL;
    try {
      parsed = new URL(String(url));
    } catch (cause) {
      throw new TypeError(`Failed to parse URL from ${String(url)}`, { cause });
    }
    if (!REDIRECT_STATUS.has(status)) throw new RangeError(`Invalid status code ${status}`);
    const response = new Response(null, { status });
    response.#headers.set("location", parsed.href);
    Headers.setGuard(response.#headers, "immutable");
    return response;
  }

  get status(): number {
    return this.#status;
  }

  get statusText(): string {
    return this.#statusText;
  }

  get ok(): boolean {
    return this.#status >= 200 && this.#status <= 299;
  }

  get headers(): Headers {
    return this.#headers;
  }

  get url(): string {
    return this.#url;
  }

  get redirected(): boolean {
    return this.#redirected;
  }

  get type(): ResponseType {
    return this.#type;
  }

  get body(): ReadableStream<Uint8Array> | null {
    return this.#body?.stream ?? null;
  }

  get bodyUsed(): boolean {
    return this.#body?.used ?? false;
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

  clone(): Response {
    if (this.bodyUsed) throw new TypeError("Response.clone: Body has already been consumed.");
    const copy = new Response(
      null,
      { status: this.#status, statusText: this.#statusText, headers: this.#headers },
      {
        url: this.#url,
        redirected: this.#redirected,
        type: this.#type,
        body: this.#body ? this.#body.clone() : null,
      },
    );
    return copy;
  }

  get [Symbol.toStringTag](): string {
    return "Response";
  }
}
