import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { DevFs } from "../fs/dev-fs.ts";
import { isKernelError } from "../fs/errors.ts";
import { MemoryFs } from "../fs/memory-fs.ts";
import { Namespace } from "../fs/namespace.ts";
import { O_NONBLOCK, O_RDWR } from "../fs/types.ts";
import { type CommandMain, CommandRegistry } from "./command-registry.ts";
import { Kernel } from "./kernel.ts";
import { Pty } from "./pty.ts";
import { SIGNALS } from "./signals.ts";
import {
  defaultTermios,
  ECHO,
  ECHOCTL,
  ECHOE,
  ECHOKE,
  ICANON,
  ICRNL,
  ISIG,
  NOFLSH,
  OPOST,
  rawInputTermios,
  TCSAFLUSH,
  VEOF,
  VMIN,
  VTIME,
} from "./termios.ts";

const decoder = new TextDecoder();
const text = (data: Uint8Array | null): string => (data === null ? "<EOF>" : decoder.decode(data));
const tick = (ms = 0): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** A pty with its output and signals recorded. */
function makePty(): { pty: Pty; output: () => string; signals: Array<[number, number]> } {
  const chunks: string[] = [];
  const signals: Array<[number, number]> = [];
  const pty = new Pty({
    index: 0,
    onOutput: (d) => chunks.push(decoder.decode(d)),
    signalGroup: (pgid, signal) => signals.push([pgid, signal]),
  });
  return {
    pty,
    output: () => {
      const all = chunks.join("");
      chunks.length = 0;
      return all;
    },
    signals,
  };
}

