/**
 * `AgentOs`: one VM. Owns a kernel (processes, descriptors, signals) over a filesystem
 * namespace, and exposes the public API: lifecycle, files, processes. Every method validates
 * its arguments and fails with a message naming the method; nothing a caller passes can
 * crash the host.
 */
import { SessionManager } from "../acp/session-manager.ts";
import type {
  AgentPermissionPolicy,
  AgentRegistryEntry,
  CreateSessionOptions,
  JsonRpcResponse,
  PermissionReply,
  PermissionRequestHandler,
  PromptResult,
  SessionConfigOption,
  SessionEvent,
  SessionEventHandler,
  SessionInfo,
  SessionModeState,
} from "../acp/session-types.ts";
import { defaultRegistry } from "../commands/index.ts";
import { CronScheduler } from "../cron/cron-scheduler.ts";
import type { CronEventHandler, CronJob, CronJobInfo, CronJobOptions } from "../cron/cron-types.ts";
import { DevFs } from "../fs/dev-fs.ts";
import { isKernelError, KernelError } from "../fs/errors.ts";
import { Namespace } from "../fs/namespace.ts";
import { dirname, joinPath, normalizePath } from "../fs/path.ts";
import type { VfsBackend } from "../fs/types.ts";
import { type DirEntry as FsDirEntry, isDirMode, isLinkMode, type Stat } from "../fs/types.ts";
import type { VirtualFileSystem, VirtualStat } from "../fs/virtual-file-system.ts";
import { builtinStub, CommandRegistry } from "../kernel/command-registry.ts";
import { Kernel } from "../kernel/kernel.ts";
import { type KernelLimits, resolveLimits } from "../kernel/limits.ts";
import { SinkOpenFile } from "../kernel/open-file.ts";
import { ProcFs } from "../kernel/proc-fs.ts";
import { type ProcessInfo, type ProcessTreeNode, statusCode } from "../kernel/process.ts";
import { SIGNALS } from "../kernel/signals.ts";
import type { NetworkEventHandler } from "../net/network-events.ts";
import { NetworkStack } from "../net/network-stack.ts";
import { fetchFromHost, toRequest } from "../net/vm-fetch.ts";
import type { SoftwareInput } from "../software/define-software.ts";
import {
  type InstalledSoftware,
  installSoftware,
  SOFTWARE_BIN_DIR,
  type SoftwareAgent,
} from "../software/install-software.ts";
import { checkToolKits, type ToolKit } from "../tools/host-tool.ts";
import { hostToolCommands, hostToolFiles } from "../tools/install-host-tools.ts";
import { attachToolKits } from "../tools/vm-tool-kits.ts";
import { buildMountBackend, type MountConfig } from "./mounts.ts";
import {
  checkEnvPolicy,
  fsAccessPolicy,
  kernelPolicy,
  type Permissions,
  validatePermissions,
} from "./permissions.ts";
import {
  createRootFs,
  DEFAULT_HOSTNAME,
  DEFAULT_PATH,
  etcFiles,
  HOME,
  sharedRootImage,
  USER,
} from "./root-image.ts";
import {
  attachTerminal,
  type ConnectTerminalOptions,
  type OpenShellOptions,
  type ShellDataHandler,
  type ShellExitHandler,
  type ShellInfo,
  ShellSession,
} from "./shell-session.ts";
import { type OutputHandler, SpawnedProcess, type SpawnedProcessInfo } from "./spawned-process.ts";
import {
  checkAbsolutePath,
  checkData,
  checkEnv,
  checkOptions,
  checkPid,
  checkString,
  describe,
} from "./validate.ts";

export interface AgentOsOptions {
  /** Filesystems to mount at boot. */
  mounts?: MountConfig[];
  /** Environment added to every process (the host's environment is never inherited). */
  env?: Record<string, string>;
  /** Default working directory of processes (default /home/user). */
  cwd?: string;
  hostname?: string;
  limits?: Partial<KernelLimits>;
  permissions?: Permissions;
  /** Host ports guest code may reach on the host's loopback (used by the network layer). */
  loopbackExemptPorts?: number[];
  /** Text appended to agents' system prompts (used by sessions). */
  additionalInstructions?: string;
  /** Host tools, each toolkit a VM command `agentos-<name>` (see tools/host-tool.ts). */
  toolKits?: ToolKit[];
  /** Software packages: agents, npm tool bins, WASM command sets (see software/). */
  software?: SoftwareInput[];
  /** How agents' permission requests are answered (default: ask handlers, reject after 60 s). */
  agentPermissions?: AgentPermissionPolicy;
}

const KNOWN_OPTIONS = [
  "mounts",
  "env",
  "cwd",
  "hostname",
  "limits",
  "permissions",
  "loopbackExemptPorts",
  "additionalInstructions",
  "toolKits",
  "software",
  "agentPermissions",
];
const LATER_OPTIONS: Record<string, string> = {
  commandDirs: "command directories",
  sidecar: "sidecars",
  preview: "preview URLs",
};

export interface ExecOptions {
  cwd?: string;
  env?: Record<string, string>;
  /** Input for the command's stdin; without it stdin is /dev/null-like (immediate EOF). */
  stdin?: string | Uint8Array;
  /** Milliseconds before the command (and everything it started) is killed; exitCode is then 124. */
  timeout?: number;
  onStdout?: (data: Uint8Array) => void;
  onStderr?: (data: Uint8Array) => void;
  /** Most bytes of stdout (and of stderr) kept; beyond it the command is killed (default 64 MiB). */
  maxBuffer?: number;
}

export interface ExecResult {
  stdout: string;
  stderr: string;
  exitCode: number;
  /** True when the timeout killed the command. */
  timedOut?: boolean;
}

export interface SpawnOptions {
  cwd?: string;
  env?: Record<string, string>;
  onStdout?: (data: Uint8Array) => void;
  onStderr?: (data: Uint8Array) => void;
  onExit?: (exitCode: number) => void;
}

export interface DirEntry {
  /** Absolute path. */
  path: string;
  type: "file" | "directory" | "symlink" | "other";
  size: number;
}

export interface ReaddirRecursiveOptions {
  maxDepth?: number;
  /** Entry names to skip (and not descend into), e.g. ["node_modules", ".git"]. */
  exclude?: string[];
}

export interface BatchWriteEntry {
  path: string;
  content: string | Uint8Array;
}
export interface BatchWriteResult {
  path: string;
  success: boolean;
  error?: string;
}
export interface BatchReadResult {
  path: string;
  content: Uint8Array | null;
  error?: string;
}

