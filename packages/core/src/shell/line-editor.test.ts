import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { expandHistory } from "./interactive.ts";
import {
  type Completer,
  commonPrefix,
  displayWidth,
  historyLine,
  LineEditor,
  parseKey,
  type ReadResult,
} from "./line-editor.ts";

const encoder = new TextEncoder();

/** Drives an editor with scripted input chunks; collects what it writes. */
function editor(
  chunks: Array<string | Uint8Array>,
  options: { history?: string[]; complete?: Completer; cols?: number } = {},
): { read: (prompt?: string) => Promise<ReadResult>; output: () => string } {
  const queue = chunks.map((c) => (typeof c === "string" ? encoder.encode(c) : c));
  let written = "";
  const ed = new LineEditor(
    {
      read: async () => queue.shift() ?? null,
      write: async (text) => {
        written += text;
      },
      columns: () => options.cols ?? 80,
    },
    { history: options.history ?? [], complete: options.complete },
  );
  return { read: (prompt = "$ ") => ed.readLine(prompt), output: () => written };
}

const line = (text: string): ReadResult => ({ kind: "line", text });

describe("LineEditor", () => {
  const cases: Array<[string, string[], string]> = [
    ["plain text", ["echo hi\r"], "echo hi"],
    ["newline also accepts", ["abc\n"], "abc"],
    ["left arrow and insert", ["ac\x1b[Db\r"], "abc"],
    ["right arrow", ["ab\x1b[D\x1b[D\x1b[Cx\r"], "axb"],
    ["SS3 arrows", ["ab\x1bODx\r"], "axb"],
    ["home/end keys", ["bc\x1b[Ha\x1b[Fd\r"], "abcd"],
    ["^A/^E", ["bc\x01a\x05d\r"], "abcd"],
    ["^B/^F", ["ac\x02b\x06d\r"], "abcd"],
    ["backspace", ["abx\x7fc\r"], "abc"],
    ["^H backspace", ["abx\x08c\r"], "abc"],
    ["delete key", ["axbc\x01\x1b[C\x1b[3~\r"], "abc"],
    ["^D deletes under the cursor", ["axbc\x01\x06\x04\r"], "abc"],
    ["^K kills to the end", ["abcdef\x01\x06\x06\x06\x0b\r"], "abc"],
    ["^U kills to the start", ["junk abc\x1b[D\x1b[D\x1b[D\x15X\r"], "Xabc"],
    ["^W kills a word", ["echo one two\x17three\r"], "echo one three"],
    ["^W kills trailing blanks too", ["echo one  \x17x\r"], "echo x"],
    ["^Y yanks the last kill", ["abc def\x17\x01\x19\r"], "defabc "],
    ["M-b/M-f move by words", ["one two\x1bbX\x1bf!\r"], "one Xtwo!"],
    ["ctrl-arrows move by words", ["one two\x1b[1;5DX\x1b[1;5C!\r"], "one Xtwo!"],
    ["M-d kills the next word", ["one two\x01\x1bd\r"], " two"],
    ["M-backspace kills the previous word", ["one two\x1b\x7f\r"], "one "],
    ["^T transposes", ["ab\x14\r"], "ba"],
    ["escape sequence split across reads", ["ab", "\x1b", "[", "D", "x\r"], "axb"],
    ["UTF-8 split across reads", ["\xc3", "\xa9\r"], "é"],
    ["unknown sequences are ignored", ["a\x1b[99~b\r"], "ab"],
    ["other control characters are ignored", ["a\x07\x1ab\r"], "ab"],
  ];
  for (const [name, input, expected] of cases) {
    it(name, async () => {
      const chunks = input.map((s) =>
        name.startsWith("UTF-8") ? Uint8Array.from([...s].map((c) => c.charCodeAt(0))) : s,
      );
      assert.deepEqual(await editor(chunks).read(), line(expected));
    });
  }

  it("^C abandons the line and shows ^C", async () => {
    const e = editor(["abc\x03"]);
    assert.deepEqual(await e.read(), { kind: "interrupt" });
    assert.match(e.output(), /abc\^C\n$/);
  });

  it("^D on an empty line is end of input; a closed terminal too", async () => {
    assert.deepEqual(await editor(["\x04"]).read(), { kind: "eof" });
    assert.deepEqual(await editor([]).read(), { kind: "eof" });
    assert.deepEqual(await editor(["half"]).read(), line("half"));
  });

  it("writes the prompt, then typed text as is when appending", async () => {
    const e = editor(["ab\r"]);
    await e.read("P> ");
    assert.equal(e.output(), "P> ab\n");
  });

  it("redraws the line after an edit in the middle", async () => {
    const e = editor(["ab\x1b[DX\r"]);
    await e.read("$ ");
    // Left: redraw with the cursor one back; insert: redraw the whole line.
    assert.equal(
      e.output(),
      "$ ab\r\x1b[J$ ab\r\x1b[3C\r\x1b[J$ aXb\r\x1b[4C\r\x1b[J$ aXb\r\x1b[5C\n",
    );
  });

  it("walks the history with Up/Down, keeping the draft", async () => {
    const history = ["first", "second"];
    assert.deepEqual(await editor(["\x1b[A\r"], { history }).read(), line("second"));
    assert.deepEqual(await editor(["\x1b[A\x1b[A\r"], { history }).read(), line("first"));
    assert.deepEqual(
      await editor(["draft\x1b[A\x1b[A\x1b[B\x1b[B\r"], { history }).read(),
      line("draft"),
    );
    assert.deepEqual(await editor(["\x10\x10\x0e\r"], { history }).read(), line("second"));
  });

  it("rings the bell past either end of the history", async () => {
    const e = editor(["\x1b[A\x1b[B\x1b[B\r"], { history: ["only"] });
    assert.deepEqual(await e.read(), line(""));
    assert.ok(e.output().includes("\x07"));
  });

  it("shows a multi-line history entry as one line", async () => {
    const history = ["for i in 1 2\ndo echo $i\ndone"];
    assert.deepEqual(
      await editor(["\x1b[A\r"], { history }).read(),
      line("for i in 1 2; do echo $i; done"),
    );
  });

  it("completes a unique candidate with a space", async () => {
    const complete: Completer = async (text, cursor) => ({
      start: text.lastIndexOf(" ", cursor - 1) + 1,
      candidates: ["hostname"],
    });
    assert.deepEqual(await editor(["hos\t\r"], { complete }).read(), line("hostname "));
  });

  it("completes the common prefix, lists on a second Tab", async () => {
    const complete: Completer = async () => ({ start: 0, candidates: ["alpha", "alps"] });
    const e = editor(["a\t\t\r"], { complete });
    assert.deepEqual(await e.read(), line("alp"));
    assert.match(e.output(), /alpha {2}alps\n/);
  });

  it("uses the completion's suffix and display", async () => {
    const complete: Completer = async () => ({
      start: 0,
      candidates: ["dir/"],
      suffix: (c) => (c.endsWith("/") ? "" : " "),
    });
    assert.deepEqual(await editor(["d\t\r"], { complete }).read(), line("dir/"));
  });

  it("rings the bell with no candidates or no completer", async () => {
    const complete: Completer = async () => ({ start: 0, candidates: [] });
    const e = editor(["x\t\r"], { complete });
    assert.deepEqual(await e.read(), line("x"));
    assert.ok(e.output().includes("\x07"));
    const f = editor(["x\t\r"]);
    assert.deepEqual(await f.read(), line("x"));
  });

  it("wraps at the terminal width and moves between rows", async () => {
    const e = editor(["abcdefgh\x01X\r"], { cols: 5 });
    assert.deepEqual(await e.read("$ "), line("Xabcdefgh"));
    // Home from row 2 of the line goes up two rows.
    assert.ok(e.output().includes("\x1b[2A"));
  });

  it("clears the screen with ^L and redraws", async () => {
    const e = editor(["ab\x0c\r"]);
    await e.read("$ ");
    assert.ok(e.output().includes("\x1b[H\x1b[2J\r\x1b[J$ ab"));
  });
});

