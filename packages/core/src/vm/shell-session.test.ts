import assert from "node:assert/strict";
import { EventEmitter } from "node:events";
import { after, describe, it } from "node:test";
import xterm from "@xterm/headless";
import { AgentOs } from "./agent-os.ts";

const { Terminal } = xterm;
const decoder = new TextDecoder();

interface Session {
  vm: AgentOs;
  shellId: string;
  term: InstanceType<typeof Terminal>;
  /** The visible screen, trailing blank lines removed. */
  screen(): string;
  /** Waits until the screen matches (polling; fails after `ms`). */
  waitFor(pattern: RegExp | string, ms?: number): Promise<string>;
  type(data: string): void;
  raw: () => string;
}

const vms: AgentOs[] = [];
after(async () => {
  for (const vm of vms) await vm.dispose();
});

async function open(
  options: { cols?: number; rows?: number; command?: string; args?: string[] } = {},
): Promise<Session> {
  const vm = await AgentOs.create();
  vms.push(vm);
  const cols = options.cols ?? 80;
  const rows = options.rows ?? 24;
  const term = new Terminal({ cols, rows, allowProposedApi: true });
  const { shellId } = vm.openShell({ ...options, cols, rows });
  let pending = 0;
  let raw = "";
  vm.onShellData(shellId, (data) => {
    pending++;
    raw += decoder.decode(data);
    term.write(data, () => {
      pending--;
    });
  });
  const screen = (): string => {
    const buffer = term.buffer.active;
    const lines: string[] = [];
    for (let i = 0; i < buffer.length; i++) lines.push(buffer.getLine(i)!.translateToString(true));
    return lines.join("\n").replace(/\n+$/, "");
  };
  const waitFor = async (pattern: RegExp | string, ms = 5000): Promise<string> => {
    const deadline = Date.now() + ms;
    for (;;) {
      if (pending === 0) {
        const text = screen();
        if (typeof pattern === "string" ? text.includes(pattern) : pattern.test(text)) return text;
      }
      if (Date.now() > deadline)
        assert.fail(`timed out waiting for ${pattern}; screen:\n${screen()}`);
      await new Promise((r) => setTimeout(r, 10));
    }
  };
  const session: Session = {
    vm,
    shellId,
    term,
    screen,
    waitFor,
    type: (data) => vm.writeShell(shellId, data),
    raw: () => raw,
  };
  await waitFor(/\$ $/);
  return session;
}

const PROMPT = "user@agentos:~$ ";

