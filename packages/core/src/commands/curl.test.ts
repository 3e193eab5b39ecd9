/**
 * curl: differential against the host's curl on a node:http server at 127.0.0.1 (the VM
 * reaches it through loopbackExemptPorts), plus the VM-only parts: the egress policy, a
 * server inside the VM, output files and errors.
 */
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import { createServer as createHttpsServer } from "node:https";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { ConnectionDuplex, connectionIo } from "../net/connection-duplex.ts";
import type { NetworkEvent } from "../net/network-events.ts";
import { startTestHttpServer, type TestHttpServer } from "../net/test-http-server.ts";
import { AgentOs } from "../vm/agent-os.ts";
import { COMPARABLE_ENV, type RunResult, runArgv, VM_WORKDIR } from "./testing.ts";

const FILES: Record<string, string> = {
  "data.txt": "line one\nline two\r\n",
  "data.bin": "raw\nbytes\n",
};

function hostHas(tool: string): Promise<boolean> {
  return new Promise((resolve) => execFile(tool, ["--version"], (err) => resolve(!err)));
}

/** Runs argv with the host's tools (asynchronously: the test server shares this process). */
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
        const code = err ? ((err as { code?: number }).code ?? 1) : 0;
        resolve({ stdout, stderr, exitCode: typeof code === "number" ? code : 1 });
      },
    );
  });
}

/** What legitimately differs between two runs: dates, timings, keep-alive headers, UA. */
function normalize(result: RunResult): RunResult {
  const clean = (text: string): string =>
    text
      .replace(/^(Date|Connection|Keep-Alive): .*\r\n/gim, "")
      .replace(/after \d+ (ms|milliseconds)/g, "after N $1")
      .replace(/curl\/[\d.]+/g, "curl/VERSION");
  return { stdout: clean(result.stdout), stderr: clean(result.stderr), exitCode: result.exitCode };
}

