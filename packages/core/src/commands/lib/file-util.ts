/** Small helpers shared by the file commands: error text, buffered output, path pieces. */
import { isKernelError } from "../../fs/errors.ts";
import type { ProcessContext } from "../../kernel/process-context.ts";
import { describeError } from "../errors.ts";

/** glibc's strerror text where it differs from the kernel's table. */
export function errText(err: unknown): string {
  if (isKernelError(err)) {
    switch (err.code) {
      case "EXDEV":
        return "Invalid cross-device link";
      case "ENAMETOOLONG":
        return "File name too long";
      case "ENOTSUP":
        return "Operation not supported";
      case "EBUSY":
        return "Device or resource busy";
      case "ENOMEM":
        return "Cannot allocate memory";
      default:
        break;
    }
  }
  return describeError(err);
}

export function errCode(err: unknown): string | undefined {
  return isKernelError(err) ? err.code : undefined;
}

/** Rethrows when the process is being killed (so a command stops instead of reporting it). */
export function rethrowIfDead(ctx: ProcessContext, err: unknown): void {
  if (!ctx.alive) throw err;
}

const encoder = new TextEncoder();

/** Collects output text and writes it in ~64 KiB chunks. */
export class OutBuffer {
  readonly #ctx: ProcessContext;
  readonly #fd: number;
  #parts: string[] = [];
  #size = 0;

  constructor(ctx: ProcessContext, fd = 1) {
    this.#ctx = ctx;
    this.#fd = fd;
  }

  async write(text: string): Promise<void> {
    this.#parts.push(text);
    this.#size += text.length;
    if (this.#size >= 65536) await this.flush();
  }

  async flush(): Promise<void> {
    if (this.#parts.length === 0) return;
    const text = this.#parts.join("");
    this.#parts = [];
    this.#size = 0;
    await this.#ctx.write(this.#fd, encoder.encode(text));
  }
}

/** The last component of `path` as GNU basename computes it ("a/b/" → "b", "/" → "/"). */
export function baseName(path: string): string {
  if (path === "") return "";
  const stripped = path.replace(/\/+$/, "");
  if (stripped === "") return "/";
  return stripped.slice(stripped.lastIndexOf("/") + 1);
}

/** GNU dirname: "a/b" → "a", "a" → ".", "/a" → "/", "a/b/" → "a". */
export function dirName(path: string): string {
  let p = path.replace(/\/+$/, "");
  if (p === "") return path.startsWith("/") ? "/" : ".";
  const slash = p.lastIndexOf("/");
  if (slash < 0) return ".";
  p = p.slice(0, slash).replace(/\/+$/, "");
  if (p === "") return "/";
  return p;
}

/** Joins a directory and a name the way coreutils builds child paths ("a/" + "b" → "a/b"). */
export function joinPath(dir: string, name: string): string {
  if (dir === "") return name;
  return dir.endsWith("/") ? dir + name : `${dir}/${name}`;
}

/** Lexically normalises an absolute path ("." and ".." and duplicate slashes). */
export function normalizeAbs(path: string): string {
  const parts: string[] = [];
  for (const part of path.split("/")) {
    if (part === "" || part === ".") continue;
    if (part === "..") parts.pop();
    else parts.push(part);
  }
  return `/${parts.join("/")}`;
}

/** GNU human-readable sizes (-h): powers of 1024, one decimal below 10, rounded up. */
export function humanSize(bytes: number, base = 1024, siSuffix = false): string {
  const units = ["", "K", "M", "G", "T", "P", "E"];
  if (bytes < base) return String(bytes);
  let value = bytes;
  let unit = 0;
  while (value >= base && unit < units.length - 1) {
    value /= base;
    unit++;
  }
  let text: string;
  if (value < 10) {
    let rounded = Math.ceil(value * 10 - 1e-9) / 10;
    if (rounded >= 10) {
      rounded = 10;
      text = "10";
    } else text = rounded.toFixed(1);
  } else {
    let rounded = Math.ceil(value - 1e-9);
    if (rounded >= base && unit < units.length - 1) {
      rounded = 1;
      unit++;
      text = "1.0";
    } else text = String(rounded);
  }
  const suffix = units[unit];
  return `${text}${siSuffix && suffix === "K" ? "k" : suffix}`;
}
