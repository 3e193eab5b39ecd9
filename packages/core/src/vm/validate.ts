/** Argument checks for the public API: every message names the method and what was wrong. */

export function checkAbsolutePath(method: string, path: unknown, name = "path"): string {
  if (typeof path !== "string")
    throw new TypeError(`${method}: ${name} must be a string, got ${describe(path)}`);
  if (!path.startsWith("/"))
    throw new TypeError(`${method}: ${name} must be an absolute path, got ${JSON.stringify(path)}`);
  if (path.includes("\0")) throw new TypeError(`${method}: ${name} must not contain NUL bytes`);
  return path;
}

export function checkString(method: string, value: unknown, name: string): string {
  if (typeof value !== "string")
    throw new TypeError(`${method}: ${name} must be a string, got ${describe(value)}`);
  return value;
}

export function checkPid(method: string, pid: unknown): number {
  if (typeof pid !== "number" || !Number.isInteger(pid) || pid < 1) {
    throw new TypeError(`${method}: pid must be a positive integer, got ${describe(pid)}`);
  }
  return pid;
}

export function checkData(method: string, data: unknown, name = "content"): Uint8Array {
  if (typeof data === "string") return new TextEncoder().encode(data);
  if (data instanceof Uint8Array) return data;
  if (data instanceof ArrayBuffer) return new Uint8Array(data);
  throw new TypeError(`${method}: ${name} must be a string or Uint8Array, got ${describe(data)}`);
}

export function checkEnv(method: string, env: unknown): Record<string, string> | undefined {
  if (env === undefined) return undefined;
  if (typeof env !== "object" || env === null || Array.isArray(env))
    throw new TypeError(`${method}: env must be an object of strings`);
  for (const [key, value] of Object.entries(env)) {
    if (typeof value !== "string")
      throw new TypeError(`${method}: env.${key} must be a string, got ${describe(value)}`);
    if (key.length === 0 || key.includes("=") || key.includes("\0"))
      throw new TypeError(`${method}: invalid env name ${JSON.stringify(key)}`);
  }
  return env as Record<string, string>;
}

export function checkOptions(
  method: string,
  options: unknown,
  allowed: readonly string[],
): Record<string, unknown> {
  if (options === undefined) return {};
  if (typeof options !== "object" || options === null || Array.isArray(options))
    throw new TypeError(`${method}: options must be an object`);
  for (const key of Object.keys(options)) {
    if (!allowed.includes(key))
      throw new TypeError(`${method}: unknown option "${key}" (allowed: ${allowed.join(", ")})`);
  }
  return options as Record<string, unknown>;
}

export function describe(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  if (value instanceof Uint8Array) return "a Uint8Array";
  return typeof value === "string" ? JSON.stringify(value) : typeof value;
}