describe("pty line discipline: canonical input", () => {
  it("delivers a line only when it is complete, with ICRNL turning CR into NL", async () => {
    const { pty } = makePty();
    const read = pty.read(100);
    pty.input("hello");
    await tick();
    assert.equal(pty.inputAvailable, 0);
    pty.input("\r");
    assert.equal(text(await read), "hello\n");
  });

  it("echoes typed characters and CR as CR NL (ONLCR)", () => {
    const { pty, output } = makePty();
    pty.input("ab\r");
    assert.equal(output(), "ab\r\n");
  });

  it("returns one line per read and keeps the rest", async () => {
    const { pty } = makePty();
    pty.input("one\ntwo\n");
    assert.equal(text(await pty.read(100)), "one\n");
    assert.equal(text(await pty.read(2)), "tw");
    assert.equal(text(await pty.read(100)), "o\n");
  });

  it("erases with DEL and ^H, echoing backspace-space-backspace", async () => {
    const { pty, output } = makePty();
    pty.input("abc\x7f\x08d\n");
    assert.equal(text(await pty.read(100)), "ad\n");
    assert.equal(output(), "abc\b \b\b \bd\r\n");
  });

  it("erases a whole UTF-8 character (IUTF8)", async () => {
    const { pty } = makePty();
    pty.input("aé\x7f\n");
    assert.equal(text(await pty.read(100)), "a\n");
  });

  it("erases two columns for an echoed control character", () => {
    const { pty, output } = makePty();
    pty.input("\x01\x7f");
    assert.equal(output(), "^A\b \b\b \b");
  });

  it("kills the line with ^U (ECHOKE erases it on screen)", async () => {
    const { pty, output } = makePty();
    pty.input("abc\x15x\n");
    assert.equal(text(await pty.read(100)), "x\n");
    assert.equal(output(), "abc\b \b\b \b\b \bx\r\n");
  });

  it("kill without ECHOKE echoes the kill character and a newline (ECHOK)", () => {
    const { pty, output } = makePty();
    const t = pty.termios;
    t.lflag &= ~ECHOKE;
    pty.setTermios(t);
    pty.input("ab\x15");
    assert.equal(output(), "ab^U\r\n");
  });

  it("erases a word with ^W, trailing blanks first", async () => {
    const { pty } = makePty();
    pty.input("echo hello  \x17world\n");
    assert.equal(text(await pty.read(100)), "echo world\n");
  });

  it("^D at the start of a line is end of file; mid-line it ends the line without NL", async () => {
    const { pty } = makePty();
    pty.input("\x04");
    assert.equal(await pty.read(100), null);
    pty.input("ab\x04");
    assert.equal(text(await pty.read(100)), "ab");
  });

  it("^V inserts the next character literally", async () => {
    const { pty } = makePty();
    pty.input("a\x16\x03b\x16\x7f\n");
    assert.equal(text(await pty.read(100)), "a\x03b\x7f\n");
  });

  it("^R reprints the line", () => {
    const { pty, output } = makePty();
    pty.input("ab\x12");
    assert.equal(output(), "ab^R\r\nab");
  });

  it("does not echo with ECHO off, but still edits", async () => {
    const { pty, output } = makePty();
    const t = pty.termios;
    t.lflag &= ~ECHO;
    pty.setTermios(t);
    pty.input("secret\x7fT\n");
    assert.equal(text(await pty.read(100)), "secreT\n");
    assert.equal(output(), "");
  });

  it("ECHOE off echoes the erase character itself", () => {
    const { pty, output } = makePty();
    const t = pty.termios;
    t.lflag &= ~(ECHOE | ECHOKE);
    pty.setTermios(t);
    pty.input("a\x7f");
    assert.equal(output(), "a^?");
  });

  it("ECHOCTL off echoes control characters raw", () => {
    const { pty, output } = makePty();
    const t = pty.termios;
    t.lflag &= ~ECHOCTL;
    pty.setTermios(t);
    pty.input("\x01");
    assert.equal(output(), "\x01");
  });

  it("ICRNL off passes CR through (and it does not end a line)", async () => {
    const { pty } = makePty();
    const t = pty.termios;
    t.iflag &= ~ICRNL;
    pty.setTermios(t);
    pty.input("a\rb\n");
    assert.equal(text(await pty.read(100)), "a\rb\n");
  });

  it("a changed VEOF is honoured", async () => {
    const { pty } = makePty();
    const t = pty.termios;
    t.cc[VEOF] = 0x01;
    pty.setTermios(t);
    pty.input("\x01");
    assert.equal(await pty.read(100), null);
  });

  it("a non-blocking read with nothing ready fails with EAGAIN", async () => {
    const { pty } = makePty();
    await assert.rejects(pty.read(10, undefined, true), (e) => isKernelError(e, "EAGAIN"));
  });

  it("a blocked read ends when its process is killed (abort signal)", async () => {
    const { pty } = makePty();
    const abort = new AbortController();
    const read = pty.read(10, abort.signal);
    abort.abort(new Error("killed"));
    await assert.rejects(read, /killed/);
  });

  it("hangup ends reads with EOF and makes writes fail with EIO", async () => {
    const { pty } = makePty();
    const read = pty.read(10);
    pty.hangup();
    assert.equal(await read, null);
    await assert.rejects(pty.write(new Uint8Array([1])), (e) => isKernelError(e, "EIO"));
  });
});

describe("pty line discipline: signals", () => {
  it("^C, ^\\ and ^Z signal the foreground group and echo ^C", () => {
    const { pty, output, signals } = makePty();
    pty.foreground = 7;
    pty.input("\x03\x1c\x1a");
    assert.deepEqual(signals, [
      [7, SIGNALS.SIGINT],
      [7, SIGNALS.SIGQUIT],
      [7, SIGNALS.SIGTSTP],
    ]);
    assert.equal(output(), "^C^\\^Z");
  });

  it("an interrupt discards the pending input, unless NOFLSH", async () => {
    const { pty } = makePty();
    pty.foreground = 3;
    pty.input("done\npartial\x03next\n");
    assert.equal(text(await pty.read(100)), "next\n");
    const t = pty.termios;
    t.lflag |= NOFLSH;
    pty.setTermios(t);
    pty.input("keep\x03\n");
    assert.equal(text(await pty.read(100)), "keep\n");
  });

  it("ISIG off makes ^C an ordinary character", async () => {
    const { pty, signals } = makePty();
    pty.foreground = 3;
    const t = pty.termios;
    t.lflag &= ~ISIG;
    pty.setTermios(t);
    pty.input("\x03\n");
    assert.equal(text(await pty.read(100)), "\x03\n");
    assert.deepEqual(signals, []);
  });

  it("resizing sends SIGWINCH to the foreground group, only on a change", () => {
    const { pty, signals } = makePty();
    pty.foreground = 9;
    pty.setSize({ cols: 100, rows: 30 });
    pty.setSize({ cols: 100, rows: 30 });
    assert.deepEqual(signals, [[9, SIGNALS.SIGWINCH]]);
    assert.deepEqual(pty.size, { cols: 100, rows: 30 });
  });

  it("^S stops output until ^Q (IXON)", async () => {
    const { pty, output } = makePty();
    pty.input("\x13");
    let done = false;
    const write = pty.write(new TextEncoder().encode("x")).then(() => {
      done = true;
    });
    await tick();
    assert.equal(done, false);
    pty.input("\x11");
    await write;
    assert.equal(output(), "x");
  });
});

