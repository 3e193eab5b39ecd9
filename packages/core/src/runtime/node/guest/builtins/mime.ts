/**
 * util.MIMEType and util.MIMEParams: the WHATWG MIME type parser Node implements (type and
 * subtype as HTTP tokens, lower-cased; parameters with quoted values; first duplicate wins).
 */
import { codedError } from "../errors.ts";

const NOT_TOKEN = /[^!#$%&'*+\-.^_`|~A-Za-z0-9]/;
const NOT_QUOTED_STRING = /[^\t\u0020-~\u0080-\u00FF]/;
const WHITESPACE = /[\r\n\t ]/;

function syntaxError(what: string, input: string, index: number): TypeError {
  const at = index === -1 ? "" : ` at ${index}`;
  return codedError(
    TypeError,
    "ERR_INVALID_MIME_SYNTAX",
    `The MIME syntax for a ${what} in "${input}" is invalid${at}`,
  );
}

const asciiLower = (text: string) => text.replace(/[A-Z]/g, (c) => c.toLowerCase());
const trimHttpWhitespace = (text: string) => text.replace(/^[\r\n\t ]+|[\r\n\t ]+$/g, "");

function quoteIfNeeded(value: string): string {
  if (value.length === 0) return '""';
  if (!NOT_TOKEN.test(value)) return value;
  return `"${value.replace(/["\\]/g, "\\$&")}"`;
}

export class MIMEParams {
  #data = new Map<string, string>();

  delete(name: string): void {
    this.#data.delete(name);
  }
  get(name: string): string | null {
    return this.#data.get(name) ?? null;
  }
  has(name: string): boolean {
    return this.#data.has(name);
  }
  set(nameIn: unknown, valueIn: unknown): void {
    const name = `${nameIn}`;
    const value = `${valueIn}`;
    const badName = name.search(NOT_TOKEN);
    if (name.length === 0 || badName !== -1) throw syntaxError("parameter name", name, badName);
    const badValue = value.search(NOT_QUOTED_STRING);
    if (badValue !== -1) throw syntaxError("parameter value", value, badValue);
    this.#data.set(name, value);
  }
  entries(): MapIterator<[string, string]> {
    return this.#data.entries();
  }
  keys(): MapIterator<string> {
    return this.#data.keys();
  }
  values(): MapIterator<string> {
    return this.#data.values();
  }
  [Symbol.iterator](): MapIterator<[string, string]> {
    return this.#data.entries();
  }
  toString(): string {
    return [...this.#data].map(([key, value]) => `${key}=${quoteIfNeeded(value)}`).join(";");
  }
  toJSON(): string {
    return this.toString();
  }

  /** Parses the text after `type/subtype;` into these parameters. */
  static parseInto(params: MIMEParams, text: string): void {
    let i = 0;
    const source = text.replace(/[\r\n\t ]+$/, "");
    while (i < source.length) {
      while (i < source.length && WHITESPACE.test(source[i])) i++;
      let nameEnd = i;
      while (nameEnd < source.length && source[nameEnd] !== ";" && source[nameEnd] !== "=")
        nameEnd++;
      const name = asciiLower(source.slice(i, nameEnd));
      i = nameEnd;
      if (i < source.length && source[i] === ";") {
        i++;
        continue;
      }
      i++; // the "="
      if (i >= source.length) break;
      let value: string;
      if (source[i] === '"') {
        i++;
        value = "";
        while (i < source.length && source[i] !== '"') {
          if (source[i] === "\\") {
            i++;
            value += i < source.length ? source[i] : "\\";
          } else value += source[i];
          i++;
        }
        while (i < source.length && source[i] !== ";") i++;
      } else {
        let end = source.indexOf(";", i);
        if (end === -1) end = source.length;
        value = source.slice(i, end).replace(/[\r\n\t ]+$/, "");
        i = end;
        if (value === "") {
          i++;
          continue;
        }
      }
      if (
        name !== "" &&
        !NOT_TOKEN.test(name) &&
        !NOT_QUOTED_STRING.test(value) &&
        !params.#data.has(name)
      ) {
        params.#data.set(name, value);
      }
      i++;
    }
  }
}

export class MIMEType {
  #type: string;
  #subtype: string;
  #params = new MIMEParams();

  constructor(input: unknown) {
    const text = `${input}`;
    const trimmed = trimHttpWhitespace(text);
    const slash = trimmed.indexOf("/");
    const type = slash === -1 ? trimmed : trimmed.slice(0, slash);
    const badType = type.search(NOT_TOKEN);
    if (type === "" || badType !== -1 || slash === -1) throw syntaxError("type", text, badType);
    const semicolon = trimmed.indexOf(";", slash + 1);
    const rawSubtype =
      semicolon === -1 ? trimmed.slice(slash + 1) : trimmed.slice(slash + 1, semicolon);
    const subtype = rawSubtype.replace(/[\r\n\t ]+$/, "");
    const badSubtype = subtype.search(NOT_TOKEN);
    if (subtype === "" || badSubtype !== -1) throw syntaxError("subtype", text, badSubtype);
    this.#type = asciiLower(type);
    this.#subtype = asciiLower(subtype);
    if (semicolon !== -1) MIMEParams.parseInto(this.#params, trimmed.slice(semicolon + 1));
  }

  get type(): string {
    return this.#type;
  }
  set type(value: unknown) {
    const text = `${value}`;
    const bad = text.search(NOT_TOKEN);
    if (text.length === 0 || bad !== -1) throw syntaxError("type", text, bad);
    this.#type = asciiLower(text);
  }
  get subtype(): string {
    return this.#subtype;
  }
  set subtype(value: unknown) {
    const text = `${value}`;
    const bad = text.search(NOT_TOKEN);
    if (text.length === 0 || bad !== -1) throw syntaxError("subtype", text, bad);
    this.#subtype = asciiLower(text);
  }
  get essence(): string {
    return `${this.#type}/${this.#subtype}`;
  }
  get params(): MIMEParams {
    return this.#params;
  }
  toString(): string {
    const params = this.#params.toString();
    return params ? `${this.essence};${params}` : this.essence;
  }
  toJSON(): string {
    return this.toString();
  }
}
