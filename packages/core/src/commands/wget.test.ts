/**
 * wget: differential against the host's GNU Wget on a node:http server at 127.0.0.1 (the VM
 * reaches it through loopbackExemptPorts), plus the egress policy and a server in the VM.
 */
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { startTestHttpServer, type TestHttpServer } from "../net/test-http-server.ts";
import { AgentOs } from "../vm/agent-os.ts";
import { COMPARABLE_ENV, type RunResult, runArgv, VM_WORKDIR } from "./testing.ts";

function runOnHostAsync(argv: string[], cwd: string): Promise<RunResult> {
  return new Promise((resolve) => {
    execFile(
      argv[0],
      argv.slice(1),
      {
        cwd,
        env: { PATH: "/usr/bin:/bin", HOME: cwd, ...COMPARABLE_ENV },
        encoding: "utf8",
        timeout: 20000,
      },
      (err, stdout, stderr) => {
        const code = err ? (err as { code?: number }).code : 0;
        resolve({ stdout, stderr, exitCode: typeof code === "number" ? code : 1 });
      },
    );
  });
}

/** Dates, rates and the timing part of the progress line differ between runs. */
function normalize(result: RunResult): RunResult {
  const clean = (text: string): string =>
    text
      .replace(/\d{4}-\d\d-\d\d \d\d:\d\d:\d\d/g, "DATE")
      .replace(/\([\d.]+ [KMG]?B\/s\)/g, "(RATE)")
      // The end of a progress line: " 734M 0s" or " 14.9M=0s".
      .replace(/ +[\d.]+[BKMG][ =][\dhms. ]+$/gm, " RATE")
      .replace(/Wget\/[\d.]+/g, "Wget/VERSION");
  return { stdout: clean(result.stdout), stderr: clean(result.stderr), exitCode: result.exitCode };
}

describe("wget", () => {
  let server: TestHttpServer;
  let haveWget = false;

  before(async () => {
    server = await startTestHttpServer();
    haveWget = await new Promise((resolve) =>
      execFile("wget", ["--version"], (err) => resolve(!err)),
    );
  });

  after(async () => {
    await server.close();
  });

  /** Runs wget on both sides in fresh directories; returns both results and the files made. */
  async function both(args: string[]) {
    const vm = await AgentOs.create({ env: COMPARABLE_ENV, loopbackExemptPorts: [server.port] });
    const hostDir = mkdtempSync(join(tmpdir(), "agentos-wget-"));
    try {
      await vm.mkdir(VM_WORKDIR, { recursive: true });
      const [host, guest] = await Promise.all([
        runOnHostAsync(["wget", ...args], hostDir),
        runArgv(vm, ["wget", ...args], { cwd: VM_WORKDIR }),
      ]);
      const hostFiles: Record<string, string> = {};
      for (const name of (await import("node:fs")).readdirSync(hostDir))
        hostFiles[name] = readFileSync(join(hostDir, name), "utf8");
      const guestFiles: Record<string, string> = {};
      for (const name of await vm.readdir(VM_WORKDIR))
        guestFiles[name] = new TextDecoder().decode(await vm.readFile(`${VM_WORKDIR}/${name}`));
      return { host: normalize(host), guest: normalize(guest), hostFiles, guestFiles };
    } finally {
      await vm.dispose();
      rmSync(hostDir, { recursive: true, force: true });
    }
  }

  const cases: Array<[string, (u: (p: string) => string) => string[]]> = [
    ["-qO- to stdout", (u) => ["-qO-", u("/hello")]],
    ["-q saves under the URL's name", (u) => ["-q", u("/hello")]],
    ["-q names an index.html for a directory URL", (u) => ["-q", u("/")]],
    ["-O file", (u) => ["-q", "-O", "saved.txt", u("/bytes/3000")]],
    ["--header and default headers", (u) => ["-qO-", "--header", "X-Custom: 1", u("/echo")]],
    ["--header=VALUE form", (u) => ["-qO-", "--header=Accept: text/plain", u("/echo")]],
    ["--post-data", (u) => ["-qO-", "--post-data", "a=1&b=2", u("/echo")]],
    ["redirects are followed, the file keeps the asked name", (u) => ["-q", u("/redirect/2")]],
    ["a 404: exit 8 and an empty -O file", (u) => ["-q", "-O", "out", u("/status/404")]],
    ["a 500: exit 8", (u) => ["-qO-", u("/status/500")]],
    ["connection refused: exit 4", () => ["-q", "http://127.0.0.1:1/"]],
    ["the log of a refused connection", () => ["http://127.0.0.1:1/x"]],
    ["the log of a download", (u) => [u("/bytes/3000")]],
    ["the log of an error response", (u) => [u("/status/404")]],
    ["the log of a redirect", (u) => ["-O", "r.txt", u("/redirect/1")]],
    ["no URL: exit 1", () => []],
    ["an unknown option: exit 2", () => ["--bogus", "x"]],
  ];

  for (const [name, makeArgs] of cases) {
    it(`matches the host's wget: ${name}`, async (t) => {
      if (!haveWget) return t.skip("no wget on the host (scripts/host-tools.sh installs it)");
      const r = await both(makeArgs(server.url));
      assert.deepEqual(r.guest, r.host);
      assert.deepEqual(r.guestFiles, r.hostFiles);
    });
  }

  it("the egress policy: a private address fails with exit 4, naming the policy", async () => {
    const vm = await AgentOs.create();
    try {
      const r = await vm.exec("wget http://10.1.2.3/x");
      assert.equal(r.exitCode, 4);
      assert.match(
        r.stderr,
        /Connecting to 10\.1\.2\.3:80\.\.\. failed: Permission denied \(denied by the VM's network policy: 10\.1\.2\.3 is a private address/,
      );
      assert.equal((await vm.exec("wget -q http://169.254.169.254/")).exitCode, 4);
      assert.equal((await vm.exec("wget -q http://nonexistent.invalid/")).exitCode, 4);
    } finally {
      await vm.dispose();
    }
  });

  it("real wget options it lacks fail clearly", async () => {
    const vm = await AgentOs.create();
    try {
      const r = await vm.exec("wget -r http://127.0.0.1/");
      assert.deepEqual(r, {
        stdout: "",
        stderr: "wget: option '-r' is not supported in agentOS\n",
        exitCode: 2,
      });
    } finally {
      await vm.dispose();
    }
  });
});