describe("pty line discipline: non-canonical input", () => {
  it("raw mode passes bytes at once, without echo", async () => {
    const { pty, output } = makePty();
    pty.setTermios(rawInputTermios(pty.termios));
    pty.input("\x1b[A\r\x03");
    assert.equal(text(await pty.read(100)), "\x1b[A\r\x03");
    assert.equal(output(), "");
  });

  it("leaving canonical mode makes the partial line readable", async () => {
    const { pty } = makePty();
    pty.input("par");
    const t = pty.termios;
    t.lflag &= ~ICANON;
    pty.setTermios(t);
    assert.equal(text(await pty.read(100)), "par");
  });

  it("VMIN waits for that many bytes", async () => {
    const { pty } = makePty();
    const t = rawInputTermios(pty.termios);
    t.cc[VMIN] = 3;
    pty.setTermios(t);
    const read = pty.read(10);
    pty.input("ab");
    await tick();
    pty.input("cd");
    assert.equal(text(await read), "abcd");
  });

  it("VMIN 0 VTIME 0 polls", async () => {
    const { pty } = makePty();
    const t = rawInputTermios(pty.termios);
    t.cc[VMIN] = 0;
    pty.setTermios(t);
    assert.equal(await pty.read(10), null);
    pty.input("z");
    assert.equal(text(await pty.read(10)), "z");
  });

  it("VMIN 0 with VTIME times out", async () => {
    const { pty } = makePty();
    const t = rawInputTermios(pty.termios);
    t.cc[VMIN] = 0;
    t.cc[VTIME] = 1;
    pty.setTermios(t);
    const started = Date.now();
    assert.equal(await pty.read(10), null);
    assert.ok(Date.now() - started >= 80);
  });

  it("VMIN with VTIME returns what arrived when the inter-byte timer runs out", async () => {
    const { pty } = makePty();
    const t = rawInputTermios(pty.termios);
    t.cc[VMIN] = 5;
    t.cc[VTIME] = 1;
    pty.setTermios(t);
    const read = pty.read(10);
    pty.input("ab");
    assert.equal(text(await read), "ab");
  });

  it("TCSAFLUSH discards typed input", async () => {
    const { pty } = makePty();
    pty.input("old\n");
    pty.setTermios(pty.termios, true);
    assert.equal(pty.inputAvailable, 0);
  });
});

describe("pty output processing", () => {
  it("turns NL into CR NL with OPOST|ONLCR, and leaves bytes alone without OPOST", async () => {
    const { pty, output } = makePty();
    await pty.write(new TextEncoder().encode("a\nb\n"));
    assert.equal(output(), "a\r\nb\r\n");
    const t = pty.termios;
    t.oflag &= ~OPOST;
    pty.setTermios(t);
    await pty.write(new TextEncoder().encode("a\nb"));
    assert.equal(output(), "a\nb");
  });

  it("default attributes are Linux's", () => {
    const t = defaultTermios();
    assert.equal(t.lflag & (ICANON | ECHO | ISIG), ICANON | ECHO | ISIG);
    assert.equal(t.cc[VMIN], 1);
  });
});

