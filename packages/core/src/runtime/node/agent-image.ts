/**
 * Agent images: the runtime snapshot plus an agent's SDK, evaluated once per host process, so
 * every session's adapter starts with the SDK's module graph already loaded instead of reading,
 * compiling and running it again (`agent.snapshot: true` in the software descriptor).
 *
 * The SDK's entry (resolved as the adapter's `import` resolves it in the VM) is bundled by
 * esbuild into one script that runs after the runtime bundle inside `createSnapshot` and
 * registers the entry's exports under its VM path. A process of the agent (its main script is
 * inside the adapter's or the agent's package) starts from that snapshot, and its module loaders
 * hand the registered exports to an import or require of that path.
 *
 * Evaluating ahead of boot is only correct for an SDK whose load is pure. While it is evaluated
 * `process`, `console` and `performance` do not exist yet (reading them throws), `Date.now()` and
 * `Math.random()` are watched, and any host call (files, timers, sockets, randomness) is refused
 * and recorded by the runtime. Any of these, a failed bundle (native addons, top-level await, ...)
 * or a failed snapshot makes the image a fallback: the agent then loads per process exactly as
 * without the flag, and the reason is kept for `listAgents()`.
 */
import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";
import { relative, sep } from "node:path";
import * as esbuild from "esbuild";
import ivm from "isolated-vm";
import type { ProcessContext } from "../../kernel/process-context.ts";
import { BUILTIN_MODULE_LIST } from "./builtin-modules.ts";
import type { GuestProcess } from "./guest-process.ts";
import type { SnapshotImage } from "./isolate-pool.ts";
import { ModuleResolver } from "./module-resolver.ts";
import { RUNTIME_FILENAME, runtimeImage } from "./runtime-image.ts";
import { ESM_HOOKS, rewriteImports } from "./source-transform.ts";

/** A package visible to the agent: where it is on the host and in the VM. */
export interface AgentImagePackage {
  name: string;
  hostDir: string;
  vmDir: string;
  version?: string;
}

/** Which processes of a VM use an agent's image, and where its SDK comes from. */
export interface AgentImageRoute {
  agentId: string;
  /** npm name of the agent SDK whose entry is snapshotted. */
  agentPackage: string;
  /** VM directory the SDK is imported from (the adapter package's). */
  importFrom: string;
  /** VM directories whose scripts, run as a process's main, start from the image. */
  launchDirs: string[];
  /** Every package the agent sees, to map bundled host files to their VM paths. */
  packages: AgentImagePackage[];
}

/** An image ready to start isolates from. */
export interface ReadyAgentImage extends SnapshotImage {
  status: "ready";
  /** VM path of the snapshotted entry module. */
  entryPath: string;
  /** Whether the entry is an ES module (else CommonJS). */
  esm: boolean;
}

export type AgentImageState = ReadyAgentImage | { status: "fallback"; reason: string };

/** What `listAgents()` reports for an agent's snapshot. */
export type AgentSnapshotStatus = "off" | "pending" | "ready" | `fallback: ${string}`;

/** The name the agent's script is compiled under (stack frames of snapshotted code show it). */
const IMAGE_FILENAME = "node:internal/agentos-agent-image";
/** The bundle's result variable, local to the image script. */
const SDK_VAR = "__agentos_sdk";

/** Images by entry (host file, VM path, version): built once per host process. */
const images = new Map<string, Promise<AgentImageState>>();

interface RouteState {
  route: AgentImageRoute;
  image?: Promise<AgentImageState>;
  settled?: AgentImageState;
}

/** Per VM (keyed by its kernel): the agents with `snapshot: true`. */
const routesByVm = new WeakMap<object, RouteState[]>();

/** Per VM: processes started for an agent (its session's adapter), by pid → agent id. */
const claimsByVm = new WeakMap<object, Map<number, string>>();

/**
 * Marks process `pid` of VM `owner` as agent `agentId`'s (its session's adapter), before its
 * program runs: it starts from that agent's image, or from none if the agent has no image,
 * whatever other agent shares its adapter.
 */
