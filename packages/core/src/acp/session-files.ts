/**
 * ACP `fs/read_text_file` and `fs/write_text_file` served from the VM's filesystem, as the
 * agent's own process: its uid, permissions and the VM's filesystem policy apply, exactly as
 * if the agent had opened the file itself.
 */
import type {
  ReadTextFileRequest,
  ReadTextFileResponse,
  WriteTextFileRequest,
} from "@agentclientprotocol/sdk/unstable";
import { RequestError } from "@agentclientprotocol/sdk/unstable";
import { isKernelError } from "../fs/errors.ts";
import type { Caller } from "../fs/namespace.ts";
import { dirname } from "../fs/path.ts";
import type { Kernel } from "../kernel/kernel.ts";

function absolute(method: string, path: string): string {
  if (typeof path !== "string" || !path.startsWith("/"))
    throw RequestError.invalidParams(
      undefined,
      `${method}: path must be absolute, got ${JSON.stringify(path)}`,
    );
  return path;
}

function asRequestError(method: string, err: unknown): RequestError {
  if (isKernelError(err, "ENOENT"))
    return RequestError.resourceNotFound((err as Error & { path?: string }).path);
  return RequestError.internalError(
    isKernelError(err) ? { code: (err as Error & { code: string }).code } : undefined,
    `${method}: ${(err as Error).message}`,
  );
}

export async function readTextFile(
  kernel: Kernel,
  caller: Caller,
  params: ReadTextFileRequest,
): Promise<ReadTextFileResponse> {
  const path = absolute("fs/read_text_file", params.path);
  let bytes: Uint8Array;
  try {
    bytes = await kernel.fs.readFile(caller, path);
  } catch (err) {
    throw asRequestError("fs/read_text_file", err);
  }
  let content = new TextDecoder().decode(bytes);
  if (params.line != null || params.limit != null) {
    // `line` is 1-based; `limit` counts lines from there.
    const lines = content.split("\n");
    const start = Math.max(0, (params.line ?? 1) - 1);
    const end = params.limit != null ? start + params.limit : lines.length;
    content = lines.slice(start, end).join("\n");
  }
  return { content };
}

export async function writeTextFile(
  kernel: Kernel,
  caller: Caller,
  params: WriteTextFileRequest,
): Promise<void> {
  const path = absolute("fs/write_text_file", params.path);
  if (typeof params.content !== "string")
    throw RequestError.invalidParams(undefined, "fs/write_text_file: content must be a string");
  try {
    await mkdirp(kernel, caller, dirname(path));
    await kernel.fs.writeFile(caller, path, new TextEncoder().encode(params.content));
  } catch (err) {
    throw asRequestError("fs/write_text_file", err);
  }
}

async function mkdirp(kernel: Kernel, caller: Caller, dir: string): Promise<void> {
  if (dir === "/") return;
  try {
    await kernel.fs.stat(caller, dir);
    return;
  } catch (err) {
    if (!isKernelError(err, "ENOENT")) throw err;
  }
  await mkdirp(kernel, caller, dirname(dir));
  await kernel.fs.mkdir(caller, dir, 0o777);
}