// ---- through the kernel ---------------------------------------------------------------------

function bootKernel(): Kernel {
  const mem = new MemoryFs();
  const fs = new Namespace(mem);
  const kernel = new Kernel({ fs, registry: new CommandRegistry() });
  return kernel;
}

async function bootWithDev(): Promise<Kernel> {
  const mem = new MemoryFs();
  await mem.mkdir("/dev", 0o755, { uid: 0, gid: 0 });
  const fs = new Namespace(mem);
  const kernel = new Kernel({ fs, registry: new CommandRegistry() });
  await fs.mount(
    { uid: 0, gid: 0, pid: 1 },
    "/dev",
    new DevFs({ openTty: (pid) => kernel.openTty(pid) }),
  );
  return kernel;
}

function startOnPty(
  kernel: Kernel,
  main: CommandMain,
): { pid: number; out: () => string; pty: ReturnType<Kernel["openPty"]> } {
  const chunks: string[] = [];
  const pty = kernel.openPty({ onOutput: (d) => chunks.push(decoder.decode(d)) });
  const slave = kernel.ptySlave(pty);
  const pid = kernel.start(1, {
    argv: ["session"],
    main,
    setsid: true,
    fds: [
      [0, slave],
      [1, slave],
      [2, slave],
    ],
    inheritFds: false,
  });
  kernel.setControllingTerminal(pid, 0);
  return { pid, out: () => chunks.join(""), pty };
}

