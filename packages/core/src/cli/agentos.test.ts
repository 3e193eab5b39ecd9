import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { after, describe, it } from "node:test";
import { fileURLToPath } from "node:url";

const CLI = fileURLToPath(new URL("./agentos.ts", import.meta.url));

interface Result {
  stdout: string;
  stderr: string;
  status: number | null;
}

/** Runs the CLI as a child process; `input` is written to its stdin (closed unless keepOpen). */
function agentos(args: string[], input?: string, keepOpen = false): Promise<Result> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], { stdio: "pipe" });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => {
      stdout += d;
    });
    child.stderr.on("data", (d) => {
      stderr += d;
    });
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`agentos ${args.join(" ")} timed out; stdout=${stdout} stderr=${stderr}`));
    }, 20_000);
    child.on("error", reject);
    child.on("close", (status) => {
      clearTimeout(timer);
      resolve({ stdout, stderr, status });
    });
    if (input !== undefined) child.stdin.write(input);
    if (!keepOpen) child.stdin.end();
  });
}

const dir = mkdtempSync(join(tmpdir(), "agentos-cli-"));
writeFileSync(join(dir, "hello.txt"), "hello from the host\n");
after(() => rmSync(dir, { recursive: true, force: true }));

describe("agentos exec", () => {
  it("passes stdout through and exits with the command's status", async () => {
    assert.deepEqual(await agentos(["exec", "echo hi; exit 3"]), {
      stdout: "hi\n",
      stderr: "",
      status: 3,
    });
  });

  it("passes stderr through", async () => {
    assert.deepEqual(await agentos(["exec", "echo oops >&2; false"]), {
      stdout: "",
      stderr: "oops\n",
      status: 1,
    });
  });

  it("joins several command words and honours --", async () => {
    const r = await agentos(["exec", "--", "echo", "a", "-n"]);
    assert.deepEqual(r, { stdout: "a -n\n", stderr: "", status: 0 });
  });

  it("feeds its stdin to the command", async () => {
    const r = await agentos(["exec", "tr a-z A-Z"], "shout\n");
    assert.deepEqual(r, { stdout: "SHOUT\n", stderr: "", status: 0 });
  });

  it("does not wait for stdin the command never reads", async () => {
    const r = await agentos(["exec", "echo done"], undefined, true);
    assert.deepEqual(r, { stdout: "done\n", stderr: "", status: 0 });
  });

  it("reports a missing command as bash does (127)", async () => {
    const r = await agentos(["exec", "no-such-command"]);
    assert.equal(r.status, 127);
    assert.match(r.stderr, /no-such-command: command not found/);
  });

  it("mounts a host directory (read-only with :ro) and starts there", async () => {
    const r = await agentos([
      "exec",
      "--mount",
      `${dir}:/data:ro`,
      "pwd; cat hello.txt; touch /data/new",
    ]);
    assert.equal(r.stdout, "/data\nhello from the host\n");
    assert.match(r.stderr, /touch: cannot touch '\/data\/new': Read-only file system/);
    assert.equal(r.status, 1);
  });

  it("mounts at /mnt/NAME by default, writable", async () => {
    const r = await agentos(["exec", "-m", dir, "pwd; echo made > made.txt"]);
    assert.deepEqual(r, { stdout: `/mnt/${basename(dir)}\n`, stderr: "", status: 0 });
  });

  it("--cwd and --env", async () => {
    const r = await agentos(["exec", "-C", "/tmp", "-e", "GREETING=hey", 'echo "$PWD $GREETING"']);
    assert.deepEqual(r, { stdout: "/tmp hey\n", stderr: "", status: 0 });
  });

  it("--help prints the usage", async () => {
    const r = await agentos(["exec", "--help"]);
    assert.equal(r.status, 0);
    assert.match(r.stdout, /^Usage: agentos exec \[OPTION\]\.\.\. \[--\] COMMAND\.\.\./);
    assert.match(r.stdout, /--mount HOSTDIR\[:VMPATH\]\[:ro\]/);
  });

  it("usage errors exit 2", async () => {
    for (const [args, message] of [
      [["exec"], /agentos exec: exec: missing COMMAND/],
      [["exec", "--bogus", "x"], /agentos exec: Unknown option '--bogus'/],
      [["exec", "--mount", "/no/such/dir", "true"], /--mount: \/no\/such\/dir: no such directory/],
      [["exec", "--mount", `${dir}:rel`, "true"], /the VM path must be absolute/],
      [["exec", "--env", "NOEQUALS", "true"], /--env: expected NAME=VALUE/],
    ] as Array<[string[], RegExp]>) {
      const r = await agentos(args);
      assert.equal(r.status, 2, args.join(" "));
      assert.match(r.stderr, message);
      assert.match(r.stderr, /Try 'agentos exec --help' for more information\./);
    }
  });
});

describe("agentos shell", () => {
  it("--help prints the usage", async () => {
    const r = await agentos(["shell", "--help"]);
    assert.equal(r.status, 0);
    assert.match(r.stdout, /^Usage: agentos shell \[OPTION\]\.\.\./);
  });

  it("runs an interactive shell on a pty fed from stdin, exiting with its status", async () => {
    const r = await agentos(["shell", "--mount", `${dir}:/w`], "cat hello.txt\rexit 5\r");
    assert.equal(r.status, 5);
    assert.match(r.stdout, /user@agentos:\/w\$ /);
    assert.match(r.stdout, /hello from the host\r\n/);
    assert.match(r.stdout, /exit\r\n$/);
  });

  it("rejects arguments", async () => {
    const r = await agentos(["shell", "extra"]);
    assert.equal(r.status, 2);
    assert.match(r.stderr, /unexpected argument 'extra'/);
  });
});

describe("agentos", () => {
  it("--help prints the usage on stdout", async () => {
    const r = await agentos(["--help"]);
    assert.equal(r.status, 0);
    assert.match(r.stdout, /^Usage: agentos <command> \[options\]/);
  });

  it("an unknown command prints the usage on stderr and exits 2", async () => {
    const r = await agentos(["bogus"]);
    assert.equal(r.status, 2);
    assert.equal(r.stdout, "");
    assert.match(r.stderr, /^agentos: unknown command 'bogus'\nUsage: agentos/);
  });

  it("no command prints the usage on stderr and exits 2", async () => {
    const r = await agentos([]);
    assert.equal(r.status, 2);
    assert.match(r.stderr, /^Usage: agentos/);
  });
});
