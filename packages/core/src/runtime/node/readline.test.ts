/**
 * node:readline, node:tty and process stdio in the guest. Stream and stdin cases are
 * differential against host Node 24 (same program, same stdin; stdout, stderr and status must
 * match). Terminal behaviour (tty streams, raw mode, the line editor, SIGWINCH) runs on a PTY
 * of the VM, where the host has no terminal to compare with, and is checked against what Node
 * prints on one.
 */
import assert from "node:assert/strict";
import { after, describe, it } from "node:test";
import { closeNodeVm, nodeVm, runNodeBoth } from "./testing.ts";

after(closeNodeVm);

interface Case {
  program: string;
  stdin?: string;
}

/** `readline`, `rlp` (readline/promises) and `stream` are in scope. */
const CASES: Record<string, Case> = {
  "for await over stdin lines": {
    program: `(async () => {
      let n = 0;
      for await (const line of readline.createInterface({ input: process.stdin })) console.log(++n, JSON.stringify(line));
      console.log("done", n);
    })();`,
    stdin: "alpha\nbeta\r\n\ngamma",
  },
  "'line' and 'close' events from stdin": {
    program: `const rl = readline.createInterface({ input: process.stdin });
      rl.on("line", (l) => console.log("line", l));
      rl.on("close", () => console.log("close"));`,
    stdin: "one\ntwo\n",
  },
  "question answered from piped stdin": {
    program: `const rl = readline.createInterface({ input: process.stdin, output: process.stdout });
      rl.question("name? ", (a) => { console.log("hi " + a); rl.close(); });`,
    stdin: "bob\n",
  },
  "question at EOF: the process just ends": {
    program: `const rl = readline.createInterface({ input: process.stdin, output: process.stdout });
      rl.question("name? ", (a) => console.log("never", a));
      rl.on("close", () => console.log("closed"));`,
  },
  "readline/promises question from stdin": {
    program: `(async () => {
      const rl = rlp.createInterface({ input: process.stdin, output: process.stdout });
      const a = await rl.question("first? ");
      const b = await rl.question("second? ");
      console.log([a, b]);
      rl.close();
    })();`,
    stdin: "1\n2\n",
  },
  "prompt and setPrompt": {
    program: `const rl = readline.createInterface({ input: process.stdin, output: process.stdout, prompt: "$ " });
      rl.prompt();
      rl.on("line", (l) => { if (l === "p") rl.setPrompt("% "); console.log("got", l, JSON.stringify(rl.getPrompt())); rl.prompt(); });
      rl.on("close", () => console.log("bye"));`,
    stdin: "a\np\nb\n",
  },
  "stdin piped to stdout": {
    program: "process.stdin.pipe(process.stdout);",
    stdin: "copied\nbytes\n",
  },
  "stdin 'data' and pause lets the process end": {
    program: `process.stdin.once("data", (d) => { console.log(JSON.stringify(String(d))); process.stdin.pause(); });`,
    stdin: "first chunk\n",
  },
  "stdin setEncoding and 'end'": {
    program: `let s = ""; process.stdin.setEncoding("utf8");
      process.stdin.on("data", (d) => (s += d)).on("end", () => console.log(typeof s, s.length, JSON.stringify(s)));`,
    stdin: "héllo wörld\n",
  },
  "line splitting with CR, CRLF and a final partial line": {
    program: `(async () => {
      const rl = readline.createInterface({ input: stream.Readable.from(["a\\r\\nb", "\\nc\\rd", "\\n", "tail"]), crlfDelay: Infinity });
      const lines = []; for await (const l of rl) lines.push(l);
      console.log(JSON.stringify(lines));
    })();`,
  },
  "question callbacks and pending prompts on streams": {
    program: `const input = new stream.PassThrough(); const output = new stream.PassThrough(); let written = "";
      output.on("data", (d) => (written += d));
      const rl = readline.createInterface({ input, output, prompt: "P> " });
      rl.on("line", (l) => console.log("line", l));
      rl.on("close", () => console.log("close", JSON.stringify(written)));
      rl.prompt(); input.write("one\\ntwo\\n");
      rl.question("Q? ", (a) => { console.log("answer", a, rl.getPrompt()); rl.close(); });
      input.write("ans\\n");`,
  },
  "question after close throws ERR_USE_AFTER_CLOSE": {
    program: `const rl = readline.createInterface({ input: new stream.PassThrough() });
      rl.close();
      try { rl.question("x", () => {}); } catch (e) { console.log(e.name, e.code, e.message); }
      rlp.createInterface({ input: new stream.PassThrough() }).question("y").catch(() => {});`,
  },
  "write() feeds lines on a non-terminal interface": {
    program: `const rl = readline.createInterface({ input: new stream.PassThrough(), terminal: false });
      rl.on("line", (l) => console.log("line", l)); rl.write("hello\\nworld\\npartial"); rl.close();`,
  },
  "breaking out of the async iterator closes the interface": {
    program: `(async () => {
      const rl = readline.createInterface({ input: stream.Readable.from(["x\\ny\\nz\\n"]) });
      rl.on("close", () => console.log("closed"));
      for await (const l of rl) { console.log("first", l); break; }
      console.log("after loop", rl.closed);
    })();`,
  },
  "pause and resume events": {
    program: `const input = new stream.PassThrough();
      const rl = readline.createInterface({ input });
      rl.on("pause", () => console.log("pause")); rl.on("resume", () => console.log("resume"));
      rl.pause(); rl.pause(); rl.resume(); rl.close();`,
  },
  "cursor helpers write ANSI sequences": {
    program: `let s = ""; const w = { write(d, cb) { s += d; if (cb) cb(); return true; } };
      readline.cursorTo(w, 3); readline.cursorTo(w, 1, 2); readline.moveCursor(w, -2, 3); readline.moveCursor(w, 4, -1);
      readline.clearLine(w, 0); readline.clearLine(w, -1); readline.clearLine(w, 1); readline.clearScreenDown(w);
      console.log(JSON.stringify(s), readline.cursorTo(null, 1), readline.moveCursor(w, 0, 0));
      try { readline.cursorTo(w, "a", 1); } catch (e) { console.log(e.code, e.message); }`,
  },
  "readline/promises Readline batches until commit": {
    program: `(async () => {
      let s = ""; const w = new stream.Writable({ write(d, e, cb) { s += d; cb(); } });
      const r = new rlp.Readline(w);
      try { new rlp.Readline({}); } catch (e) { console.log(e.code, e.message); }
      r.cursorTo(0).moveCursor(1, 1).clearLine(0).clearScreenDown();
      console.log(JSON.stringify(s));
      await r.commit();
      console.log(JSON.stringify(s));
    })();`,
  },
  "emitKeypressEvents decodes keys": {
    program: `const input = new stream.PassThrough();
      readline.emitKeypressEvents(input);
      input.on("keypress", (s, k) => console.log(JSON.stringify(s), k.name, k.ctrl, k.meta, k.shift, JSON.stringify(k.sequence)));
      input.write("aB\\r\\x7f\\x03\\x1b[A\\x1b[3~\\x1bx ");`,
  },
  "module shapes": {
    program: `console.log(Object.keys(readline).sort().join(), Object.keys(rlp).sort().join(), Object.keys(require("tty")).sort().join(), readline.promises === rlp);`,
  },
  "tty without a terminal": {
    program: `const tty = require("tty");
      console.log(tty.isatty(0), tty.isatty(1), tty.isatty(2), tty.isatty(99), tty.isatty(-1), tty.isatty("1"));
      console.log(process.stdout.isTTY, process.stdin.isTTY, process.stdout instanceof tty.WriteStream);
      const w = new tty.WriteStream(1);
      console.log(w.isTTY, w.columns, w instanceof require("stream").Writable);
      try { new tty.WriteStream(99); } catch (e) { console.log(e.code); }`,
  },
  "process.on signal handlers with process.kill": {
    program: `process.on("SIGUSR1", (name, n) => { console.log("got", name, n); process.removeAllListeners("SIGUSR1"); });
      process.kill(process.pid, "SIGUSR1");
      setTimeout(() => console.log("still alive"), 50);`,
  },
  "process.kill(process.pid) without a handler": {
    program: `process.kill(process.pid, "SIGTERM"); setTimeout(() => console.log("not reached"), 1000);`,
  },
};