describe("ptys in the kernel", () => {
  it("a session leader's terminal: isatty, ttyname, termios, window size, foreground group", async () => {
    const kernel = bootKernel();
    const seen: Record<string, unknown> = {};
    const { pid, pty } = startOnPty(kernel, async (ctx) => {
      seen.isatty = [ctx.isatty(0), ctx.isatty(1), ctx.isatty(2)];
      seen.name = ctx.ttyname(0);
      seen.pgrp = ctx.tcgetpgrp(0) === ctx.pgid;
      seen.size = ctx.getWindowSize(1);
      const raw = rawInputTermios(ctx.tcgetattr(0));
      ctx.tcsetattr(0, raw, TCSAFLUSH);
      seen.canonical = (ctx.tcgetattr(0).lflag & ICANON) !== 0;
      await ctx.write(1, "out\n");
      return 0;
    });
    await kernel.process(pid).exited;
    assert.deepEqual(seen, {
      isatty: [true, true, true],
      name: "/dev/pts/0",
      pgrp: true,
      size: { cols: 80, rows: 24 },
      canonical: false,
    });
    assert.equal(pty.slaveOpenCount, 0);
  });

  it("terminal calls on a non-terminal fail with ENOTTY", async () => {
    const kernel = bootKernel();
    const { pid } = startOnPty(kernel, async (ctx) => {
      const [r] = ctx.pipe();
      assert.throws(
        () => ctx.tcgetattr(r),
        (e) => isKernelError(e, "ENOTTY"),
      );
      assert.throws(
        () => ctx.getWindowSize(r),
        (e) => isKernelError(e, "ENOTTY"),
      );
      assert.equal(ctx.isatty(r), false);
      return 0;
    });
    assert.deepEqual(await kernel.process(pid).exited, { exitCode: 0, signal: null });
  });

  it("^C kills the foreground group, not the session leader in another group", async () => {
    const kernel = bootKernel();
    let childPid = 0;
    const { pid, pty } = startOnPty(kernel, async (ctx) => {
      ctx.onSignal(SIGNALS.SIGINT, () => {});
      childPid = await ctx.spawn({
        argv: ["child"],
        main: (c) => c.sleep(10_000).then(() => 0),
        pgid: 0,
      });
      ctx.tcsetpgrp(0, childPid);
      const result = await ctx.waitpid(childPid);
      ctx.tcsetpgrp(0, ctx.pgid);
      return result!.status.signal ?? 99;
    });
    await tick(10);
    pty.input("\x03");
    assert.deepEqual(await kernel.process(pid).exited, { exitCode: SIGNALS.SIGINT, signal: null });
  });

  it("tcsetpgrp refuses a group of another session", async () => {
    const kernel = bootKernel();
    const other = kernel.start(1, {
      argv: ["other"],
      main: (c) => c.sleep(10_000).then(() => 0),
      setsid: true,
    });
    const { pid } = startOnPty(kernel, async (ctx) => {
      assert.throws(
        () => ctx.tcsetpgrp(0, other),
        (e) => isKernelError(e, "EPERM"),
      );
      assert.throws(
        () => ctx.tcsetpgrp(0, 4242),
        (e) => isKernelError(e, "EPERM"),
      );
      return 0;
    });
    assert.deepEqual(await kernel.process(pid).exited, { exitCode: 0, signal: null });
    kernel.kill(1, other, SIGNALS.SIGKILL);
  });

  it("a background group reading the terminal is stopped by SIGTTIN", async () => {
    const kernel = bootKernel();
    let bg = 0;
    const { pid } = startOnPty(kernel, async (ctx) => {
      bg = await ctx.spawn({ argv: ["bg"], main: (c) => c.read(0).then(() => 0), pgid: 0 });
      await ctx.sleep(20);
      const state = kernel.process(bg).state;
      kernel.kill(1, bg, SIGNALS.SIGKILL);
      await ctx.waitpid(bg);
      return state === "stopped" ? 0 : 1;
    });
    assert.deepEqual(await kernel.process(pid).exited, { exitCode: 0, signal: null });
  });

  it("resizing signals SIGWINCH to the foreground group", async () => {
    const kernel = bootKernel();
    const { pid, pty } = startOnPty(kernel, async (ctx) => {
      let got = false;
      ctx.onSignal(SIGNALS.SIGWINCH, () => {
        got = true;
      });
      await ctx.sleep(30);
      const size = ctx.getWindowSize(0);
      return got && size.cols === 120 && size.rows === 40 ? 0 : 1;
    });
    await tick(5);
    pty.setSize({ cols: 120, rows: 40 });
    assert.deepEqual(await kernel.process(pid).exited, { exitCode: 0, signal: null });
  });

  it("/dev/tty opens the controlling terminal; ENXIO without one", async () => {
    const kernel = await bootWithDev();
    const { pid, out } = startOnPty(kernel, async (ctx) => {
      const fd = await ctx.open("/dev/tty", O_RDWR);
      await ctx.write(fd, "via tty\n");
      return ctx.isatty(fd) ? 0 : 1;
    });
    assert.deepEqual(await kernel.process(pid).exited, { exitCode: 0, signal: null });
    assert.equal(out(), "via tty\r\n");
    await assert.rejects(kernel.open(1, "/dev/tty", O_RDWR), (e) => isKernelError(e, "ENXIO"));
  });

  it("the controlling process's exit hangs up the foreground group", async () => {
    const kernel = bootKernel();
    const signals = new Map<number, number | null>();
    kernel.onProcessEvent((event) => {
      if (event.type === "exit") signals.set(event.info.pid, event.info.signal);
    });
    let child = 0;
    const { pid } = startOnPty(kernel, async (ctx) => {
      child = await ctx.spawn({ argv: ["child"], main: (c) => c.sleep(10_000).then(() => 0) });
      return 0;
    });
    await kernel.process(pid).exited;
    await tick(5);
    assert.equal(signals.get(child), SIGNALS.SIGHUP);
  });

  it("a non-blocking terminal read fails with EAGAIN", async () => {
    const kernel = bootKernel();
    const { pid } = startOnPty(kernel, async (ctx) => {
      kernel.setStatusFlags(ctx.pid, 0, O_NONBLOCK);
      try {
        await ctx.read(0);
        return 1;
      } catch (err) {
        return isKernelError(err, "EAGAIN") ? 0 : 2;
      }
    });
    assert.deepEqual(await kernel.process(pid).exited, { exitCode: 0, signal: null });
  });
});
