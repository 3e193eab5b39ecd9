/**
 * The root filesystem every VM starts from, laid out like a small merged-/usr Debian system.
 *
 * The image is built once per host process and shared read-only by every VM as the lower
 * layer of a copy-on-write overlay, so creating a VM costs an empty in-memory upper layer
 * rather than hundreds of inodes (this is what keeps `AgentOs.create()` well under a
 * millisecond and an idle VM's memory tiny).
 */
import { MemoryFs } from "../fs/memory-fs.ts";
import { OverlayFs } from "../fs/overlay-fs.ts";
import { O_CREAT, O_TRUNC, O_WRONLY, type Owner, type VfsBackend } from "../fs/types.ts";
import { builtinStub, type CommandRegistry } from "../kernel/command-registry.ts";

export const ROOT: Owner = { uid: 0, gid: 0 };
export const USER: Owner = { uid: 1000, gid: 1000 };
export const HOME = "/home/user";
export const DEFAULT_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
export const DEFAULT_HOSTNAME = "agentos";

const encoder = new TextEncoder();

const DIRECTORIES: Array<[string, number, Owner]> = [
  ["/usr", 0o755, ROOT],
  ["/usr/bin", 0o755, ROOT],
  ["/usr/sbin", 0o755, ROOT],
  ["/usr/lib", 0o755, ROOT],
  ["/usr/share", 0o755, ROOT],
  ["/usr/libexec", 0o755, ROOT],
  // /usr/local belongs to the VM's user so agents can install tools globally (npm -g, pip
  // --prefix) without the sudo they would not have here.
  ["/usr/local", 0o755, USER],
  ["/usr/local/bin", 0o755, USER],
  ["/usr/local/lib", 0o755, USER],
  ["/usr/local/share", 0o755, USER],
  ["/etc", 0o755, ROOT],
  ["/home", 0o755, ROOT],
  [HOME, 0o755, USER],
  // Readable so a host node_modules mounted at /root/node_modules is reachable by the user.
  ["/root", 0o755, ROOT],
  ["/tmp", 0o1777, ROOT],
  ["/var", 0o755, ROOT],
  ["/var/tmp", 0o1777, ROOT],
  ["/var/log", 0o755, ROOT],
  ["/var/lib", 0o755, ROOT],
  ["/var/cache", 0o755, ROOT],
  ["/run", 0o755, ROOT],
  ["/opt", 0o755, ROOT],
  ["/mnt", 0o755, ROOT],
  ["/srv", 0o755, ROOT],
  ["/dev", 0o755, ROOT],
  ["/proc", 0o555, ROOT],
];

const SYMLINKS: Array<[string, string]> = [
  ["/bin", "usr/bin"],
  ["/sbin", "usr/sbin"],
  ["/lib", "usr/lib"],
];

export function etcFiles(hostname: string): Array<[string, string]> {
  return [
    [
      "/etc/passwd",
      "root:x:0:0:root:/root:/bin/bash\n" +
        "daemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin\n" +
        "user:x:1000:1000:user:/home/user:/bin/bash\n" +
        "nobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin\n",
    ],
    ["/etc/group", "root:x:0:\ndaemon:x:1:\nusers:x:100:user\nuser:x:1000:\nnogroup:x:65534:\n"],
    ["/etc/hostname", `${hostname}\n`],
    [
      "/etc/hosts",
      `127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n127.0.1.1\t${hostname}\n`,
    ],
    [
      "/etc/os-release",
      'PRETTY_NAME="agentOS"\nNAME="agentOS"\nID=agentos\nID_LIKE=debian\nVERSION_ID="0.1"\n' +
        'HOME_URL="https://github.com/agentos-ts"\n',
    ],
    [
      "/etc/profile",
      `export PATH="${DEFAULT_PATH}"\n` +
        "if [ \"$(id -u)\" -eq 0 ]; then PS1='\\u@\\h:\\w# '; else PS1='\\u@\\h:\\w\\$ '; fi\n" +
        "export PS1\n",
    ],
    ["/etc/shells", "/bin/sh\n/usr/bin/sh\n/bin/bash\n/usr/bin/bash\n"],
    ["/etc/issue", "agentOS \\n \\l\n"],
  ];
}

/** Builds the shared image: directories, /etc, and an executable stub per registered command. */
export async function buildRootImage(registry: CommandRegistry): Promise<MemoryFs> {
  const image = new MemoryFs();
  for (const [path, mode, owner] of DIRECTORIES) {
    await image.mkdir(path, mode, owner);
    await image.chmod(path, mode); // mkdir modes are not umasked here, but make sticky bits explicit
  }
  for (const [path, target] of SYMLINKS) await image.symlink(target, path, ROOT);
  for (const [path, content] of etcFiles(DEFAULT_HOSTNAME)) {
    await image.writeFile(path, encoder.encode(content), 0o644, ROOT);
  }
  for (const name of registry.names()) await installCommandStub(image, name);
  return image;
}

/** Writes /usr/bin/<name> as an executable stub for a registered command. */
export async function installCommandStub(
  fs: VfsBackend,
  name: string,
  dir = "/usr/bin",
): Promise<void> {
  const path = `${dir}/${name}`;
  const stub = builtinStub(name);
  if (fs.writeFile) await fs.writeFile(path, stub, 0o755, ROOT);
  else {
    const file = await fs.open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o755, ROOT);
    await file.write(stub, 0, stub.length, 0);
    await file.close();
  }
  await fs.chmod(path, 0o755);
}

const images = new WeakMap<CommandRegistry, Promise<MemoryFs>>();

/** The shared image for `registry`, built on first use. */
export function sharedRootImage(registry: CommandRegistry): Promise<MemoryFs> {
  let image = images.get(registry);
  if (!image) {
    image = buildRootImage(registry);
    images.set(registry, image);
  }
  return image;
}

/** A fresh root for one VM: an empty writable layer over the shared image. */
export function createRootFs(image: MemoryFs, maxBytes: number): VfsBackend {
  return new OverlayFs({ upper: new MemoryFs({ maxBytes }), lowers: [image] });
}