describe("curl", () => {
  let server: TestHttpServer;
  let vm: AgentOs;
  let hostDir: string;
  let haveCurl = false;

  before(async () => {
    server = await startTestHttpServer();
    vm = await AgentOs.create({ env: COMPARABLE_ENV, loopbackExemptPorts: [server.port] });
    await vm.mkdir(VM_WORKDIR, { recursive: true });
    hostDir = mkdtempSync(join(tmpdir(), "agentos-curl-"));
    for (const [name, content] of Object.entries(FILES)) {
      await vm.writeFile(`${VM_WORKDIR}/${name}`, content);
      writeFileSync(join(hostDir, name), content);
    }
    haveCurl = await hostHas("curl");
  });

  after(async () => {
    await vm.dispose();
    await server.close();
    rmSync(hostDir, { recursive: true, force: true });
  });

  const inVm = (args: string[]) => runArgv(vm, ["curl", ...args], { cwd: VM_WORKDIR });

  const differential: Array<[string, (u: (p: string) => string) => string[]]> = [
    ["a GET", (u) => ["-s", u("/hello")]],
    ["-f on 404: exit 22 and curl's message", (u) => ["-sS", "-f", u("/status/404")]],
    ["404 without -f: the body, exit 0", (u) => ["-s", u("/status/404")]],
    [
      "-w http_code with -o /dev/null",
      (u) => ["-s", "-o", "/dev/null", "-w", "%{http_code}\\n", u("/status/500")],
    ],
    ["-d joins with &", (u) => ["-s", "-d", "a=1", "-d", "b=2", u("/echo")]],
    ["-d @file drops newlines", (u) => ["-s", "-d", "@data.txt", u("/echo")]],
    ["--data-binary @file keeps them", (u) => ["-s", "--data-binary", "@data.bin", u("/echo")]],
    [
      "-X, -H and --data-raw",
      (u) => [
        "-s",
        "-X",
        "PUT",
        "-H",
        "X-Custom: 1",
        "-H",
        "Content-Type: text/plain",
        "--data-raw",
        "@lit",
        u("/echo"),
      ],
    ],
    ["-H removes a default header with 'Name:'", (u) => ["-s", "-H", "Accept:", u("/echo")]],
    ["-i includes the response head", (u) => ["-s", "-i", u("/hello")]],
    ["-I sends HEAD", (u) => ["-s", "-I", u("/hello")]],
    ["-L follows redirects", (u) => ["-s", "-L", u("/redirect/3")]],
    ["-L -i shows every response", (u) => ["-s", "-L", "-i", u("/redirect/1")]],
    ["without -L a redirect is the answer", (u) => ["-sS", u("/redirect/1")]],
    ["--max-redirs: exit 47", (u) => ["-sS", "-L", "--max-redirs", "2", u("/loop")]],
    [
      "-w variables after redirects",
      (u) => [
        "-s",
        "-L",
        "-o",
        "/dev/null",
        "-w",
        "%{http_code} %{num_redirects} %{url_effective} %{content_type}\\n",
        u("/redirect/2"),
      ],
    ],
    ["-L turns a POST into GET on 303", (u) => ["-s", "-L", "-d", "x=1", u("/see-other")]],
    ["-u sends basic auth", (u) => ["-s", "-u", "user:secret", u("/echo")]],
    ["-G puts -d into the query", (u) => ["-s", "-G", "-d", "q=1", "-d", "r=2", u("/echo")]],
    [
      "--data-urlencode",
      (u) => [
        "-s",
        "--data-urlencode",
        "msg=hello world&x!*'",
        "--data-urlencode",
        "é",
        u("/echo"),
      ],
    ],
    ["-sSf combined short options", (u) => ["-sSf", u("/status/403")]],
    ["connection refused: exit 7", () => ["-sS", "http://127.0.0.1:1/"]],
    ["-m: exit 28", (u) => ["-sS", "-m", "0.5", u("/slow")]],
    ["an unsupported protocol: exit 1", () => ["-sS", "foo://127.0.0.1/"]],
    ["an unknown option: exit 2", () => ["--bogus-option", "http://127.0.0.1/"]],
    ["a missing option value: exit 2", () => ["-o"]],
  ];

  for (const [name, makeArgs] of differential) {
    it(`matches the host's curl: ${name}`, async (t) => {
      if (!haveCurl) return t.skip("no curl on the host (scripts/host-tools.sh installs it)");
      const args = makeArgs(server.url);
      const [host, guest] = await Promise.all([
        runOnHostAsync(["curl", ...args], hostDir),
        inVm(args),
      ]);
      const h = normalize(host);
      const g = normalize(guest);
      if (name.startsWith("-m")) {
        // The elapsed milliseconds differ run to run.
        h.stderr = h.stderr.replace(/\d+ milliseconds/, "N milliseconds");
        g.stderr = g.stderr.replace(/\d+ milliseconds/, "N milliseconds");
      }
      assert.deepEqual(g, h);
    });
  }

  it("the egress policy: private and metadata addresses fail with exit 7 and events", async () => {
    const events: NetworkEvent[] = [];
    const off = vm.onNetworkEvent((e) => events.push(e));
    try {
      for (const target of ["http://10.0.0.1/", "http://169.254.169.254/latest/meta-data/"]) {
        const r = await inVm(["-sS", target]);
        assert.equal(r.exitCode, 7);
        assert.match(
          r.stderr,
          /^curl: \(7\) Failed to connect to [\d.]+ port 80 after \d+ ms: denied by the VM's network policy: /,
        );
      }
      assert.deepEqual(
        events.map((e) => [e.type, e.type === "denied" ? e.address : ""]),
        [
          ["denied", "10.0.0.1"],
          ["denied", "169.254.169.254"],
        ],
      );
    } finally {
      off();
    }
  });

  it("a host port that is not exempt is refused like a closed port", async () => {
    const other = await startTestHttpServer();
    try {
      const r = await inVm(["-sS", other.url("/hello")]);
      assert.equal(r.exitCode, 7);
      assert.match(r.stderr, /Couldn't connect to server/);
    } finally {
      await other.close();
    }
  });

  it("reaches a server inside the VM at localhost", async () => {
    const guest = await AgentOs.create();
    try {
      const http = createServer((req, res) => res.end(`guest saw ${req.method} ${req.url}\n`));
      let ready!: () => void;
      const listening = new Promise<void>((resolve) => (ready = resolve));
      await guest.kernel.spawn(1, {
        argv: ["tiny-server"],
        main: async (ctx) => {
          const l = await ctx.net.listen({ port: 3000 });
          ready();
          for (
            let c = await ctx.net.accept(l.listenerId);
            c;
            c = await ctx.net.accept(l.listenerId)
          )
            http.emit("connection", new ConnectionDuplex(connectionIo(ctx.net, c.connId), c));
          return 0;
        },
      });
      await listening;
      const r = await guest.exec(
        "curl -s http://localhost:3000/api?x=1 && curl -s -X POST 127.0.0.1:3000/p",
      );
      assert.deepEqual(r, {
        stdout: "guest saw GET /api?x=1\nguest saw POST /p\n",
        stderr: "",
        exitCode: 0,
      });
    } finally {
      await guest.dispose();
    }
  });

  it("-o and -O write files; the meter goes to stderr unless -s", async () => {
    const r = await inVm(["-o", "out.txt", server.url("/hello")]);
    assert.equal(r.exitCode, 0);
    assert.equal(r.stdout, "");
    assert.match(r.stderr, /^ {2}% Total {4}% Received % Xferd {2}Average Speed/);
    assert.match(r.stderr, /\r100 +13 +100 +13 /);
    assert.equal(
      new TextDecoder().decode(await vm.readFile(`${VM_WORKDIR}/out.txt`)),
      "hello, world\n",
    );
    const o = await inVm(["-s", "-O", server.url("/bytes/5000")]);
    assert.equal(o.exitCode, 0);
    assert.equal((await vm.readFile(`${VM_WORKDIR}/5000`)).length, 5000);
    const failed = await inVm(["-sf", "-o", "never.txt", server.url("/status/404")]);
    assert.equal(failed.exitCode, 22);
    assert.equal(await vm.exists(`${VM_WORKDIR}/never.txt`), false);
  });

  it("real curl options it lacks fail clearly", async () => {
    const r = await inVm(["-F", "a=b", server.url("/echo")]);
    assert.deepEqual(r, {
      stdout: "",
      stderr: "curl: option -F: is not supported in agentOS\n",
      exitCode: 2,
    });
  });

  it("https through the VM's network: -k skips verification, else exit 60", async (t) => {
    const dir = mkdtempSync(join(tmpdir(), "agentos-tls-"));
    const made = await new Promise<boolean>((resolve) =>
      execFile(
        "openssl",
        [
          "req",
          "-x509",
          "-newkey",
          "rsa:2048",
          "-nodes",
          "-keyout",
          join(dir, "k.pem"),
          "-out",
          join(dir, "c.pem"),
          "-days",
          "1",
          "-subj",
          "/CN=localhost",
        ],
        (err) => resolve(!err),
      ),
    );
    if (!made) return t.skip("no openssl on the host to make a test certificate");
    const tls = createHttpsServer(
      { key: readFileSync(join(dir, "k.pem")), cert: readFileSync(join(dir, "c.pem")) },
      (req, res) => res.end(`secure ${req.url}\n`),
    );
    await new Promise<void>((resolve) => tls.listen(0, "127.0.0.1", resolve));
    const port = (tls.address() as { port: number }).port;
    const secureVm = await AgentOs.create({ loopbackExemptPorts: [port] });
    try {
      const ok = await runArgv(secureVm, ["curl", "-sk", `https://localhost:${port}/x`]);
      assert.deepEqual(ok, { stdout: "secure /x\n", stderr: "", exitCode: 0 });
      const bad = await runArgv(secureVm, ["curl", "-sS", `https://localhost:${port}/x`]);
      assert.equal(bad.exitCode, 60);
      assert.match(bad.stderr, /^curl: \(60\) SSL certificate problem: /);
    } finally {
      await secureVm.dispose();
      tls.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("a name that does not resolve: exit 6", async () => {
    const r = await inVm(["-sS", "http://nonexistent.invalid/"]);
    assert.deepEqual(r, {
      stdout: "",
      stderr: "curl: (6) Could not resolve host: nonexistent.invalid\n",
      exitCode: 6,
    });
  });
});