const EXEC_OPTIONS = [
  "cwd",
  "env",
  "stdin",
  "timeout",
  "onStdout",
  "onStderr",
  "maxBuffer",
] as const;
const SPAWN_OPTIONS = ["cwd", "env", "onStdout", "onStderr", "onExit"] as const;
const SHELL_OPTIONS = ["command", "args", "env", "cwd", "cols", "rows"] as const;
const ROOT_CALLER = { uid: 0, gid: 0, pid: 1 };
const DEFAULT_MAX_BUFFER = 64 * 1024 * 1024;
const decoder = new TextDecoder();

export class AgentOs {
  readonly #kernel: Kernel;
  readonly #permissions: Permissions;
  readonly #spawned = new Map<number, SpawnedProcess>();
  readonly #shells = new Map<string, ShellSession>();
  #nextShellId = 1;
  readonly #options: AgentOsOptions;
  #disposed = false;
  #toolKits: ToolKit[] = [];
  #software: InstalledSoftware | undefined;
  #sessionManager: SessionManager | undefined;
  // Cron exec actions run like vm.exec; session actions run one prompt in a fresh session.
  readonly #cron = new CronScheduler({
    exec: (commandLine) => this.exec(commandLine),
    session: async (agentType, prompt, options) => {
      const { sessionId } = await this.createSession(agentType, options as CreateSessionOptions);
      try {
        return await this.prompt(sessionId, prompt);
      } finally {
        await this.destroySession(sessionId);
      }
    },
  });

  private constructor(kernel: Kernel, permissions: Permissions, options: AgentOsOptions) {
    this.#kernel = kernel;
    this.#permissions = permissions;
    this.#options = options;
    kernel.onProcessEvent((event) => {
      if (event.type === "exit") this.#spawned.get(event.info.pid)?.exit(statusCode(event.info));
    });
  }

  /** Creates and boots a VM. */
  static async create(options: AgentOsOptions = {}): Promise<AgentOs> {
    if (typeof options !== "object" || options === null)
      throw new TypeError("AgentOs.create: options must be an object");
    for (const key of Object.keys(options)) {
      if (key in LATER_OPTIONS)
        throw new Error(
          `AgentOs.create: option "${key}" (${LATER_OPTIONS[key]}) is not supported yet`,
        );
      if (!KNOWN_OPTIONS.includes(key))
        throw new TypeError(`AgentOs.create: unknown option "${key}"`);
    }
    const permissions = named("AgentOs.create", () => validatePermissions(options.permissions));
    const env = checkEnv("AgentOs.create", options.env);
    checkEnvPolicy(permissions, env, "AgentOs.create");
    const cwd =
      options.cwd === undefined
        ? HOME
        : normalizePath(checkAbsolutePath("AgentOs.create", options.cwd, "cwd"));
    const hostname =
      options.hostname === undefined
        ? DEFAULT_HOSTNAME
        : checkString("AgentOs.create", options.hostname, "hostname");
    if (!/^[A-Za-z0-9][A-Za-z0-9.-]{0,62}$/.test(hostname))
      throw new TypeError(`AgentOs.create: invalid hostname ${JSON.stringify(hostname)}`);
    const mounts = options.mounts ?? [];
    if (!Array.isArray(mounts)) throw new TypeError("AgentOs.create: mounts must be an array");
    const builtMounts = mounts.map((config, i) => {
      const where = `AgentOs.create: mounts[${i}]`;
      if (typeof config !== "object" || config === null)
        throw new TypeError(`${where} must be an object`);
      const path = normalizePath(checkAbsolutePath(where, config.path));
      return {
        path,
        readOnly: config.readOnly === true,
        ...buildMountBackend(config, where, config.readOnly === true),
      };
    });

    const registry = new CommandRegistry(defaultRegistry());
    const toolKits = checkToolKits("AgentOs.create", options.toolKits);
    const software = installSoftware(
      "AgentOs.create",
      options.software,
      (name) => registry.get(name) !== undefined,
    );
    for (const command of [...hostToolCommands(toolKits), ...software.commands])
      registry.register(command);
    // Software packages first: a user mount over /root/node_modules then leaves them visible.
    builtMounts.unshift(
      ...software.packages.map((pkg) => ({
        path: pkg.vmDir,
        readOnly: true,
        ...buildMountBackend(
          { plugin: { id: "host_dir", config: { hostPath: pkg.hostDir } } },
          `AgentOs.create: software package ${pkg.name}`,
          true,
        ),
      })),
    );
    const image = await sharedRootImage(defaultRegistry());
    const limits = named("AgentOs.create", () => resolveLimits(options.limits));
    const network = new NetworkStack({
      hostname,
      policy: {
        ...permissions.network,
        loopbackExemptPorts: checkPorts(options.loopbackExemptPorts),
      },
    });
    // The VM's own boot writes (/etc/hostname, mount points) are not subject to the policy.
    const policy = fsAccessPolicy(permissions);
    let booting = true;
    const fs = new Namespace(createRootFs(image, limits.maxFsBytes), {
      rootOptions: { type: "rootfs", source: "rootfs" },
      policy: policy && ((path, access) => booting || policy(path, access)),
    });
    const kernel = new Kernel({
      fs,
      registry,
      limits,
      policy: kernelPolicy(permissions),
      network,
      env: {
        PATH: DEFAULT_PATH,
        HOME,
        USER: "user",
        LOGNAME: "user",
        SHELL: "/bin/bash",
        HOSTNAME: hostname,
        LANG: "C.UTF-8",
        PWD: cwd,
        ...env,
      },
      cwd,
      uid: USER.uid,
      gid: USER.gid,
    });
    attachToolKits(kernel, toolKits);
    const vm = new AgentOs(kernel, permissions, options);
    vm.#toolKits = toolKits;
    vm.#software = software;
    try {
      await vm.#boot(hostname, builtMounts);
      await vm.#installCommandFiles(toolKits, software);
    } finally {
      booting = false;
    }
    return vm;
  }

  async #boot(
    hostname: string,
    mounts: Array<{
      path: string;
      readOnly: boolean;
      backend: VfsBackend;
      type: string;
      source: string;
    }>,
  ): Promise<void> {
    const root = ROOT_CALLER;
    if (hostname !== DEFAULT_HOSTNAME) {
      for (const [path, content] of etcFiles(hostname)) {
        if (path !== "/etc/hostname" && path !== "/etc/hosts") continue;
        await this.#kernel.fs.writeFile(root, path, new TextEncoder().encode(content), 0o644);
      }
    }
    await this.#kernel.fs.mount(
      root,
      "/dev",
      new DevFs({ openTty: (pid) => this.#kernel.openTty(pid) }),
      {
        type: "devtmpfs",
        source: "udev",
      },
    );
    await this.#kernel.fs.mount(root, "/proc", new ProcFs(this.#kernel, { hostname }), {
      type: "proc",
      source: "proc",
    });
    for (const mount of mounts) {
      await this.#mkdirp(mount.path, root);
      await this.#kernel.fs.mount(root, mount.path, mount.backend, {
        readOnly: mount.readOnly,
        type: mount.type,
        source: mount.source,
      });
    }
  }

  /**
   * Stubs of the host-tool and WASM commands, and launchers of software bins, on the PATH;
   * code mode's tools.d.ts.
   */
  async #installCommandFiles(toolKits: ToolKit[], software: InstalledSoftware): Promise<void> {
    const files = hostToolFiles(toolKits);
    for (const command of software.commands)
      files.push({
        path: `${SOFTWARE_BIN_DIR}/${command.name}`,
        content: builtinStub(command.name),
        mode: 0o755,
      });
    for (const file of software.files)
      files.push({ ...file, content: new TextEncoder().encode(file.content) });
    for (const file of files) {
      await this.#mkdirp(dirname(file.path), ROOT_CALLER);
      await this.#kernel.fs.writeFile(ROOT_CALLER, file.path, file.content, file.mode);
    }
  }

  /** Host toolkits installed in this VM (from the toolKits option). */
  get toolKits(): readonly ToolKit[] {
    return this.#toolKits;
  }

  /** Agents registered by the software option, resolved to VM paths (used by sessions). */
  get softwareAgents(): readonly SoftwareAgent[] {
    return this.#software?.agents ?? [];
  }

  // ---- lifecycle ---------------------------------------------------------------------------

  /** Kills every process and releases the VM. Idempotent; later calls on the VM fail clearly. */
  async dispose(): Promise<void> {
    if (this.#disposed) return;
    this.#disposed = true;
    this.#cron.dispose();
    this.#sessionManager?.disposeAll();
    this.#kernel.shutdown();
    for (const record of this.#spawned.values()) record.exit(128 + SIGNALS.SIGKILL);
    for (const mount of this.#kernel.fs.mounts.list()) {
      try {
        await mount.backend.dispose?.();
      } catch {
        // Disposal continues with the other mounts.
      }
    }
  }

  get disposed(): boolean {
    return this.#disposed;
  }

  #alive(method: string): void {
    if (this.#disposed) throw new Error(`${method}: this VM has been disposed`);
  }

  /** The kernel, for layers built on the VM (shell, runtimes); not part of the stable API. */
  get kernel(): Kernel {
    return this.#kernel;
  }

  get options(): Readonly<AgentOsOptions> {
    return this.#options;
  }

  // ---- cron --------------------------------------------------------------------------------

  /**
   * Schedules `action` on `schedule` (5/6-field cron expression or ISO time for one run).
   * Invalid schedules and actions throw here. Returns the job's id and a cancel function.
   */
  scheduleCron(options: CronJobOptions): CronJob {
    this.#alive("scheduleCron");
    return this.#cron.schedule(options);
  }

  listCronJobs(): CronJobInfo[] {
    this.#alive("listCronJobs");
    return this.#cron.list();
  }

  /** Stops a job's future runs; false when no job has that id. */
  cancelCronJob(id: string): boolean {
    this.#alive("cancelCronJob");
    checkString("cancelCronJob", id, "id");
    return this.#cron.cancel(id);
  }

  /** Subscribes to every job's events (cron:fire, cron:complete, cron:error, cron:skip). */
  onCronEvent(handler: CronEventHandler): () => void {
    this.#alive("onCronEvent");
    if (typeof handler !== "function")
      throw new TypeError(`onCronEvent: handler must be a function, got ${describe(handler)}`);
    return this.#cron.onEvent(handler);
  }

  // ---- network -----------------------------------------------------------------------------

  /**
   * Sends an HTTP request to a server listening on `port` inside the VM and resolves with its
   * Response. `request` is a Request, a URL, or a path ("/api?x=1") taken relative to
   * http://localhost:PORT (then `init` gives method, headers, body). Both bodies stream.
   * Rejects with code ECONNREFUSED when nothing listens on the port.
   */
  async fetch(
    port: number,
    request: Request | URL | string,
    init?: RequestInit,
  ): Promise<Response> {
    this.#alive("fetch");
    if (typeof port !== "number" || !Number.isInteger(port) || port < 1 || port > 65535)
      throw new TypeError(`fetch: port must be an integer from 1 to 65535, got ${describe(port)}`);
    return fetchFromHost(this.#kernel.net, port, toRequest(port, request, init));
  }

  /**
   * Subscribes to the VM's network events: "listen"/"unlisten" of guest servers, and each
   * outbound connection, "connect" or "denied" (with the policy's reason). Returns the
   * unsubscribe function.
   */
  onNetworkEvent(handler: NetworkEventHandler): () => void {
    this.#alive("onNetworkEvent");
    if (typeof handler !== "function")
      throw new TypeError(`onNetworkEvent: handler must be a function, got ${describe(handler)}`);
    return this.#kernel.net.onEvent(handler);
  }

  // ---- agent sessions (see acp/) ------------------------------------------------------------

  get #sessions(): SessionManager {
    this.#sessionManager ??= new SessionManager(this, {
      cwd: this.#kernel.init.cwd,
      limits: this.#kernel.limits,
      toolKitNames: () => this.#toolKits.map((k) => k.name),
      additionalInstructions: this.#options.additionalInstructions,
      permissions: this.#options.agentPermissions,
    });
    return this.#sessionManager;
  }

  /** Agents this VM knows, and whether a software package installed them. */
  listAgents(): AgentRegistryEntry[] {
    this.#alive("listAgents");
    return this.#sessions.listAgents();
  }

  /** Launches the agent's ACP adapter as a VM process and creates an ACP session. */
  async createSession(
    agentType: string,
    options: CreateSessionOptions = {},
  ): Promise<{ sessionId: string }> {
    this.#alive("createSession");
    return this.#sessions.create(agentType, options);
  }

  listSessions(): SessionInfo[] {
    this.#alive("listSessions");
    return this.#sessions.list();
  }

  /** Sends a prompt; resolves when the turn ends, with the agent's text of the turn. */
  async prompt(sessionId: string, text: string): Promise<PromptResult> {
    this.#alive("prompt");
    checkString("prompt", text, "text");
    return this.#sessions.get("prompt", sessionId).prompt(text);
  }

  async cancelSession(sessionId: string): Promise<JsonRpcResponse> {
    this.#alive("cancelSession");
    return this.#sessions.get("cancelSession", sessionId).cancel();
  }

  /** Kills the agent's adapter process and forgets the session. */
  closeSession(sessionId: string): void {
    this.#alive("closeSession");
    this.#sessions.close(sessionId);
  }

  /** Cancels any turn, closes the agent's session, then kills the adapter. */
  async destroySession(sessionId: string): Promise<void> {
    this.#alive("destroySession");
    return this.#sessions.destroy(sessionId);
  }

  /** Every event from now on; with `since`, stored events after that sequence number first. */
  onSessionEvent(
    sessionId: string,
    handler: SessionEventHandler,
    options: { since?: number } = {},
  ): () => void {
    this.#alive("onSessionEvent");
    if (typeof handler !== "function")
      throw new TypeError("onSessionEvent: handler must be a function");
    return this.#sessions.get("onSessionEvent", sessionId).events.subscribe(handler, options.since);
  }

  /** The stored transcript (events after `since`, all by default). */
  getSessionEvents(sessionId: string, options: { since?: number } = {}): SessionEvent[] {
    this.#alive("getSessionEvents");
    return this.#sessions.get("getSessionEvents", sessionId).events.since(options.since);
  }

  onPermissionRequest(sessionId: string, handler: PermissionRequestHandler): () => void {
    this.#alive("onPermissionRequest");
    if (typeof handler !== "function")
      throw new TypeError("onPermissionRequest: handler must be a function");
    return this.#sessions.get("onPermissionRequest", sessionId).permissions.onRequest(handler);
  }

  async respondPermission(
    sessionId: string,
    permissionId: string,
    reply: PermissionReply,
  ): Promise<JsonRpcResponse> {
    this.#alive("respondPermission");
    if (reply !== "once" && reply !== "always" && reply !== "reject")
      throw new TypeError(
        `respondPermission: reply must be "once", "always" or "reject", got ${describe(reply)}`,
      );
    return this.#sessions
      .get("respondPermission", sessionId)
      .respondPermission(permissionId, reply);
  }

  async setSessionMode(sessionId: string, modeId: string): Promise<JsonRpcResponse> {
    this.#alive("setSessionMode");
    checkString("setSessionMode", modeId, "modeId");
    return this.#sessions.get("setSessionMode", sessionId).setMode(modeId);
  }

  getSessionModes(sessionId: string): SessionModeState | null {
    this.#alive("getSessionModes");
    return this.#sessions.get("getSessionModes", sessionId).modes;
  }

  async setSessionModel(sessionId: string, model: string): Promise<JsonRpcResponse> {
    this.#alive("setSessionModel");
    checkString("setSessionModel", model, "model");
    return this.#sessions
      .get("setSessionModel", sessionId)
      .setByCategory("setSessionModel", "model", model);
  }

  async setSessionThoughtLevel(sessionId: string, level: string): Promise<JsonRpcResponse> {
    this.#alive("setSessionThoughtLevel");
    checkString("setSessionThoughtLevel", level, "level");
    return this.#sessions
      .get("setSessionThoughtLevel", sessionId)
      .setByCategory("setSessionThoughtLevel", "thought_level", level);
  }

  getSessionConfigOptions(sessionId: string): SessionConfigOption[] {
    this.#alive("getSessionConfigOptions");
    return this.#sessions.get("getSessionConfigOptions", sessionId).configOptions;
  }

  /** Sends any ACP request to the agent; its answer (or error) as a JSON-RPC response. */
  async rawSend(
    sessionId: string,
    method: string,
    params: Record<string, unknown> = {},
  ): Promise<JsonRpcResponse> {
    this.#alive("rawSend");
    checkString("rawSend", method, "method");
    return this.#sessions.get("rawSend", sessionId).send(method, params);
  }

  // ---- filesystem --------------------------------------------------------------------------

  get #caller() {
    return this.#kernel.init;
  }

  async readFile(path: string): Promise<Uint8Array> {
    this.#alive("readFile");
    checkAbsolutePath("readFile", path);
    return this.#kernel.fs.readFile(this.#caller, path);
  }

  async writeFile(path: string, content: string | Uint8Array): Promise<void> {
    this.#alive("writeFile");
    checkAbsolutePath("writeFile", path);
    const data = checkData("writeFile", content);
    if (data.length > this.#kernel.limits.maxFileSizeBytes)
      throw new KernelError("EFBIG", "write", path);
    await this.#kernel.fs.writeFile(this.#caller, path, data);
  }

  async readFiles(paths: string[]): Promise<BatchReadResult[]> {
    this.#alive("readFiles");
    if (!Array.isArray(paths))
      throw new TypeError(`readFiles: paths must be an array, got ${describe(paths)}`);
    const results: BatchReadResult[] = [];
    for (const path of paths) {
      try {
        results.push({ path, content: await this.readFile(path) });
      } catch (err) {
        results.push({ path, content: null, error: (err as Error).message });
      }
    }
    return results;
  }

  /** Writes each entry, creating parent directories; one failure does not stop the others. */
  async writeFiles(entries: BatchWriteEntry[]): Promise<BatchWriteResult[]> {
    this.#alive("writeFiles");
    if (!Array.isArray(entries))
      throw new TypeError(`writeFiles: entries must be an array, got ${describe(entries)}`);
    const results: BatchWriteResult[] = [];
    for (const entry of entries) {
      const path = typeof entry === "object" && entry !== null ? entry.path : undefined;
      try {
        if (typeof entry !== "object" || entry === null)
          throw new TypeError("writeFiles: each entry must be { path, content }");
        checkAbsolutePath("writeFiles", entry.path);
        const data = checkData("writeFiles", entry.content);
        if (data.length > this.#kernel.limits.maxFileSizeBytes)
          throw new KernelError("EFBIG", "write", entry.path);
        await this.#mkdirp(dirname(normalizePath(entry.path)), this.#caller);
        await this.#kernel.fs.writeFile(this.#caller, entry.path, data);
        results.push({ path: String(path), success: true });
      } catch (err) {
        results.push({ path: String(path), success: false, error: (err as Error).message });
      }
    }
    return results;
  }

  /** Creates a directory and any missing parents (an existing directory is fine). */
  async mkdir(path: string, options: { recursive?: boolean } = {}): Promise<void> {
    this.#alive("mkdir");
    checkAbsolutePath("mkdir", path);
    checkOptions("mkdir", options, ["recursive"]);
    if (options.recursive === false) return this.#kernel.fs.mkdir(this.#caller, path);
    await this.#mkdirp(normalizePath(path), this.#caller);
  }

  async #mkdirp(path: string, caller: { uid: number; gid: number; pid: number }): Promise<void> {
    try {
      const stat = await this.#kernel.fs.stat(caller, path);
      if (!isDirMode(stat.mode)) throw new KernelError("ENOTDIR", "mkdir", path);
      return;
    } catch (err) {
      if (!isKernelError(err, "ENOENT")) throw err;
    }
    if (path !== "/") await this.#mkdirp(dirname(path), caller);
    try {
      await this.#kernel.fs.mkdir(caller, path, 0o755);
    } catch (err) {
      if (!isKernelError(err, "EEXIST")) throw err;
    }
  }

  async readdir(path: string): Promise<string[]> {
    this.#alive("readdir");
    checkAbsolutePath("readdir", path);
    const entries = await this.#kernel.fs.readdir(this.#caller, path);
    return entries.map((e) => e.name);
  }

  /** Lists a tree depth-first with metadata. Symlinks are listed, not followed. */
  async readdirRecursive(path: string, options: ReaddirRecursiveOptions = {}): Promise<DirEntry[]> {
    this.#alive("readdirRecursive");
    checkAbsolutePath("readdirRecursive", path);
    checkOptions("readdirRecursive", options, ["maxDepth", "exclude"]);
    const maxDepth = options.maxDepth ?? Number.POSITIVE_INFINITY;
    if (typeof maxDepth !== "number" || !(maxDepth >= 0))
      throw new TypeError("readdirRecursive: maxDepth must be a non-negative number");
    const excluded = options.exclude ?? [];
    if (!Array.isArray(excluded) || excluded.some((name) => typeof name !== "string"))
      throw new TypeError("readdirRecursive: exclude must be an array of entry names");
    const exclude = new Set(excluded);
    const out: DirEntry[] = [];
    const walk = async (dir: string, depth: number): Promise<void> => {
      const entries: FsDirEntry[] = await this.#kernel.fs.readdir(this.#caller, dir);
      for (const entry of entries) {
        if (exclude.has(entry.name)) continue;
        const full = joinPath(dir, entry.name);
        let stat: Stat;
        try {
          stat = await this.#kernel.fs.lstat(this.#caller, full);
        } catch {
          continue; // vanished between readdir and lstat
        }
        const type = isDirMode(stat.mode)
          ? "directory"
          : isLinkMode(stat.mode)
            ? "symlink"
            : entry.kind === "file"
              ? "file"
              : "other";
        out.push({ path: full, type, size: stat.size });
        if (type === "directory" && depth < maxDepth) await walk(full, depth + 1);
      }
    };
    await walk(normalizePath(path), 1);
    return out;
  }

  async stat(path: string): Promise<VirtualStat> {
    this.#alive("stat");
    checkAbsolutePath("stat", path);
    return toVirtualStat(await this.#kernel.fs.stat(this.#caller, path));
  }

  async lstat(path: string): Promise<VirtualStat> {
    this.#alive("lstat");
    checkAbsolutePath("lstat", path);
    return toVirtualStat(await this.#kernel.fs.lstat(this.#caller, path));
  }

  async exists(path: string): Promise<boolean> {
    this.#alive("exists");
    checkAbsolutePath("exists", path);
    try {
      await this.#kernel.fs.stat(this.#caller, path);
      return true;
    } catch (err) {
      if (isKernelError(err)) return false;
      throw err;
    }
  }

  /** Renames; across mounts it copies then deletes, as `mv` does. */
  async move(from: string, to: string): Promise<void> {
    this.#alive("move");
    checkAbsolutePath("move", from, "from");
    checkAbsolutePath("move", to, "to");
    try {
      await this.#kernel.fs.rename(this.#caller, from, to);
    } catch (err) {
      if (!isKernelError(err, "EXDEV")) throw err;
      await this.#copyTree(from, to);
      await this.#deleteTree(from);
    }
  }

  async #copyTree(from: string, to: string): Promise<void> {
    const fs = this.#kernel.fs;
    const stat = await fs.lstat(this.#caller, from);
    if (isDirMode(stat.mode)) {
      await fs.mkdir(this.#caller, to, stat.mode & 0o7777);
      for (const entry of await fs.readdir(this.#caller, from)) {
        await this.#copyTree(joinPath(from, entry.name), joinPath(to, entry.name));
      }
    } else if (isLinkMode(stat.mode)) {
      await fs.symlink(this.#caller, await fs.readlink(this.#caller, from), to);
    } else {
      await fs.writeFile(
        this.#caller,
        to,
        await fs.readFile(this.#caller, from),
        stat.mode & 0o7777,
      );
    }
  }

  async delete(path: string, options: { recursive?: boolean } = {}): Promise<void> {
    this.#alive("delete");
    checkAbsolutePath("delete", path);
    checkOptions("delete", options, ["recursive"]);
    const stat = await this.#kernel.fs.lstat(this.#caller, path);
    if (!isDirMode(stat.mode)) return this.#kernel.fs.unlink(this.#caller, path);
    if (options.recursive) return this.#deleteTree(path);
    return this.#kernel.fs.rmdir(this.#caller, path);
  }

  async #deleteTree(path: string): Promise<void> {
    const fs = this.#kernel.fs;
    const stat = await fs.lstat(this.#caller, path);
    if (!isDirMode(stat.mode)) return fs.unlink(this.#caller, path);
    for (const entry of await fs.readdir(this.#caller, path))
      await this.#deleteTree(joinPath(path, entry.name));
    await fs.rmdir(this.#caller, path);
  }

  /**
   * Mounts a filesystem at `path` (created if missing). The mount routes at once; the
   * returned promise settles when the mount point is visible in its parent's listing.
   */
  async mountFs(
    path: string,
    driver: VirtualFileSystem | VfsBackend,
    options: { readOnly?: boolean } = {},
  ): Promise<void> {
    this.#alive("mountFs");
    checkAbsolutePath("mountFs", path);
    checkOptions("mountFs", options, ["readOnly"]);
    const canonical = normalizePath(path);
    if (canonical === "/") throw new Error("mountFs: cannot mount over /");
    const readOnly = options.readOnly === true;
    const built = buildMountBackend({ driver }, "mountFs", readOnly);
    const under = this.#kernel.fs.mounts.route(canonical);
    this.#kernel.fs.mounts.mount(canonical, built.backend, {
      readOnly,
      type: built.type,
      source: built.source,
    });
    // The mount point directory in the filesystem underneath only matters for listings of
    // the parent; routing works without it.
    return this.#mkdirp(dirname(canonical), ROOT_CALLER)
      .then(() => under.mount.backend.mkdir(under.inner, 0o755, USER))
      .catch(() => {});
  }

  unmountFs(path: string): void {
    this.#alive("unmountFs");
    checkAbsolutePath("unmountFs", path);
    const canonical = normalizePath(path);
    try {
      const mount = this.#kernel.fs.mounts.unmount(canonical);
      void Promise.resolve(mount.backend.dispose?.()).catch(() => {});
    } catch (err) {
      if (isKernelError(err, "EINVAL"))
        throw new Error(`unmountFs: nothing is mounted at ${canonical}`);
      if (isKernelError(err, "EBUSY"))
        throw new Error(`unmountFs: ${canonical} has other mounts below it; unmount those first`);
      throw err;
    }
  }

  // ---- processes ---------------------------------------------------------------------------

  /** Runs `command` with the VM's shell (`bash -c`) and collects its output. */
  async exec(command: string, options: ExecOptions = {}): Promise<ExecResult> {
    this.#alive("exec");
    checkString("exec", command, "command");
    checkOptions("exec", options, EXEC_OPTIONS);
    const env = checkEnv("exec", options.env);
    checkEnvPolicy(this.#permissions, env, "exec");
    const cwd = await this.#checkCwd("exec", options.cwd);
    const timeout = options.timeout;
    if (timeout !== undefined && (typeof timeout !== "number" || !(timeout > 0)))
      throw new TypeError("exec: timeout must be a positive number of milliseconds");
    const maxBuffer = options.maxBuffer ?? DEFAULT_MAX_BUFFER;
    if (typeof maxBuffer !== "number" || !(maxBuffer > 0))
      throw new TypeError("exec: maxBuffer must be a positive number");
    for (const key of ["onStdout", "onStderr"] as const) {
      if (options[key] !== undefined && typeof options[key] !== "function")
        throw new TypeError(`exec: ${key} must be a function`);
    }
    const input =
      options.stdin === undefined ? undefined : checkData("exec", options.stdin, "stdin");

    const stdout: Uint8Array[] = [];
    const stderr: Uint8Array[] = [];
    let outBytes = 0;
    let errBytes = 0;
    let overflow = false;
    let pid = 0;
    const kill = (): void => {
      try {
        this.#kernel.kill(1, -pid, SIGNALS.SIGKILL);
      } catch {
        // Already gone.
      }
    };
    const collect = (
      chunks: Uint8Array[],
      data: Uint8Array,
      stream: "out" | "err",
      handler?: (d: Uint8Array) => void,
    ): void => {
      const total = stream === "out" ? (outBytes += data.length) : (errBytes += data.length);
      if (total > maxBuffer) {
        if (!overflow) {
          overflow = true;
          kill();
        }
        return;
      }
      chunks.push(data);
      if (handler) {
        try {
          handler(data);
        } catch {
          // The caller's callback must not break the command.
        }
      }
    };
    const out = new SinkOpenFile("exec:stdout", (d) => collect(stdout, d, "out", options.onStdout));
    const err = new SinkOpenFile("exec:stderr", (d) => collect(stderr, d, "err", options.onStderr));
    const stdin = this.#kernel.createPipe();
    pid = this.#kernel.start(1, {
      argv: ["/bin/bash", "-c", command],
      cwd,
      env: env
        ? { ...this.#kernel.init.env, PWD: cwd, ...env }
        : { ...this.#kernel.init.env, PWD: cwd },
      pgid: 0,
      fds: [
        [0, stdin.readEnd],
        [1, out],
        [2, err],
      ],
      inheritFds: false,
    });
    const exited = this.#kernel.process(pid).exited;
    void stdin.writeEnd.feedAndClose(input);
    let timedOut = false;
    const timer =
      timeout === undefined
        ? undefined
        : setTimeout(() => {
            timedOut = true;
            kill();
          }, timeout);
    const status = await exited;
    if (timer) clearTimeout(timer);
    if (overflow) {
      const error = new Error(
        `exec: output exceeded maxBuffer (${maxBuffer} bytes); the command was killed`,
      );
      Object.assign(error, { stdout: concatText(stdout), stderr: concatText(stderr) });
      throw error;
    }
    const result: ExecResult = {
      stdout: concatText(stdout),
      stderr: concatText(stderr),
      exitCode: timedOut ? 124 : statusCode(status),
    };
    if (timedOut) result.timedOut = true;
    return result;
  }

  async #checkCwd(method: string, cwd: unknown): Promise<string> {
    if (cwd === undefined) return this.#kernel.init.cwd;
    const path = normalizePath(checkAbsolutePath(method, cwd, "cwd"));
    let stat: Stat;
    try {
      stat = await this.#kernel.fs.stat(this.#caller, path);
    } catch (err) {
      throw new Error(`${method}: cwd ${path}: ${(err as Error).message}`);
    }
    if (!isDirMode(stat.mode)) throw new Error(`${method}: cwd ${path} is not a directory`);
    return path;
  }

  /**
   * Starts `command` (a program name or path, looked up on PATH) with `args`, returning its
   * pid at once. Output and exit reach `onStdout`/`onStderr`/`onExit` and any later
   * subscriber (`onProcessOutput`, `onProcessExit`), which first get what was already produced.
   */
  spawn(command: string, args: string[] = [], options: SpawnOptions = {}): { pid: number } {
    this.#alive("spawn");
    checkString("spawn", command, "command");
    if (command.length === 0) throw new TypeError("spawn: command must not be empty");
    if (!Array.isArray(args) || args.some((a) => typeof a !== "string"))
      throw new TypeError("spawn: args must be an array of strings");
    checkOptions("spawn", options, SPAWN_OPTIONS);
    const env = checkEnv("spawn", options.env);
    checkEnvPolicy(this.#permissions, env, "spawn");
    for (const key of ["onStdout", "onStderr", "onExit"] as const) {
      if (options[key] !== undefined && typeof options[key] !== "function")
        throw new TypeError(`spawn: ${key} must be a function`);
    }
    let cwd = this.#kernel.init.cwd;
    if (options.cwd !== undefined)
      cwd = normalizePath(checkAbsolutePath("spawn", options.cwd, "cwd"));
    let record: SpawnedProcess | undefined;
    const pending: Array<[Uint8Array, "stdout" | "stderr"]> = [];
    const emit = (data: Uint8Array, stream: "stdout" | "stderr"): void => {
      if (record) record.output(data, stream);
      else pending.push([data, stream]);
    };
    const stdin = this.#kernel.createPipe();
    const pid = this.#kernel.start(1, {
      argv: [command, ...args],
      cwd,
      env: { ...this.#kernel.init.env, PWD: cwd, ...env },
      pgid: 0,
      fds: [
        [0, stdin.readEnd],
        [1, new SinkOpenFile(`spawn:stdout`, (d) => emit(d, "stdout"))],
        [2, new SinkOpenFile(`spawn:stderr`, (d) => emit(d, "stderr"))],
      ],
      inheritFds: false,
    });
    record = new SpawnedProcess(pid, command, [...args]);
    record.stdin = stdin.writeEnd;
    this.#spawned.set(pid, record);
    for (const [data, stream] of pending) record.output(data, stream);
    const { onStdout, onStderr, onExit } = options;
    if (onStdout || onStderr) {
      record.onOutput((data, stream) =>
        stream === "stdout" ? onStdout?.(data) : onStderr?.(data),
      );
    }
    if (onExit) record.onExit(onExit);
    record.exited.then(() => {
      if (record.stdin) {
        record.stdin.release();
        record.stdin = undefined;
      }
    });
    return { pid };
  }

  #record(method: string, pid: unknown): SpawnedProcess {
    checkPid(method, pid);
    const record = this.#spawned.get(pid as number);
    if (!record)
      throw new Error(`${method}: no process with pid ${pid} was started by spawn() on this VM`);
    return record;
  }

  async writeProcessStdin(pid: number, data: string | Uint8Array): Promise<void> {
    this.#alive("writeProcessStdin");
    const record = this.#record("writeProcessStdin", pid);
    const bytes = checkData("writeProcessStdin", data, "data");
    if (!record.stdin) throw new Error(`writeProcessStdin: stdin of process ${pid} is closed`);
    try {
      await record.stdin.write(bytes);
    } catch (err) {
      if (isKernelError(err, "EPIPE"))
        throw new Error(`writeProcessStdin: process ${pid} is no longer reading its stdin`);
      throw err;
    }
  }

  closeProcessStdin(pid: number): void {
    this.#alive("closeProcessStdin");
    const record = this.#record("closeProcessStdin", pid);
    if (record.stdin) {
      record.stdin.release();
      record.stdin = undefined;
    }
  }

  /** Resolves with the exit code (128 + signal when killed). */
  async waitProcess(pid: number): Promise<number> {
    this.#alive("waitProcess");
    return this.#record("waitProcess", pid).exited;
  }

  /** Subscribes to a spawned process's output; replays what it already wrote (up to 1 MiB). */
  onProcessOutput(pid: number, handler: OutputHandler): () => void {
    this.#alive("onProcessOutput");
    if (typeof handler !== "function")
      throw new TypeError("onProcessOutput: handler must be a function");
    return this.#record("onProcessOutput", pid).onOutput(handler);
  }

  /** Subscribes to a spawned process's exit; fires at once if it already exited. */
  onProcessExit(pid: number, handler: (exitCode: number) => void): () => void {
    this.#alive("onProcessExit");
    if (typeof handler !== "function")
      throw new TypeError("onProcessExit: handler must be a function");
    return this.#record("onProcessExit", pid).onExit(handler);
  }

  listProcesses(): SpawnedProcessInfo[] {
    this.#alive("listProcesses");
    return [...this.#spawned.values()].map((r) => r.info());
  }

  getProcess(pid: number): SpawnedProcessInfo {
    this.#alive("getProcess");
    return this.#record("getProcess", pid).info();
  }

  allProcesses(): ProcessInfo[] {
    this.#alive("allProcesses");
    return this.#kernel.list();
  }

  processTree(): ProcessTreeNode[] {
    this.#alive("processTree");
    return this.#kernel.tree();
  }

  /** SIGTERM. */
  stopProcess(pid: number): void {
    this.#signal("stopProcess", pid, SIGNALS.SIGTERM);
  }

  /** SIGKILL. */
  killProcess(pid: number): void {
    this.#signal("killProcess", pid, SIGNALS.SIGKILL);
  }

  #signal(method: string, pid: number, signal: number): void {
    this.#alive(method);
    checkPid(method, pid);
    if (pid === 1) throw new Error(`${method}: pid 1 is the VM's init and cannot be signalled`);
    if (!this.#kernel.has(pid)) {
      if (this.#spawned.has(pid)) return; // already exited: nothing to do
      throw new Error(`${method}: no process with pid ${pid}`);
    }
    this.#kernel.kill(1, pid, signal);
  }

  // ---- interactive shells ------------------------------------------------------------------

  /**
   * Starts an interactive shell on a new pseudo-terminal: its own session and process group,
   * the pty as controlling terminal and fds 0, 1 and 2, TERM=xterm-256color and COLUMNS/LINES
   * from the size. Output reaches `onShellData` subscribers; input goes in with `writeShell`.
   */
  openShell(options: OpenShellOptions = {}): { shellId: string } {
    this.#alive("openShell");
    checkOptions("openShell", options, SHELL_OPTIONS);
    const command = options.command ?? "bash";
    checkString("openShell", command, "command");
    if (command.length === 0) throw new TypeError("openShell: command must not be empty");
    const args = options.args ?? (options.command === undefined ? ["-l"] : []);
    if (!Array.isArray(args) || args.some((a) => typeof a !== "string"))
      throw new TypeError("openShell: args must be an array of strings");
    const env = checkEnv("openShell", options.env);
    checkEnvPolicy(this.#permissions, env, "openShell");
    let cwd = this.#kernel.init.cwd;
    if (options.cwd !== undefined)
      cwd = normalizePath(checkAbsolutePath("openShell", options.cwd, "cwd"));
    const cols = checkCells("openShell", options.cols, "cols", 80);
    const rows = checkCells("openShell", options.rows, "rows", 24);

    const id = `shell-${this.#nextShellId++}`;
    const session = new ShellSession(id, command, [...args]);
    const pty = this.#kernel.openPty({
      onOutput: (data) => session.output(data),
      size: { cols, rows },
    });
    session.pty = pty;
    const slave = this.#kernel.ptySlave(pty);
    let pid: number;
    try {
      pid = this.#kernel.start(1, {
        argv: [command, ...args],
        cwd,
        env: {
          ...this.#kernel.init.env,
          PWD: cwd,
          TERM: "xterm-256color",
          COLUMNS: String(cols),
          LINES: String(rows),
          ...env,
        },
        setsid: true,
        fds: [
          [0, slave],
          [1, slave],
          [2, slave],
        ],
        inheritFds: false,
      });
      this.#kernel.setControllingTerminal(pid, 0);
    } catch (err) {
      this.#kernel.closePty(pty);
      throw err;
    }
    session.pid = pid;
    this.#shells.set(id, session);
    const unsubscribe = this.#kernel.onProcessEvent((event) => {
      if (event.type !== "exit" || event.info.pid !== pid) return;
      unsubscribe();
      session.exit(statusCode(event.info));
      this.#kernel.closePty(pty);
    });
    return { shellId: id };
  }

  #shell(method: string, shellId: unknown): ShellSession {
    checkString(method, shellId, "shellId");
    const session = this.#shells.get(shellId as string);
    if (!session)
      throw new Error(`${method}: no shell ${JSON.stringify(shellId)} was opened on this VM`);
    return session;
  }

  /** Types `data` at the shell's terminal (through its line discipline). */
  writeShell(shellId: string, data: string | Uint8Array): void {
    this.#alive("writeShell");
    const session = this.#shell("writeShell", shellId);
    const bytes = checkData("writeShell", data, "data");
    if (session.exitCode !== null)
      throw new Error(`writeShell: shell ${shellId} has exited (code ${session.exitCode})`);
    session.pty?.input(bytes);
  }

  /** Subscribes to the shell's terminal output; replays what it already wrote (up to 1 MiB). */
  onShellData(shellId: string, handler: ShellDataHandler): () => void {
    this.#alive("onShellData");
    if (typeof handler !== "function")
      throw new TypeError("onShellData: handler must be a function");
    return this.#shell("onShellData", shellId).onData(handler);
  }

  /** Subscribes to the shell's exit; fires at once if it already exited. */
  onShellExit(shellId: string, handler: ShellExitHandler): () => void {
    this.#alive("onShellExit");
    if (typeof handler !== "function")
      throw new TypeError("onShellExit: handler must be a function");
    return this.#shell("onShellExit", shellId).onExit(handler);
  }

  /** Resolves with the shell's exit code (128 + signal when killed). */
  async waitShell(shellId: string): Promise<number> {
    this.#alive("waitShell");
    return this.#shell("waitShell", shellId).exited;
  }

  /** Resizes the terminal; the foreground process group gets SIGWINCH. */
  resizeShell(shellId: string, cols: number, rows: number): void {
    this.#alive("resizeShell");
    const session = this.#shell("resizeShell", shellId);
    const size = {
      cols: checkCells("resizeShell", cols, "cols"),
      rows: checkCells("resizeShell", rows, "rows"),
    };
    if (session.exitCode === null) session.pty?.setSize(size);
  }

  /** Hangs up the shell: SIGHUP to its session, then SIGKILL to what is left. */
  closeShell(shellId: string): void {
    this.#alive("closeShell");
    const session = this.#shell("closeShell", shellId);
    if (session.exitCode === null) session.close(this.#kernel);
  }

  listShells(): ShellInfo[] {
    this.#alive("listShells");
    return [...this.#shells.values()].map((s) => s.info());
  }

  /**
   * Runs a shell attached to the host's terminal (process.stdin/stdout unless other streams
   * are given) until it exits: raw mode while attached, resizes forwarded, everything
   * restored afterwards. Resolves with the shell's exit code.
   */
  async connectTerminal(options: ConnectTerminalOptions = {}): Promise<number> {
    this.#alive("connectTerminal");
    checkOptions("connectTerminal", options, [...SHELL_OPTIONS, "stdin", "stdout"]);
    const { stdin: input, stdout: output, ...shellOptions } = options;
    const stdin = input ?? process.stdin;
    const stdout = output ?? process.stdout;
    if (typeof stdin !== "object" || stdin === null || typeof stdin.on !== "function")
      throw new TypeError("connectTerminal: stdin must be a readable stream");
    if (typeof stdout !== "object" || stdout === null || typeof stdout.write !== "function")
      throw new TypeError("connectTerminal: stdout must be a writable stream");
    if (shellOptions.cols === undefined && stdout.columns) shellOptions.cols = stdout.columns;
    if (shellOptions.rows === undefined && stdout.rows) shellOptions.rows = stdout.rows;
    const { shellId } = this.openShell(shellOptions);
    const session = this.#shell("connectTerminal", shellId);
    return attachTerminal(
      {
        write: (data) => {
          if (session.exitCode === null) session.pty?.input(data);
        },
        resize: (cols, rows) => {
          if (session.exitCode === null) session.pty?.setSize({ cols, rows });
        },
        onData: (handler) => session.onData(handler),
        exited: session.exited,
      },
      stdin,
      stdout,
    );
  }
}

/** A terminal dimension: a positive integer of cells (`fallback` when undefined). */
function checkCells(method: string, value: unknown, name: string, fallback?: number): number {
  if (value === undefined && fallback !== undefined) return fallback;
  if (typeof value !== "number" || !Number.isInteger(value) || value < 1 || value > 0xffff)
    throw new TypeError(
      `${method}: ${name} must be an integer from 1 to 65535, got ${describe(value)}`,
    );
  return value;
}

/** loopbackExemptPorts: host ports from 1 to 65535. */
function checkPorts(ports: unknown): number[] {
  if (ports === undefined) return [];
  if (
    !Array.isArray(ports) ||
    !ports.every((p) => typeof p === "number" && Number.isInteger(p) && p >= 1 && p <= 65535)
  ) {
    throw new TypeError(
      `AgentOs.create: loopbackExemptPorts must be an array of port numbers (1-65535), got ${describe(ports)}`,
    );
  }
  return ports;
}

/** Runs a validator whose messages do not name the API method, prefixing `method`. */
function named<T>(method: string, validate: () => T): T {
  try {
    return validate();
  } catch (err) {
    if (err instanceof TypeError) throw new TypeError(`${method}: ${err.message}`);
    throw err;
  }
}

function concatText(chunks: Uint8Array[]): string {
  if (chunks.length === 1) return decoder.decode(chunks[0]);
  let total = 0;
  for (const c of chunks) total += c.length;
  const all = new Uint8Array(total);
  let offset = 0;
  for (const c of chunks) {
    all.set(c, offset);
    offset += c.length;
  }
  return decoder.decode(all);
}

export function toVirtualStat(stat: Stat): VirtualStat {
  const type = stat.mode & 0o170000;
  return {
    mode: stat.mode,
    size: stat.size,
    isFile: type === 0o100000,
    isDirectory: type === 0o040000,
    isSymbolicLink: type === 0o120000,
    atimeMs: stat.atimeMs,
    mtimeMs: stat.mtimeMs,
    ctimeMs: stat.ctimeMs,
    birthtimeMs: stat.birthtimeMs,
    ino: stat.ino,
    nlink: stat.nlink,
    uid: stat.uid,
    gid: stat.gid,
    dev: stat.dev,
  };
}