describe("line editor helpers", () => {
  it("displayWidth skips escapes and control characters", () => {
    assert.equal(displayWidth("\x1b[1;32muser\x1b[0m$ "), 6);
    assert.equal(displayWidth("\x1b]0;title\x07$ "), 2);
    assert.equal(displayWidth("é€"), 2);
  });

  it("parseKey reads CSI, SS3 and meta keys; null when incomplete", () => {
    assert.deepEqual(parseKey("\x1b[1;5C", 0), { key: "CSI1;5C", length: 6 });
    assert.deepEqual(parseKey("\x1bOA", 0), { key: "SS3A", length: 3 });
    assert.deepEqual(parseKey("\x1bb", 0), { key: "M-b", length: 2 });
    assert.equal(parseKey("\x1b[1;", 0), null);
    assert.equal(parseKey("\x1b", 0), null);
  });

  it("commonPrefix and historyLine", () => {
    assert.equal(commonPrefix(["alpha", "alps", "al"]), "al");
    assert.equal(commonPrefix([]), "");
    assert.equal(historyLine("if x\nthen y\nfi"), "if x; then y; fi");
    assert.equal(historyLine("a |\nb"), "a | b");
  });
});

describe("history expansion", () => {
  const history = ["echo one two three", "ls -l /tmp", "git status"];
  const cases: Array<[string, string]> = [
    ["!!", "git status"],
    ["sudo !!", "sudo git status"],
    ["!1", "echo one two three"],
    ["!-2", "ls -l /tmp"],
    ["!ls", "ls -l /tmp"],
    ["!?two?", "echo one two three"],
    ["echo !$", "echo status"],
    ["echo !^", "echo status"],
    ["!1:2", "two"],
    ["!1:1-2", "one two"],
    ["echo !1:*", "echo one two three"],
    ["echo !!:$", "echo status"],
    ["^status^log", "git log"],
    ["echo '!!'", "echo '!!'"],
    ["echo \\!!", "echo \\!!"],
    ["echo ! x", "echo ! x"],
    ["a != b", "a != b"],
    ["echo hi!", "echo hi!"],
  ];
  for (const [input, expected] of cases) {
    it(input, () => {
      assert.deepEqual(expandHistory(input, history), { text: expected });
    });
  }

  it("reports missing events", () => {
    assert.deepEqual(expandHistory("!nope", history), { error: "!nope: event not found" });
    assert.deepEqual(expandHistory("!!", []), { error: "!!: event not found" });
    assert.deepEqual(expandHistory("!9", history), { error: "!9: event not found" });
  });
});
