/**
 * Guest Node figures: `node -e 'console.log(1)'` in a warm VM, memory per idle guest node
 * process, `require('typescript')` cold and warm (V8 code cache), and HTTP round trips from the
 * host through `vm.fetch` to a guest server; each next to host Node doing the same in the same
 * run. Outputs are checked so a fast wrong answer cannot pass unnoticed.
 */
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { AgentOs } from "@agentos/core";
import { forceGc, GC_HELP, gcAvailable, measure, type Report, rss, summarize } from "../harness.ts";
import type { SuiteOptions } from "./vm.ts";

const decoder = new TextDecoder();
const REPO = join(import.meta.dirname, "../..");

const SCENARIO = {
  eval: "node -e 'console.log(1)' (warm VM)",
  idle: "idle node process resident memory",
  tsCold: "require('typescript') cold",
  tsWarm: "require('typescript') warm",
  http: "HTTP round trip to a node server",
} as const;

/** Runs `node <args>` in `vm` and returns its exit code and stdout. */
async function runNode(
  vm: AgentOs,
  args: string[],
  cwd?: string,
): Promise<{ code: number; stdout: string }> {
  let stdout = "";
  const { pid } = vm.spawn("node", args, {
    cwd,
    onStdout: (data) => {
      stdout += decoder.decode(data);
    },
  });
  return { code: await vm.waitProcess(pid), stdout };
}

function expect(what: string, actual: { code: number; stdout: string }, stdout: string): void {
  if (actual.code !== 0 || actual.stdout !== stdout) {
    throw new Error(`${what}: exit ${actual.code}, stdout ${JSON.stringify(actual.stdout)}`);
  }
}

async function evalFigure(report: Report, vm: AgentOs, n: (k: number) => number): Promise<void> {
  expect("guest node -e", await runNode(vm, ["-e", "console.log(1)"]), "1\n");
  const guest = await measure("guest", () => runNode(vm, ["-e", "console.log(1)"]), {
    iterations: n(300),
    warmup: 20,
  });
  const host = await measure(
    "host",
    () => spawnSync(process.execPath, ["-e", "console.log(1)"], { encoding: "utf8" }),
    { iterations: n(30), warmup: 2 },
  );
  report.addTiming(SCENARIO.eval, "host node (new process)", summarize(host), { unit: "ms" });
  report.baseline(SCENARIO.eval, "host node (new process)");
  report.addTiming(SCENARIO.eval, "agentos", summarize(guest), {
    unit: "ms",
    note: `n=${guest.ns.length}, spawn → exit on one VM; aim < 10 ms`,
  });
}

/** Resident memory of a host process from /proc, in bytes. */
function hostRss(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  return Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1] ?? Number.NaN) * 1024;
}

async function idleFigure(report: Report, count: number): Promise<void> {
  if (!gcAvailable()) {
    report.addMissing(SCENARIO.idle, "agentos", GC_HELP, "MB/process");
    return;
  }
  const vm = await AgentOs.create({ limits: { maxProcesses: count + 16 } });
  const program = "setInterval(() => {}, 1000); console.log('ready')";
  // One process first, so the runtime image and shared caches are not counted per process.
  const pids: number[] = [];
  const startOne = () =>
    new Promise<void>((resolve) => {
      const { pid } = vm.spawn("node", ["-e", program], { onStdout: () => resolve() });
      pids.push(pid);
    });
  await startOne();
  await forceGc();
  const before = rss();
  for (let i = 0; i < count; i++) await startOne();
  await new Promise((resolve) => setTimeout(resolve, 200));
  await forceGc();
  const perProcess = (rss() - before) / count;
  await vm.dispose();
  report.add({
    scenario: SCENARIO.idle,
    subject: "agentos",
    median: perProcess / 2 ** 20,
    p95: null,
    unit: "MB/process",
    note: `host RSS delta over ${count} guest \`node -e 'setInterval(...)'\` / ${count}; aim < 10 MB`,
  });
  // Host peer: the resident memory of one idle host node process.
  const child: ChildProcess = spawn(process.execPath, ["-e", program], { stdio: "pipe" });
  await new Promise((resolve) => child.stdout?.once("data", resolve));
  const peer = hostRss(child.pid as number);
  child.kill();
  report.add({
    scenario: SCENARIO.idle,
    subject: "host node process",
    median: peer / 2 ** 20,
    p95: null,
    unit: "MB/process",
    note: "VmRSS of one idle host `node -e 'setInterval(...)'`",
  });
}

/** The npm matrix install (it has typescript), or null when it cannot be installed. */
function matrixDir(): string | null {
  const r = spawnSync("bash", [join(REPO, "scripts/node-matrix.sh")], {
    encoding: "utf8",
    stdio: ["ignore", "pipe", "ignore"],
  });
  return r.status === 0 ? r.stdout.trim().split("\n").at(-1) || null : null;
}