describe("openShell: an interactive bash on a pty", () => {
  it("shows the prompt, echoes the typed command and its output", async () => {
    const s = await open();
    s.type("echo hi\r");
    const screen = await s.waitFor(`${PROMPT}echo hi\nhi\n${PROMPT}`);
    assert.equal(screen, `${PROMPT}echo hi\nhi\n${PROMPT}`);
  });

  it("gives programs a terminal on fds 0-2 with TERM and the size", async () => {
    const s = await open({ cols: 90, rows: 30 });
    s.type("test -t 0 && test -t 1 && test -t 2 && echo ALL-TTY $TERM $COLUMNS $LINES\r");
    await s.waitFor("ALL-TTY xterm-256color 90 30");
  });

  it("^C interrupts a foreground command, not the shell ($? is 130)", async () => {
    const s = await open();
    const started = Date.now();
    s.type("sleep 10\r");
    await waitForProcess(s.vm, "sleep");
    s.type("\x03");
    await s.waitFor(`${PROMPT}sleep 10\n^C\n${PROMPT}`);
    s.type("echo status=$?\r");
    await s.waitFor("status=130");
    assert.ok(Date.now() - started < 5000);
  });

  it("^C abandons the rest of the command line", async () => {
    const s = await open();
    s.type("sleep 10; echo AFTER\r");
    await waitForProcess(s.vm, "sleep");
    s.type("\x03");
    await s.waitFor(`^C\n${PROMPT}`);
    assert.doesNotMatch(s.screen(), /^AFTER$/m);
  });

  it("^C stops a loop of builtins in the shell itself", async () => {
    const s = await open();
    s.type("while :; do :; done\r");
    await new Promise((r) => setTimeout(r, 50));
    s.type("\x03");
    await s.waitFor(`done\n^C\n${PROMPT}`);
    s.type("echo st=$?\r");
    await s.waitFor("st=130");
  });

  it("a foreground program reads the terminal in canonical mode; ^D is end of file", async () => {
    const s = await open();
    s.type("cat | tr a-z A-Z\r");
    await waitForProcess(s.vm, "tr");
    s.type("abc\r");
    await s.waitFor("abc\nABC");
    s.type("\x04");
    await s.waitFor(`ABC\n${PROMPT}`);
    s.type("read -p 'name? ' n; echo got=$n\r");
    await s.waitFor("name? ");
    s.type("bob\r");
    await s.waitFor("name? bob\ngot=bob\n");
  });

  it("^C at the prompt discards the line", async () => {
    const s = await open();
    s.type("echo never\x03");
    await s.waitFor(`${PROMPT}echo never^C\n${PROMPT}`);
    s.type("echo $?\r");
    await s.waitFor(/^130$/m);
  });

  it("a resize reaches COLUMNS/LINES and tput", async () => {
    const s = await open();
    s.vm.resizeShell(s.shellId, 100, 30);
    s.term.resize(100, 30);
    s.type("echo size=$COLUMNS,$LINES; tput cols; tput lines\r");
    await s.waitFor("size=100,30\n100\n30");
  });

  it("Up arrow recalls history; !! repeats the last command", async () => {
    const s = await open();
    s.type("echo first\r");
    await s.waitFor(`first\n${PROMPT}`);
    s.type("\x1b[A");
    await s.waitFor(`first\n${PROMPT}echo first`);
    s.type("\r");
    await s.waitFor(/first\n.*echo first\nfirst\n/);
    s.type("!!\r");
    await s.waitFor(`${PROMPT}!!\necho first\nfirst\n${PROMPT}`);
    s.type("history\r");
    await s.waitFor("    3  echo first\n    4  history");
  });

  it("Tab completes a command name", async () => {
    const s = await open();
    s.type("hostna\t");
    await s.waitFor(`${PROMPT}hostname `);
    s.type("\r");
    await s.waitFor(`${PROMPT}hostname \nagentos\n${PROMPT}`);
  });

  it("Tab completes paths and lists candidates on a second Tab", async () => {
    const s = await open();
    await s.vm.writeFiles([
      { path: "/home/user/proj/alpha.txt", content: "A" },
      { path: "/home/user/proj/alps.txt", content: "B" },
      { path: "/home/user/proj/sub/x", content: "" },
    ]);
    s.type("cat pr\t");
    await s.waitFor(`${PROMPT}cat proj/`);
    s.type("al\t");
    await s.waitFor(`${PROMPT}cat proj/alp`);
    s.type("\t");
    await s.waitFor(`alpha.txt  alps.txt\n${PROMPT}cat proj/alp`);
    s.type("h\t\r");
    await s.waitFor(`${PROMPT}cat proj/alpha.txt \nA${PROMPT}`);
  });

  it("edits the line: arrows, Home/End, ^A/^E, ^K, ^U, ^W, backspace, delete", async () => {
    const s = await open();
    s.type("echo wrld\x1b[D\x1b[D\x1b[Do\x1b[F!\r");
    await s.waitFor(/^world!$/m);
    s.type("XXecho one two\x17three\x01\x1b[3~\x1b[3~\x05\r");
    await s.waitFor(/^one three$/m);
    s.type("garbage\x15echo kept\x01\x06\x06\x06\x06\x06\x0b done\r");
    await s.waitFor(/^done$/m);
    s.type("echo abc\x7f\x7fZ\r");
    await s.waitFor(/^aZ$/m);
  });

  it("long lines wrap and stay editable", async () => {
    const s = await open({ cols: 30 });
    const long = "echo 123456789 123456789 123456789";
    s.type(`${long}\x1b[H\x1b[C\x1b[C\x1b[C\x1b[C\x1b[C-\r`);
    await s.waitFor("-123456789 123456789 123456789\n");
  });

  it("continues incomplete input with PS2", async () => {
    const s = await open();
    s.type("for i in 1 2\r");
    await s.waitFor("\n> ");
    s.type("do echo n$i; done\r");
    await s.waitFor(`> do echo n$i; done\nn1\nn2\n${PROMPT}`);
  });

  it("background jobs are announced and their end reported", async () => {
    const s = await open();
    s.type("true &\r");
    await s.waitFor(/\[1\] \d+\n/);
    await new Promise((r) => setTimeout(r, 50));
    s.type("\r");
    await s.waitFor(/\[1\]\+ {2}Done {20}true\n/);
  });

  it("a foreground job gets its own process group and the terminal", async () => {
    const s = await open();
    s.type("sleep 10\r");
    const sleep = await waitForProcess(s.vm, "sleep");
    const shell = s.vm.allProcesses().find((p) => p.pid === sleep.ppid)!;
    assert.notEqual(sleep.pgid, shell.pgid);
    assert.equal(sleep.sid, shell.sid);
    assert.equal(shell.pid, shell.sid);
    s.type("\x03");
    await s.waitFor(`^C\n${PROMPT}`);
  });

  it("exit ends the shell: the exit code, 'exit' on the terminal, exit handlers", async () => {
    const s = await open();
    const codes: number[] = [];
    s.vm.onShellExit(s.shellId, (code) => codes.push(code));
    s.type("exit 7\r");
    assert.equal(await s.vm.waitShell(s.shellId), 7);
    await s.waitFor(`${PROMPT}exit 7\nexit`);
    assert.deepEqual(codes, [7]);
    assert.throws(() => s.type("more\r"), /writeShell: shell shell-\d+ has exited/);
    const info = s.vm.listShells().find((x) => x.shellId === s.shellId)!;
    assert.equal(info.running, false);
    assert.equal(info.exitCode, 7);
  });

  it("^D on an empty line ends the shell", async () => {
    const s = await open();
    s.type("\x04");
    assert.equal(await s.vm.waitShell(s.shellId), 0);
    await s.waitFor(`${PROMPT}\nexit`);
  });

  it("closeShell hangs up the session (SIGHUP)", async () => {
    const s = await open();
    s.type("sleep 100\r");
    await waitForProcess(s.vm, "sleep");
    s.vm.closeShell(s.shellId);
    assert.equal(await s.vm.waitShell(s.shellId), 129);
    await new Promise((r) => setTimeout(r, 150));
    assert.equal(
      s.vm.allProcesses().filter((p) => p.command.endsWith("sleep") && p.status !== "exited")
        .length,
      0,
    );
  });

  it("onShellData replays what was already written", async () => {
    const s = await open();
    const seen: string[] = [];
    s.vm.onShellData(s.shellId, (d) => seen.push(decoder.decode(d)));
    assert.match(seen.join(""), /user@agentos:~\$ $/);
  });

  it("runs another program on the terminal (command and args)", async () => {
    const s = await open({ command: "bash", args: ["--norc"] });
    assert.match(s.screen(), /^bash-5\.2\$ $/);
    s.type("echo $-\r");
    await s.waitFor(/^[a-zA-Z]*i[a-zA-Z]*$/m);
  });

  it("validates its arguments", async () => {
    const vm = await AgentOs.create();
    vms.push(vm);
    assert.throws(() => vm.openShell({ cols: 0 }), /openShell: cols must be an integer/);
    assert.throws(() => vm.openShell({ bogus: 1 } as never), /openShell: unknown option "bogus"/);
    assert.throws(() => vm.openShell({ args: [1] } as never), /openShell: args must be an array/);
    assert.throws(() => vm.openShell({ cwd: "rel" }), /openShell: cwd must be an absolute path/);
    assert.throws(() => vm.writeShell("nope", "x"), /writeShell: no shell "nope"/);
    assert.throws(() => vm.resizeShell("nope", 1, 1), /resizeShell: no shell/);
    assert.throws(() => vm.closeShell("nope"), /closeShell: no shell/);
    const { shellId } = vm.openShell();
    assert.throws(() => vm.resizeShell(shellId, 10, -1), /resizeShell: rows must be/);
    assert.throws(() => vm.writeShell(shellId, 5 as never), /writeShell: data must be/);
    assert.throws(() => vm.onShellData(shellId, null as never), /handler must be a function/);
    vm.closeShell(shellId);
    await vm.waitShell(shellId);
  });
});

