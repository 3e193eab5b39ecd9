/**
 * One call of a host tool from inside the VM: parse the flags, validate the input with the
 * tool's Zod schema, run `execute` on the host (bounded by the tool's timeout and by the
 * calling process's life), and print the result as JSON. Exit statuses: 0 success, 2 usage or
 * validation error, 1 the tool failed or timed out. Code mode (code-mode-ops.ts) makes the
 * same call through `invokeHostTool`, with an input object instead of flags.
 */
import type { ProcessContext } from "../kernel/process-context.ts";
import type { HostTool, ToolKit } from "./host-tool.ts";
import { parseJsonObject, parseToolArgs, UsageError } from "./tool-flags.ts";
import { toolHelp } from "./tool-help.ts";

export const EXIT_OK = 0;
export const EXIT_FAILED = 1;
export const EXIT_USAGE = 2;

/** Runs `tool` with `args` (the words after the tool name); returns the exit status. */
export async function callHostTool(
  ctx: ProcessContext,
  kit: ToolKit,
  name: string,
  tool: HostTool,
  args: readonly string[],
): Promise<number> {
  const command = `agentos-${kit.name} ${name}`;
  let input: Record<string, unknown>;
  try {
    const parsed = parseToolArgs(args, tool.flags);
    if (parsed.help) {
      await ctx.out(toolHelp(kit, name, tool));
      return EXIT_OK;
    }
    input = parsed.input;
    if (parsed.jsonFile !== undefined) {
      const file = await readJsonFile(ctx, parsed.jsonFile);
      // Flags given with --json-file still win over the file's fields.
      input = { ...file, ...input };
    }
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    await ctx.err(`${command}: ${err.message}\nTry '${command} --help' for the flags.\n`);
    return EXIT_USAGE;
  }

  const outcome = await invokeHostTool(ctx, kit, name, tool, input);
  if (outcome.ok) {
    await ctx.out(`${outcome.json}\n`);
    return EXIT_OK;
  }
  if (outcome.code === TOOL_ERROR_CODES.input) {
    await ctx.err(`${outcome.message}\nTry '${command} --help' for the flags.\n`);
    return EXIT_USAGE;
  }
  await ctx.err(`${outcome.message}\n`);
  return EXIT_FAILED;
}

/** The `code` of each way a call can fail (code mode's errors carry it). */
export const TOOL_ERROR_CODES = {
  input: "ERR_AGENTOS_TOOL_INPUT",
  failed: "ERR_AGENTOS_TOOL_FAILED",
  timeout: "ERR_AGENTOS_TOOL_TIMEOUT",
} as const;

/** A call's result as JSON text, or the error message the CLI prints (without its hint). */
export type ToolOutcome =
  | { ok: true; json: string }
  | {
      ok: false;
      code: (typeof TOOL_ERROR_CODES)[keyof typeof TOOL_ERROR_CODES];
      message: string;
    };

/**
 * Validates `input` with the tool's schema, runs the tool within its limits and writes the
 * result as JSON. Shared by the command line and code mode, so both validate, fail and
 * serialise the same way.
 */
export async function invokeHostTool(
  ctx: ProcessContext,
  kit: ToolKit,
  name: string,
  tool: HostTool,
  input: unknown,
): Promise<ToolOutcome> {
  const command = `agentos-${kit.name} ${name}`;
  const validation = await tool.inputSchema.safeParseAsync(input);
  if (!validation.success) {
    const lines = validation.error.issues.map((issue) => {
      const path = issue.path.length ? issue.path.map(String).join(".") : "(input)";
      const flag = tool.flags.find((f) => f.property === issue.path[0]);
      if (flag) return `\n  ${path} (--${flag.name}): ${issue.message}`;
      return `\n  ${path}: ${issue.message}`;
    });
    return {
      ok: false,
      code: TOOL_ERROR_CODES.input,
      message: `${command}: invalid input${lines.join("")}`,
    };
  }

  let result: unknown;
  try {
    result = await runWithLimits(ctx, kit, name, tool, validation.data);
  } catch (err) {
    return {
      ok: false,
      code: err instanceof ToolTimeout ? TOOL_ERROR_CODES.timeout : TOOL_ERROR_CODES.failed,
      message: `${command}: ${describeFailure(err)}`,
    };
  }
  let json: string | undefined;
  try {
    json = JSON.stringify(result);
  } catch (err) {
    return {
      ok: false,
      code: TOOL_ERROR_CODES.failed,
      message: `${command}: the result cannot be written as JSON: ${(err as Error).message}`,
    };
  }
  return { ok: true, json: json ?? "null" };
}

async function readJsonFile(ctx: ProcessContext, path: string): Promise<Record<string, unknown>> {
  let text: string;
  try {
    text =
      path === "-" ? await ctx.readText(0) : new TextDecoder().decode(await ctx.readFile(path));
  } catch (err) {
    throw new UsageError(`--json-file ${path}: ${(err as Error).message}`);
  }
  return parseJsonObject(text, `--json-file ${path}`);
}

/** Thrown when a call outlives the tool's timeout. */
class ToolTimeout extends Error {
  override name = "ToolTimeout";
}

function runWithLimits(
  ctx: ProcessContext,
  kit: ToolKit,
  name: string,
  tool: HostTool,
  input: unknown,
): Promise<unknown> {
  const controller = new AbortController();
  const processSignal = ctx.signal;
  return new Promise((resolve, reject) => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const finish = (): void => {
      if (timer) clearTimeout(timer);
      processSignal.removeEventListener("abort", onKilled);
    };
    // The process was killed: stop waiting and tell the tool, so host work can stop too.
    const onKilled = (): void => {
      finish();
      controller.abort(processSignal.reason);
      reject(processSignal.reason);
    };
    if (processSignal.aborted) return onKilled();
    processSignal.addEventListener("abort", onKilled, { once: true });
    if (tool.timeout !== undefined) {
      timer = setTimeout(() => {
        finish();
        const error = new ToolTimeout(`timed out after ${tool.timeout} ms`);
        controller.abort(error);
        reject(error);
      }, tool.timeout);
    }
    Promise.resolve()
      .then(() => tool.execute(input, { signal: controller.signal, toolkit: kit.name, tool: name }))
      .then(
        (value) => {
          finish();
          resolve(value);
        },
        (err) => {
          finish();
          reject(err);
        },
      );
  });
}

function describeFailure(err: unknown): string {
  if (err instanceof ToolTimeout) return err.message;
  if (err instanceof Error) return err.message || err.name;
  return `failed: ${String(err)}`;
}
