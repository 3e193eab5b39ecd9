/**
 * Agent session figures with the real Pi coding agent (pi-acp + pi in the VM): the time of
 * `createSession("pi")` cold (first session in this host process: no V8 code cache yet) and
 * warm, one scripted prompt turn (a local scripted LLM server answers), and the host memory
 * each live Pi session costs (RSS delta; the reference agentOS reports about 131 MB). Every
 * answer is checked, so a fast failure cannot pass as a figure.
 */
import { pi } from "@agentos/agent-pi";
import { scriptedModelFiles } from "@agentos/agent-pi/scripted-model";
import { AgentOs } from "@agentos/core";
import {
  type ScriptedLlmServer,
  startScriptedLlmServer,
} from "../../packages/core/src/acp/testing/llm-server.ts";
import { forceGc, GC_HELP, gcAvailable, measure, type Report, rss, summarize } from "../harness.ts";
import type { SuiteOptions } from "./vm.ts";

const SCENARIO = {
  cold: 'createSession("pi") cold',
  warm: 'createSession("pi") warm',
  turn: "one scripted Pi prompt turn",
  memory: "host memory per live Pi session",
} as const;

const REPLY = "benchmark reply";

/** A VM with Pi installed and configured to use `llm` as its model. */
async function piVm(llm: ScriptedLlmServer, maxProcesses = 64): Promise<AgentOs> {
  const vm = await AgentOs.create({
    software: [pi],
    loopbackExemptPorts: [llm.port],
    limits: { maxProcesses },
  });
  await vm.writeFiles(scriptedModelFiles(llm.url, "bench"));
  return vm;
}

async function timed<T>(fn: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const start = performance.now();
  const value = await fn();
  return { ms: performance.now() - start, value };
}

export async function agentsSuite(report: Report, options: SuiteOptions): Promise<void> {
  const n = (k: number) => Math.max(2, options.quick ? Math.ceil(k / 10) : k);
  const turns = n(30);
  const llm = await startScriptedLlmServer(
    Array.from({ length: turns + 5 }, () => ({ text: REPLY })),
  );
  try {
    // Cold: the first Pi session of this host process compiles pi's ~8 MB bundle.
    const vm = await piVm(llm);
    const cold = await timed(() => vm.createSession("pi"));
    report.addTiming(SCENARIO.cold, "agentos", summarize([cold.ms * 1e6]), {
      unit: "ms",
      note: "first session in this host process (no code cache); pi-acp + pi --mode rpc",
    });
    const sessionId = cold.value.sessionId;

    // One prompt turn against the scripted model (the answer is checked).
    const first = await vm.prompt(sessionId, "warm up");
    if (!first.text.endsWith(REPLY)) throw new Error(`pi answered ${JSON.stringify(first.text)}`);
    const turn = await measure(
      "turn",
      async () => {
        const result = await vm.prompt(sessionId, "say the reply");
        if (!result.text.endsWith(REPLY))
          throw new Error(`pi answered ${JSON.stringify(result.text)}`);
      },
      { iterations: turns - 1, warmup: 0 },
    );
    report.addTiming(SCENARIO.turn, "agentos", summarize(turn), {
      unit: "ms",
      note: `n=${turns - 1}; prompt → scripted SSE answer → end_turn`,
    });
    await vm.destroySession(sessionId);

    // Warm: later sessions reuse V8's code cache for pi's modules.
    const warm: number[] = [];
    for (let i = 0; i < n(8); i++) {
      const { ms, value } = await timed(() => vm.createSession("pi"));
      warm.push(ms * 1e6);
      await vm.destroySession(value.sessionId);
    }
    report.addTiming(SCENARIO.warm, "agentos", summarize(warm), {
      unit: "ms",
      note: `n=${warm.length}; new session in the same VM (code cache warm); no agent snapshot`,
    });
    await vm.dispose();

    await memoryFigure(report, llm, options.quick ? 2 : 4);
  } finally {
    await llm.close();
  }
}

async function memoryFigure(report: Report, llm: ScriptedLlmServer, count: number): Promise<void> {
  if (!gcAvailable()) {
    report.addMissing(SCENARIO.memory, "agentos", GC_HELP, "MB/session");
    return;
  }
  const vm = await piVm(llm, count * 8 + 16);
  // One session first, so shared caches (code cache, runtime image) are not counted per session.
  const warmup = await vm.createSession("pi");
  await forceGc();
  const before = rss();
  const sessions: string[] = [];
  for (let i = 0; i < count; i++) sessions.push((await vm.createSession("pi")).sessionId);
  // Each live session answers once, so its agent has done real work.
  for (const id of sessions) await vm.prompt(id, "hello");
  await forceGc();
  const perSession = (rss() - before) / count;
  await vm.destroySession(warmup.sessionId);
  await vm.dispose();
  report.add({
    scenario: SCENARIO.memory,
    subject: "agentos",
    median: perSession / 2 ** 20,
    p95: null,
    unit: "MB/session",
    note: `host RSS delta over ${count} live sessions (2 guest node processes each) / ${count}; reference agentOS ~131 MB`,
  });
}
