/**
 * Job control in the interactive shell, driven through a PTY and checked on the rendered
 * screen. The expected lines are what bash 5.2 prints for the same keys (checked against the
 * host's bash on a pseudo-terminal).
 */
import assert from "node:assert/strict";
import { after, describe, it } from "node:test";
import { openTerminal, PROMPT, type TerminalSession } from "./test-terminal.ts";

const sessions: TerminalSession[] = [];
after(async () => {
  for (const s of sessions) await s.close();
});

async function open(): Promise<TerminalSession> {
  const s = await openTerminal();
  sessions.push(s);
  return s;
}

/** Starts `line` in the foreground and stops it with ^Z once `program` runs. */
async function startAndStop(s: TerminalSession, line: string, program: string): Promise<void> {
  s.type(`${line}\r`);
  await s.process(program, "running");
  s.type("\x1a");
  await s.process(program, "stopped");
}

const STOPPED = (n: number, mark: string, command: string): string =>
  `[${n}]${mark}  ${"Stopped".padEnd(24)}${command}`;
const RUNNING = (n: number, mark: string, command: string): string =>
  `[${n}]${mark}  ${"Running".padEnd(24)}${command} &`;

describe("job control: ^Z, fg, bg, jobs", () => {
  it("^Z stops the foreground job: bash's Stopped line, status 148, listed by jobs", async () => {
    const s = await open();
    await startAndStop(s, "sleep 100", "sleep");
    await s.waitFor(`${PROMPT}sleep 100\n^Z\n${STOPPED(1, "+", "sleep 100")}\n${PROMPT}`);
    await s.run("echo status=$?");
    assert.match(s.screen(), /^status=148$/m);
    const screen = await s.run("jobs");
    assert.ok(screen.endsWith(`jobs\n${STOPPED(1, "+", "sleep 100")}\n${PROMPT}`));
  });

  it("fg prints the command and resumes the job in the foreground", async () => {
    const s = await open();
    await startAndStop(s, "sleep 100", "sleep");
    s.type("fg\r");
    await s.waitFor(`${PROMPT}fg\nsleep 100`);
    await s.process("sleep", "running");
    s.type("\x03");
    await s.waitFor(`sleep 100\n^C\n${PROMPT}`);
    const screen = await s.run("jobs; echo st=$?");
    assert.ok(screen.endsWith(`jobs; echo st=$?\nst=0\n${PROMPT}`));
  });

  it("fg waits for the job to end and gives its status, without a Done notice", async () => {
    const s = await open();
    await startAndStop(s, "sleep 0.3", "sleep");
    s.type("fg\r");
    await s.waitFor(`${PROMPT}fg\nsleep 0.3\n${PROMPT}`);
    const screen = await s.run("echo st=$?");
    assert.match(screen, /^st=0$/m);
    assert.doesNotMatch(screen, /Done/);
  });

  it("a stopped job makes no progress: it ends only after it is continued", async () => {
    const s = await open();
    await startAndStop(s, "sleep 0.2", "sleep");
    await new Promise((r) => setTimeout(r, 400));
    let screen = await s.run("jobs");
    assert.ok(screen.endsWith(`${STOPPED(1, "+", "sleep 0.2")}\n${PROMPT}`));
    screen = await s.run("fg; echo st=$?");
    assert.ok(screen.endsWith(`fg; echo st=$?\nsleep 0.2\nst=0\n${PROMPT}`));
  });

  it("bg continues a stopped job in the background; kill %1 ends it with a notice", async () => {
    const s = await open();
    await startAndStop(s, "sleep 100", "sleep");
    let screen = await s.run("bg");
    assert.ok(screen.endsWith(`${PROMPT}bg\n[1]+ sleep 100 &\n${PROMPT}`));
    await s.process("sleep", "running");
    screen = await s.run("jobs");
    assert.ok(screen.endsWith(`jobs\n${RUNNING(1, "+", "sleep 100")}\n${PROMPT}`));
    screen = await s.run("bg %1");
    assert.ok(screen.endsWith(`bg %1\nbash: bg: job 1 already in background\n${PROMPT}`));
    // bash notices the end before the prompt it draws after it: here, the next one.
    screen = await s.run("kill %1");
    assert.ok(screen.endsWith(`kill %1\n[1]+  ${"Terminated".padEnd(24)}sleep 100\n${PROMPT}`));
  });

  it("stops a whole pipeline and resumes it as one job", async () => {
    const s = await open();
    s.type("sleep 100 | cat\r");
    await s.process("cat", "running");
    await s.process("sleep", "running");
    s.type("\x1a");
    await s.waitFor(`^Z\n${STOPPED(1, "+", "sleep 100 | cat")}\n${PROMPT}`);
    assert.equal((await s.process("cat")).status, "stopped");
    let screen = await s.run("jobs -l");
    const [sleep, cat] = [await s.process("sleep"), await s.process("cat")];
    assert.ok(
      screen.endsWith(
        `jobs -l\n[1]+ ${String(sleep.pid).padStart(5)} ${"Stopped".padEnd(24)}sleep 100\n` +
          `     ${String(cat.pid).padStart(5)}${" ".repeat(23)}| cat\n${PROMPT}`,
      ),
    );
    s.type("fg\r");
    await s.waitFor("fg\nsleep 100 | cat");
    await s.process("cat", "running");
    s.type("\x03");
    await s.waitFor(`^C\n${PROMPT}`);
    screen = await s.run("jobs");
    assert.ok(screen.endsWith(`${PROMPT}jobs\n${PROMPT}`));
  });

  it("the rest of the line runs after ^Z, but ^Z leaves a loop", async () => {
    const s = await open();
    await startAndStop(s, "sleep 100; echo after $?", "sleep");
    await s.waitFor(`${STOPPED(1, "+", "sleep 100")}\nafter 148\n${PROMPT}`);
    await startAndStop(s, "for i in 1 2; do sleep 50; echo i$i; done", "sleep");
    await s.waitFor(`^Z\n${STOPPED(2, "+", "sleep 50")}\n${PROMPT}`);
    await new Promise((r) => setTimeout(r, 100));
    assert.doesNotMatch(s.screen(), /^i1$/m);
  });

  it("job specs: %n, %+, %-, %string, %?string, and bash's errors", async () => {
    const s = await open();
    await startAndStop(s, "sleep 100", "sleep");
    s.type("cat\r");
    await s.process("cat", "running");
    s.type("\x1a");
    await s.waitFor(`${STOPPED(2, "+", "cat")}\n${PROMPT}`);
    let screen = await s.run("jobs");
    assert.ok(
      screen.endsWith(
        `jobs\n${STOPPED(1, "-", "sleep 100")}\n${STOPPED(2, "+", "cat")}\n${PROMPT}`,
      ),
    );
    screen = await s.run("jobs %- %+ %sl %?at %2");
    assert.ok(
      screen.endsWith(
        `${STOPPED(1, "-", "sleep 100")}\n${STOPPED(2, "+", "cat")}\n` +
          `${STOPPED(1, "-", "sleep 100")}\n${STOPPED(2, "+", "cat")}\n${STOPPED(2, "+", "cat")}\n${PROMPT}`,
      ),
    );
    screen = await s.run("fg %9; fg 9; bg %x; echo st=$?");
    assert.ok(
      screen.endsWith(
        "bash: fg: %9: no such job\nbash: fg: 9: no such job\nbash: bg: %x: no such job\nst=1\n" +
          PROMPT,
      ),
    );
    // %- is the previous job: fg brings back sleep, which becomes current when stopped again.
    s.type("fg %-\r");
    await s.waitFor("fg %-\nsleep 100");
    await s.process("sleep", "running");
    s.type("\x1a");
    await s.waitFor(`^Z\n${STOPPED(1, "+", "sleep 100")}\n${PROMPT}`);
    screen = await s.run("jobs");
    assert.ok(
      screen.endsWith(
        `jobs\n${STOPPED(1, "+", "sleep 100")}\n${STOPPED(2, "-", "cat")}\n${PROMPT}`,
      ),
    );
    await startAndStop(s, "sleep 200", "sleep");
    screen = await s.run("fg %sleep");
    assert.ok(screen.endsWith(`fg %sleep\nbash: fg: sleep: ambiguous job spec\n${PROMPT}`));
    screen = await s.run("kill %1 %2 %3 %4");
    assert.ok(screen.includes(`kill %1 %2 %3 %4\nbash: kill: %4: no such job\n`));
    const terminated = (n: number, mark: string, command: string): string =>
      `[${n}]${mark}  ${"Terminated".padEnd(24)}${command}`;
    assert.ok(
      screen.endsWith(
        `${terminated(1, "-", "sleep 100")}\n${terminated(2, " ", "cat")}\n` +
          `${terminated(3, "+", "sleep 200")}\n${PROMPT}`,
      ),
    );
  });

  it("kill -CONT runs a stopped job on; kill -STOP and kill -9 are reported", async () => {
    const s = await open();
    await startAndStop(s, "sleep 100", "sleep");
    await s.run("kill -CONT %1");
    await s.process("sleep", "running");
    let screen = await s.run("jobs");
    assert.ok(screen.endsWith(`jobs\n${RUNNING(1, "+", "sleep 100")}\n${PROMPT}`));
    // bash reports the stop before the next prompt it draws after noticing it: here at once.
    screen = await s.run("kill -STOP %1");
    assert.ok(screen.endsWith(`kill -STOP %1\n\n${STOPPED(1, "+", "sleep 100")}\n${PROMPT}`));
    const sleep = await s.process("sleep");
    screen = await s.run("jobs -l; jobs -p; jobs -s; jobs -r");
    assert.ok(
      screen.endsWith(
        `[1]+ ${String(sleep.pid).padStart(5)} ${"Stopped (signal)".padEnd(24)}sleep 100\n` +
          `${sleep.pid}\n${STOPPED(1, "+", "sleep 100")}\n${PROMPT}`,
      ),
    );
    screen = await s.run("kill -9 %1");
    assert.ok(screen.endsWith(`kill -9 %1\n[1]+  ${"Killed".padEnd(24)}sleep 100\n${PROMPT}`));
  });

  it("a background job that reads the terminal is stopped (SIGTTIN) and fg lets it read", async () => {
    const s = await open();
    s.type("cat &\r");
    await s.process("cat", "stopped");
    await s.run("");
    await s.waitFor(`\n${STOPPED(1, "+", "cat")}\n${PROMPT}`);
    s.type("fg\r");
    await s.waitFor("fg\ncat");
    s.type("hello\r");
    await s.waitFor("hello\nhello");
    s.type("\x04");
    await s.waitFor(`hello\nhello\n${PROMPT}`);
  });

  it("wait leaves stopped jobs alone with bash's warnings", async () => {
    const s = await open();
    await startAndStop(s, "sleep 100", "sleep");
    const screen = await s.run("wait; echo a=$?; wait %1; echo b=$?");
    const pid = (await s.process("sleep")).pid;
    assert.ok(
      screen.endsWith(
        `bash: wait: warning: job 1[${pid}] stopped\na=0\n` +
          `bash: warning: wait_for_job: job 1 is stopped\nb=148\n${PROMPT}`,
      ),
    );
  });
  it("exit refuses once while jobs are stopped; exit again ends them and the shell", async () => {
    const s = await open();
    await startAndStop(s, "sleep 100", "sleep");
    let screen = await s.run("exit");
    assert.ok(screen.endsWith(`${PROMPT}exit\nexit\nThere are stopped jobs.\n${PROMPT}`));
    screen = await s.run("echo st=$?; exit");
    assert.ok(screen.endsWith(`exit\nThere are stopped jobs.\n${PROMPT}`));
    s.type("exit\r");
    await s.waitFor(/exit\nexit$/);
    for (
      let i = 0;
      i < 200 &&
      s.vm.allProcesses().some((p) => p.status !== "exited" && p.command.endsWith("/sleep"));
      i++
    )
      await new Promise((r) => setTimeout(r, 10));
    assert.equal(
      s.vm.allProcesses().filter((p) => p.command.endsWith("/sleep") && p.status !== "exited")
        .length,
      0,
    );
  });
});

describe("job control without a terminal", () => {
  it("fg and bg report that there is no job control", async () => {
    const s = await open();
    const r = await s.vm.exec("sleep 1 & fg; bg; echo st=$?; kill %1");
    assert.equal(r.stderr, "bash: fg: no job control\nbash: bg: no job control\n");
    assert.equal(r.stdout, "st=1\n");
  });
});