describe("readline, tty and stdio (differential against host Node)", () => {
  for (const [name, test] of Object.entries(CASES)) {
    it(name, async () => {
      const source = `const readline = require("readline"); const rlp = require("readline/promises"); const stream = require("stream");\n${test.program}\n`;
      const { host, vm } = await runNodeBoth({
        files: { "main.js": source },
        argv: ["main.js"],
        stdin: test.stdin,
      });
      assert.deepEqual(vm, host);
    });
  }
});

/** Runs `program` as node on a new PTY of the shared VM; returns a reader of its output. */
async function onTerminal(program: string, cols = 100, rows = 30) {
  const vm = await nodeVm();
  const path = `/tmp/pty-${Math.random().toString(36).slice(2)}.js`;
  await vm.writeFile(path, program);
  const { shellId } = vm.openShell({ command: "node", args: [path], cols, rows });
  let output = "";
  const decoder = new TextDecoder();
  vm.onShellData(shellId, (data) => {
    output += decoder.decode(data);
  });
  const exited = new Promise<number>((resolve) => vm.onShellExit(shellId, resolve));
  return {
    vm,
    shellId,
    exited,
    output: () => output,
    async waitFor(text: string): Promise<void> {
      for (let i = 0; i < 500 && !output.includes(text); i++) {
        await new Promise((r) => setTimeout(r, 10));
      }
      assert.ok(
        output.includes(text),
        `timed out waiting for ${JSON.stringify(text)} in ${JSON.stringify(output)}`,
      );
    },
  };
}

