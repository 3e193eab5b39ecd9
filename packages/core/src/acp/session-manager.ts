/**
 * The sessions of one VM: creates them from the agents its software registered, finds them by
 * id for every session method (with a clear error for an unknown id), and closes them all
 * when the VM is disposed.
 */
import type { KernelLimits } from "../kernel/limits.ts";
import { agentSnapshotState, registerAgentSnapshots } from "../software/agent-snapshot.ts";
import { AgentSession, DEFAULT_REQUEST_TIMEOUT_MS, SessionError } from "./agent-session.ts";
import { KNOWN_AGENTS } from "./known-agents.ts";
import { osInstructions } from "./os-instructions.ts";
import type { SessionHost } from "./session-host.ts";
import type {
  AgentPermissionPolicy,
  AgentRegistryEntry,
  CreateSessionOptions,
  McpServerConfig,
  SessionInfo,
} from "./session-types.ts";

const CREATE_OPTIONS = [
  "cwd",
  "env",
  "mcpServers",
  "skipOsInstructions",
  "additionalInstructions",
  "requestTimeoutMs",
];

export interface SessionManagerOptions {
  /** The VM's default cwd. */
  cwd: string;
  limits: KernelLimits;
  toolKitNames: () => string[];
  additionalInstructions?: string;
  permissions?: AgentPermissionPolicy;
}

export class SessionManager {
  readonly #host: SessionHost;
  readonly #options: SessionManagerOptions;
  readonly #sessions = new Map<string, AgentSession>();
  #next = 1;

  constructor(host: SessionHost, options: SessionManagerOptions) {
    this.#host = host;
    this.#options = options;
    registerAgentSnapshots(host.kernel, host.softwareAgents);
  }

  listAgents(): AgentRegistryEntry[] {
    const installed = this.#host.softwareAgents;
    const entries: AgentRegistryEntry[] = KNOWN_AGENTS.map((known) => {
      const soft = installed.find((a) => a.id === known.id);
      return {
        id: known.id,
        acpAdapter: soft?.acpAdapter ?? known.acpAdapter,
        agentPackage: soft?.agentPackage ?? known.agentPackage,
        installed: soft !== undefined,
        ...(soft ? { snapshot: agentSnapshotState(this.#host.kernel, soft) } : {}),
        ...(known.unsupported ? { unsupported: known.unsupported } : {}),
      };
    });
    for (const soft of installed) {
      if (!KNOWN_AGENTS.some((k) => k.id === soft.id))
        entries.push({
          id: soft.id,
          acpAdapter: soft.acpAdapter,
          agentPackage: soft.agentPackage,
          installed: true,
          snapshot: agentSnapshotState(this.#host.kernel, soft),
        });
    }
    return entries;
  }

  async create(
    agentType: string,
    options: CreateSessionOptions = {},
  ): Promise<{ sessionId: string }> {
    const method = "createSession";
    if (typeof agentType !== "string" || agentType === "")
      throw new TypeError(`${method}: agentType must be a non-empty string`);
    if (typeof options !== "object" || options === null)
      throw new TypeError(`${method}: options must be an object`);
    for (const key of Object.keys(options))
      if (!CREATE_OPTIONS.includes(key)) throw new TypeError(`${method}: unknown option "${key}"`);
    const known = KNOWN_AGENTS.find((k) => k.id === agentType);
    if (known?.unsupported)
      throw new Error(`${method}: agent "${agentType}": ${known.unsupported}`);
    const agent = this.#host.softwareAgents.find((a) => a.id === agentType);
    if (!agent) {
      const available = this.#host.softwareAgents.map((a) => a.id);
      throw new Error(
        `${method}: agent "${agentType}" is not installed in this VM` +
          (known
            ? ` (add its software package, which provides ${known.acpAdapter} and ${known.agentPackage}, to the software option)`
            : "") +
          (available.length > 0 ? `; installed: ${available.join(", ")}` : ""),
      );
    }
    const cwd = options.cwd ?? this.#options.cwd;
    if (typeof cwd !== "string" || !cwd.startsWith("/"))
      throw new TypeError(`${method}: cwd must be an absolute path`);
    const env = options.env ?? {};
    if (
      typeof env !== "object" ||
      env === null ||
      Object.values(env).some((v) => typeof v !== "string")
    )
      throw new TypeError(`${method}: env must be an object of strings`);
    const mcpServers = checkMcpServers(method, options.mcpServers);
    const timeout = options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
    if (typeof timeout !== "number" || !(timeout > 0))
      throw new TypeError(`${method}: requestTimeoutMs must be a positive number`);
    const instructions = options.skipOsInstructions
      ? ""
      : osInstructions({
          cwd,
          toolKits: this.#options.toolKitNames(),
          maxProcesses: this.#options.limits.maxProcesses,
          maxFsBytes: this.#options.limits.maxFsBytes,
          additional: [this.#options.additionalInstructions, options.additionalInstructions],
        });
    const sessionId = `${agentType}-${this.#next++}`;
    const session = new AgentSession(this.#host, {
      sessionId,
      agent,
      cwd,
      env,
      mcpServers,
      instructions,
      requestTimeoutMs: timeout,
      permissions: this.#options.permissions,
    });
    this.#sessions.set(sessionId, session);
    try {
      await session.start();
    } catch (err) {
      this.#sessions.delete(sessionId);
      throw err;
    }
    return { sessionId };
  }

  /** The session `sessionId`, or a clear error naming the method. */
  get(method: string, sessionId: unknown): AgentSession {
    if (typeof sessionId !== "string") throw new TypeError(`${method}: sessionId must be a string`);
    const session = this.#sessions.get(sessionId);
    if (!session) throw new SessionError(`${method}: no session "${sessionId}" in this VM`);
    return session;
  }

  list(): SessionInfo[] {
    return [...this.#sessions.values()].map((s) => s.info());
  }

  /** Kills the adapter and forgets the session. */
  close(sessionId: string): void {
    const session = this.get("closeSession", sessionId);
    session.kill();
    this.#sessions.delete(sessionId);
  }

  async destroy(sessionId: string): Promise<void> {
    const session = this.get("destroySession", sessionId);
    this.#sessions.delete(sessionId);
    await session.destroy();
  }

  disposeAll(): void {
    for (const session of this.#sessions.values()) session.kill();
    this.#sessions.clear();
  }
}

function checkMcpServers(method: string, value: unknown): McpServerConfig[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) throw new TypeError(`${method}: mcpServers must be an array`);
  return value.map((server, i) => {
    const where = `${method}: mcpServers[${i}]`;
    if (typeof server !== "object" || server === null)
      throw new TypeError(`${where} must be an object`);
    const s = server as Record<string, unknown>;
    if (s.type === "local") {
      if (typeof s.command !== "string" || s.command === "")
        throw new TypeError(`${where}.command must be a non-empty string`);
    } else if (s.type === "remote") {
      if (typeof s.url !== "string" || !/^https?:\/\//.test(s.url))
        throw new TypeError(`${where}.url must be an http(s) URL`);
      if (s.transport !== undefined && s.transport !== "http" && s.transport !== "sse")
        throw new TypeError(`${where}.transport must be "http" or "sse"`);
    } else throw new TypeError(`${where}.type must be "local" or "remote"`);
    return server as McpServerConfig;
  });
}
