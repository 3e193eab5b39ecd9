/**
 * One agent session: the agent's ACP adapter runs as a VM process and the host speaks ACP to
 * it over the process's stdio with @agentclientprotocol/sdk. The VM is the ACP client: it
 * serves the agent's fs/*, terminal/* and permission requests from its own kernel, records
 * every update in the transcript, and turns an adapter that exits, crashes or stops answering
 * into an error event and failed calls rather than a hang.
 */
import {
  type ClientContext,
  client,
  type InitializeResponse,
  type McpServer,
  methods,
  type NewSessionRequest,
  type NewSessionResponse,
  ndJsonStream,
  PROTOCOL_VERSION,
  RequestError,
  type SessionNotification,
} from "@agentclientprotocol/sdk/unstable";
import type { Caller } from "../fs/namespace.ts";
import { claimAgentSessionProcess } from "../software/agent-snapshot.ts";
import type { SoftwareAgent } from "../software/install-software.ts";
import { PermissionBroker } from "./permission-broker.ts";
import { processStreams } from "./process-stream.ts";
import { SessionEventLog } from "./session-event-log.ts";
import { readTextFile, writeTextFile } from "./session-files.ts";
import type { SessionHost } from "./session-host.ts";
import { SessionTerminals } from "./session-terminals.ts";
import type {
  AgentPermissionPolicy,
  JsonRpcResponse,
  McpServerConfig,
  PermissionReply,
  PromptResult,
  SessionConfigOption,
  SessionInfo,
  SessionInitData,
  SessionModeState,
  SessionState,
} from "./session-types.ts";

export const DEFAULT_REQUEST_TIMEOUT_MS = 60_000;
const STDERR_TAIL_BYTES = 4096;

export interface AgentSessionOptions {
  sessionId: string;
  agent: SoftwareAgent;
  cwd: string;
  env: Record<string, string>;
  mcpServers: McpServerConfig[];
  /** The system-prompt addition; empty for none. */
  instructions: string;
  requestTimeoutMs: number;
  permissions: AgentPermissionPolicy | undefined;
}

/** Thrown by session calls; `code` is the agent's JSON-RPC error code when it answered one. */
export class SessionError extends Error {
  code?: number;
  data?: unknown;
  constructor(message: string, code?: number, data?: unknown) {
    super(message);
    this.name = "SessionError";
    if (code !== undefined) this.code = code;
    if (data !== undefined) this.data = data;
  }
}

export class AgentSession {
  readonly sessionId: string;
  readonly agentType: string;
  readonly events: SessionEventLog;
  readonly permissions: PermissionBroker;
  readonly #host: SessionHost;
  readonly #options: AgentSessionOptions;
  readonly #terminals: SessionTerminals;
  #pid = -1;
  #state: SessionState = "starting";
  #ctx: ClientContext | undefined;
  #closeConnection: (() => void) | undefined;
  #acpSessionId = "";
  #init: SessionInitData | undefined;
  #models: { modelId?: string } | undefined;
  #stderrTail = "";
  #turnText: string[] | undefined;
  #nextRequestId = 1;
  /** Rejects once the adapter is gone; every call to the agent races it. */
  readonly #gone: Promise<never>;
  #markGone!: (error: SessionError) => void;
  #closing = false;