export function claimAgentProcess(owner: object, pid: number, agentId: string): void {
  // Claimed even without an image: another agent sharing the adapter must not lend it its own.
  let claims = claimsByVm.get(owner);
  if (!claims) claimsByVm.set(owner, (claims = new Map()));
  claims.set(pid, agentId);
}

/** Makes processes of VM `owner` whose main script is in `route.launchDirs` use the image. */
export function registerAgentImageRoute(owner: object, route: AgentImageRoute): void {
  let routes = routesByVm.get(owner);
  if (!routes) routesByVm.set(owner, (routes = []));
  if (routes.some((r) => r.route.agentId === route.agentId)) return;
  routes.push({ route });
}

/** The state of agent `agentId`'s image in VM `owner`. */
export function agentSnapshotStatus(owner: object, agentId: string): AgentSnapshotStatus {
  const state = routesByVm.get(owner)?.find((r) => r.route.agentId === agentId);
  if (!state) return "off";
  if (!state.settled) return "pending";
  return state.settled.status === "ready" ? "ready" : `fallback: ${state.settled.reason}`;
}

/**
 * The image a process whose main script is `mainPath` starts from, building it on first use;
 * undefined when the process is no agent's or the agent's image fell back.
 */
export async function agentImageFor(
  ctx: ProcessContext,
  mainPath: string,
): Promise<ReadyAgentImage | undefined> {
  const routes = routesByVm.get(ctx.kernel) ?? [];
  const claims = claimsByVm.get(ctx.kernel);
  const claimed = claims?.get(ctx.pid);
  claims?.delete(ctx.pid);
  let state: RouteState | undefined;
  if (claimed !== undefined) state = routes.find((r) => r.route.agentId === claimed);
  else {
    // Another process of an agent's packages: only when a single agent's image can be meant.
    const matching = routes.filter((r) =>
      r.route.launchDirs.some((dir) => mainPath.startsWith(`${dir}/`)),
    );
    if (matching.length === 1) state = matching[0];
  }
  if (!state) return undefined;
  state.image ??= imageForRoute(ctx, state.route).then((image) => {
    state.settled = image;
    return image;
  });
  const image = await state.image;
  return image.status === "ready" ? image : undefined;
}

async function imageForRoute(
  ctx: ProcessContext,
  route: AgentImageRoute,
): Promise<AgentImageState> {
  let vmEntry: string;
  let esmHint: boolean;
  try {
    const resolved = await new ModuleResolver(ctx).resolve(
      route.agentPackage,
      `${route.importFrom}/package.json`,
      "import",
    );
    if (
      resolved.kind !== "file" ||
      (resolved.format !== "module" && resolved.format !== "commonjs")
    )
      return fallback(`${route.agentPackage} does not resolve to a JavaScript file`);
    vmEntry = resolved.path;
    esmHint = resolved.format === "module";
  } catch (error) {
    return fallback(`cannot resolve ${route.agentPackage}: ${firstLine(error)}`);
  }
  const owner = packageOf(route.packages, vmEntry, "vmDir");
  if (!owner) return fallback(`${vmEntry} is not inside the agent's packages`);
  const hostEntry = joinHost(owner.hostDir, vmEntry.slice(owner.vmDir.length + 1));
  const key = [hostEntry, vmEntry, owner.version ?? ""].join("\0");
  let image = images.get(key);
  if (!image) {
    image = buildImage(hostEntry, vmEntry, esmHint, route.packages);
    images.set(key, image);
  }
  return image;
}

