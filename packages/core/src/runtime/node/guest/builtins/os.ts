/** node:os: the VM's view (its hostname, user, home; the host's CPU facts are not exposed). */
import {
  DLOPEN_CONSTANTS,
  ERRNO_CONSTANTS,
  PRIORITY_CONSTANTS,
  SIGNALS_CONSTANTS,
  UV_UDP_REUSEADDR,
} from "./system-constants.ts";

export function createOs(): unknown {
  const env = process.env;
  return {
    EOL: "\n",
    devNull: "/dev/null",
    platform: () => "linux",
    type: () => "Linux",
    arch: () => process.arch,
    machine: () => (process.arch === "arm64" ? "aarch64" : "x86_64"),
    release: () => "6.1.0-agentos",
    version: () => "#1 SMP agentOS",
    hostname: () => env.HOSTNAME ?? "agentos",
    homedir: () => env.HOME ?? "/home/user",
    tmpdir: () => (env.TMPDIR ?? "/tmp").replace(/(.)\/$/, "$1"),
    endianness: () => "LE",
    uptime: () => Math.floor(process.uptime()),
    loadavg: () => [0, 0, 0],
    totalmem: () => 2 * 1024 ** 3,
    freemem: () => 1024 ** 3,
    availableParallelism: () => 1,
    cpus: () => [
      {
        model: "agentOS virtual CPU",
        speed: 0,
        times: { user: 0, nice: 0, sys: 0, idle: 0, irq: 0 },
      },
    ],
    networkInterfaces: () => ({
      lo: [
        {
          address: "127.0.0.1",
          netmask: "255.0.0.0",
          family: "IPv4",
          mac: "00:00:00:00:00:00",
          internal: true,
          cidr: "127.0.0.1/8",
        },
      ],
    }),
    userInfo: () => ({
      uid: process.getuid?.() ?? 1000,
      gid: process.getgid?.() ?? 1000,
      username: env.USER ?? "user",
      homedir: env.HOME ?? "/home/user",
      shell: env.SHELL ?? "/bin/bash",
    }),
    getPriority: () => 0,
    setPriority: () => {},
    constants: osConstants(),
  };
}

const nullProto = (values: Record<string, number>) =>
  Object.assign(Object.create(null) as Record<string, number>, values);

/** os.constants as Node lays it out: null-prototype objects, the signals frozen. */
function osConstants(): Record<string, unknown> {
  return Object.assign(Object.create(null) as Record<string, unknown>, {
    UV_UDP_REUSEADDR,
    dlopen: nullProto(DLOPEN_CONSTANTS),
    errno: nullProto(ERRNO_CONSTANTS),
    signals: Object.freeze(nullProto(SIGNALS_CONSTANTS)),
    priority: nullProto(PRIORITY_CONSTANTS),
  });
}
