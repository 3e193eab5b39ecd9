/**
 * node:child_process in the guest, differential against host Node 24: each case is a small
 * program run once by the host's node and once by `node` inside a VM (same directory path on
 * both sides); stdout, stderr and the exit status must match. Children are `sh`, coreutils and
 * `node` itself (a second guest). Programs print only what both sides share (never pids).
 */
import assert from "node:assert/strict";
import { after, describe, it } from "node:test";
import { closeNodeVm, nodeVm, runNodeBoth } from "./testing.ts";

after(closeNodeVm);

/** Case name → program (CommonJS, `cp` = require("child_process") in scope). */
const CASES: Record<string, string> = {
  "spawn captures stdout, stderr and the exit code": `
    const c = cp.spawn("sh", ["-c", "echo out; echo err >&2; exit 7"]);
    let out = "", err = "";
    c.stdout.on("data", (d) => (out += d));
    c.stderr.on("data", (d) => (err += d));
    c.on("exit", (code, signal) => console.log("exit", code, signal));
    c.on("close", (code, signal) => console.log("close", code, signal, JSON.stringify(out), JSON.stringify(err), c.exitCode, c.signalCode));`,
  "spawn emits 'spawn' before 'exit'": `
    const c = cp.spawn("true");
    const events = [];
    c.on("spawn", () => events.push("spawn"));
    c.on("exit", () => events.push("exit"));
    c.on("close", () => { events.push("close"); console.log(events.join(",")); });`,
  "writing stdin of cat": `
    const c = cp.spawn("cat");
    let out = "";
    c.stdout.setEncoding("utf8");
    c.stdout.on("data", (d) => (out += d));
    c.on("close", (code) => console.log(JSON.stringify(out), code));
    c.stdin.write("hello ");
    c.stdin.write(Buffer.from("binary "));
    c.stdin.end("world\\n");`,
  "stdout piped into another child": `
    const a = cp.spawn("printf", ["b\\\\na\\\\nc\\\\n"]);
    const b = cp.spawn("sort");
    a.stdout.pipe(b.stdin);
    b.stdout.on("data", (d) => process.stdout.write(d));
    b.on("close", (code) => console.log("sorted", code));`,
  "missing command: ENOENT error event then close": `
    const c = cp.spawn("no-such-command-x", ["a", "b"]);
    console.log(c.pid, typeof c.stdout, c.stdio.length);
    c.on("error", (e) => console.log(e.message, e.errno, e.code, e.syscall, e.path, e.spawnargs, Object.keys(e)));
    c.on("exit", () => console.log("no exit event"));
    c.on("close", (code, signal) => console.log("close", code, signal));`,
  "missing cwd is ENOENT": `
    const c = cp.spawn("ls", [], { cwd: "/no/such/dir" });
    c.on("error", (e) => console.log(e.message, e.code, e.syscall, e.path));`,
  "kill with the default SIGTERM and with SIGKILL": `
    const a = cp.spawn("sleep", ["30"]);
    a.on("exit", (code, signal) => {
      console.log("a", code, signal, a.killed, a.exitCode, a.signalCode, a.kill());
      const b = cp.spawn("sleep", ["30"]);
      b.on("exit", (code, signal) => console.log("b", code, signal, b.killed));
      console.log(b.kill("SIGKILL"));
    });
    console.log(a.kill());`,
  "kill with an unknown signal throws": `
    const c = cp.spawn("sleep", ["30"]);
    try { c.kill("SIGNOPE"); } catch (e) { console.log(e.name, e.code, e.message); }
    c.kill(9);`,
  "a node child's own SIGTERM shows as signalCode": `
    const c = cp.spawn("node", ["-e", "process.kill(process.pid, 'SIGTERM'); setTimeout(() => {}, 5000)"]);
    c.on("exit", (code, signal) => console.log(code, signal));`,
  "a node child handles SIGTERM itself": `
    const c = cp.spawn("node", ["-e", "process.on('SIGTERM', () => { console.log('caught'); process.exit(4); }); console.log('ready'); setInterval(() => {}, 1000)"]);
    c.stdout.on("data", (d) => { process.stdout.write("child: " + d); if (String(d).includes("ready")) c.kill(); });
    c.on("exit", (code, signal) => console.log("exit", code, signal));`,
  "node child: argv, exit code, stdin": `
    const c = cp.spawn("node", ["-e", "let s=''; process.stdin.on('data', d => s += d).on('end', () => { console.log(process.argv.slice(1), s.trim()); process.exit(3); })", "x", "y"]);
    c.stdout.pipe(process.stdout);
    c.stdin.end("from parent\\n");
    c.on("close", (code) => console.log("code", code));`,
  "stdio inherit": `
    const c = cp.spawn("sh", ["-c", "echo inherited-out; echo inherited-err >&2; exit 2"], { stdio: "inherit" });
    c.on("close", (code) => console.log("closed", code, c.stdout, c.stdin, c.stdio));`,
  "stdio ignore and mixed arrays": `
    const c = cp.spawn("sh", ["-c", "echo to-null; cat; echo err >&2"], { stdio: ["ignore", "ignore", "pipe"] });
    console.log(c.stdin, c.stdout, typeof c.stderr.on);
    c.stderr.on("data", (d) => process.stdout.write("stderr: " + d));
    c.on("close", (code) => console.log("closed", code));`,
  "stdio given as an fd number": `
    const c = cp.spawn("sh", ["-c", "echo via-fd-2 >&1"], { stdio: ["pipe", 2, "pipe"] });
    c.on("close", (code) => console.log("closed", code, c.stdout));`,
  "env and cwd options": `
    const c = cp.spawn("sh", ["-c", "echo $FOO $BAR; pwd"], { env: { FOO: "foo", BAR: 42, PATH: process.env.PATH }, cwd: "/tmp" });
    c.stdout.pipe(process.stdout);`,
  "env defaults to process.env including changes": `
    process.env.ADDED_LATER = "yes";
    cp.exec("echo $ADDED_LATER", (e, out) => console.log(JSON.stringify(out)));`,
  "shell: true and shell string": `
    const c = cp.spawn("echo $((6 * 7)) | tr 4 X", { shell: true });
    console.log(c.spawnfile, c.spawnargs);
    c.stdout.pipe(process.stdout);
    c.on("close", () => {
      const d = cp.spawn("echo a b", { shell: "/bin/bash" });
      console.log(d.spawnfile, d.spawnargs);
      d.stdout.pipe(process.stdout);
    });`,
  "argv0 renames the child's argv[0]": `
    const c = cp.spawn("sh", ["-c", "echo $0"], { argv0: "custom-name" });
    console.log(c.spawnfile, c.spawnargs);
    c.stdout.pipe(process.stdout);`,
  "spawn argument validation": `
    for (const args of [[5], [""], ["ls", "notarray"], ["ls", [1]], ["ls", [], "opts"], ["ls", { stdio: "bogus" }], ["ls", { shell: 3 }], ["ls", { cwd: 5 }]]) {
      try { cp.spawn(...args); console.log("no throw"); } catch (e) { console.log(e.name, e.code, e.message); }
    }`,
  "timeout option kills with killSignal": `
    const c = cp.spawn("sleep", ["30"], { timeout: 50, killSignal: "SIGINT" });
    c.on("exit", (code, signal) => console.log(code, signal, c.killed));`,
  "AbortSignal kills the child and emits AbortError": `
    const ac = new AbortController();
    const c = cp.spawn("sleep", ["30"], { signal: ac.signal });
    c.on("error", (e) => console.log(e.name, e.code, e.message));
    c.on("exit", (code, signal) => console.log(code, signal));
    setTimeout(() => ac.abort(), 20);`,
  "unref lets the parent exit first": `
    const c = cp.spawn("sleep", ["30"], { stdio: "ignore", detached: true });
    c.unref();
    console.log(typeof c.pid, c.connected);`,
  "ChildProcess class and module shape": `
    const c = cp.spawn("true");
    console.log(c instanceof cp.ChildProcess, c instanceof require("events"), Object.keys(cp).sort().join());
    c.on("close", (code) => console.log(code));`,
  "exec: stdout and stderr strings": `
    cp.exec("echo out; echo err >&2", (e, out, err) => console.log(e, JSON.stringify(out), JSON.stringify(err)));`,
  "exec: failure error shape": `
    cp.exec("echo partial; echo bad >&2; exit 3", (e, out, err) => console.log(JSON.stringify(e.message), e.code, e.killed, e.signal, e.cmd, Object.keys(e), JSON.stringify(out)));`,
  "exec: buffer encoding": `
    cp.exec("printf abc", { encoding: "buffer" }, (e, out) => console.log(Buffer.isBuffer(out), out));`,
  "exec: timeout": `
    cp.exec("sleep 5", { timeout: 50 }, (e) => console.log(JSON.stringify(e.message), e.code, e.killed, e.signal, e.cmd));`,
  "exec: maxBuffer exceeded": `
    cp.exec("yes | head -c 100000", { maxBuffer: 10 }, (e, out) => console.log(e.name, e.code, e.message, e.cmd, JSON.stringify(out)));`,
  "execFile with args and a failing status": `
    cp.execFile("sh", ["-c", "echo x; exit 2"], (e, out) => console.log(JSON.stringify(e.message), e.code, e.cmd, JSON.stringify(out)));`,
  "execFile ENOENT": `
    cp.execFile("no-such-command-y", ["q"], (e) => console.log(e.message, e.code, e.errno, e.cmd, Object.keys(e)));`,
  "util.promisify(exec) and execFile": `
    const util = require("util");
    (async () => {
      const r = await util.promisify(cp.exec)("echo p; echo q >&2");
      console.log(JSON.stringify(r));
      try { await util.promisify(cp.execFile)("sh", ["-c", "echo o; exit 3"]); }
      catch (e) { console.log(e.code, JSON.stringify(e.stdout), JSON.stringify(e.stderr)); }
    })();`,
  "execSync returns stdout; errors carry status and stderr": `
    console.log(cp.execSync("echo hi"), cp.execSync("echo hi", { encoding: "utf8" }));
    try { cp.execSync("echo out; echo err >&2; exit 4", { stdio: "pipe" }); }
    catch (e) { console.log(JSON.stringify(e.message), e.status, e.signal, Object.keys(e), String(e.stdout), String(e.stderr)); }`,
  "execSync echoes the child's stderr by default": `
    try { cp.execSync("echo visible >&2; exit 1"); } catch (e) { console.log(JSON.stringify(e.message), e.status); }`,
  "execSync of a missing command is status 127": `
    try { cp.execSync("no-such-command-z 2>/dev/null"); } catch (e) { console.log(JSON.stringify(e.message), e.status); }`,
  "execFileSync: input, encoding and ENOENT": `
    console.log(JSON.stringify(cp.execFileSync("tr", ["a-z", "A-Z"], { input: "shout", encoding: "utf8" })));
    try { cp.execFileSync("sh", ["-c", "exit 2"]); } catch (e) { console.log(JSON.stringify(e.message), e.status); }
    try { cp.execFileSync("no-such-command-w"); } catch (e) { console.log(e.message, e.code, e.status, Object.keys(e)); }`,
  "execFileSync of a node child": `
    console.log(JSON.stringify(cp.execFileSync("node", ["-p", "6 * 7"]).toString()));`,
  "spawnSync result shape": `
    const r = cp.spawnSync("sh", ["-c", "echo out; echo err >&2; exit 3"]);
    console.log(Object.keys(r), r.status, r.signal, r.output.length, r.output[0], String(r.stdout), String(r.stderr));
    const s = cp.spawnSync("cat", { input: "abc", encoding: "utf8" });
    console.log(s.stdout, s.output);`,
  "spawnSync ENOENT": `
    const r = cp.spawnSync("no-such-command-v", ["x"]);
    console.log(r.error.message, r.error.errno, r.error.code, r.error.syscall, r.error.path, r.error.spawnargs, r.status, r.signal, r.output, r.pid, r.stdout, r.stderr, Object.keys(r));`,
  "spawnSync timeout and maxBuffer": `
    const t = cp.spawnSync("sleep", ["5"], { timeout: 50 });
    console.log(t.error.message, t.error.code, t.status, t.signal);
    const m = cp.spawnSync("sh", ["-c", "echo hello; sleep 5"], { maxBuffer: 2 });
    console.log(m.error.message, m.error.code, m.status, m.signal);`,
  "spawnSync killed by a signal": `
    const r = cp.spawnSync("sh", ["-c", "kill -TERM $$"]);
    console.log(r.status, r.signal, r.output);`,
  "megabytes through cat, both ways": `
    const data = Buffer.alloc(3 * 1024 * 1024, "x");
    const c = cp.spawn("cat");
    let n = 0;
    c.stdout.on("data", (d) => (n += d.length));
    c.on("close", (code) => console.log(n, code));
    c.stdin.end(data);`,
  "spawnSync stops at the default 1 MiB maxBuffer": `
    const r = cp.spawnSync("cat", { input: Buffer.alloc(3 * 1024 * 1024, "x") });
    console.log(r.stdout.length > 1024 * 1024, r.status, r.signal, r.error.code);`,
  "writing to a child that stopped reading is EPIPE on stdin": `
    const c = cp.spawn("head", ["-c", "10"]);
    c.stdin.on("error", (e) => console.log("stdin error", e.code, e.syscall, e.message));
    c.stdin.write(Buffer.alloc(1024 * 1024, "y"));
    c.stdin.end(Buffer.alloc(1024 * 1024, "y"));
    c.on("close", (code) => console.log("close", code));`,
  "spawnSync with stdio inherit": `
    console.log("before");
    const r = cp.spawnSync("sh", ["-c", "echo inherited"], { stdio: "inherit" });
    console.log("after", r.status, r.stdout, r.output);`,
};

