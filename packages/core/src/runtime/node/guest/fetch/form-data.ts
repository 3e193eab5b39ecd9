/**
 * FormData and its two wire forms: multipart/form-data (what fetch sends for a FormData body,
 * with undici's boundary style) and parsing of urlencoded and multipart bodies for
 * `Response.formData()` / `Request.formData()`.
 */
import { Buffer } from "buffer";
import { BlobClass, isBlob } from "./web-streams.ts";

type Entry = [string, string | Blob];

function toEntryValue(value: unknown, filename?: string): string | Blob {
  if (!isBlob(value)) return String(value);
  const FileClass = (globalThis as { File?: typeof File }).File;
  const name = filename ?? ((value as File).name || "blob");
  if (FileClass && (!(value instanceof FileClass) || filename !== undefined))
    return new FileClass([value], name, { type: value.type });
  return value;
}

export class FormData {
  #entries: Entry[] = [];

  constructor(form?: unknown) {
    if (form !== undefined)
      throw new TypeError("FormData constructor: Argument 1 is not of type 'HTMLFormElement'.");
  }

  append(name: string, value: unknown, filename?: string): void {
    this.#entries.push([String(name), toEntryValue(value, filename)]);
  }

  set(name: string, value: unknown, filename?: string): void {
    const key = String(name);
    const entry: Entry = [key, toEntryValue(value, filename)];
    const index = this.#entries.findIndex(([n]) => n === key);
    if (index < 0) {
      this.#entries.push(entry);
      return;
    }
    this.#entries = this.#entries.filter(([n], i) => n !== key || i === index);
    this.#entries[index] = entry;
  }

  delete(name: string): void {
    this.#entries = this.#entries.filter(([n]) => n !== String(name));
  }

  get(name: string): string | Blob | null {
    return this.#entries.find(([n]) => n === String(name))?.[1] ?? null;
  }

  getAll(name: string): Array<string | Blob> {
    return this.#entries.filter(([n]) => n === String(name)).map(([, v]) => v);
  }

  has(name: string): boolean {
    return this.#entries.some(([n]) => n === String(name));
  }

  *entries(): IterableIterator<[string, string | Blob]> {
    for (const entry of this.#entries) yield [entry[0], entry[1]];
  }

  *keys(): IterableIterator<string> {
    for (const [name] of this.#entries) yield name;
  }

  *values(): IterableIterator<string | Blob> {
    for (const [, value] of this.#entries) yield value;
  }

  forEach(
    callback: (value: string | Blob, name: string, form: FormData) => void,
    thisArg?: unknown,
  ): void {
    for (const [name, value] of this.#entries) callback.call(thisArg, value, name, this);
  }

  [Symbol.iterator](): IterableIterator<[string, string | Blob]> {
    return this.entries();
  }

  get [Symbol.toStringTag](): string {
    return "FormData";
  }
}

const escapeName = (name: string): string =>
  name.replace(/\n/g, "%0A").replace(/\r/g, "%0D").replace(/"/g, "%22");

/** The multipart body and its boundary. */
export async function encodeMultipart(
  form: FormData,
  boundary: string,
): Promise<{ bytes: Uint8Array; boundary: string }> {
  const parts: Uint8Array[] = [];
  for (const [name, value] of form) {
    if (typeof value === "string") {
      parts.push(
        Buffer.from(
          `--${boundary}\r\nContent-Disposition: form-data; name="${escapeName(name)}"\r\n\r\n${value.replace(/\r(?!\n)|(?<!\r)\n/g, "\r\n")}\r\n`,
        ),
      );
    } else {
      const filename = (value as File).name ?? "blob";
      parts.push(
        Buffer.from(
          `--${boundary}\r\nContent-Disposition: form-data; name="${escapeName(name)}"; filename="${escapeName(filename)}"\r\nContent-Type: ${value.type || "application/octet-stream"}\r\n\r\n`,
        ),
      );
      parts.push(new Uint8Array(await value.arrayBuffer()));
      parts.push(Buffer.from("\r\n"));
    }
  }
  parts.push(Buffer.from(`--${boundary}--\r\n`));
  return { bytes: Buffer.concat(parts), boundary };
}

/** Parses a urlencoded or multipart body into FormData (what Body.formData() does). */
export function decodeFormData(bytes: Uint8Array, contentType: string): FormData {
  const form = new FormData();
  const type = contentType.toLowerCase();
  if (type.startsWith("application/x-www-form-urlencoded")) {
    for (const [name, value] of new URLSearchParams(Buffer.from(bytes).toString("utf8")))
      form.append(name, value);
    return form;
  }
  const boundary = /boundary=(?:"([^"]+)"|([^;]+))/i.exec(contentType);
  if (!type.startsWith("multipart/form-data") || !boundary)
    throw new TypeError(
      `Content-Type was not one of "multipart/form-data" or "application/x-www-form-urlencoded".`,
    );
  const delimiter = Buffer.from(`--${boundary[1] ?? boundary[2]}`);
  const body = Buffer.from(bytes);
  let start = body.indexOf(delimiter);
  while (start >= 0) {
    const partStart = start + delimiter.length;
    if (body.subarray(partStart, partStart + 2).toString() === "--") break;
    const next = body.indexOf(delimiter, partStart);
    if (next < 0) break;
    const part = body.subarray(partStart + 2, next - 2);
    const headEnd = part.indexOf("\r\n\r\n");
    const head = part.subarray(0, headEnd).toString("utf8");
    const content = part.subarray(headEnd + 4);
    const name = /name="([^"]*)"/i.exec(head)?.[1] ?? "";
    const filename = /filename="([^"]*)"/i.exec(head)?.[1];
    const partType = /content-type:\s*([^\r\n]+)/i.exec(head)?.[1] ?? "";
    if (filename !== undefined) {
      const FileClass = (globalThis as { File?: typeof File }).File;
      const file = FileClass
        ? new FileClass([content], filename, { type: partType })
        : new (BlobClass())([content], { type: partType });
      form.append(name, file);
    } else form.append(name, content.toString("utf8"));
    start = next;
  }
  return form;
}