async function buildImage(
  hostEntry: string,
  vmEntry: string,
  esmHint: boolean,
  packages: AgentImagePackage[],
): Promise<AgentImageState> {
  let bundle: { code: string; esm: boolean };
  try {
    bundle = await bundleSdk(hostEntry, packages, esmHint);
  } catch (error) {
    return fallback(`bundling failed: ${firstLine(error)}`);
  }
  const runtime = await runtimeImage();
  if (!runtime.snapshot) return fallback("the runtime itself could not be snapshotted");
  const script = imageScript(bundle.code, vmEntry, bundle.esm);
  let snapshot: ivm.ExternalCopy<ArrayBuffer>;
  try {
    snapshot = ivm.Isolate.createSnapshot([
      { code: runtime.source, filename: RUNTIME_FILENAME },
      { code: script, filename: IMAGE_FILENAME },
    ]);
  } catch (error) {
    return fallback(`not snapshot-safe: ${firstLine(error)}`);
  }
  // A heap V8 serialised may still fail to come back (objects it cannot restore): try once.
  try {
    const isolate = new ivm.Isolate({ snapshot, memoryLimit: 128 });
    try {
      const context = await isolate.createContext();
      const found = await context.eval(
        `typeof ${ESM_HOOKS}.snapshotExports(${JSON.stringify(vmEntry)})`,
      );
      if (found !== "object") throw new Error("the entry is missing from the restored heap");
    } finally {
      isolate.dispose();
    }
  } catch (error) {
    return fallback(`the snapshot does not restore: ${firstLine(error)}`);
  }
  const id = `agent-${createHash("sha256").update(hostEntry).update(script).digest("hex").slice(0, 16)}`;
  return { status: "ready", id, snapshot, entryPath: vmEntry, esm: bundle.esm };
}

/**
 * The SDK's module graph as one script assigning its entry's exports to SDK_VAR. Each file is
 * compiled as what it is in the VM: `import.meta` and `import()` become the guest loader's
 * hooks with the file's VM URL, CommonJS files get their VM `__filename`/`__dirname`, and node
 * builtins stay outside (the runtime's own builtins serve them).
 */
