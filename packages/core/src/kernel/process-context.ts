/**
 * What a TypeScript command sees of the kernel: its own argv, env and cwd, and the system
 * calls bound to its pid. Paths are relative to the process's cwd. Every blocking call
 * rejects with ProcessTerminated once the process is killed, so a command simply stops.
 */
import type { DirEntry, Stat } from "../fs/types.ts";
import { ProcessNetwork } from "../net/process-network.ts";
import type { Kernel, SpawnRequest } from "./kernel.ts";
import type { OpenFile } from "./open-file.ts";
import {
  ProcessExit,
  ProcessTerminated,
  type SignalDisposition,
  type WaitResult,
} from "./process.ts";
import type { Termios, WindowSize } from "./termios.ts";

const decoder = new TextDecoder();

export class ProcessContext {
  readonly kernel: Kernel;
  readonly pid: number;
  #net: ProcessNetwork | undefined;

  constructor(kernel: Kernel, pid: number) {
    this.kernel = kernel;
    this.pid = pid;
  }

  get #proc() {
    return this.kernel.process(this.pid);
  }

  get argv(): string[] {
    return this.#proc.argv;
  }

  /** The live environment of the process (mutations are visible to children spawned later). */
  get env(): Record<string, string> {
    return this.#proc.env;
  }

  set env(env: Record<string, string>) {
    this.#proc.env = env;
  }

  get cwd(): string {
    return this.#proc.cwd;
  }

  get ppid(): number {
    return this.#proc.ppid;
  }

  /** The process group (getpgrp). */
  get pgid(): number {
    return this.#proc.pgid;
  }

  /** The session (getsid(0)). */
  get sid(): number {
    return this.#proc.sid;
  }

  get uid(): number {
    return this.#proc.uid;
  }

  get gid(): number {
    return this.#proc.gid;
  }

  get umask(): number {
    return this.#proc.umask;
  }

  set umask(mask: number) {
    this.#proc.umask = mask & 0o777;
  }

  /** Aborted when the process is terminated; pass it to anything long-running. */
  get signal(): AbortSignal {
    return this.#proc.abort.signal;
  }

  get alive(): boolean {
    return this.kernel.has(this.pid) && this.#proc.alive;
  }

  /** Ends the process with `code` by unwinding the command's stack. */
  exit(code: number): never {
    throw new ProcessExit(code);
  }

  /** Sockets and name resolution, as this process (see net/network-stack.ts). */
  get net(): ProcessNetwork {
    this.#net ??= new ProcessNetwork(this.kernel.net, this.pid, this.signal);
    return this.#net;
  }

  // ---- I/O ---------------------------------------------------------------------------------

  read(fd: number, max = 65536): Promise<Uint8Array | null> {
    return this.kernel.read(this.pid, fd, max);
  }

  write(fd: number, data: Uint8Array | string): Promise<void> {
    return this.kernel.writeAll(this.pid, fd, data);
  }

  /** Writes text to stdout. */
  out(text: string | Uint8Array): Promise<void> {
    return this.kernel.writeAll(this.pid, 1, text);
  }

  /** Writes text to stderr. */
  err(text: string | Uint8Array): Promise<void> {
    return this.kernel.writeAll(this.pid, 2, text);
  }

  /** Reads `fd` to end of file. */
  async readAll(fd: number): Promise<Uint8Array> {
    const chunks: Uint8Array[] = [];
    let total = 0;
    for (;;) {
      const chunk = await this.read(fd);
      if (chunk === null || chunk.length === 0) break;
      chunks.push(chunk);
      total += chunk.length;
    }
    if (chunks.length === 1) return chunks[0];
    const out = new Uint8Array(total);
    let offset = 0;
    for (const chunk of chunks) {
      out.set(chunk, offset);
      offset += chunk.length;
    }
    return out;
  }

  async readText(fd: number): Promise<string> {
    return decoder.decode(await this.readAll(fd));
  }

  open(path: string, flags: number, mode?: number): Promise<number> {
    return this.kernel.open(this.pid, path, flags, mode);
  }

  close(fd: number): void {
    this.kernel.close(this.pid, fd);
  }

  pipe(): [number, number] {
    return this.kernel.pipe(this.pid);
  }

  dup(fd: number, min = 0): number {
    return this.kernel.dup(this.pid, fd, min);
  }

  dup2(oldFd: number, newFd: number): number {
    return this.kernel.dup2(this.pid, oldFd, newFd);
  }

  installFile(file: OpenFile, fd?: number): number {
    return this.kernel.installFile(this.pid, file, fd);
  }

  lseek(fd: number, offset: number, whence: number): Promise<number> {
    return this.kernel.lseek(this.pid, fd, offset, whence);
  }

  fstat(fd: number): Promise<Stat> {
    return this.kernel.fstat(this.pid, fd);
  }

  isatty(fd: number): boolean {
    return this.kernel.isatty(this.pid, fd);
  }

  // ---- terminals (ENOTTY when `fd` is not one) ----------------------------------------------

  tcgetattr(fd: number): Termios {
    return this.kernel.tcgetattr(this.pid, fd);
  }

  /** `action`: TCSANOW (0), TCSADRAIN (1) or TCSAFLUSH (2, discards unread input). */
  tcsetattr(fd: number, attrs: Termios, action?: number): void {
    this.kernel.tcsetattr(this.pid, fd, attrs, action);
  }

  tcgetpgrp(fd: number): number {
    return this.kernel.tcgetpgrp(this.pid, fd);
  }

  tcsetpgrp(fd: number, pgid: number): void {
    this.kernel.tcsetpgrp(this.pid, fd, pgid);
  }

  tcflush(fd: number): void {
    this.kernel.tcflush(this.pid, fd);
  }

  /** TIOCGWINSZ: the terminal's size in character cells. */
  getWindowSize(fd: number): WindowSize {
    return this.kernel.getWindowSize(this.pid, fd);
  }

  /** TIOCSWINSZ: resizes the terminal (SIGWINCH to its foreground group). */
  setWindowSize(fd: number, size: WindowSize): void {
    this.kernel.setWindowSize(this.pid, fd, size);
  }

  /** /dev/pts/N for a terminal descriptor. */
  ttyname(fd: number): string {
    return this.kernel.ttyname(this.pid, fd);
  }

  // ---- filesystem --------------------------------------------------------------------------

  stat(path: string): Promise<Stat> {
    return this.kernel.stat(this.pid, path);
  }

  lstat(path: string): Promise<Stat> {
    return this.kernel.lstat(this.pid, path);
  }

  access(path: string, mode: number): Promise<void> {
    return this.kernel.access(this.pid, path, mode);
  }

  readdir(path: string): Promise<DirEntry[]> {
    return this.kernel.readdir(this.pid, path);
  }

  mkdir(path: string, mode?: number): Promise<void> {
    return this.kernel.mkdir(this.pid, path, mode);
  }

  rmdir(path: string): Promise<void> {
    return this.kernel.rmdir(this.pid, path);
  }

  unlink(path: string): Promise<void> {
    return this.kernel.unlink(this.pid, path);
  }

  rename(from: string, to: string): Promise<void> {
    return this.kernel.rename(this.pid, from, to);
  }

  link(existing: string, newPath: string): Promise<void> {
    return this.kernel.link(this.pid, existing, newPath);
  }

  symlink(target: string, path: string): Promise<void> {
    return this.kernel.symlink(this.pid, target, path);
  }

  readlink(path: string): Promise<string> {
    return this.kernel.readlink(this.pid, path);
  }

  realpath(path: string): Promise<string> {
    return this.kernel.realpath(this.pid, path);
  }

  chmod(path: string, mode: number): Promise<void> {
    return this.kernel.chmod(this.pid, path, mode);
  }

  chown(path: string, uid: number, gid: number, follow = true): Promise<void> {
    return this.kernel.chown(this.pid, path, uid, gid, follow);
  }

  utimes(path: string, atimeMs: number, mtimeMs: number): Promise<void> {
    return this.kernel.utimes(this.pid, path, atimeMs, mtimeMs);
  }

  truncate(path: string, length: number): Promise<void> {
    return this.kernel.truncate(this.pid, path, length);
  }

  readFile(path: string): Promise<Uint8Array> {
    return this.kernel.readFile(this.pid, path);
  }

  writeFile(path: string, data: Uint8Array | string, mode?: number): Promise<void> {
    return this.kernel.writeFile(this.pid, path, data, mode);
  }

  chdir(path: string): Promise<void> {
    return this.kernel.chdir(this.pid, path);
  }

  /** The absolute form of `path` against the cwd (lexical; no symlink resolution). */
  resolvePath(path: string): string {
    return path.startsWith("/") ? path : this.cwd === "/" ? "/" + path : `${this.cwd}/${path}`;
  }

  // ---- processes ---------------------------------------------------------------------------

  spawn(request: SpawnRequest): Promise<number> {
    return this.kernel.spawn(this.pid, request);
  }

  /** Replaces this process's program (execve); resolves to the new program's exit status. */
  exec(argv: string[], env?: Record<string, string>): Promise<number> {
    return this.kernel.exec(this.pid, argv, env);
  }

  waitpid(
    pid: number,
    options?: { noHang?: boolean; untraced?: boolean; continued?: boolean },
  ): Promise<WaitResult | null> {
    return this.kernel.waitpid(this.pid, pid, options);
  }

  kill(pid: number, signal: number): void {
    this.kernel.kill(this.pid, pid, signal);
  }

  /** setpgid(2): `pid` 0 is the caller, `pgid` 0 makes it a group leader. */
  setpgid(pid: number, pgid: number): void {
    this.kernel.setProcessGroup(this.pid, pid, pgid);
  }

  /** setsid(2): starts a new session (without a controlling terminal). */
  setsid(): number {
    return this.kernel.setsid(this.pid);
  }

  onSignal(signal: number, disposition: SignalDisposition): void {
    this.kernel.setSignalDisposition(this.pid, signal, disposition);
  }

  /** Sleeps without holding the event loop; ends early (rejecting) if the process is killed. */
  sleep(ms: number): Promise<void> {
    const signal = this.signal;
    return new Promise((resolve, reject) => {
      if (signal.aborted) {
        reject(new ProcessTerminated(this.pid));
        return;
      }
      const onAbort = (): void => {
        clearTimeout(timer);
        reject(new ProcessTerminated(this.pid));
      };
      const timer = setTimeout(() => {
        signal.removeEventListener("abort", onAbort);
        resolve();
      }, ms);
      signal.addEventListener("abort", onAbort, { once: true });
    });
  }
}
