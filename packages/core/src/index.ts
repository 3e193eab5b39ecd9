/** @agentos/core: the public API. */
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
