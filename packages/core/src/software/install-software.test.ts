import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { AgentOs } from "../vm/agent-os.ts";
import { defineSoftware } from "./define-software.ts";

/** A tiny package tree on the host: a CLI with a hoisted dependency, an adapter, WASM files. */
function makeFixture(root: string): void {
  const pkg = (dir: string, manifest: object, files: Record<string, string>) => {
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, "package.json"), JSON.stringify(manifest));
    for (const [name, text] of Object.entries(files)) {
      mkdirSync(join(dir, name, ".."), { recursive: true });
      writeFileSync(join(dir, name), text);
    }
  };
  const nm = join(root, "sw", "node_modules");
  pkg(join(root, "sw"), { name: "my-software", version: "1.0.0" }, {});
  pkg(
    join(nm, "@acme", "greet"),
    {
      name: "@acme/greet",
      version: "1.0.0",
      bin: { greet: "bin/cli.js" },
      dependencies: { shout: "1" },
    },
    {
      "bin/cli.js":
        "#!/usr/bin/env node\nconst shout = require('shout');\nconsole.log(shout(process.argv.slice(2).join(' ')));\n",
    },
  );
  pkg(
    join(nm, "shout"),
    { name: "shout", version: "1.0.0", main: "index.js" },
    {
      "index.js": "module.exports = (s) => s.toUpperCase() + '!';\n",
    },
  );
  pkg(
    join(nm, "fake-acp"),
    { name: "fake-acp", version: "0.1.0", bin: "acp.js" },
    { "acp.js": "" },
  );
  pkg(
    join(nm, "fake-agent"),
    { name: "fake-agent", version: "0.1.0", bin: { fa: "cli.js" } },
    {
      "cli.js": "",
    },
  );
  mkdirSync(join(root, "wasm"));
  writeFileSync(join(root, "wasm", "frob.wasm"), "\0asm");
  writeFileSync(join(root, "wasm", "ls.wasm"), "\0asm");
}

describe("software packages", () => {
  let root: string;
  let vm: AgentOs;
  before(async () => {
    root = mkdtempSync(join(tmpdir(), "agentos-software-"));
    makeFixture(root);
    const packageDir = join(root, "sw");
    const tool = defineSoftware({
      name: "greet",
      type: "tool",
      packageDir,
      requires: ["@acme/greet"],
      bins: { greet: "@acme/greet" },
    });
    const agent = defineSoftware({
      name: "fake",
      type: "agent",
      packageDir,
      requires: ["fake-acp", "fake-agent"],
      agent: {
        id: "fake",
        acpAdapter: "fake-acp",
        agentPackage: "fake-agent",
        staticEnv: { A: "1" },
        env: (ctx) => ({
          FA_BIN: ctx.resolveBin("fake-agent", "fa"),
          ACP: ctx.resolvePackage("fake-acp"),
        }),
        launchArgs: ["--stdio"],
      },
    });
    const wasm = defineSoftware({
      name: "wasm-set",
      type: "wasm-commands",
      commandDir: join(root, "wasm"),
      aliases: { fb: "frob" },
      permissions: { readOnly: "*" },
    });
    vm = await AgentOs.create({ software: [tool, [agent, wasm]] });
  });
  after(async () => {
    await vm.dispose();
    rmSync(root, { recursive: true, force: true });
  });

  test("a tool's bin runs with the VM's node and finds its dependencies", async () => {
    const r = await vm.exec("greet hello there");
    assert.equal(r.stderr, "");
    assert.equal(r.stdout, "HELLO THERE!\n");
    assert.equal(r.exitCode, 0);
    const launcher = await vm.exec("cat $(command -v greet)");
    assert.match(
      launcher.stdout,
      /exec node '\/root\/node_modules\/@acme\/greet\/bin\/cli\.js' "\$@"/,
    );
  });

  test("required packages are visible read-only under /root/node_modules", async () => {
    assert.equal((await vm.exec("cat /root/node_modules/shout/index.js")).exitCode, 0);
    const write = await vm.exec("touch /root/node_modules/shout/x");
    assert.notEqual(write.exitCode, 0);
    assert.match(write.stderr, /Read-only file system|Permission denied/);
    const node = await vm.exec(`node -e 'console.log(require("/root/node_modules/shout")("hi"))'`);
    assert.equal(node.stdout, "HI!\n");
  });

  test("agents are registered with env resolved through the SoftwareContext", () => {
    const [{ packages, ...agent }] = vm.softwareAgents;
    assert.deepEqual(
      packages.map((p) => [p.name, p.vmDir]),
      [
        ["fake-acp", "/root/node_modules/fake-acp"],
        ["fake-agent", "/root/node_modules/fake-agent"],
      ],
    );
    assert.deepEqual(agent, {
      id: "fake",
      software: "fake",
      acpAdapter: "fake-acp",
      agentPackage: "fake-agent",
      adapterBin: "/root/node_modules/fake-acp/acp.js",
      env: {
        A: "1",
        FA_BIN: "/root/node_modules/fake-agent/cli.js",
        ACP: "/root/node_modules/fake-acp",
      },
      launchArgs: ["--stdio"],
      snapshot: false,
    });
  });

  test("WASM commands are registered and fail clearly; built-ins keep their names", async () => {
    for (const command of ["frob", "fb"]) {
      const r = await vm.exec(`${command} --version`);
      assert.equal(r.exitCode, 127);
      assert.match(r.stderr, /WASM runtime not available yet/);
    }
    const ls = await vm.exec("ls /");
    assert.equal(ls.exitCode, 0);
  });

  test("clear errors for bad descriptors and missing packages", async () => {
    const packageDir = join(root, "sw");
    assert.throws(
      () =>
        defineSoftware({ name: "x", type: "tool", packageDir, requires: ["a"], bins: { a: "b" } }),
      /bins.a: package "b" must be listed in requires/,
    );
    assert.throws(() => defineSoftware({ name: "x", type: "nope" } as never), /type must be/);
    assert.throws(
      () =>
        defineSoftware({
          name: "x",
          type: "agent",
          packageDir,
          requires: ["fake-acp"],
          agent: { id: "x", acpAdapter: "fake-acp", agentPackage: "fake-agent" },
        }),
      /agentPackage "fake-agent" must be listed in requires/,
    );
    await assert.rejects(
      AgentOs.create({
        software: [
          {
            name: "m",
            type: "tool",
            packageDir,
            requires: ["missing-pkg"],
            bins: { m: "missing-pkg" },
          },
        ],
      }),
      /software "m": package "missing-pkg" is not installed/,
    );
    await assert.rejects(
      AgentOs.create({
        software: [{ name: "w", type: "wasm-commands", commandDir: join(root, "nowhere") }],
      }),
      /software "w": cannot read commandDir/,
    );
  });
});