describe("terminal behaviour (VM PTY)", () => {
  it("stdio are tty streams with the terminal's size and colours", async () => {
    const t = await onTerminal(
      `const tty = require("tty");
       console.log(JSON.stringify([tty.isatty(0), tty.isatty(1), process.stdout.isTTY, process.stdin.isTTY,
         process.stdout instanceof tty.WriteStream, process.stdin instanceof tty.ReadStream,
         process.stdout.columns, process.stdout.rows, process.stdout.getWindowSize(),
         process.stdout.getColorDepth(), process.stdout.hasColors(256), process.stdout.hasColors(2 ** 24),
         process.stdout.getColorDepth({ NO_COLOR: "1" }), process.stdin.isRaw]));`,
      100,
      30,
    );
    assert.equal(await t.exited, 0);
    assert.equal(
      t.output(),
      "[true,true,true,true,true,true,100,30,[100,30],8,true,false,1,false]\r\n",
    );
  });

  it("'resize' fires on SIGWINCH with the new size", async () => {
    const t = await onTerminal(
      `process.stdout.on("resize", () => { console.log(\`resized \${process.stdout.columns}x\${process.stdout.rows}\`); process.exit(0); });
       console.log("ready"); setInterval(() => {}, 1000);`,
    );
    await t.waitFor("ready");
    t.vm.resizeShell(t.shellId, 120, 40);
    assert.equal(await t.exited, 0);
    assert.match(t.output(), /resized 120x40\r\n$/);
  });

  it("setRawMode delivers keys one by one without echo", async () => {
    const t = await onTerminal(
      `process.stdin.setRawMode(true); console.log("raw " + process.stdin.isRaw);
       process.stdin.on("data", (d) => { console.log(JSON.stringify(String(d))); if (String(d) === "q") { process.stdin.setRawMode(false); process.exit(0); } });`,
    );
    await t.waitFor("raw true");
    t.vm.writeShell(t.shellId, "a");
    await t.waitFor('"a"');
    t.vm.writeShell(t.shellId, "\x03");
    await t.waitFor('"\\u0003"');
    t.vm.writeShell(t.shellId, "q");
    assert.equal(await t.exited, 0);
    assert.equal(t.output(), 'raw true\r\n"a"\r\n"\\u0003"\r\n"q"\r\n');
  });

  it("the line editor: echo, backspace, arrows, insert in the middle", async () => {
    const t = await onTerminal(
      `const rl = require("readline").createInterface({ input: process.stdin, output: process.stdout });
       rl.question("name? ", (a) => { console.log("[" + a + "]"); rl.close(); });`,
    );
    await t.waitFor("name? ");
    t.vm.writeShell(t.shellId, "bobx\x7f\x1b[D\x1b[Da\r");
    assert.equal(await t.exited, 0);
    // "bob", then two steps left put the cursor after the first "b".
    assert.match(t.output(), /\[baob\]\r\n$/);
  });

  it("history with the up arrow, and ^D on an empty line closes", async () => {
    const t = await onTerminal(
      `const rl = require("readline").createInterface({ input: process.stdin, output: process.stdout, prompt: "> " });
       rl.prompt();
       rl.on("line", (l) => { console.log("line=" + l); rl.prompt(); });
       rl.on("history", (h) => console.log("history=" + h.join(",")));
       rl.on("close", () => console.log("closed"));`,
    );
    await t.waitFor("> ");
    t.vm.writeShell(t.shellId, "first\r");
    await t.waitFor("line=first");
    t.vm.writeShell(t.shellId, "\x1b[A!\r");
    await t.waitFor("line=first!");
    t.vm.writeShell(t.shellId, "\x04");
    assert.equal(await t.exited, 0);
    assert.match(t.output(), /history=first!,first\r\n/);
    assert.match(t.output(), /closed\r\n$/);
  });

  it("tab completion through the completer", async () => {
    const t = await onTerminal(
      `const words = ["help", "hello", "quit"];
       const rl = require("readline").createInterface({ input: process.stdin, output: process.stdout,
         completer: (line) => [words.filter((w) => w.startsWith(line)), line] });
       rl.question("> ", (a) => { console.log("[" + a + "]"); rl.close(); });`,
    );
    await t.waitFor("> ");
    t.vm.writeShell(t.shellId, "q\t");
    await t.waitFor("quit");
    t.vm.writeShell(t.shellId, "\r");
    assert.equal(await t.exited, 0);
    assert.match(t.output(), /\[quit\]\r\n$/);
  });

  it("^C in the line editor emits SIGINT on the interface when listened to", async () => {
    const t = await onTerminal(
      `const rl = require("readline").createInterface({ input: process.stdin, output: process.stdout });
       rl.on("SIGINT", () => { console.log("interrupted"); rl.close(); });
       rl.prompt();`,
    );
    await t.waitFor("> ");
    t.vm.writeShell(t.shellId, "\x03");
    assert.equal(await t.exited, 0);
    assert.match(t.output(), /interrupted\r\n$/);
  });

  it("^C without raw mode is SIGINT: a handler runs, without one the process dies", async () => {
    const handled = await onTerminal(
      `process.on("SIGINT", () => { console.log("handled"); process.exit(5); }); console.log("ready"); setInterval(() => {}, 1000);`,
    );
    await handled.waitFor("ready");
    handled.vm.writeShell(handled.shellId, "\x03");
    assert.equal(await handled.exited, 5);
    const plain = await onTerminal(`console.log("ready"); setInterval(() => {}, 1000);`);
    await plain.waitFor("ready");
    plain.vm.writeShell(plain.shellId, "\x03");
    assert.equal(await plain.exited, 130);
  });
});