describe("connectTerminal", () => {
  it("attaches host streams in raw mode and restores them when the shell exits", async () => {
    const vm = await AgentOs.create();
    vms.push(vm);
    const modes: boolean[] = [];
    const stdin = Object.assign(new EventEmitter(), {
      isTTY: true,
      isRaw: false,
      setRawMode(mode: boolean) {
        modes.push(mode);
        this.isRaw = mode;
      },
      resume() {},
      pause() {},
    });
    let written = "";
    const stdout = Object.assign(new EventEmitter(), {
      columns: 50,
      rows: 10,
      write(data: Uint8Array | string) {
        written += typeof data === "string" ? data : decoder.decode(data);
        return true;
      },
    });
    const done = vm.connectTerminal({ stdin, stdout });
    await until(() => written.endsWith("$ "));
    stdin.emit("data", Buffer.from("echo $COLUMNS\r"));
    await until(() => written.includes("50\r\n"));
    stdout.columns = 60;
    stdout.emit("resize");
    stdin.emit("data", Buffer.from("echo $COLUMNS; exit 2\r"));
    assert.equal(await done, 2);
    assert.match(written, /60\r\nexit\r\n$/);
    assert.deepEqual(modes, [true, false]);
    assert.equal(stdin.listenerCount("data"), 0);
    assert.equal(stdout.listenerCount("resize"), 0);
  });
});

async function waitForProcess(vm: AgentOs, name: string) {
  for (let i = 0; i < 500; i++) {
    const found = vm
      .allProcesses()
      .find((p) => p.command.endsWith(`/${name}`) && p.status === "running");
    if (found) return found;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`no ${name} process`);
}

async function until(check: () => boolean, ms = 5000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error("timed out");
    await new Promise((r) => setTimeout(r, 10));
  }
}
