/**
 * POSIX-shaped errors raised by the filesystem and the kernel. Messages follow Node's
 * format (`ENOENT: no such file or directory, open '/x'`) so guest code sees familiar errors
 * and the public API can pass them through unchanged.
 */

export const ERRNO = {
  EPERM: 1,
  ENOENT: 2,
  ESRCH: 3,
  EINTR: 4,
  EIO: 5,
  ENXIO: 6,
  E2BIG: 7,
  ENOEXEC: 8,
  EBADF: 9,
  ECHILD: 10,
  EAGAIN: 11,
  ENOMEM: 12,
  EACCES: 13,
  EFAULT: 14,
  EBUSY: 16,
  EEXIST: 17,
  EXDEV: 18,
  ENODEV: 19,
  ENOTDIR: 20,
  EISDIR: 21,
  EINVAL: 22,
  ENFILE: 23,
  EMFILE: 24,
  ENOTTY: 25,
  ETXTBSY: 26,
  EFBIG: 27,
  ENOSPC: 28,
  ESPIPE: 29,
  EROFS: 30,
  EMLINK: 31,
  EPIPE: 32,
  ERANGE: 34,
  ENAMETOOLONG: 36,
  ENOSYS: 38,
  ENOTEMPTY: 39,
  ELOOP: 40,
  ENOTSUP: 95,
  ECONNREFUSED: 111,
  EADDRINUSE: 98,
} as const;

export type Errno = keyof typeof ERRNO;

const DESCRIPTIONS: Record<Errno, string> = {
  EPERM: "operation not permitted",
  ENOENT: "no such file or directory",
  ESRCH: "no such process",
  EINTR: "interrupted system call",
  EIO: "i/o error",
  ENXIO: "no such device or address",
  E2BIG: "argument list too long",
  ENOEXEC: "exec format error",
  EBADF: "bad file descriptor",
  ECHILD: "no child processes",
  EAGAIN: "resource temporarily unavailable",
  ENOMEM: "not enough memory",
  EACCES: "permission denied",
  EFAULT: "bad address in system call argument",
  EBUSY: "resource busy or locked",
  EEXIST: "file already exists",
  EXDEV: "cross-device link not permitted",
  ENODEV: "no such device",
  ENOTDIR: "not a directory",
  EISDIR: "illegal operation on a directory",
  EINVAL: "invalid argument",
  ENFILE: "file table overflow",
  EMFILE: "too many open files",
  ENOTTY: "inappropriate ioctl for device",
  ETXTBSY: "text file is busy",
  EFBIG: "file too large",
  ENOSPC: "no space left on device",
  ESPIPE: "invalid seek",
  EROFS: "read-only file system",
  EMLINK: "too many links",
  EPIPE: "broken pipe",
  ERANGE: "result too large",
  ENAMETOOLONG: "name too long",
  ENOSYS: "function not implemented",
  ENOTEMPTY: "directory not empty",
  ELOOP: "too many symbolic links encountered",
  ENOTSUP: "operation not supported on socket",
  ECONNREFUSED: "connection refused",
  EADDRINUSE: "address already in use",
};

/** The error every fs backend and kernel call throws. `errno` is negative, as in Node. */
export class KernelError extends Error {
  readonly code: Errno;
  readonly errno: number;
  readonly syscall: string;
  readonly path: string | undefined;
  readonly dest: string | undefined;

  constructor(code: Errno, syscall: string, path?: string, dest?: string, detail?: string) {
    let message = `${code}: ${detail ?? DESCRIPTIONS[code]}, ${syscall}`;
    if (path !== undefined) message += ` '${path}'`;
    if (dest !== undefined) message += ` -> '${dest}'`;
    // Kernel errors are control flow (ENOENT during PATH lookup is routine): skip the costly
    // stack capture. The public API re-raises them with its own context.
    const limit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    super(message);
    Error.stackTraceLimit = limit;
    this.name = "Error";
    this.code = code;
    this.errno = -ERRNO[code];
    this.syscall = syscall;
    this.path = path;
    this.dest = dest;
  }

  /** The short strerror-like text, e.g. "No such file or directory" as coreutils prints it. */
  get description(): string {
    return strerror(this.code);
  }
}

/** C library style capitalised description: "No such file or directory". */
/** glibc's strerror text, where it differs from the Node-style description. */
const GLIBC_TEXT: Partial<Record<Errno, string>> = {
  EACCES: "Permission denied",
  EISDIR: "Is a directory",
  ELOOP: "Too many levels of symbolic links",
  EEXIST: "File exists",
  EIO: "Input/output error",
  EAGAIN: "Resource temporarily unavailable",
  EXDEV: "Invalid cross-device link",
  ENAMETOOLONG: "File name too long",
  ENOTSUP: "Operation not supported",
  EBUSY: "Device or resource busy",
};

/** The C library's message for `code` ("No such file or directory"), as GNU tools print it. */
export function strerror(code: Errno): string {
  const glibc = GLIBC_TEXT[code];
  if (glibc) return glibc;
  const text = DESCRIPTIONS[code];
  return text.charAt(0).toUpperCase() + text.slice(1);
}

export function isKernelError(err: unknown, code?: Errno): err is KernelError {
  return err instanceof KernelError && (code === undefined || err.code === code);
}

/** Shorthand used everywhere: `throw fsError("ENOENT", "open", path)`. */
export function fsError(code: Errno, syscall: string, path?: string, dest?: string): KernelError {
  return new KernelError(code, syscall, path, dest);
}
