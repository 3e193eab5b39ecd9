import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import ts from "typescript";
import { z } from "zod";
import { osInstructions } from "../acp/os-instructions.ts";
import { AgentOs } from "../vm/agent-os.ts";
import { hostTool, toolKit } from "./host-tool.ts";
import { toolsDts } from "./tools-dts.ts";

const RECORDS = Array.from({ length: 40 }, (_, i) => ({
  id: `R-${100 + i}`,
  amount: (i * 37) % 101,
  tags: i % 2 ? ["odd"] : [],
}));
let lookups = 0;
const aborted: string[] = [];

const shop = toolKit({
  name: "shop",
  description: "Shop records",
  tools: {
    getRecord: hostTool({
      description: "Look up one record by id",
      inputSchema: z.object({ id: z.string().describe("Record id, R-100 ... R-139") }),
      execute: ({ id }) => {
        lookups++;
        const record = RECORDS.find((r) => r.id === id);
        if (!record) throw new Error(`no record ${id}`);
        return record;
      },
    }),
    "list-ids": hostTool({
      description: "Every record id",
      inputSchema: z.object({ tag: z.string().optional() }),
      execute: ({ tag }) => RECORDS.filter((r) => !tag || r.tags.includes(tag)).map((r) => r.id),
    }),
    createTicket: hostTool({
      description: "Create a ticket",
      inputSchema: z.object({
        title: z.string(),
        priority: z.enum(["low", "medium", "high"]),
        count: z.number().int().default(1),
        when: z.date().optional(),
      }),
      execute: (input) => ({ created: input, at: new Date(0), nothing: undefined }),
    }),
    nothing: hostTool({
      description: "Returns undefined",
      inputSchema: z.object({}),
      execute: () => undefined,
    }),
    slow: hostTool({
      description: "Answers after a while",
      inputSchema: z.object({ ms: z.number() }),
      execute: ({ ms }) => new Promise((resolve) => setTimeout(() => resolve({ waited: ms }), ms)),
    }),
    hang: hostTool({
      description: "Waits until aborted (50 ms timeout)",
      inputSchema: z.object({}),
      timeout: 50,
      execute: (_input, { signal }) =>
        new Promise((resolve) => signal.addEventListener("abort", () => resolve("late"))),
    }),
    forever: hostTool({
      description: "Waits until the process is killed",
      inputSchema: z.object({}),
      execute: (_input, { signal }) =>
        new Promise((resolve) =>
          signal.addEventListener("abort", () => {
            aborted.push("forever");
            resolve(null);
          }),
        ),
    }),
    boom: hostTool({
      description: "Always fails",
      inputSchema: z.object({}),
      execute: () => {
        throw new Error("kaput");
      },
    }),
  },
});
const mail = toolKit({
  name: "mail-box",
  description: "Mail",
  tools: {
    send: hostTool({
      description: "Send a message",
      inputSchema: z.object({ to: z.string() }),
      execute: ({ to }) => ({ sent: to }),
    }),
  },
});

async function node(vm: AgentOs, file: string, source: string) {
  await vm.writeFile(`/home/user/${file}`, source);
  return vm.exec(`node ${file}`);
}

