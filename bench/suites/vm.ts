/**
 * VM figures: cold start to a first finished command, memory per idle VM, warm command
 * round-trips, and file throughput through the API, each next to a host peer measured in the
 * same run (a real process spawn, real files in a tmp dir). Timings are printed, not asserted.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { AgentOs } from "@agentos/core";
import {
  forceGc,
  GC_HELP,
  gcAvailable,
  measure,
  type Report,
  rssSlope,
  type Samples,
  summarize,
} from "../harness.ts";

export interface SuiteOptions {
  /** Run about a tenth of the iterations (a smoke run; figures are rough). */
  quick: boolean;
}

const decoder = new TextDecoder();

const SCENARIO = {
  memory: "idle VM resident memory",
  firstVm: "first VM in process: create → spawn echo exit",
  coldSpawn: "cold: create → spawn echo exit",
  coldCreate: "cold: AgentOs.create() alone",
  coldExec: "cold: create → exec 'echo hello'",
  warmSpawn: "warm: spawn echo round-trip",
  warmExec: "warm: exec 'echo hello'",
  filePair: "files: writeFile+readFile pair",
  fileRate: "files: pair throughput",
} as const;

/** Runs `echo hello` with spawn and returns its exit code and stdout. */
async function spawnEcho(vm: AgentOs): Promise<{ code: number; stdout: string }> {
  let stdout = "";
  const { pid } = vm.spawn("echo", ["hello"], {
    onStdout: (data) => {
      stdout += decoder.decode(data);
    },
  });
  const code = await vm.waitProcess(pid);
  return { code, stdout };
}

/** Whether `exec('echo hello')` works on this build; the reason when it does not. */
async function probeExec(): Promise<{ ok: true } | { ok: false; reason: string }> {
  const vm = await AgentOs.create();
  try {
    const result = await vm.exec("echo hello");
    if (result.exitCode === 0 && result.stdout === "hello\n") return { ok: true };
    const detail = (result.stderr.trim() || JSON.stringify(result.stdout)).slice(0, 60);
    return { ok: false, reason: `probe: exit ${result.exitCode}, ${JSON.stringify(detail)}` };
  } catch (err) {
    return { ok: false, reason: `probe threw: ${(err as Error).message.slice(0, 60)}` };
  } finally {
    await vm.dispose();
  }
}

function failIf(condition: boolean, message: string): void {
  if (condition) throw new Error(`vm suite: ${message}`);
}

async function settle(): Promise<void> {
  if (gcAvailable()) await forceGc();
}

