/**
 * What the matrix runs: one small program per npm package (or pair of packages), exercising it
 * the way a project would. Each runs with the host's Node and in the VM against the same
 * installed node_modules; output must be identical. Programs print only deterministic values.
 */
import type { NodeFiles } from "../testing.ts";

export interface MatrixCase {
  /** The packages it exercises (also the test's name). */
  packages: string[];
  /** The program, written as `<name>.mjs` (ES module) unless `cjs`. */
  source: string;
  cjs?: boolean;
  args?: string[];
  env?: Record<string, string>;
  /** More files beside the program, relative to its directory. */
  files?: NodeFiles;
  stdin?: string;
}

export const MATRIX_CASES: MatrixCase[] = [
  {
    packages: ["lodash"],
    cjs: true,
    source: `const _ = require("lodash");
console.log(_.chunk([1, 2, 3, 4, 5], 2), _.groupBy(["one", "two", "three"], "length"));
console.log(_.template("hello <%= user %>!")({ user: "agent" }), _.kebabCase("Foo Bar"), _.camelCase("--foo-bar--"));
console.log(_.merge({ a: [{ b: 2 }] }, { a: [{ c: 3 }] }), _.isEqual({ x: [1] }, { x: [1] }), _.sortBy([{ n: 3 }, { n: 1 }], "n"));
console.log(_.VERSION, typeof _.debounce(() => {}, 10).cancel);`,
  },
  {
    packages: ["chalk"],
    env: { FORCE_COLOR: "1" },
    source: `import chalk from "chalk";
console.log(JSON.stringify(chalk.red.bold("red") + chalk.bgBlue("blue")), String(chalk.level));
const plain = new chalk.constructor({ level: 0 });
console.log(plain.green("no color"));`,
  },
  {
    packages: ["commander"],
    cjs: true,
    args: ["build", "--out", "dist", "-v", "a.js", "b.js"],
    source: `const { Command } = require("commander");
const program = new Command("tool").version("1.0.0").description("a tool");
program.command("build").description("build files").option("-o, --out <dir>", "output dir", "out").option("-v, --verbose", "talk")
  .argument("<files...>").action((files, opts) => console.log("build", files, opts));
program.parse();
console.log(program.commands[0].helpInformation());`,
  },
  {
    packages: ["commander (help and errors)"],
    cjs: true,
    args: ["--nope"],
    source: `const { Command } = require("commander");
const program = new Command("tool").option("-d, --debug", "debug output");
program.parse();`,
  },
  {
    packages: ["yargs"],
    cjs: true,
    args: ["serve", "--port", "8080", "--watch"],
    source: `const yargs = require("yargs/yargs");
const { hideBin } = require("yargs/helpers");
const argv = yargs(hideBin(process.argv)).scriptName("app")
  .command("serve", "start the server", (y) => y.option("port", { type: "number", default: 3000 }))
  .option("watch", { type: "boolean" }).strict().parse();
console.log(argv._, argv.port, argv.watch);
yargs([]).scriptName("app").command("serve", "start the server").option("port", { type: "number", describe: "port to use" }).wrap(80).showHelp((s) => console.log(s));`,
  },
  {
    packages: ["zod"],
    source: `import { z } from "zod";
const User = z.object({ name: z.string().min(2), age: z.number().int().positive(), tags: z.array(z.string()).default([]) });
console.log(User.parse({ name: "Al", age: 3 }));
const r = User.safeParse({ name: "A", age: -1.5 });
console.log(r.success, JSON.stringify(r.error.issues.map((i) => [i.path.join("."), i.code, i.message])));
console.log(z.union([z.literal("a"), z.number()]).safeParse("b").error.issues[0].code, z.string().email().safeParse("x@y.z").success);`,
  },
  {
    packages: ["semver"],
    cjs: true,
    source: `const semver = require("semver");
console.log(semver.satisfies("1.2.3", "^1.0.0"), semver.gt("2.0.0-beta.1", "1.9.9"), semver.inc("1.2.3", "prerelease", "rc"));
console.log(semver.maxSatisfying(["1.0.0", "1.5.2", "2.0.0"], "~1.5"), semver.coerce("v3.4 release").version, semver.valid("bad"), semver.sort(["1.10.0", "1.2.0", "1.9.0"]));`,
  },
  {
    packages: ["uuid"],
    source: `import { v4, v5, validate, version, NIL, parse, stringify } from "uuid";
const id = v4();
console.log(validate(id), version(id), id.length);
console.log(v5("agentos", v5.URL), NIL, stringify(parse("6ba7b810-9dad-11d1-80b4-00c04fd430c8")));`,
  },
  {
    packages: ["date-fns"],
    source: `import { addDays, differenceInCalendarDays, format, formatDistanceStrict, parseISO, startOfWeek, isLeapYear } from "date-fns";
const d = parseISO("2024-02-27T10:00:00Z");
console.log(format(addDays(d, 3), "yyyy-MM-dd EEEE"), differenceInCalendarDays(new Date(2024, 11, 25), new Date(2024, 0, 1)));
console.log(formatDistanceStrict(d, addDays(d, 45)), format(startOfWeek(d), "PPP"), isLeapYear(d));`,
  },
  {
    packages: ["glob"],
    files: {
      "tree/a.js": "",
      "tree/b.ts": "",
      "tree/sub/c.js": "",
      "tree/sub/deep/d.js": "",
      "tree/.hidden.js": "",
    },
    source: `import { glob, globSync } from "glob";
process.chdir(new URL("./tree", import.meta.url).pathname);
console.log(globSync("**/*.js").sort(), globSync("*.{js,ts}").sort());
console.log((await glob("**/*.js", { dot: true, ignore: "sub/deep/**" })).sort());`,
  },
  {
    packages: ["minimatch"],
    source: `import { minimatch } from "minimatch";
console.log(minimatch("src/a/b.ts", "src/**/*.ts"), minimatch(".env", "*"), minimatch(".env", "*", { dot: true }), minimatch("x.JS", "*.js", { nocase: true }));
console.log(minimatch.makeRe("a/{b,c}/*.md").source, minimatch.match(["a.js", "b.md", "c.js"], "*.js"));`,
  },
  {
    packages: ["js-yaml"],
    cjs: true,
    source: `const yaml = require("js-yaml");
const doc = yaml.load("name: app\\nlist:\\n  - 1\\n  - two\\nnested: { a: true, b: null }\\nmulti: |\\n  line1\\n  line2\\n");
console.log(doc);
console.log(yaml.dump({ x: [1, { y: "z" }], s: "a: b", d: new Date(0) }));
try { yaml.load("a: [1, 2"); } catch (e) { console.log(e.name, e.reason); }`,
  },
  {
    packages: ["marked"],
    source: `import { marked } from "marked";
console.log(marked.parse("# Title\\n\\nSome *emphasis* and \`code\`.\\n\\n- a\\n- b\\n\\n| x | y |\\n|---|---|\\n| 1 | 2 |\\n"));
console.log(marked.parseInline("**bold** [link](http://x)"));`,
  },
  {
    packages: ["ajv"],
    cjs: true,
    source: `const Ajv = require("ajv");
const ajv = new Ajv({ allErrors: true });
const validate = ajv.compile({ type: "object", properties: { id: { type: "integer" }, tags: { type: "array", items: { type: "string" }, maxItems: 2 } }, required: ["id"], additionalProperties: false });
console.log(validate({ id: 1, tags: ["a"] }), validate.errors);
console.log(validate({ tags: ["a", "b", 3], extra: 1 }), ajv.errorsText(validate.errors));`,
  },
  {
    packages: ["hono"],
    source: `import { Hono } from "hono";
const app = new Hono();
app.get("/hello/:name", (c) => c.json({ hello: c.req.param("name"), q: c.req.query("q") }));
app.post("/echo", async (c) => c.text((await c.req.text()).toUpperCase(), 201));
const r1 = await app.request("/hello/vm?q=1");
console.log(r1.status, r1.headers.get("content-type"), await r1.json());
const r2 = await app.request("/echo", { method: "POST", body: "shout" });
console.log(r2.status, await r2.text(), (await app.request("/missing")).status);`,
  },
  {
    packages: ["express"],
    cjs: true,
    source: `const express = require("express");
const app = express();
app.use(express.json());
app.get("/items/:id", (req, res) => res.json({ id: req.params.id, q: req.query }));
const server = app.listen(0, "127.0.0.1", async () => {
  const { port } = server.address();
  const r = await fetch("http://127.0.0.1:" + port + "/items/42?x=1");
  console.log(r.status, r.headers.get("content-type"), await r.json());
  server.close();
});`,
  },
  {
    packages: ["undici"],
    source: `import { MockAgent, setGlobalDispatcher, request, Headers } from "undici";
const agent = new MockAgent();
agent.disableNetConnect();
setGlobalDispatcher(agent);
agent.get("http://api.test").intercept({ path: "/v1/items", method: "GET" }).reply(200, { items: [1, 2] }, { headers: { "content-type": "application/json" } });
const { statusCode, body } = await request("http://api.test/v1/items");
console.log(statusCode, await body.json(), new Headers({ a: "1" }).get("a"));`,
  },
  {
    packages: ["ws"],
    cjs: true,
    source: `const WebSocket = require("ws");
const { Sender, Receiver } = WebSocket;
const frames = Sender.frame(Buffer.from("hello"), { fin: true, opcode: 1, mask: false, readOnly: true, rsv1: false });
console.log(Buffer.concat(frames.map((f) => Buffer.from(f))).toString("hex"));
const receiver = new Receiver();
receiver.on("message", (data, isBinary) => console.log("message", data.toString(), isBinary));
receiver.write(Buffer.concat(frames.map((f) => Buffer.from(f))));
console.log(typeof WebSocket.Server, WebSocket.OPEN);`,
  },
  {
    packages: ["ws (a server, a ws client and the WebSocket global)"],
    cjs: true,
    source: `const { WebSocketServer, WebSocket: WsClient } = require("ws");
// The server's events are printed at the end: their order against the clients' is a race.
const serverLog = [];
let pending = 2; // the server saw the WebSocket global's close, and the refused client is done
const finish = () => {
  if (--pending > 0) return;
  console.log("server:", serverLog);
  wss.close();
};
const wss = new WebSocketServer({ host: "127.0.0.1", port: 0 }, () => {
  const url = "ws://127.0.0.1:" + wss.address().port + "/chat?room=1";
  wss.on("connection", (socket, req) => {
    serverLog.push(["connection", req.url, socket.protocol]);
    socket.on("message", (data, isBinary) => socket.send(isBinary ? data : "echo " + data, { binary: isBinary }));
    socket.on("close", (code, reason) => {
      serverLog.push(["close", code, reason.toString()]);
      if (code === 4000) finish();
    });
  });
  const viaWs = new WsClient(url, "chat");
  viaWs.on("open", () => viaWs.send("from ws"));
  viaWs.on("message", (data) => {
    console.log("ws client:", data.toString());
    viaWs.close(1000, "bye");
  });
  viaWs.on("close", (code) => {
    console.log("ws client closed", code);
    const global = new WebSocket(url, ["chat", "other"]);
    global.binaryType = "arraybuffer";
    const seen = [];
    global.onopen = () => {
      console.log("global: open", global.protocol, global.readyState, global.extensions === "");
      global.send("text frame");
      global.send(new Uint8Array([1, 2, 3]));
      global.send("x".repeat(70000));
    };
    global.onmessage = (event) => {
      seen.push(typeof event.data === "string" ? event.data.slice(0, 20) + " " + event.data.length : [...new Uint8Array(event.data)].join(","));
      if (seen.length === 3) global.close(4000, "done");
    };
    global.onclose = (event) => {
      console.log("global:", seen, event.code, event.reason, event.wasClean, global.readyState);
      const refused = new WebSocket("ws://127.0.0.1:9/");
      refused.onerror = (event) => console.log("refused: error", event.type);
      refused.onclose = (event) => {
        console.log("refused: close", event.code, event.wasClean);
        finish();
      };
    };
  });
});`,
  },
  {
    packages: ["prettier"],
    files: {
      "ugly.ts": "const   x : number= {a:1,b:[1,2,3],c:'s'}  ;function f( a,b ){return a+b}\n",
    },
    source: `import * as prettier from "prettier";
import { readFile } from "node:fs/promises";
const source = await readFile(new URL("./ugly.ts", import.meta.url), "utf8");
console.log(await prettier.format(source, { parser: "typescript" }));
console.log(await prettier.format("a{color:red;background:blue}", { parser: "css" }));
console.log(await prettier.format('{"a":1,"b":[true,null]}', { parser: "json" }));`,
  },
  {
    packages: ["typescript"],
    cjs: true,
    files: {
      "proj/tsconfig.json": JSON.stringify({
        compilerOptions: { strict: true, target: "es2022", module: "nodenext", noEmit: true },
        include: ["src"],
      }),
      "proj/src/a.ts": "export function add(a: number, b: number): number { return a + b; }\n",
      "proj/src/b.ts":
        "import { add } from './a.js';\nconst s: string = add(1, 2);\nadd('x', 2);\nexport {};\n",
    },
    source: `const ts = require("typescript");
const path = require("path");
const dir = path.join(__dirname, "proj");
const config = ts.getParsedCommandLineOfConfigFile(path.join(dir, "tsconfig.json"), {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: (d) => console.log(d) });
const program = ts.createProgram(config.fileNames, { ...config.options, types: [] });
const diagnostics = ts.getPreEmitDiagnostics(program);
console.log(ts.version.split(".")[0], config.fileNames.map((f) => path.relative(dir, f)));
console.log(ts.formatDiagnostics(diagnostics, { getCanonicalFileName: (f) => f, getCurrentDirectory: () => dir, getNewLine: () => "\\n" }));
console.log(ts.transpileModule("const x: number = 1; export default x;", { compilerOptions: { module: ts.ModuleKind.CommonJS } }).outputText);`,
  },
  {
    packages: ["dayjs"],
    cjs: true,
    source: `const dayjs = require("dayjs");
const utc = require("dayjs/plugin/utc");
dayjs.extend(utc);
const d = dayjs.utc("2024-03-10T12:34:56Z");
console.log(d.format("YYYY-MM-DD HH:mm dddd"), d.add(1, "month").toISOString(), d.diff(dayjs.utc("2024-01-01"), "day"), d.isValid(), dayjs("nope").isValid());`,
  },
  {
    packages: ["nanoid"],
    source: `import { nanoid, customAlphabet } from "nanoid";
const id = nanoid();
const hex = customAlphabet("0123456789abcdef", 12)();
console.log(id.length, /^[\\w-]+$/.test(id), hex.length, /^[0-9a-f]+$/.test(hex));`,
  },
  {
    packages: ["picocolors"],
    cjs: true,
    env: { FORCE_COLOR: "1" },
    source: `const pc = require("picocolors");
console.log(JSON.stringify(pc.bold(pc.red("x")) + pc.dim("y")), String(pc.isColorSupported), JSON.stringify(pc.createColors(false).red("plain")));`,
  },
  {
    packages: ["debug"],
    cjs: true,
    env: { DEBUG: "app:*,-app:skip", DEBUG_HIDE_DATE: "1", DEBUG_COLORS: "0" },
    source: `const debug = require("debug");
const log = debug("app:main");
log("hello %s with %o", "world", { a: 1 });
debug("app:skip")("not printed");
console.log(log.enabled, debug.enabled("app:skip"), debug("other").enabled);`,
  },
  {
    packages: ["ms"],
    cjs: true,
    source: `const ms = require("ms");
console.log(ms("2 days"), ms("1.5h"), ms(60000), ms(2 * 60000, { long: true }), ms("bogus"));`,
  },
  {
    packages: ["mime"],
    source: `import mime from "mime";
console.log(mime.getType("index.html"), mime.getType("x.tar.gz"), mime.getExtension("application/json"), mime.getType("noext"), [...mime.getAllExtensions("image/jpeg")].sort());`,
  },
  {
    packages: ["qs"],
    cjs: true,
    source: `const qs = require("qs");
console.log(qs.parse("a[b][c]=1&list[]=x&list[]=y&e=%20"), qs.stringify({ a: { b: [1, 2] }, s: "é" }), qs.stringify({ a: [1, 2] }, { arrayFormat: "brackets", encode: false }));`,
  },
  {
    packages: ["cheerio"],
    source: `import * as cheerio from "cheerio";
const $ = cheerio.load('<ul id="l"><li class="a">one</li><li>two</li></ul><p title="t">para</p>');
console.log($("li").map((i, el) => $(el).text()).get(), $("li.a").text(), $("p").attr("title"));
$("ul").append("<li>three</li>");
console.log($.html("ul"), $("li").length);`,
  },
  {
    packages: ["diff"],
    cjs: true,
    source: `const Diff = require("diff");
console.log(Diff.createPatch("file.txt", "a\\nb\\nc\\n", "a\\nB\\nc\\nd\\n", "old", "new"));
console.log(Diff.diffWords("the quick fox", "the slow fox").map((p) => (p.added ? "+" : p.removed ? "-" : "=") + p.value));`,
  },
  {
    packages: ["immer"],
    source: `import { produce, enablePatches, produceWithPatches } from "immer";
enablePatches();
const base = { todos: [{ t: "a", done: false }], n: 1 };
const next = produce(base, (d) => { d.todos[0].done = true; d.todos.push({ t: "b", done: false }); });
console.log(next, base.todos[0].done, next.todos !== base.todos, Object.isFrozen(next));
console.log(JSON.stringify(produceWithPatches(base, (d) => { d.n = 2; })[1]));`,
  },
  {
    packages: ["@hono/node-server"],
    source: `import { serve } from "@hono/node-server";
import { Hono } from "hono";
const app = new Hono().get("/", (c) => c.text("served by node-server"));
const server = serve({ fetch: app.fetch, port: 0, hostname: "127.0.0.1" }, async (info) => {
  const r = await fetch("http://127.0.0.1:" + info.port + "/");
  console.log(r.status, await r.text());
  server.close();
});`,
  },
];