describe("child_process (differential against host Node)", () => {
  for (const [name, body] of Object.entries(CASES)) {
    it(name, async () => {
      const source = `const cp = require("child_process");\n${body}\n`;
      const { host, vm } = await runNodeBoth({ files: { "main.js": source }, argv: ["main.js"] });
      assert.deepEqual(vm, host);
    });
  }
});

describe("child_process (VM only)", () => {
  it("children are kernel processes of the guest, visible in the process table", async () => {
    const vm = await nodeVm();
    await vm.writeFile(
      "/tmp/ps.js",
      `const cp = require("child_process");
       const c = cp.spawn("sleep", ["30"]);
       const ppid = require("fs").readFileSync("/proc/" + c.pid + "/stat", "utf8").split(" ")[3];
       console.log(Number(ppid) === process.pid);
       c.kill();`,
    );
    const r = await vm.exec("node /tmp/ps.js");
    assert.deepEqual([r.stdout, r.stderr, r.exitCode], ["true\n", "", 0]);
  });

  it("fork fails with ERR_AGENTOS_NOT_SUPPORTED", async () => {
    const vm = await nodeVm();
    const r = await vm.exec(
      `node -e 'try { require("child_process").fork("x.js") } catch (e) { console.log(e.code) }'`,
    );
    assert.equal(r.stdout, "ERR_AGENTOS_NOT_SUPPORTED\n");
  });

  it("a sync child blocks only its guest: another VM process runs meanwhile", async () => {
    const vm = await nodeVm();
    const r = await vm.exec(
      `(sleep 0.05; echo side) & node -e 'require("child_process").execSync("sleep 0.3"); console.log("sync done")'; wait`,
    );
    assert.equal(r.stdout, "side\nsync done\n");
  });

  it("process.kill(process.pid) without a handler is status 143 in the shell", async () => {
    const vm = await nodeVm();
    const r = await vm.exec(
      `node -e 'process.kill(process.pid, "SIGTERM"); setTimeout(() => {}, 5000)'; echo $?`,
    );
    assert.equal(r.stdout, "143\n");
  });
});
