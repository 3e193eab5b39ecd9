/**
 * Host tools: what code mode saves an agent. One multi-step task, "look up 10 customers and
 * sum their open balances", is run for real in a VM both ways an agent could do it: ten
 * `agentos-crm get-customer` commands, whose command lines and JSON outputs all land in the
 * agent's transcript, or one code-mode script (`import { crm } from "agentos:tools"`) that
 * chains the ten calls and prints only the total. The transcript text of each way is counted
 * with an OpenAI tokenizer (gpt-tokenizer, o200k_base); both answers are checked against each
 * other and against the data. The wall time of both ways is measured too.
 */
import { AgentOs, hostTool, toolKit } from "@agentos/core";
import { countTokens } from "gpt-tokenizer";
import { z } from "zod";
import { measure, type Report, summarize } from "../harness.ts";
import type { SuiteOptions } from "./vm.ts";

const TASK = "look up 10 customers, sum their open balances";
const SCENARIO = {
  tokens: `transcript tokens: ${TASK}`,
  time: `wall time: ${TASK}`,
} as const;
const SINGLE = "single tool calls (10 commands)";
const CODE_MODE = "code mode (1 script)";

const CITIES = ["Lisbon", "Osaka", "Denver", "Tartu", "Recife", "Leeds", "Pune", "Perth"];
const PLANS = ["free", "team", "business", "enterprise"];

/** A CRM record the size real ones have: an agent asking for one balance gets all of this. */
function customer(n: number) {
  const city = CITIES[n % CITIES.length];
  return {
    id: `C-${1000 + n}`,
    name: `Customer ${n} Holdings`,
    email: `billing${n}@customer${n}.example`,
    phone: `+1-555-01${String(n).padStart(2, "0")}`,
    plan: PLANS[n % PLANS.length],
    status: n % 7 === 0 ? "past_due" : "active",
    address: { street: `${100 + n} Market Street`, city, postalCode: `${10000 + n * 7}` },
    openBalance: Math.round(((n * 7919) % 100000) / 10) / 100,
    currency: "USD",
    createdAt: new Date(Date.UTC(2022, n % 12, 1 + (n % 28))).toISOString(),
    lastOrderAt: new Date(Date.UTC(2025, n % 12, 1 + ((n * 3) % 28))).toISOString(),
    tags: ["newsletter", n % 2 ? "priority" : "standard"],
    accountManager: { name: `Manager ${n % 5}`, email: `am${n % 5}@crm.example` },
  };
}

const CUSTOMERS = new Map(
  Array.from({ length: 50 }, (_, i) => customer(i + 1)).map((c) => [c.id, c]),
);
const IDS = [...CUSTOMERS.keys()].slice(0, 10);

const crm = toolKit({
  name: "crm",
  description: "Customer records",
  tools: {
    "get-customer": hostTool({
      description: "One customer record by id",
      inputSchema: z.object({ id: z.string().describe("Customer id, e.g. C-1001") }),
      execute: ({ id }) => {
        const found = CUSTOMERS.get(id);
        if (!found) throw new Error(`no customer ${id}`);
        return found;
      },
    }),
  },
});

const SCRIPT_PATH = "/home/user/balances.mjs";
/** What an agent writes: the calls chained in one script that prints only the answer. */
const SCRIPT = `import { crm } from "agentos:tools";
const ids = ${JSON.stringify(IDS)};
const customers = await Promise.all(ids.map((id) => crm.getCustomer({ id })));
const total = customers.reduce((sum, c) => sum + c.openBalance, 0);
console.log(\`total open balance: \${total.toFixed(2)} USD over \${customers.length} customers\`);
`;

/** The ten commands one by one; the transcript holds each command line and its output. */
async function singleCalls(vm: AgentOs): Promise<{ transcript: string; total: number }> {
  let transcript = "";
  let total = 0;
  for (const id of IDS) {
    const command = `agentos-crm get-customer --id ${id}`;
    const r = await vm.exec(command);
    if (r.exitCode !== 0) throw new Error(`${command}: exit ${r.exitCode} ${r.stderr}`);
    transcript += `$ ${command}\n${r.stdout}`;
    total += (JSON.parse(r.stdout) as { openBalance: number }).openBalance;
  }
  return { transcript, total };
}

/** The script written and run; the transcript holds the script, its command and its output. */
async function codeMode(vm: AgentOs): Promise<{ transcript: string; total: number }> {
  await vm.writeFile(SCRIPT_PATH, SCRIPT);
  const command = `node ${SCRIPT_PATH}`;
  const r = await vm.exec(command);
  if (r.exitCode !== 0) throw new Error(`${command}: exit ${r.exitCode} ${r.stderr}`);
  const total = Number(/total open balance: ([\d.]+)/.exec(r.stdout)?.[1]);
  return { transcript: `${SCRIPT_PATH}:\n${SCRIPT}$ ${command}\n${r.stdout}`, total };
}

export async function toolsSuite(report: Report, options: SuiteOptions): Promise<void> {
  const vm = await AgentOs.create({ toolKits: [crm] });
  try {
    const single = await singleCalls(vm);
    const code = await codeMode(vm);
    const expected = IDS.reduce((sum, id) => sum + (CUSTOMERS.get(id)?.openBalance ?? 0), 0);
    if (Math.abs(single.total - expected) > 0.005 || Math.abs(code.total - expected) > 0.005)
      throw new Error(
        `totals differ: single calls ${single.total}, code mode ${code.total}, data ${expected}`,
      );
    const singleTokens = countTokens(single.transcript);
    const codeTokens = countTokens(code.transcript);
    const reduction = `${((1 - codeTokens / singleTokens) * 100).toFixed(0)}% fewer tokens`;
    report.add({
      scenario: SCENARIO.tokens,
      subject: SINGLE,
      median: singleTokens,
      p95: null,
      unit: "tokens",
      note: `o200k_base; ${single.transcript.length} chars of command lines + JSON outputs`,
    });
    report.add({
      scenario: SCENARIO.tokens,
      subject: CODE_MODE,
      median: codeTokens,
      p95: null,
      unit: "tokens",
      note: `${reduction} (script + command + printed total, ${code.transcript.length} chars)`,
    });
    console.log(
      `  tools: ${singleTokens} tokens as single calls, ${codeTokens} in code mode: ${reduction}`,
    );

    const n = (k: number): number => (options.quick ? Math.max(2, Math.ceil(k / 10)) : k);
    const singleTimes = await measure(SINGLE, () => singleCalls(vm), {
      iterations: n(20),
      warmup: 2,
    });
    const codeTimes = await measure(CODE_MODE, () => codeMode(vm), {
      iterations: n(20),
      warmup: 2,
    });
    report.addTiming(SCENARIO.time, SINGLE, summarize(singleTimes), { unit: "ms" });
    report.baseline(SCENARIO.time, SINGLE);
    report.addTiming(SCENARIO.time, CODE_MODE, summarize(codeTimes), {
      unit: "ms",
      note: `n=${codeTimes.ns.length}; one guest node process making 10 parallel calls`,
    });
  } finally {
    await vm.dispose();
  }
}