  constructor(host: SessionHost, options: AgentSessionOptions) {
    this.#host = host;
    this.#options = options;
    this.sessionId = options.sessionId;
    this.agentType = options.agent.id;
    this.events = new SessionEventLog(options.sessionId);
    this.#terminals = new SessionTerminals(host);
    this.permissions = new PermissionBroker(options.permissions, (request, reply, by) =>
      this.#record("_agentos/permission_response", {
        permissionId: request.permissionId,
        reply,
        by,
      }),
    );
    this.#gone = new Promise<never>((_, reject) => {
      this.#markGone = reject;
    });
    this.#gone.catch(() => {});
  }

  get state(): SessionState {
    return this.#state;
  }

  get pid(): number {
    return this.#pid;
  }

  get initData(): SessionInitData | undefined {
    return this.#init;
  }

  info(): SessionInfo {
    return {
      sessionId: this.sessionId,
      agentType: this.agentType,
      pid: this.#pid,
      state: this.#state,
    };
  }

  #record(method: string, params: unknown): void {
    this.events.append({ jsonrpc: "2.0", method, params });
  }

  /** Spawns the adapter, negotiates ACP and creates the agent's session. */
  async start(): Promise<void> {
    const agent = this.#options.agent;
    if (!agent.adapterBin)
      throw new SessionError(
        `createSession: the ACP adapter package "${agent.acpAdapter}" of agent "${agent.id}" declares no bin to run`,
      );
    const streams = processStreams((data) => this.#host.writeProcessStdin(this.#pid, data));
    const decoder = new TextDecoder();
    this.#pid = this.#host.spawn("node", [agent.adapterBin, ...agent.launchArgs], {
      cwd: this.#options.cwd,
      env: {
        ...agent.env,
        // Also in the environment, for adapters that drop ACP's systemPrompt: an agent
        // package's launcher can hand it to its agent (agent-pi does).
        ...(this.#options.instructions !== ""
          ? { AGENTOS_SYSTEM_PROMPT: this.#options.instructions }
          : {}),
        ...this.#options.env,
      },
      onStdout: (data) => streams.push(data),
      onStderr: (data) => {
        this.#stderrTail = (this.#stderrTail + decoder.decode(data, { stream: true })).slice(
          -STDERR_TAIL_BYTES,
        );
      },
      onExit: (code) => {
        streams.end();
        this.#exited(code);
      },
    }).pid;
    // Its program has not run yet: it will start from the agent's SDK image if it has one.
    claimAgentSessionProcess(this.#host.kernel, this.#pid, agent.id);

    const app = client({ name: "agentos" })
      .onNotification(methods.client.session.update, ({ params }) => this.#update(params))
      .onRequest(methods.client.session.requestPermission, async ({ params }) => ({
        outcome: await this.permissions.decide(
          this.sessionId,
          { toolCall: params.toolCall, options: params.options },
          (request) => this.#record("_agentos/permission_request", request),
        ),
      }))
      .onRequest(methods.client.fs.readTextFile, ({ params }) =>
        readTextFile(this.#host.kernel, this.#caller(), params),
      )
      .onRequest(methods.client.fs.writeTextFile, async ({ params }) => {
        await writeTextFile(this.#host.kernel, this.#caller(), params);
        return {};
      })
      .onRequest(methods.client.terminal.create, ({ params }) =>
        this.#terminals.create(params, this.#options.cwd),
      )
      .onRequest(methods.client.terminal.output, ({ params }) =>
        this.#terminals.output(params.terminalId),
      )
      .onRequest(methods.client.terminal.waitForExit, async ({ params }) => {
        const status = await this.#terminals.waitForExit(params.terminalId);
        return { exitCode: status.exitCode ?? null, signal: status.signal ?? null };
      })
      .onRequest(methods.client.terminal.kill, ({ params }) => {
        this.#terminals.kill(params.terminalId);
        return {};
      })
      .onRequest(methods.client.terminal.release, ({ params }) => {
        this.#terminals.release(params.terminalId);
        return {};
      });
    const connection = app.connect(ndJsonStream(streams.writable, streams.readable));
    this.#ctx = connection.agent;
    this.#closeConnection = () => connection.close();

    try {
      const init = await this.#call<InitializeResponse>(
        "initialize",
        {
          protocolVersion: PROTOCOL_VERSION,
          clientCapabilities: {
            fs: { readTextFile: true, writeTextFile: true },
            terminal: true,
          },
          clientInfo: { name: "agentos", version: "0.1.0" },
        },
        this.#options.requestTimeoutMs,
      );
      const request: NewSessionRequest = {
        cwd: this.#options.cwd,
        mcpServers: this.#options.mcpServers.map((s) => toAcpMcpServer(s, init)),
      };
      let instructions: SessionInitData["instructions"] = "none";
      if (this.#options.instructions !== "") {
        // The ACP field where the agent offers it; `_meta.systemPrompt.append` otherwise,
        // the convention ACP adapters such as claude-agent-acp read.
        const caps = init.agentCapabilities?.sessionCapabilities as
          | Record<string, unknown>
          | undefined;
        if (caps?.systemPrompt != null) {
          request.systemPrompt = {
            mode: "append",
            content: [{ type: "text", text: this.#options.instructions }],
          };
          instructions = "systemPrompt";
        } else {
          request._meta = { systemPrompt: { append: this.#options.instructions } };
          instructions = "meta";
        }
      }
      const created = await this.#call<
        NewSessionResponse & { models?: { currentModelId?: string } }
      >(methods.agent.session.new, request, this.#options.requestTimeoutMs);
      this.#acpSessionId = created.sessionId;
      this.#models = created.models ? { modelId: created.models.currentModelId } : undefined;
      this.#init = {
        protocolVersion: init.protocolVersion,
        agentCapabilities: init.agentCapabilities ?? {},
        agentInfo: init.agentInfo ?? null,
        modes: created.modes ?? null,
        configOptions: created.configOptions ?? [],
        instructions,
      };
      this.#state = "ready";
    } catch (err) {
      this.#fail(
        `createSession: agent "${this.agentType}" failed to start: ${(err as Error).message}`,
      );
      this.kill();
      throw new SessionError(
        `createSession: agent "${this.agentType}" failed to start: ${(err as Error).message}`,
        (err as SessionError).code,
      );
    }
  }

  #caller(): Caller {
    try {
      return this.#host.kernel.process(this.#pid);
    } catch {
      throw RequestError.internalError(undefined, "the agent process has exited");
    }
  }

  #update(params: SessionNotification): void {
    this.#record("session/update", params);
    const update = params.update;
    if (update.sessionUpdate === "agent_message_chunk" && update.content.type === "text")
      this.#turnText?.push(update.content.text);
    else if (update.sessionUpdate === "current_mode_update" && this.#init?.modes)
      this.#init.modes = { ...this.#init.modes, currentModeId: update.currentModeId };
    else if (update.sessionUpdate === "config_option_update" && this.#init)
      this.#init.configOptions = update.configOptions;
  }

  #exited(code: number): void {
    this.#record("_agentos/exit", { exitCode: code });
    const expected = this.#closing;
    const message = `agent "${this.agentType}" adapter exited with status ${code}${
      this.#stderrTail.trim() ? `: ${this.#stderrTail.trim().split("\n").slice(-5).join("\n")}` : ""
    }`;
    if (!expected) this.#fail(message);
    else this.#state = "closed";
    this.#markGone(new SessionError(message));
    this.permissions.cancelAll();
    this.#terminals.releaseAll();
    this.#closeConnection?.();
  }

  #fail(message: string): void {
    if (this.#state === "failed" || this.#state === "closed") return;
    this.#state = "failed";
    this.#record("_agentos/error", { message });
  }

  /** One request to the agent, raced against the adapter's exit and an optional timeout. */
  async #call<T>(method: string, params: unknown, timeoutMs?: number): Promise<T> {
    const ctx = this.#ctx;
    if (!ctx) throw new SessionError(`session ${this.sessionId} is not connected`);
    let timer: NodeJS.Timeout | undefined;
    const racers: Array<Promise<T>> = [ctx.request<T>(method, params), this.#gone];
    if (timeoutMs !== undefined && timeoutMs > 0)
      racers.push(
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => {
            const message = `agent "${this.agentType}" did not answer ${method} within ${timeoutMs} ms`;
            this.#record("_agentos/error", { message });
            reject(new SessionError(message));
          }, timeoutMs);
        }),
      );
    try {
      return await Promise.race(racers);
    } catch (err) {
      if (err instanceof RequestError)
        throw new SessionError(`${method}: ${err.message}`, err.code, err.data);
      throw err;
    } finally {
      clearTimeout(timer);
    }
  }

  /** A request answered as a JSON-RPC response (agent errors in `error`, not thrown). */
  async send(method: string, params: unknown, timeoutMs?: number): Promise<JsonRpcResponse> {
    this.#usable(method);
    const id = this.#nextRequestId++;
    try {
      const result = await this.#call<unknown>(method, params, timeoutMs);
      return { jsonrpc: "2.0", id, result: result ?? null };
    } catch (err) {
      if (err instanceof SessionError && err.code !== undefined)
        return {
          jsonrpc: "2.0",
          id,
          error: {
            code: err.code,
            message: err.message,
            ...(err.data !== undefined ? { data: err.data } : {}),
          },
        };
      throw err;
    }
  }

  #usable(method: string): void {
    if (this.#state === "closed" || this.#state === "failed" || this.#state === "starting")
      throw new SessionError(`${method}: session ${this.sessionId} is ${this.#state}`);
  }

  get acpSessionId(): string {
    return this.#acpSessionId;
  }

  async prompt(text: string): Promise<PromptResult> {
    this.#usable("prompt");
    if (this.#state === "prompting")
      throw new SessionError(`prompt: session ${this.sessionId} is already running a prompt`);
    this.#state = "prompting";
    const chunks: string[] = [];
    this.#turnText = chunks;
    const id = this.#nextRequestId++;
    try {
      const result = await this.#call<unknown>(methods.agent.session.prompt, {
        sessionId: this.#acpSessionId,
        prompt: [{ type: "text", text }],
      });
      return { response: { jsonrpc: "2.0", id, result }, text: chunks.join("") };
    } catch (err) {
      throw new SessionError(`prompt: ${(err as Error).message}`, (err as SessionError).code);
    } finally {
      this.#turnText = undefined;
      if (this.#state === "prompting") this.#state = "ready";
    }
  }

  async cancel(): Promise<JsonRpcResponse> {
    this.#usable("cancelSession");
    // ACP: pending permission requests of a cancelled turn are answered "cancelled".
    this.permissions.cancelAll();
    await this.#ctx?.notify(methods.agent.session.cancel, { sessionId: this.#acpSessionId });
    return { jsonrpc: "2.0", id: this.#nextRequestId++, result: null };
  }

  get modes(): SessionModeState | null {
    return this.#init?.modes ?? null;
  }

  get configOptions(): SessionConfigOption[] {
    return this.#init?.configOptions ?? [];
  }

  async setMode(modeId: string): Promise<JsonRpcResponse> {
    const response = await this.send(
      methods.agent.session.setMode,
      { sessionId: this.#acpSessionId, modeId },
      this.#options.requestTimeoutMs,
    );
    if (!response.error && this.#init?.modes)
      this.#init.modes = { ...this.#init.modes, currentModeId: modeId };
    return response;
  }

  async setConfigOption(configId: string, value: string | boolean): Promise<JsonRpcResponse> {
    const params =
      typeof value === "boolean"
        ? { sessionId: this.#acpSessionId, configId, type: "boolean", value }
        : { sessionId: this.#acpSessionId, configId, value };
    const response = await this.send(
      methods.agent.session.setConfigOption,
      params,
      this.#options.requestTimeoutMs,
    );
    const options = (response.result as { configOptions?: SessionConfigOption[] } | undefined)
      ?.configOptions;
    if (options && this.#init) this.#init.configOptions = options;
    return response;
  }

  /** Sets the config option of `category` ("model", "thought_level"), or fails saying none exists. */
  async setByCategory(method: string, category: string, value: string): Promise<JsonRpcResponse> {
    this.#usable(method);
    const option = this.configOptions.find((o) => o.category === category);
    if (option) return this.setConfigOption(option.id, value);
    if (category === "model" && this.#models)
      // Agents from before config options select models with session/set_model.
      return this.send(
        "session/set_model",
        { sessionId: this.#acpSessionId, modelId: value },
        this.#options.requestTimeoutMs,
      );
    throw new SessionError(
      `${method}: agent "${this.agentType}" offers no ${category.replace("_", " ")} option`,
    );
  }

  respondPermission(permissionId: string, reply: PermissionReply): JsonRpcResponse {
    if (!this.permissions.respond(permissionId, reply))
      throw new SessionError(
        `respondPermission: no pending permission request "${permissionId}" in session ${this.sessionId}`,
      );
    return { jsonrpc: "2.0", id: this.#nextRequestId++, result: { permissionId, reply } };
  }

  /** Kills the adapter at once. */
  kill(): void {
    if (this.#state === "closed") return;
    this.#closing = true;
    if (this.#state !== "failed") this.#state = "closed";
    this.permissions.cancelAll();
    this.#terminals.releaseAll();
    try {
      this.#host.closeProcessStdin(this.#pid);
      this.#host.killProcess(this.#pid);
    } catch {
      // Already gone.
    }
  }

  /** Cancels any turn, asks the agent to close its session (briefly), then kills the adapter. */
  async destroy(): Promise<void> {
    if (this.#state === "ready" || this.#state === "prompting") {
      try {
        if (this.#state === "prompting") await this.cancel();
        const caps = this.#init?.agentCapabilities?.sessionCapabilities as
          | Record<string, unknown>
          | undefined;
        if (caps?.close != null)
          await this.#call(methods.agent.session.close, { sessionId: this.#acpSessionId }, 2000);
      } catch {
        // The adapter is killed below whatever it answered.
      }
    }
    this.kill();
  }
}

function toAcpMcpServer(server: McpServerConfig, init: InitializeResponse): McpServer {
  const pairs = (record: Record<string, string> | undefined) =>
    Object.entries(record ?? {}).map(([name, value]) => ({ name, value }));
  if (server.type === "local")
    return {
      name: server.name ?? server.command.split("/").pop() ?? server.command,
      command: server.command,
      args: server.args ?? [],
      env: pairs(server.env),
    };
  const transport = server.transport ?? "http";
  if (!init.agentCapabilities?.mcpCapabilities?.[transport])
    throw new SessionError(
      `createSession: the agent does not support remote MCP servers over ${transport} (${server.url})`,
    );
  return {
    type: transport,
    name: server.name ?? new URL(server.url).host,
    url: server.url,
    headers: pairs(server.headers),
  };
}
