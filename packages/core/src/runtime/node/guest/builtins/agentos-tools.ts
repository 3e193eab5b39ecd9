/**
 * `agentos:tools` ("code mode"): the VM's host tools as async functions, one object per
 * toolkit (`myapp.createTicket({...})`). Each call goes to the host's `tools.call` operation,
 * which validates and runs the tool as the `agentos-<kit>` command would; the result is the
 * tool's JSON output parsed, and a failure rejects with an Error whose message is what the
 * command prints on stderr (its `code` says which kind: ERR_AGENTOS_TOOL_INPUT, _FAILED,
 * _TIMEOUT). The module resolves only in VMs created with `toolKits` (see module-resolver).
 */
import type { CodeModeKit } from "../../../../tools/code-mode-ops.ts";
import { callAsync } from "../host.ts";
import { hold } from "../loop.ts";

/**
 * The VM's kits arrive with the boot configuration rather than by a host call: the module may
 * first be built on the host's thread (the ES module loader reads its export names), where a
 * synchronous call into the host is impossible.
 */
let kits: readonly CodeModeKit[] = [];

export function setCodeModeKits(list: readonly CodeModeKit[] | undefined): void {
  kits = list ?? [];
}

export function createAgentosTools(): unknown {
  const exports: Record<string, unknown> = {};
  for (const kit of kits) {
    const functions: Record<string, unknown> = {};
    for (const tool of kit.tools) {
      const call = (input: unknown = {}): Promise<unknown> => callTool(kit.name, tool.name, input);
      Object.defineProperty(call, "name", { value: tool.identifier });
      functions[tool.identifier] = call;
    }
    exports[kit.identifier] = Object.freeze(functions);
  }
  return Object.freeze(exports);
}

function callTool(kit: string, tool: string, input: unknown): Promise<unknown> {
  // The stack of the caller, for the error: the host's answer arrives in a later task.
  const site = new Error();
  return new Promise((resolve, reject) => {
    // JSON is what the command line carries too: the tool sees the same values either way.
    let json: string;
    try {
      // A function or symbol has no JSON; null makes the schema report what it expected.
      json = JSON.stringify(input) ?? "null";
    } catch (error) {
      reject(error);
      return;
    }
    // A pending call keeps the process alive, as any pending I/O does in Node.
    const release = hold();
    callAsync<string>("tools.call", [kit, tool, json], (error, result) => {
      release();
      if (error) reject(withCallerStack(error, site));
      else resolve(JSON.parse(result as string));
    });
  });
}

function withCallerStack(error: Error, site: Error): Error {
  const stack = error.stack ?? "";
  const frames = site.stack?.indexOf("\n    at ") ?? -1;
  const ownFrames = stack.indexOf("\n    at ");
  if (frames >= 0 && site.stack)
    error.stack = (ownFrames >= 0 ? stack.slice(0, ownFrames) : stack) + site.stack.slice(frames);
  return error;
}
