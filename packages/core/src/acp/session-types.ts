/**
 * The public shapes of agent sessions: options, events, permissions and the JSON-RPC
 * envelopes the session methods return. ACP's own types come from @agentclientprotocol/sdk.
 */
import type {
  AgentCapabilities as AcpAgentCapabilities,
  SessionConfigOption as AcpSessionConfigOption,
  SessionModeState as AcpSessionModeState,
  Implementation,
  PermissionOption,
  ToolCallUpdate,
} from "@agentclientprotocol/sdk/unstable";

export type SessionModeState = AcpSessionModeState;
export type SessionMode = AcpSessionModeState["availableModes"][number];
export type SessionConfigOption = AcpSessionConfigOption;
export type AgentCapabilities = AcpAgentCapabilities;
export type AgentInfo = Implementation;

/** The agents agentOS knows by name; software packages may register others. */
export type AgentType = "pi" | "pi-cli" | "opencode" | "codex" | "claude";

export interface McpServerConfigLocal {
  type: "local";
  /** Runs as a VM process. */
  command: string;
  args?: string[];
  env?: Record<string, string>;
  /** Defaults to the command's base name. */
  name?: string;
}

export interface McpServerConfigRemote {
  type: "remote";
  /** Reached through the VM's egress policy. */
  url: string;
  headers?: Record<string, string>;
  name?: string;
  /** "http" (default) or "sse". */
  transport?: "http" | "sse";
}

export type McpServerConfig = McpServerConfigLocal | McpServerConfigRemote;

export interface CreateSessionOptions {
  /** Working directory of the agent (default: the VM's cwd). */
  cwd?: string;
  /** Environment of the adapter process, over the agent software's own. */
  env?: Record<string, string>;
  mcpServers?: McpServerConfig[];
  /** Leave the agent's system prompt alone (no description of the VM). */
  skipOsInstructions?: boolean;
  /** Text added to the agent's system prompt, after the VM's own additionalInstructions. */
  additionalInstructions?: string;
  /** Milliseconds to wait for each control request (initialize, session/new, ...); default 60000. */
  requestTimeoutMs?: number;
}

export interface SessionInfo {
  sessionId: string;
  agentType: string;
  /** pid of the adapter process in the VM. */
  pid: number;
  state: SessionState;
}

/** starting → ready ⇄ prompting → closed | failed. */
export type SessionState = "starting" | "ready" | "prompting" | "closed" | "failed";

/** What initialize and session/new told the host. */
export interface SessionInitData {
  protocolVersion: number;
  agentCapabilities: AgentCapabilities;
  agentInfo: AgentInfo | null;
  modes: SessionModeState | null;
  configOptions: SessionConfigOption[];
  /** How the OS instructions reached the agent ("none" when skipped or empty). */
  instructions: "systemPrompt" | "meta" | "none";
}

export interface JsonRpcNotification {
  jsonrpc: "2.0";
  method: string;
  params?: unknown;
}

export interface JsonRpcError {
  code: number;
  message: string;
  data?: unknown;
}

export interface JsonRpcResponse {
  jsonrpc: "2.0";
  /** A per-session counter of the host's requests. */
  id: number;
  result?: unknown;
  error?: JsonRpcError;
}

export interface JsonRpcRequest {
  jsonrpc: "2.0";
  id: number | string;
  method: string;
  params?: unknown;
}

/**
 * One entry of a session's transcript. `event.method` is "session/update" for the agent's
 * updates; agentOS adds "_agentos/permission_request", "_agentos/permission_response",
 * "_agentos/error" and "_agentos/exit" (underscore: ACP's prefix for extensions).
 */
export interface SessionEvent {
  sessionId: string;
  /** 1, 2, 3, ... in the order the host received them. */
  sequence: number;
  time: number;
  event: JsonRpcNotification;
}

export type SessionEventHandler = (event: SessionEvent) => void;

export interface PermissionRequest {
  sessionId: string;
  /** Pass to respondPermission. */
  permissionId: string;
  toolCall: ToolCallUpdate;
  options: PermissionOption[];
}

export type PermissionReply = "once" | "always" | "reject";

export type PermissionRequestHandler = (request: PermissionRequest) => void;

/** How the VM answers agents' permission requests. */
export interface AgentPermissionPolicy {
  /** allow: "always" at once; reject: "reject" at once; ask (default): handlers decide. */
  mode?: "allow" | "reject" | "ask";
  /** "ask" with no answer within this many milliseconds is rejected (default 60000). */
  timeoutMs?: number;
}

export interface PromptResult {
  /** The agent's answer to session/prompt (stopReason, ...). */
  response: JsonRpcResponse;
  /** The agent's message chunks of this turn, joined. */
  text: string;
}

export interface AgentRegistryEntry {
  id: string;
  acpAdapter: string;
  agentPackage: string;
  /** True when a software package in this VM provides it. */
  installed: boolean;
  /**
   * Installed agents: its SDK snapshot (`agent.snapshot`): "off", "pending" (built at its first
   * launch), "ready", or "fallback: <reason>" (loaded per session as without the flag).
   */
  snapshot?: "off" | "pending" | "ready" | `fallback: ${string}`;
  /** Why it cannot run here, when it cannot. */
  unsupported?: string;
}
