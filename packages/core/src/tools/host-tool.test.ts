import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { z } from "zod";
import { AgentOs } from "../vm/agent-os.ts";
import { hostTool, toolKit } from "./host-tool.ts";

const calls: unknown[] = [];
const kit = toolKit({
  name: "myapp",
  description: "Application tools",
  tools: {
    createTicket: hostTool({
      description: "Create a ticket in the issue tracker",
      inputSchema: z.object({
        title: z.string().describe("Ticket title"),
        priority: z.enum(["low", "medium", "high"]).describe("Priority level"),
        tags: z.array(z.string()).optional().describe("Labels"),
        points: z.array(z.number()).optional(),
        estimate: z.number().optional(),
        count: z.number().int().default(1),
        urgent: z.boolean().default(false),
        assignedTo: z.string().optional(),
        meta: z.object({ owner: z.string() }).optional(),
      }),
      execute: (input) => {
        calls.push(input);
        return { id: calls.length, input };
      },
    }),
    slow: hostTool({
      description: "Waits until aborted",
      inputSchema: z.object({}),
      timeout: 50,
      execute: (_input, { signal }) =>
        new Promise((resolve) => signal.addEventListener("abort", () => resolve("aborted"))),
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

describe("host tools as VM commands", () => {
  let vm: AgentOs;
  before(async () => {
    vm = await AgentOs.create({ toolKits: [kit] });
  });
  after(() => vm.dispose());

  test("flags from the schema: strings, enums, repeated arrays, numbers, booleans, kebab-case", async () => {
    const r = await vm.exec(
      "agentos-myapp createTicket --title 'Fix login' --priority high --tags a --tags 'b c' " +
        "--points 1 --points 2.5 --estimate=3 --count 4 --urgent --assigned-to ann",
    );
    assert.equal(r.stderr, "");
    assert.equal(r.exitCode, 0);
    const out = JSON.parse(r.stdout);
    assert.deepEqual(out.input, {
      title: "Fix login",
      priority: "high",
      tags: ["a", "b c"],
      points: [1, 2.5],
      estimate: 3,
      count: 4,
      urgent: true,
      assignedTo: "ann",
    });
  });

  test("--json gives the whole object, flags override it, defaults apply", async () => {
    const r = await vm.exec(
      `agentos-myapp create-ticket --json '{"title":"x","priority":"low","urgent":true}' --no-urgent --meta '{"owner":"me"}'`,
    );
    assert.equal(r.exitCode, 0, r.stderr);
    assert.deepEqual(JSON.parse(r.stdout).input, {
      title: "x",
      priority: "low",
      urgent: false,
      count: 1,
      meta: { owner: "me" },
    });
  });

  test("--json-file reads from the VM filesystem (relative to the cwd) and from stdin", async () => {
    await vm.writeFile("/home/user/in.json", '{"title":"f","priority":"medium"}');
    const r = await vm.exec("agentos-myapp createTicket --json-file in.json | jq -c .input.title");
    assert.equal(r.stdout, '"f"\n');
    const s = await vm.exec(
      "agentos-myapp createTicket --json-file - --title g < in.json | jq -r .input.title",
    );
    assert.equal(s.stdout, "g\n");
    const missing = await vm.exec("agentos-myapp createTicket --json-file /nope.json");
    assert.equal(missing.exitCode, 2);
    assert.match(missing.stderr, /--json-file \/nope\.json: .*ENOENT/);
  });

  test("usage errors exit 2 on stderr", async () => {
    const cases: Array<[string, RegExp]> = [
      [
        "agentos-myapp createTicket --title x --priority urgent",
        /--priority: expected one of low, medium, high; got "urgent"/,
      ],
      [
        "agentos-myapp createTicket --title x --priority low --count 1.5",
        /--count: expected an integer/,
      ],
      [
        "agentos-myapp createTicket --title x --priority low --estimate abc",
        /--estimate: expected a number/,
      ],
      ["agentos-myapp createTicket --bogus 1", /unknown flag --bogus/],
      ["agentos-myapp createTicket --title", /--title needs a value/],
      ["agentos-myapp createTicket stray", /unexpected argument "stray"/],
      ["agentos-myapp createTicket --json '[1]'", /--json: expected a JSON object/],
      ["agentos-myapp nope", /unknown tool "nope"/],
      ["agentos-myapp", /Usage: agentos-myapp <tool>/],
    ];
    for (const [command, message] of cases) {
      const r = await vm.exec(command);
      assert.equal(r.exitCode, 2, command);
      assert.equal(r.stdout, "", command);
      assert.match(r.stderr, message, command);
    }
  });

  test("schema validation errors name the issue path", async () => {
    const r = await vm.exec(`agentos-myapp createTicket --priority low --meta '{"owner":3}'`);
    assert.equal(r.exitCode, 2);
    assert.match(r.stderr, /title \(--title\): Invalid input: expected string/);
    assert.match(
      r.stderr,
      /meta\.owner \(--meta\): Invalid input: expected string, received number/,
    );
  });

  test("execution errors and timeouts exit 1 with a message", async () => {
    const boom = await vm.exec("agentos-myapp boom");
    assert.deepEqual(
      [boom.exitCode, boom.stdout, boom.stderr],
      [1, "", "agentos-myapp boom: kaput\n"],
    );
    const slow = await vm.exec("agentos-myapp slow");
    assert.equal(slow.exitCode, 1);
    assert.equal(slow.stderr, "agentos-myapp slow: timed out after 50 ms\n");
  });

  test("--help at every level comes from the descriptions", async () => {
    const kitHelp = await vm.exec("agentos-myapp --help");
    assert.equal(kitHelp.exitCode, 0);
    assert.match(kitHelp.stdout, /agentos-myapp: Application tools/);
    assert.match(kitHelp.stdout, /createTicket +Create a ticket in the issue tracker/);
    const toolHelp = await vm.exec("agentos-myapp createTicket --help");
    assert.match(toolHelp.stdout, /--priority <low\|medium\|high> +Priority level \(required\)/);
    assert.match(toolHelp.stdout, /--tags <string> +Labels \(repeatable\)/);
    assert.match(toolHelp.stdout, /--urgent, --no-urgent +\(default: false\)/);
    assert.match(toolHelp.stdout, /--assigned-to <string>/);
    assert.match(toolHelp.stdout, /--json-file <path>/);
  });

  test("agentos list-tools lists every kit and tool; agentos <kit> <tool> runs one", async () => {
    const list = await vm.exec("agentos list-tools");
    assert.equal(list.exitCode, 0);
    assert.match(
      list.stdout,
      /agentos-myapp: Application tools\n {2}createTicket +Create a ticket/,
    );
    assert.match(list.stdout, /boom +Always fails/);
    const json = JSON.parse((await vm.exec("agentos list-tools --json")).stdout);
    assert.equal(json[0].command, "agentos-myapp");
    assert.equal(json[0].tools[0].inputSchema.properties.priority.enum.length, 3);
    const r = await vm.exec(
      "agentos myapp createTicket --title t --priority low | jq -r .input.title",
    );
    assert.equal(r.stdout, "t\n");
    assert.equal(
      (await vm.exec("command -v agentos-myapp")).stdout,
      "/usr/local/bin/agentos-myapp\n",
    );
  });
});

describe("toolKit and hostTool definitions", () => {
  const ok = { description: "d", inputSchema: z.object({}), execute: () => 1 };
  test("reject bad names, duplicates and non-object schemas", () => {
    assert.throws(
      () => toolKit({ name: "My App", description: "d", tools: { a: hostTool(ok) } }),
      /name must be/,
    );
    assert.throws(
      () => toolKit({ name: "a", description: "d", tools: { "b c": hostTool(ok) } }),
      /not command-safe/,
    );
    assert.throws(
      () =>
        toolKit({
          name: "a",
          description: "d",
          tools: { fooBar: hostTool(ok), "foo-bar": hostTool(ok) },
        }),
      /would be the same command/,
    );
    assert.throws(
      () => toolKit({ name: "a", description: "d", tools: { x: ok as never } }),
      /hostTool/,
    );
    assert.throws(() => hostTool({ ...ok, inputSchema: z.string() }), /object schema/);
    assert.throws(() => hostTool({ ...ok, inputSchema: {} as never }), /Zod/);
    assert.throws(() => hostTool({ ...ok, inputSchema: z.object({ json: z.string() }) }), /--json/);
    assert.throws(() => hostTool({ ...ok, timeout: -1 }), /timeout/);
    assert.throws(() => hostTool({ ...ok, description: "" }), /description/);
  });
  test("a tuple property is one JSON flag", () => {
    const tool = hostTool({
      ...ok,
      inputSchema: z.object({ pair: z.tuple([z.string(), z.number()]) }),
    });
    assert.deepEqual(
      tool.flags.map((f) => [f.name, f.kind, f.array]),
      [["pair", "json", false]],
    );
  });
  test("AgentOs.create rejects duplicate kit names", async () => {
    const a = toolKit({ name: "dup", description: "d", tools: { a: hostTool(ok) } });
    await assert.rejects(AgentOs.create({ toolKits: [a, a] }), /two toolkits are named "dup"/);
    await assert.rejects(AgentOs.create({ toolKits: [{} as never] }), /toolKit\(/);
  });
});
