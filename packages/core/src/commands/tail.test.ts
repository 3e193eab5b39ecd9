import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { AgentOs } from "../vm/agent-os.ts";
import { COMPARABLE_ENV, type Fixture, runBoth, VM_WORKDIR } from "./testing.ts";

const files: Fixture = {
  t4: "a\nb\nc\nd\n",
  t20: Array.from({ length: 20 }, (_, i) => `line ${i + 1}\n`).join(""),
  big: Array.from({ length: 30000 }, (_, i) => `row ${i}\n`).join(""),
  nonl: "x\ny",
  z: "a\0b\0c\0",
  bin: new Uint8Array([0xff, 0xfe, 0x0a, 0x00, 0x80, 0x0a, 0x41]),
  "dir/f": "in dir\n",
  empty: "",
};

const cases: Array<[string[], string?]> = [
  [["tail", "t20"]],
  [["tail", "-n", "3", "t20"]],
  [["tail", "-n3", "t20"]],
  [["tail", "-n", "-3", "t20"]],
  [["tail", "-n", "+3", "t20"]],
  [["tail", "-n", "+0", "t4"]],
  [["tail", "-n", "0", "t4"]],
  [["tail", "-n", "30", "t20"]],
  [["tail", "-n", "+30", "t20"]],
  [["tail", "-n", "5", "big"]],
  [["tail", "-n", "+29990", "big"]],
  [["tail", "-c", "7", "big"]],
  [["tail", "-c", "+7", "t4"]],
  [["tail", "-c", "5", "t20"]],
  [["tail", "-c", "1k", "t20"]],
  [["tail", "--lines=2", "t4"]],
  [["tail", "--bytes=3", "t4"]],
  [["tail", "-3", "t20"]],
  [["tail", "+18", "t20"]],
  [["tail", "-3c", "t20"]],
  [["tail", "+3c", "t4"]],
  [["tail", "-c"], "abc"],
  [["tail", "-5", "t4", "t4"]],
  [["tail", "-n", "2", "-5", "t4"]],
  [["tail", "-n", "1", "t4", "t20"]],
  [["tail", "-q", "-n", "1", "t4", "t20"]],
  [["tail", "-v", "-n", "1", "t4"]],
  [["tail", "-n", "1", "t4", "missing", "t20"]],
  [["tail", "missing"]],
  [["tail", "dir"]],
  [["tail", "empty"]],
  [["tail", "-n", "1", "nonl"]],
  [["tail", "-n", "2", "nonl"]],
  [["tail", "-n", "+2", "nonl"]],
  [["tail", "-z", "-n", "2", "z"]],
  [["tail", "-n", "1", "bin"]],
  [["tail", "-c", "3", "bin"]],
  [["tail", "-n", "x", "t4"]],
  [["tail", "-c", "x", "t4"]],
  [["tail", "-n", "99999999999999999999999999", "t4"]],
  [["tail", "-x"]],
  [["tail", "--bogus"]],
  [["tail", "--pid=x", "t4"]],
  [["tail", "-s", "x", "t4"]],
  [["tail", "--follow=bogus", "t4"]],
  [["tail", "-f", "missing"]],
  [["tail", "-n", "2"], "one\ntwo\nthree\n"],
  [["tail", "-n", "+2", "-"], "one\ntwo\nthree\n"],
  [["tail", "-c", "4"], "one\ntwo\nthree"],
];

describe("tail", () => {
  for (const [argv, stdin] of cases) {
    it(argv.slice(1).join(" ") || "(no args)", async () => {
      const { vm, host } = await runBoth(argv, { files, stdin });
      assert.deepEqual(vm, host);
    });
  }

  it("-f follows a growing file until killed", async () => {
    const vm = await AgentOs.create({ env: COMPARABLE_ENV });
    try {
      await vm.mkdir(VM_WORKDIR, { recursive: true });
      await vm.writeFile(`${VM_WORKDIR}/log`, "one\ntwo\n");
      let out = "";
      const { pid } = vm.spawn("tail", ["-f", "-s", "0.01", "-n", "1", "log"], {
        cwd: VM_WORKDIR,
        onStdout: (d) => {
          out += new TextDecoder().decode(d);
        },
      });
      await new Promise((r) => setTimeout(r, 50));
      assert.equal(out, "two\n");
      const prev = await vm.readFile(`${VM_WORKDIR}/log`);
      await vm.writeFile(`${VM_WORKDIR}/log`, Buffer.concat([prev, Buffer.from("three\n")]));
      await new Promise((r) => setTimeout(r, 80));
      assert.equal(out, "two\nthree\n");
      vm.killProcess(pid);
      assert.equal(await vm.waitProcess(pid), 137);
    } finally {
      await vm.dispose();
    }
  });

  it("--pid stops following when the process exits", async () => {
    const vm = await AgentOs.create({ env: COMPARABLE_ENV });
    try {
      await vm.mkdir(VM_WORKDIR, { recursive: true });
      await vm.writeFile(`${VM_WORKDIR}/log`, "x\n");
      const sleeper = vm.spawn("sleep", ["0.05"]);
      const { pid } = vm.spawn("tail", ["-f", "-s", "0.01", `--pid=${sleeper.pid}`, "log"], {
        cwd: VM_WORKDIR,
      });
      assert.equal(await vm.waitProcess(pid), 0);
    } finally {
      await vm.dispose();
    }
  });

  it("-F reports a file that appears", async () => {
    const vm = await AgentOs.create({ env: COMPARABLE_ENV });
    try {
      await vm.mkdir(VM_WORKDIR, { recursive: true });
      let out = "";
      let err = "";
      const { pid } = vm.spawn("tail", ["-F", "-s", "0.01", "late"], {
        cwd: VM_WORKDIR,
        onStdout: (d) => {
          out += new TextDecoder().decode(d);
        },
        onStderr: (d) => {
          err += new TextDecoder().decode(d);
        },
      });
      await new Promise((r) => setTimeout(r, 30));
      await vm.writeFile(`${VM_WORKDIR}/late`, "hello\n");
      await new Promise((r) => setTimeout(r, 80));
      vm.killProcess(pid);
      await vm.waitProcess(pid);
      assert.equal(out, "hello\n");
      assert.equal(
        err,
        "tail: cannot open 'late' for reading: No such file or directory\n" +
          "tail: 'late' has appeared;  following new file\n",
      );
    } finally {
      await vm.dispose();
    }
  });
});
