/**
 * The WHATWG Headers class as Node's (undici's) behaves: names compared case-insensitively and
 * listed lower-case in sorted order, repeated values combined with ", " except Set-Cookie, the
 * same TypeError messages, and a guard that makes a fetched response's headers immutable.
 */

const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
const INVALID_VALUE = /[\0\r\n]/;

type HeadersInit =
  | Headers
  | Array<[string, string]>
  | Record<string, string>
  | Iterable<[string, string]>;

export type HeadersGuard = "none" | "immutable" | "request-no-cors";

export class Headers {
  /** lower-case name → the name as first given, and its values in order. */
  readonly #entries = new Map<string, { name: string; values: string[] }>();
  #guard: HeadersGuard = "none";

  constructor(init?: HeadersInit) {
    if (init === undefined || init === null) return;
    if (typeof init !== "object")
      throw new TypeError(
        "Headers constructor: The provided value is not of type '(record<ByteString, ByteString> or sequence<sequence<ByteString>>)'.",
      );
    if (init instanceof Headers) {
      for (const [name, value] of init.#pairs()) this.append(name, value);
      return;
    }
    if (typeof (init as Iterable<unknown>)[Symbol.iterator] === "function") {
      for (const pair of init as Iterable<unknown>) {
        const list = [...(pair as Iterable<string>)];
        if (list.length !== 2)
          throw new TypeError(
            "Headers constructor: expected name/value pair to be length 2, found " +
              list.length +
              ".",
          );
        this.append(list[0], list[1]);
      }
      return;
    }
    for (const [name, value] of Object.entries(init as Record<string, string>))
      this.append(name, value);
  }

  /** Sets the guard (fetch marks response headers immutable). */
  static setGuard(headers: Headers, guard: HeadersGuard): void {
    headers.#guard = guard;
  }

  /** Name/value pairs with the names as first given, for the wire. */
  static raw(headers: Headers): Array<[string, string]> {
    return headers.#pairs();
  }

  #pairs(): Array<[string, string]> {
    const out: Array<[string, string]> = [];
    for (const { name, values } of this.#entries.values())
      for (const value of values) out.push([name, value]);
    return out;
  }

  #check(method: string, name: unknown, value?: unknown): [string, string] {
    const text = String(name);
    if (!TOKEN.test(text))
      throw new TypeError(`Headers.${method}: "${text}" is an invalid header name.`);
    const normalized =
      value === undefined ? "" : String(value).replace(/^[\t\n\r ]+|[\t\n\r ]+$/g, "");
    if (value !== undefined && INVALID_VALUE.test(normalized))
      throw new TypeError(`Headers.${method}: "${String(value)}" is an invalid header value.`);
    if (this.#guard === "immutable" && method !== "get" && method !== "has")
      throw new TypeError("immutable");
    return [text, normalized];
  }

  append(name: string, value: string): void {
    const [text, normalized] = this.#check("append", name, value);
    const key = text.toLowerCase();
    const entry = this.#entries.get(key);
    if (entry) entry.values.push(normalized);
    else this.#entries.set(key, { name: text, values: [normalized] });
  }

  set(name: string, value: string): void {
    const [text, normalized] = this.#check("set", name, value);
    const key = text.toLowerCase();
    const entry = this.#entries.get(key);
    if (entry) entry.values = [normalized];
    else this.#entries.set(key, { name: text, values: [normalized] });
  }

  delete(name: string): void {
    const [text] = this.#check("delete", name);
    this.#entries.delete(text.toLowerCase());
  }

  get(name: string): string | null {
    const [text] = this.#check("get", name);
    const entry = this.#entries.get(text.toLowerCase());
    if (!entry) return null;
    return entry.values.join(", ");
  }

  has(name: string): boolean {
    const [text] = this.#check("has", name);
    return this.#entries.has(text.toLowerCase());
  }

  getSetCookie(): string[] {
    return [...(this.#entries.get("set-cookie")?.values ?? [])];
  }

  *entries(): IterableIterator<[string, string]> {
    const names = [...this.#entries.keys()].sort();
    for (const key of names) {
      const entry = this.#entries.get(key);
      if (!entry) continue;
      if (key === "set-cookie") for (const value of entry.values) yield [key, value];
      else yield [key, entry.values.join(", ")];
    }
  }

  *keys(): IterableIterator<string> {
    for (const [name] of this.entries()) yield name;
  }

  *values(): IterableIterator<string> {
    for (const [, value] of this.entries()) yield value;
  }

  forEach(
    callback: (value: string, name: string, headers: Headers) => void,
    thisArg?: unknown,
  ): void {
    for (const [name, value] of this.entries()) callback.call(thisArg, value, name, this);
  }

  [Symbol.iterator](): IterableIterator<[string, string]> {
    return this.entries();
  }

  get [Symbol.toStringTag](): string {
    return "Headers";
  }

  [Symbol.for("nodejs.util.inspect.custom")](): object {
    return Object.assign(
      Object.create({ constructor: Headers }),
      Object.fromEntries(this.entries()),
    );
  }
}