async function bundleSdk(
  hostEntry: string,
  packages: AgentImagePackage[],
  esmHint: boolean,
): Promise<{ code: string; esm: boolean }> {
  const result = await esbuild.build({
    entryPoints: [hostEntry],
    bundle: true,
    write: false,
    metafile: true,
    format: "iife",
    globalName: SDK_VAR,
    platform: "node",
    target: "esnext",
    // Node's resolution: import/require + "node" + "default" conditions, and `main` only.
    conditions: [],
    mainFields: ["main"],
    logLevel: "silent",
    legalComments: "none",
    // Bundling renames clashing top-level names; functions and classes keep theirs.
    keepNames: true,
    plugins: [
      {
        name: "agentos-vm-paths",
        setup(build) {
          build.onLoad({ filter: /\.[cm]?js$/ }, async (args) => {
            const owner = packageOf(packages, args.path, "hostDir");
            if (!owner) throw new Error(`${args.path} is outside the agent's packages in the VM`);
            const vmPath = `${owner.vmDir}/${relative(owner.hostDir, args.path).split(sep).join("/")}`;
            // A `#!` line (an adapter's bin) is only valid at the very start of a script; inside
            // the bundle it would be a syntax error, so it becomes a comment (lines unchanged).
            const text = (await readFile(args.path, "utf8")).replace(/^#!/, "//#!");
            const rewritten = rewriteImports(text, vmFileUrl(vmPath));
            let contents = rewritten.code;
            if (!rewritten.hasModuleSyntax && /\b__(?:file|dir)name\b/.test(contents))
              contents = withFileNames(contents, vmPath);
            return { contents, loader: "js" };
          });
        },
      },
    ],
  });
  const input = result.metafile.inputs[relative(process.cwd(), hostEntry).split(sep).join("/")];
  const esm = input?.format === "esm" || (input?.format === undefined && esmHint);
  return { code: result.outputFiles[0].text, esm };
}

/**
 * The script evaluated into the snapshot after the runtime: guards what does not exist before
 * boot, runs the bundle, and registers the entry's exports with the runtime (which refuses them
 * if the init called the host). Everything it installs is removed again whatever happens.
 */
function imageScript(bundle: string, vmEntry: string, esm: boolean): string {
  return `(function () {
  const g = globalThis;
  const hooks = g.${ESM_HOOKS};
  const ENTRY = ${JSON.stringify(vmEntry)};
  const BUILTINS = new Set(${JSON.stringify(BUILTIN_MODULE_LIST)});
  const touched = [];
  const guards = [];
  for (const name of ["process", "console", "performance"]) {
    if (Object.prototype.hasOwnProperty.call(g, name)) continue;
    Object.defineProperty(g, name, {
      configurable: true,
      get() {
        touched.push(name);
        throw new ReferenceError(name + " is not defined while the agent snapshot is made (read it inside a function)");
      },
    });
    guards.push(name);
  }
  let loading = true;
  const realNow = Date.now;
  const realRandom = Math.random;
  Date.now = function now() { if (loading) touched.push("Date.now()"); return realNow.call(Date); };
  Math.random = function random() { if (loading) touched.push("Math.random()"); return realRandom(); };
  // What the bundle's require() of an external name reaches: builtins, else the VM's loader.
  function require(id) {
    const name = String(id);
    if (name.startsWith("node:") || BUILTINS.has(name)) return hooks.builtin(name);
    return hooks.builtin("module").createRequire(ENTRY)(name);
  }
  require.resolve = (id, options) => hooks.builtin("module").createRequire(ENTRY).resolve(id, options);
  try {
${bundle}
    if (touched.length > 0) throw new Error("its initialisation used " + [...new Set(touched)].join(", "));
    g.__agentos_entry.registerSnapshotModule(ENTRY, ${SDK_VAR}, ${esm});
  } finally {
    loading = false;
    Date.now = realNow;
    Math.random = realRandom;
    for (const name of guards) delete g[name];
  }
})();
`;
}

/**
 * The source of the ES module an `import` of a snapshotted ES entry gets in `g`: its exports,
 * taken from the snapshot. Undefined when `path` is not `g`'s snapshotted ES entry.
 */
export function snapshotModuleSource(g: GuestProcess, path: string): string | undefined {
  const image = g.image as Partial<ReadyAgentImage> | undefined;
  if (!image || image.entryPath !== path || !image.esm) return undefined;
  const names = g.context.evalSync(`${ESM_HOOKS}.snapshotExports(${JSON.stringify(path)})`, {
    copy: true,
  }) as string[] | null;
  if (names === null) return undefined;
  const lines = [`const m = ${ESM_HOOKS}.snapshotModule(${JSON.stringify(path)});`];
  const specifiers = names.map((name, index) => {
    lines.push(`const e${index} = m[${JSON.stringify(name)}];`);
    return `e${index} as ${JSON.stringify(name)}`;
  });
  if (specifiers.length > 0) lines.push(`export { ${specifiers.join(", ")} };`);
  return lines.join("\n");
}

/** CommonJS names a bundled file would otherwise lack, on its first line (after directives). */
function withFileNames(code: string, vmPath: string): string {
  const dir = vmPath.slice(0, vmPath.lastIndexOf("/")) || "/";
  const declare = `;var __filename = ${JSON.stringify(vmPath)}, __dirname = ${JSON.stringify(dir)};`;
  // After a "use strict" prologue, which must stay first to keep the file strict.
  const prologue =
    /^(?:#![^\n]*\n)?(?:\s*(?:\/\/[^\n]*\n|\/\*[\s\S]*?\*\/))*\s*(["'])use strict\1;?/.exec(code);
  const at = prologue ? prologue[0].length : code.startsWith("#!") ? code.indexOf("\n") + 1 : 0;
  return code.slice(0, at) + declare + code.slice(at);
}

function packageOf(
  packages: AgentImagePackage[],
  path: string,
  side: "hostDir" | "vmDir",
): AgentImagePackage | undefined {
  const separator = side === "hostDir" ? sep : "/";
  let best: AgentImagePackage | undefined;
  for (const pkg of packages) {
    if (path.startsWith(pkg[side] + separator) && (!best || pkg[side].length > best[side].length))
      best = pkg;
  }
  return best;
}

function joinHost(dir: string, vmRelative: string): string {
  return [dir, ...vmRelative.split("/")].join(sep);
}

function vmFileUrl(path: string): string {
  return `file://${encodeURI(path).replace(/[?#]/g, encodeURIComponent)}`;
}

function fallback(reason: string): AgentImageState {
  return { status: "fallback", reason };
}

function firstLine(error: unknown): string {
  // esbuild's own message only counts its errors; the first one says what failed.
  const built = (error as { errors?: esbuild.Message[] } | null)?.errors?.[0];
  if (built) {
    const where = built.location ? ` (${built.location.file}:${built.location.line})` : "";
    return `${built.text}${where}`;
  }
  const message = error instanceof Error ? error.message : String(error);
  return message.split("\n")[0];
}