async function typescriptFigures(report: Report, n: (k: number) => number): Promise<void> {
  const dir = matrixDir();
  if (!dir) {
    report.addMissing(SCENARIO.tsCold, "agentos", "scripts/node-matrix.sh failed");
    return;
  }
  const modules = join(dir, "node_modules");
  const vm = await AgentOs.create({
    mounts: [
      { path: modules, plugin: { id: "host_dir", config: { hostPath: modules } }, readOnly: true },
    ],
  });
  const args = ["-e", "console.log(typeof require('typescript').createProgram)"];
  try {
    // Cold: the first load in this host process (nothing in the code cache yet).
    const start = process.hrtime.bigint();
    expect("guest require('typescript')", await runNode(vm, args, dir), "function\n");
    const cold = Number(process.hrtime.bigint() - start);
    const warm = await measure("guest warm", () => runNode(vm, args, dir), {
      iterations: n(10),
      warmup: 1,
    });
    const host = await measure(
      "host",
      () => spawnSync(process.execPath, args, { cwd: dir, encoding: "utf8" }),
      { iterations: n(10), warmup: 1 },
    );
    report.addTiming(SCENARIO.tsCold, "agentos", summarize([cold]), {
      unit: "ms",
      note: "n=1, first load in the host process: read, compile, produce code cache",
    });
    report.addTiming(SCENARIO.tsCold, "host node (new process)", summarize(host), {
      unit: "ms",
      note: `n=${host.ns.length}, node -e in a new process (Node's own compile cache off)`,
    });
    report.baseline(SCENARIO.tsCold, "host node (new process)");
    report.addTiming(SCENARIO.tsWarm, "agentos", summarize(warm), {
      unit: "ms",
      note: `n=${warm.ns.length}, a new guest process each time, V8 code cache hit`,
    });
    report.addTiming(SCENARIO.tsWarm, "host node (new process)", summarize(host), {
      unit: "ms",
      note: "same host samples as the cold row",
    });
    report.baseline(SCENARIO.tsWarm, "host node (new process)");
  } finally {
    await vm.dispose();
  }
}

const SERVER = `require("http").createServer((req, res) => res.end("ok " + req.url)).listen(3000, () => console.log("listening"));`;

async function httpFigure(report: Report, n: (k: number) => number): Promise<void> {
  const requests = n(500);
  const vm = await AgentOs.create();
  let listening!: () => void;
  const ready = new Promise<void>((resolve) => {
    listening = resolve;
  });
  let stderr = "";
  const { pid } = vm.spawn("node", ["-e", SERVER], {
    onStdout: () => listening(),
    onStderr: (d) => {
      stderr += decoder.decode(d);
    },
  });
  const exited = vm.waitProcess(pid).then((code) => `guest server exited ${code}: ${stderr}`);
  const outcome = await Promise.race([ready.then(() => null), exited]);
  if (outcome !== null) {
    report.addMissing(SCENARIO.http, "agentos", outcome.trim().slice(0, 100), "req/s");
    await vm.dispose();
    return;
  }
  try {
    const one = async (i: number) => {
      const r = await vm.fetch(3000, `/r${i}`);
      const text = await r.text();
      if (text !== `ok /r${i}`) throw new Error(`vm.fetch answered ${JSON.stringify(text)}`);
    };
    const guest = await measure("guest", one, { iterations: requests, warmup: 20 });
    const host = createServer((req, res) => res.end(`ok ${req.url}`));
    await new Promise<void>((resolve) => host.listen(0, "127.0.0.1", resolve));
    const port = (host.address() as AddressInfo).port;
    const peer = await measure(
      "host",
      async (i) => {
        const r = await fetch(`http://127.0.0.1:${port}/r${i}`);
        await r.text();
      },
      { iterations: requests, warmup: 20 },
    );
    host.close();
    for (const [subject, samples] of [
      ["host node server + fetch", peer],
      ["agentos vm.fetch", guest],
    ] as const) {
      const total = samples.ns.reduce((a, b) => a + b, 0);
      report.add({
        scenario: SCENARIO.http,
        subject,
        median: samples.ns.length / (total / 1e9),
        p95: null,
        unit: "req/s",
        note: `${samples.ns.length} sequential requests; median ${(summarize(samples).median / 1e3).toFixed(0)} µs each`,
      });
    }
    report.baseline(SCENARIO.http, "host node server + fetch");
  } finally {
    await vm.dispose();
  }
}

export async function nodeSuite(report: Report, options: SuiteOptions): Promise<void> {
  const scale = options.quick ? 0.1 : 1;
  const n = (k: number): number => Math.max(3, Math.round(k * scale));
  const vm = await AgentOs.create();
  try {
    await evalFigure(report, vm, n);
  } finally {
    await vm.dispose();
  }
  await idleFigure(report, 20);
  await typescriptFigures(report, n);
  await httpFigure(report, n);
}