describe("code mode: host tools as functions in guest JavaScript", () => {
  let vm: AgentOs;
  before(async () => {
    vm = await AgentOs.create({ toolKits: [shop, mail] });
  });
  after(() => vm.dispose());

  test("ESM named and default imports; kebab-case names are camelCase", async () => {
    const r = await node(
      vm,
      "esm.mjs",
      `import tools, { shop, mailBox } from "agentos:tools";
       console.log(JSON.stringify(await shop.getRecord({ id: "R-101" })));
       console.log(JSON.stringify(await shop.listIds({ tag: "odd" })).length);
       console.log(JSON.stringify(await mailBox.send({ to: "ann" })));
       console.log(tools.shop === shop, Object.keys(tools).join(), Object.isFrozen(shop));
       console.log(shop.getRecord.name, typeof shop.listIds);`,
    );
    assert.equal(r.stderr, "");
    assert.equal(r.exitCode, 0);
    const cli = await vm.exec("agentos-shop getRecord --id R-101");
    assert.equal(r.stdout.split("\n")[0], cli.stdout.trim());
    const odd = await vm.exec("agentos-shop list-ids --tag odd");
    assert.deepEqual(r.stdout.split("\n").slice(1), [
      String(odd.stdout.trim().length),
      '{"sent":"ann"}',
      "true shop,mailBox true",
      "getRecord function",
      "",
    ]);
  });

  test("require, dynamic import and import.meta.resolve see the same module", async () => {
    const r = await node(
      vm,
      "cjs.cjs",
      `const tools = require("agentos:tools");
       console.log(require.resolve("agentos:tools"), tools === require("agentos:tools"));
       import("agentos:tools").then(async (ns) => {
         console.log(ns.default === tools, ns.shop === tools.shop);
         console.log((await tools.shop.getRecord({ id: "R-139" })).amount);
       });`,
    );
    assert.equal(r.stderr, "");
    assert.equal(r.stdout, `agentos:tools true\ntrue true\n${RECORDS[39].amount}\n`);
    const meta = await node(vm, "meta.mjs", `console.log(import.meta.resolve("agentos:tools"));`);
    assert.equal(meta.stdout, "agentos:tools\n");
  });

  test("one script chains many calls (sequential and parallel) and prints only the answer", async () => {
    const before = lookups;
    const r = await node(
      vm,
      "sum.mjs",
      `import { shop } from "agentos:tools";
       const ids = await shop.listIds();
       let total = 0;
       for (const id of ids.slice(0, 20)) total += (await shop.getRecord({ id })).amount;
       const rest = await Promise.all(ids.slice(20).map((id) => shop.getRecord({ id })));
       total += rest.reduce((sum, r) => sum + r.amount, 0);
       console.log(total);`,
    );
    assert.equal(r.stderr, "");
    assert.equal(r.stdout, `${RECORDS.reduce((sum, rec) => sum + rec.amount, 0)}\n`);
    assert.equal(lookups - before, 40);
  });

  test("input and result cross as JSON, with defaults applied, as on the command line", async () => {
    const r = await node(
      vm,
      "json.mjs",
      `import { shop } from "agentos:tools";
       console.log(JSON.stringify(await shop.createTicket({ title: "t", priority: "low", extra: 1 })));
       console.log(await shop.nothing(), await shop.nothing({}));`,
    );
    assert.equal(r.stderr, "");
    const cli = await vm.exec("agentos-shop createTicket --title t --priority low");
    assert.equal(r.stdout, `${cli.stdout}null null\n`);
    assert.deepEqual(JSON.parse(cli.stdout), {
      created: { title: "t", priority: "low", count: 1 },
      at: "1970-01-01T00:00:00.000Z",
    });
  });

  test("validation and execution errors reject with the CLI's message and a code", async () => {
    const r = await node(
      vm,
      "errors.mjs",
      `import { shop } from "agentos:tools";
       const cases = [
         () => shop.createTicket({ title: 3, priority: "urgent" }),
         () => shop.createTicket("not an object"),
         () => shop.boom(),
         () => shop.getRecord({ id: "nope" }),
         () => shop.hang(),
         () => shop.getRecord({ id: 1n }),
       ];
       for (const run of cases) {
         try { await run(); console.log("resolved?!"); }
         catch (e) { console.log(JSON.stringify([e instanceof Error, e.code ?? e.name, e.message])); }
       }`,
    );
    assert.equal(r.stderr, "");
    const lines = r.stdout
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as [boolean, string, string]);
    // The CLI prints the same text (plus a "Try --help" hint after validation errors).
    const cli = await vm.exec(`agentos-shop createTicket --json '{"title":3,"priority":"urgent"}'`);
    assert.equal(cli.exitCode, 2);
    assert.deepEqual(lines[0], [
      true,
      "ERR_AGENTOS_TOOL_INPUT",
      cli.stderr.slice(0, cli.stderr.indexOf("\nTry '")),
    ]);
    assert.match(lines[0][2], /title \(--title\): Invalid input: expected string, received number/);
    assert.match(lines[0][2], /priority \(--priority\): Invalid option/);
    assert.deepEqual(lines[1].slice(0, 2), [true, "ERR_AGENTOS_TOOL_INPUT"]);
    assert.match(lines[1][2], /\(input\): Invalid input: expected object, received string/);
    const boom = await vm.exec("agentos-shop boom");
    assert.deepEqual(lines[2], [true, "ERR_AGENTOS_TOOL_FAILED", boom.stderr.trimEnd()]);
    assert.deepEqual(lines[3], [
      true,
      "ERR_AGENTOS_TOOL_FAILED",
      "agentos-shop getRecord: no record nope",
    ]);
    const hang = await vm.exec("agentos-shop hang");
    assert.deepEqual(lines[4], [true, "ERR_AGENTOS_TOOL_TIMEOUT", hang.stderr.trimEnd()]);
    assert.equal(lines[4][2], "agentos-shop hang: timed out after 50 ms");
    assert.deepEqual(lines[5].slice(0, 2), [true, "TypeError"]);
  });

  test("an unhandled rejection ends the process like any other, with the caller's stack", async () => {
    const r = await node(
      vm,
      "fail.mjs",
      `import { shop } from "agentos:tools";\nawait shop.boom();`,
    );
    assert.equal(r.exitCode, 1);
    assert.match(r.stderr, /^Error.*: agentos-shop boom: kaput\n/);
    assert.match(r.stderr, /at file:\/\/\/home\/user\/fail\.mjs:2:12/);
  });

  test("a pending call keeps the process alive; killing the process aborts the tool", async () => {
    const r = await node(
      vm,
      "wait.cjs",
      `require("agentos:tools").shop.slow({ ms: 150 }).then((v) => console.log(v.waited));`,
    );
    assert.equal(r.stdout, "150\n");
    const killed = await vm.exec(
      `node -e 'require("agentos:tools").shop.forever().then(() => console.log("no"))'`,
      { timeout: 300 },
    );
    assert.equal(killed.exitCode, 124);
    assert.equal(killed.stdout, "");
    assert.deepEqual(aborted, ["forever"]);
  });

  test("the module is only the registered tools: names are data, the host checks them", async () => {
    const r = await node(
      vm,
      "shape.mjs",
      `import tools from "agentos:tools";
       const shape = Object.fromEntries(Object.entries(tools).map(([k, v]) =>
         [k, Object.entries(v).map(([n, f]) => n + ":" + typeof f).join()]));
       console.log(JSON.stringify(shape));
       try { tools.shop.evil = () => 1; } catch (e) { console.log(e.constructor.name); }
       console.log(Object.getOwnPropertyNames(globalThis).filter((n) => /tool/i.test(n)).join() || "none");`,
    );
    assert.equal(r.stderr, "");
    assert.deepEqual(r.stdout.split("\n"), [
      JSON.stringify({
        shop: "getRecord:function,listIds:function,createTicket:function,nothing:function,slow:function,hang:function,forever:function,boom:function",
        mailBox: "send:function",
      }),
      "TypeError",
      "none",
      "",
    ]);
  });

  test("the .d.ts is in the VM and printed by agentos list-tools --dts", async () => {
    const file = new TextDecoder().decode(await vm.readFile("/usr/lib/agentos/tools.d.ts"));
    assert.equal(file, toolsDts([shop, mail]));
    assert.equal((await vm.exec("agentos list-tools --dts")).stdout, file);
    const one = (await vm.exec("agentos list-tools mail-box --dts")).stdout;
    assert.equal(one, toolsDts([mail]));
    assert.match(file, /export const mailBox: \{/);
    assert.match(file, /getRecord\(input: ShopGetRecordInput\): Promise<unknown>;/);
    assert.match(file, /listIds\(input\?: ShopListIdsInput\): Promise<unknown>;/);
    assert.match(file, /\/\*\* Record id, R-100 \.\.\. R-139 \*\/\n\s+id: string;/);
  });

  test("OS instructions point agents at code mode", () => {
    const text = osInstructions({
      cwd: "/home/user",
      toolKits: ["mail-box"],
      maxProcesses: 1,
      maxFsBytes: 1,
      additional: [],
    });
    assert.match(text, /import \{ mailBox \} from "agentos:tools"/);
    assert.match(text, /\/usr\/lib\/agentos\/tools\.d\.ts/);
  });

  test("the toolkit's --help names its code-mode import", async () => {
    const help = await vm.exec("agentos-mail-box --help");
    assert.match(
      help.stdout,
      /import \{ mailBox \} from "agentos:tools"\n\(types: \/usr\/lib\/agentos\/tools\.d\.ts\)/,
    );
  });
});

