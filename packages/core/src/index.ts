/** @agentos/core: the public API. */
export { SessionError } from "./acp/agent-session.ts";
export type {
  AgentCapabilities,
  AgentInfo,
  AgentPermissionPolicy,
  AgentRegistryEntry,
  AgentType,
  CreateSessionOptions,
  JsonRpcError,
  JsonRpcNotification,
  JsonRpcRequest,
  JsonRpcResponse,
  McpServerConfig,
  McpServerConfigLocal,
  McpServerConfigRemote,
  PermissionReply,
  PermissionRequest,
  PermissionRequestHandler,
  PromptResult,
  SessionConfigOption,
  SessionEvent,
  SessionEventHandler,
  SessionInfo,
  SessionInitData,
  SessionMode,
  SessionModeState,
  SessionState,
} from "./acp/session-types.ts";
export type {
  CronAction,
  CronCallbackAction,
  CronEvent,
  CronEventHandler,
  CronExecAction,
  CronExecResult,
  CronJob,
  CronJobInfo,
  CronJobOptions,
  CronOverlap,
  CronSessionAction,
} from "./cron/cron-types.ts";
export { isKernelError, KernelError } from "./fs/errors.ts";
export { HostDirFs } from "./fs/host-dir-fs.ts";
export { MemoryFs } from "./fs/memory-fs.ts";
export { OverlayFs } from "./fs/overlay-fs.ts";
export type { DirEntry as VfsDirEntry, Stat, VfsBackend, VfsFile } from "./fs/types.ts";
export type { VirtualDirEntry, VirtualFileSystem, VirtualStat } from "./fs/virtual-file-system.ts";
export type { KernelLimits } from "./kernel/limits.ts";
export type { ProcessInfo, ProcessTreeNode } from "./kernel/process.ts";
export type { Termios, WindowSize } from "./kernel/termios.ts";
export type { ConnectionInfo } from "./net/connection.ts";
export type { ConnectCallback, ConnectRequest } from "./net/egress-policy.ts";
export { isNetworkError, NetworkError } from "./net/network-error.ts";
export type { NetworkEvent, NetworkEventHandler } from "./net/network-events.ts";
export type { ListenInfo } from "./net/network-stack.ts";
export {
  type AgentSoftwareDescriptor,
  defineSoftware,
  type SoftwareContext,
  type SoftwareDescriptor,
  type SoftwareInput,
  type ToolSoftwareDescriptor,
  type WasmCommandsSoftwareDescriptor,
} from "./software/define-software.ts";
export type { SoftwareAgent } from "./software/install-software.ts";
export { CODE_MODE_SPECIFIER, TOOLS_DTS_PATH } from "./tools/code-mode-names.ts";
export {
  type HostTool,
  type HostToolContext,
  type HostToolOptions,
  hostTool,
  type ToolKit,
  type ToolKitOptions,
  toolKit,
} from "./tools/host-tool.ts";
export { toolsDts } from "./tools/tools-dts.ts";
export {
  AgentOs,
  type AgentOsOptions,
  type BatchReadResult,
  type BatchWriteEntry,
  type BatchWriteResult,
  type DirEntry,
  type ExecOptions,
  type ExecResult,
  type ReaddirRecursiveOptions,
  type SpawnOptions,
} from "./vm/agent-os.ts";
export {
  createHostDirBackend,
  type HostDirBackendOptions,
  type MountConfig,
  type MountConfigCustom,
  type MountConfigMemory,
  type MountConfigOverlay,
  type NativeMountConfig,
  nodeModulesMount,
} from "./vm/mounts.ts";
export type { Permissions } from "./vm/permissions.ts";
export type {
  ConnectTerminalOptions,
  OpenShellOptions,
  ShellInfo,
  TerminalInput,
  TerminalOutput,
} from "./vm/shell-session.ts";
export type { SpawnedProcessInfo } from "./vm/spawned-process.ts";