export async function vmSuite(report: Report, options: SuiteOptions): Promise<void> {
  const scale = (n: number, min = 10): number =>
    options.quick ? Math.max(min, Math.round(n / 10)) : n;
  const counts = {
    vms: scale(1000),
    liveVms: scale(100),
    warm: scale(2000),
    host: scale(200),
    pairs: scale(10_000),
  };

  // Sanity check before any timing: the figures mean nothing if echo does not work. It is
  // also the first VM of this process, timed once: it builds the shared root image and runs
  // the code before the JIT has seen it.
  {
    const start = process.hrtime.bigint();
    const vm = await AgentOs.create();
    const { code, stdout } = await spawnEcho(vm);
    const ns = Number(process.hrtime.bigint() - start);
    await vm.dispose();
    failIf(code !== 0 || stdout !== "hello\n", `spawn echo gave ${code} ${JSON.stringify(stdout)}`);
    report.addTiming(SCENARIO.firstVm, "agentos", summarize([ns]), {
      note: "n=1: first VM of the process (builds the shared root image, JIT cold)",
    });
  }
  const execProbe = await probeExec();
  const execMissing = execProbe.ok ? "" : `exec: shell not available yet (${execProbe.reason})`;

  // Memory first: RSS only grows when the heap needs fresh pages, and the thousands of VMs
  // created and disposed below would leave freed pages for new ones to reuse.
  if (gcAvailable()) {
    await settle();
    const slope = await rssSlope(() => AgentOs.create(), counts.liveVms, {
      release: (vm) => vm.dispose(),
    });
    const kb = slope.bytesPerObject / 1024;
    report.add({
      scenario: SCENARIO.memory,
      subject: "agentos",
      median: kb,
      p95: null,
      unit: "KB/VM",
      note:
        `RSS slope over ${counts.liveVms} live VMs, r²=${slope.r2.toFixed(2)}; ` +
        `heapUsed slope ${(slope.heapBytesPerObject / 1024).toFixed(1)} KB/VM; target < 1 MB`,
      extra: {
        heapKbPerVm: slope.heapBytesPerObject / 1024,
        r2: slope.r2,
        firstRssMb: slope.points[0].rss / 2 ** 20,
        lastRssMb: slope.points[slope.points.length - 1].rss / 2 ** 20,
      },
    });
  } else {
    report.addMissing(SCENARIO.memory, "agentos", GC_HELP, "KB/VM");
  }

  // Cold start: a fresh VM to the exit of its first command; disposal is not timed.
  await settle();
  const createNs: number[] = [];
  const coldWarmup = scale(50, 5);
  const cold = await measure(
    "create→spawn",
    async (i) => {
      const start = process.hrtime.bigint();
      const vm = await AgentOs.create();
      if (i >= coldWarmup) createNs.push(Number(process.hrtime.bigint() - start));
      const { pid } = vm.spawn("echo", ["hello"]);
      return { vm, code: await vm.waitProcess(pid) };
    },
    {
      iterations: counts.vms,
      warmup: coldWarmup,
      after: async ({ vm, code }) => {
        failIf(code !== 0, `cold spawn echo exited ${code}`);
        await vm.dispose();
      },
    },
  );
  report.addTiming(SCENARIO.coldSpawn, "agentos", summarize(cold), {
    note: `n=${counts.vms} VMs, each disposed after (untimed)`,
  });
  report.addTiming(SCENARIO.coldCreate, "agentos", summarize(createNs), {
    note: `same iterations, create() part only`,
  });

  await settle();
  if (execProbe.ok) {
    const coldExec = await measure(
      "create→exec",
      async () => {
        const vm = await AgentOs.create();
        return { vm, result: await vm.exec("echo hello") };
      },
      {
        iterations: counts.vms,
        warmup: coldWarmup,
        after: async ({ vm, result }) => {
          failIf(result.exitCode !== 0, `cold exec exited ${result.exitCode}`);
          await vm.dispose();
        },
      },
    );
    report.addTiming(SCENARIO.coldExec, "agentos", summarize(coldExec), {
      note: `n=${counts.vms} VMs, each disposed after (untimed)`,
    });
  } else {
    report.addMissing(SCENARIO.coldExec, "agentos", execMissing, "µs");
  }

  // Warm: one VM, many commands.
  await settle();
  {
    const vm = await AgentOs.create();
    try {
      const warm = await measure(
        "warm spawn",
        async () => {
          const { pid } = vm.spawn("echo", ["hello"]);
          return vm.waitProcess(pid);
        },
        {
          iterations: counts.warm,
          warmup: scale(200),
          after: (code) => failIf(code !== 0, `warm spawn echo exited ${code}`),
        },
      );
      report.addTiming(SCENARIO.warmSpawn, "agentos", summarize(warm), {
        note: `n=${counts.warm} on one VM`,
      });
    } finally {
      await vm.dispose();
    }
  }
  if (execProbe.ok) {
    const vm = await AgentOs.create();
    try {
      const warmExec = await measure("warm exec", () => vm.exec("echo hello"), {
        iterations: counts.warm,
        warmup: scale(200),
        after: (result) => failIf(result.exitCode !== 0, `warm exec exited ${result.exitCode}`),
      });
      report.addTiming(SCENARIO.warmExec, "agentos", summarize(warmExec), {
        note: `n=${counts.warm} on one VM`,
      });
    } finally {
      await vm.dispose();
    }
  } else {
    report.addMissing(SCENARIO.warmExec, "agentos", execMissing, "µs");
  }

  // Host peers: a real process per command (there is no warm state to keep on the host).
  await settle();
  const hostSpawn = await measure(
    "host spawnSync echo",
    () => spawnSync("echo", ["hello"], { encoding: "utf8" }),
    {
      iterations: counts.host,
      warmup: 10,
      after: (result) =>
        failIf(result.status !== 0 || result.stdout !== "hello\n", "host echo failed"),
    },
  );
  const hostShell = await measure(
    "host sh -c",
    () => execFileSync("/bin/sh", ["-c", "echo hello"], { encoding: "utf8" }),
    {
      iterations: counts.host,
      warmup: 10,
      after: (stdout) => failIf(stdout !== "hello\n", "host sh -c echo failed"),
    },
  );
  const hostSpawnSummary = summarize(hostSpawn);
  const hostShellSummary = summarize(hostShell);
  const hostNote = (what: string): string => `n=${counts.host}, ${what}`;
  report.addTiming(SCENARIO.coldSpawn, "host", hostSpawnSummary, {
    note: hostNote("spawnSync('echo', ['hello']): a fresh OS process"),
  });
  report.baseline(SCENARIO.coldSpawn, "host");
  report.addTiming(SCENARIO.coldExec, "host", hostShellSummary, {
    note: hostNote("execFileSync('/bin/sh', ['-c', 'echo hello'])"),
  });
  report.baseline(SCENARIO.coldExec, "host");
  report.addTiming(SCENARIO.warmSpawn, "host", hostSpawnSummary, {
    note: hostNote("same samples as the cold host row"),
  });
  report.baseline(SCENARIO.warmSpawn, "host");
  report.addTiming(SCENARIO.warmExec, "host", hostShellSummary, {
    note: hostNote("same samples as the cold host row"),
  });
  report.baseline(SCENARIO.warmExec, "host");

  // Files: small writeFile + readFile pairs, each to a new path.
  await settle();
  const content = "x".repeat(99) + "\n";
  {
    const vm = await AgentOs.create();
    try {
      await vm.mkdir("/tmp/bench");
      const pairs = await measure(
        "vm file pair",
        async (i) => {
          const path = `/tmp/bench/f${i}`;
          await vm.writeFile(path, content);
          return vm.readFile(path);
        },
        {
          iterations: counts.pairs,
          warmup: scale(500),
          after: (data) => failIf(data.length !== content.length, "vm readFile size mismatch"),
        },
      );
      addFileRows(report, "agentos", pairs, `n=${counts.pairs} pairs through the API`);
      failIf(
        decoder.decode(await vm.readFile("/tmp/bench/f1")) !== content,
        "vm readFile content mismatch",
      );
    } finally {
      await vm.dispose();
    }
  }
  await settle();
  const dir = mkdtempSync(join(tmpdir(), "agentos-bench-"));
  try {
    const pairs = await measure(
      "host file pair",
      (i) => {
        const path = join(dir, `f${i}`);
        writeFileSync(path, content);
        return readFileSync(path);
      },
      {
        iterations: counts.pairs,
        warmup: scale(500),
        after: (data) => failIf(data.length !== content.length, "host readFile size mismatch"),
      },
    );
    addFileRows(
      report,
      "host",
      pairs,
      `n=${counts.pairs}, writeFileSync+readFileSync in ${tmpdir()}`,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  report.baseline(SCENARIO.filePair, "host");
  report.baseline(SCENARIO.fileRate, "host");
}

function addFileRows(report: Report, subject: string, pairs: Samples, note: string): void {
  const summary = summarize(pairs);
  report.addTiming(SCENARIO.filePair, subject, summary, { note });
  let totalNs = 0;
  for (const ns of pairs.ns) totalNs += ns;
  report.add({
    scenario: SCENARIO.fileRate,
    subject,
    median: summary.count / (totalNs / 1e9),
    p95: null,
    unit: "pairs/s",
    note: `count / summed pair time (${(totalNs / 1e9).toFixed(2)} s)`,
  });
}