describe("code mode without toolkits", () => {
  test("agentos:tools does not resolve; node:agentos:tools is no builtin", async () => {
    const vm = await AgentOs.create();
    try {
      const esm = await node(vm, "a.mjs", `import { shop } from "agentos:tools";`);
      assert.equal(esm.exitCode, 1);
      assert.match(esm.stderr, /ERR_MODULE_NOT_FOUND.*this VM has no host tools/);
      const cjs = await vm.exec(
        `node -e 'for (const m of ["agentos:tools", "node:agentos:tools"]) try { require(m) } catch (e) { console.log(e.code) }'`,
      );
      assert.equal(cjs.stdout, "MODULE_NOT_FOUND\nERR_UNKNOWN_BUILTIN_MODULE\n");
      await assert.rejects(vm.readFile("/usr/lib/agentos/tools.d.ts"), /ENOENT/);
    } finally {
      await vm.dispose();
    }
  });

  test("each VM sees its own kits only", async () => {
    const a = await AgentOs.create({ toolKits: [mail] });
    try {
      const r = await a.exec(`node -e 'console.log(Object.keys(require("agentos:tools")).join())'`);
      assert.equal(r.stdout, "mailBox\n");
    } finally {
      await a.dispose();
    }
  });
});

describe("code mode names and the generated declarations", () => {
  test("kits and tools whose code-mode names collide are rejected; default is reserved", async () => {
    const ok = hostTool({ description: "d", inputSchema: z.object({}), execute: () => 1 });
    assert.throws(
      () => toolKit({ name: "k", description: "d", tools: { "a--b": ok, aB: ok } }),
      /same function aB\(\) in code mode/,
    );
    assert.throws(
      () => toolKit({ name: "default", description: "d", tools: { a: ok } }),
      /reserved/,
    );
    const one = toolKit({ name: "my-app", description: "d", tools: { a: ok } });
    const two = toolKit({ name: "my--app", description: "d", tools: { a: ok } });
    await assert.rejects(AgentOs.create({ toolKits: [one, two] }), /would both be myApp/);
  });

  const Tree: z.ZodType = z.object({
    label: z.string(),
    get children() {
      return z.array(Tree).optional();
    },
  });
  const rich = toolKit({
    name: "class",
    description: "A kit whose name is a reserved word */ with a comment end",
    tools: {
      "2fa": hostTool({
        description: "Digits first",
        inputSchema: z.object({ code: z.string().length(6) }),
        execute: () => 1,
      }),
      "do-it": hostTool({
        description: "Every kind of schema",
        inputSchema: z.object({
          name: z.string().describe("Who"),
          level: z.enum(["a", "b"]),
          mode: z.literal("x"),
          note: z.string().nullable(),
          pair: z.tuple([z.string(), z.number()]),
          scores: z.record(z.string(), z.number()),
          either: z.union([z.string(), z.array(z.number())]),
          both: z.intersection(z.object({ a: z.string() }), z.object({ b: z.boolean() })),
          strict: z.strictObject({ s: z.string() }),
          loose: z.looseObject({ l: z.number() }),
          tree: Tree.optional(),
          "odd key": z.number().optional(),
          retries: z.number().int().default(3),
          anything: z.any(),
        }),
        execute: () => 1,
      }),
    },
  });

  test("the declarations type-check a correct script and reject wrong inputs", () => {
    const dir = mkdtempSync(join(tmpdir(), "agentos-code-mode-"));
    try {
      writeFileSync(join(dir, "tools.d.ts"), toolsDts([shop, mail, rich]));
      writeFileSync(
        join(dir, "good.ts"),
        `import tools, { shop, mailBox, class as cls, type ShopCreateTicketInput, type ToolError } from "agentos:tools";
         const input: ShopCreateTicketInput = { title: "t", priority: "high" };
         const results: Promise<unknown>[] = [
           shop.getRecord({ id: "R-100" }), shop.listIds(), shop.listIds({ tag: "x" }),
           shop.createTicket(input), shop.createTicket({ ...input, count: 2 }),
           mailBox.send({ to: "a" }), tools.shop.boom(), cls["2fa"]({ code: "123456" }),
           cls.doIt({
             name: "n", level: "a", mode: "x", note: null, pair: ["a", 1], scores: { a: 1 },
             either: [1, 2], both: { a: "a", b: true }, strict: { s: "s" }, loose: { l: 1, more: true },
             tree: { label: "r", children: [{ label: "c", children: [] }] }, "odd key": 1, anything: 1,
           }),
         ];
         export async function check(): Promise<string> {
           try { await Promise.all(results); return "ok"; } catch (e) { return (e as ToolError).code; }
         }`,
      );
      writeFileSync(
        join(dir, "bad.ts"),
        `import { shop, mailBox } from "agentos:tools";
         shop.createTicket({ title: "t", priority: "urgent" });
         shop.getRecord({});
         mailBox.send({ to: "a", cc: "b" });
         shop.nope();`,
      );
      const diagnostics = (file: string) => {
        const program = ts.createProgram([join(dir, "tools.d.ts"), join(dir, file)], {
          strict: true,
          noEmit: true,
          target: ts.ScriptTarget.ES2022,
          module: ts.ModuleKind.ES2022,
          moduleResolution: ts.ModuleResolutionKind.Bundler,
          lib: ["lib.es2022.d.ts"],
          types: [],
        });
        return ts
          .getPreEmitDiagnostics(program)
          .map((d) => `${d.file?.fileName.endsWith("tools.d.ts") ? "d.ts " : ""}TS${d.code}`);
      };
      assert.deepEqual(diagnostics("good.ts"), []);
      // An invalid enum value, a missing required property, an unknown property, an unknown tool.
      assert.deepEqual(diagnostics("bad.ts"), ["TS2322", "TS2345", "TS2353", "TS2339"]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
