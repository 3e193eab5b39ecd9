/**
 * node:fs in the guest, differential against host Node: every case runs in its own fresh
 * directory, once in a host temp dir with the host's `node` and once in the VM; the printed
 * results (values, error codes and messages, never timestamps or inode numbers) must match.
 * All cases go in one script per side, so the file costs one host node and one VM exec.
 */
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { AgentOs } from "../../vm/agent-os.ts";

/** Each case is the body of an async function with `fs`, `fsp` and `show` in scope. */
const CASES: Record<string, string> = {
  "readFileSync string and buffer": `
    fs.writeFileSync("a.txt", "héllo\\n");
    show(() => fs.readFileSync("a.txt", "utf8"));
    show(() => fs.readFileSync("a.txt"));
    show(() => fs.readFileSync("a.txt", { encoding: "hex" }));
    show(() => fs.readFileSync(Buffer.from("a.txt"), "latin1"));`,
  "readFileSync errors": `
    fs.mkdirSync("d");
    show(() => fs.readFileSync("missing"));
    show(() => fs.readFileSync("d"));
    show(() => fs.readFileSync("a.txt", "bogus"));
    show(() => fs.readFileSync("a.txt", 5));
    show(() => fs.readFileSync({}));
    show(() => fs.readFileSync("x\\0y"));
    show(() => fs.readFileSync(999));`,
  "file URLs": `
    fs.writeFileSync("u.txt", "url");
    show(() => fs.readFileSync(new URL("file://" + process.cwd() + "/u.txt"), "utf8"));
    show(() => fs.readFileSync(new URL("http://x/y")));
    show(() => fs.readFileSync(new URL("file://host/y")));
    show(() => fs.readFileSync(new URL("file:///a%2Fb")));`,
  "writeFileSync options": `
    fs.writeFileSync("w", "one");
    fs.writeFileSync("w", "two", { flag: "a" });
    fs.writeFileSync("h", "68690a", "hex");
    fs.writeFileSync("m", "x", { mode: 0o600 });
    fs.writeFileSync("u8", new Uint8Array([65, 66]));
    fs.writeFileSync("dv", new DataView(new Uint8Array([67]).buffer));
    show(() => [fs.readFileSync("w", "utf8"), fs.readFileSync("h", "utf8"), fs.readFileSync("u8", "utf8"), fs.readFileSync("dv", "utf8")]);
    show(() => (fs.statSync("m").mode & 0o777).toString(8));
    show(() => fs.writeFileSync("w", 5));
    show(() => fs.writeFileSync("w", "x", { flag: "wx" }));
    show(() => fs.writeFileSync("nodir/x", "x"));`,
  appendFileSync: `
    fs.appendFileSync("ap", "a");
    fs.appendFileSync("ap", Buffer.from("b"));
    fs.appendFileSync("ap", "c", "utf8");
    show(() => fs.readFileSync("ap", "utf8"));
    show(() => fs.appendFileSync("ap"));`,
  "existsSync and exists": `
    fs.writeFileSync("e", "");
    show(() => [fs.existsSync("e"), fs.existsSync("nope"), fs.existsSync(), fs.existsSync(5)]);
    await new Promise((r) => fs.exists("e", (x) => { console.log("exists cb", x); r(); }));
    await new Promise((r) => fs.exists("nope", (x) => { console.log("exists cb", x); r(); }));`,
  accessSync: `
    fs.writeFileSync("f", "");
    show(() => fs.accessSync("f"));
    show(() => fs.accessSync("f", fs.constants.R_OK | fs.constants.W_OK));
    show(() => fs.accessSync("nope"));
    show(() => fs.accessSync("f", 99));`,
  "statSync fields": `
    fs.writeFileSync("s", "12345");
    const st = fs.statSync("s");
    show(() => [st.size, st.isFile(), st.isDirectory(), st.isSymbolicLink(), st.nlink, st.mode.toString(8), typeof st.mtimeMs, st.mtime instanceof Date, Math.abs(st.mtime.getTime() - st.mtimeMs) < 1]);
    show(() => Object.keys(st));
    show(() => st.constructor.name);
    show(() => fs.statSync(".").isDirectory());`,
  "statSync bigint": `
    fs.writeFileSync("s", "123");
    const st = fs.statSync("s", { bigint: true });
    show(() => [st.constructor.name, st.size, typeof st.mtimeNs, typeof st.mtimeMs, st.isFile(), st.atime instanceof Date]);
    show(() => Object.keys(st));`,
  "statSync errors and throwIfNoEntry": `
    show(() => fs.statSync("nope"));
    show(() => fs.statSync("nope", { throwIfNoEntry: false }));
    show(() => fs.lstatSync("nope", { throwIfNoEntry: false }));
    fs.writeFileSync("f", "");
    show(() => fs.statSync("f/x"));`,
  "lstat and symlinks": `
    fs.writeFileSync("target", "T");
    fs.symlinkSync("target", "link");
    show(() => [fs.lstatSync("link").isSymbolicLink(), fs.statSync("link").isFile(), fs.readlinkSync("link")]);
    show(() => fs.readlinkSync("link", "buffer"));
    show(() => fs.readlinkSync("target"));
    show(() => fs.symlinkSync("a", "target"));
    show(() => fs.symlinkSync("a", "b", "bad"));
    fs.symlinkSync("nowhere", "dangling");
    show(() => fs.existsSync("dangling"));
    show(() => fs.statSync("dangling"));`,
  fstat: `
    fs.writeFileSync("f", "abc");
    const fd = fs.openSync("f");
    show(() => [fs.fstatSync(fd).size, fs.fstatSync(fd).isFile(), typeof fs.fstatSync(fd, { bigint: true }).size]);
    fs.closeSync(fd);
    show(() => fs.fstatSync(fd));`,
  readdirSync: `
    fs.mkdirSync("d/sub", { recursive: true });
    fs.writeFileSync("d/a", ""); fs.writeFileSync("d/sub/b", ""); fs.symlinkSync("a", "d/l");
    show(() => fs.readdirSync("d").sort());
    show(() => fs.readdirSync("d", { recursive: true }).sort());
    show(() => fs.readdirSync("d", "buffer").map(String).sort());
    show(() => fs.readdirSync("d", { withFileTypes: true }).sort((x, y) => x.name < y.name ? -1 : 1).map((e) => [e.name, e.parentPath, e.isFile(), e.isDirectory(), e.isSymbolicLink()]));
    show(() => fs.readdirSync("d", { withFileTypes: true, recursive: true }).map((e) => e.parentPath + "|" + e.name).sort());
    show(() => fs.readdirSync("nope"));
    show(() => fs.readdirSync("d/a"));`,
  "Dirent shape": `
    fs.writeFileSync("f", "");
    const [e] = fs.readdirSync(".", { withFileTypes: true });
    show(() => [Object.keys(e), e instanceof fs.Dirent, typeof e.isFIFO, typeof e.isSocket]);
    show(() => require("util").inspect(e));`,
  mkdirSync: `
    show(() => fs.mkdirSync("a"));
    show(() => fs.mkdirSync("a"));
    show(() => fs.mkdirSync("b/c/d", { recursive: true }));
    show(() => fs.mkdirSync("b/c/d", { recursive: true }));
    show(() => fs.mkdirSync("x/y"));
    fs.writeFileSync("file", "");
    show(() => fs.mkdirSync("file/x/y", { recursive: true }));
    show(() => fs.mkdirSync("file", { recursive: true }));
    show(() => fs.mkdirSync("m", 0o700));
    show(() => (fs.statSync("m").mode & 0o777).toString(8));
    show(() => fs.mkdirSync("q", { mode: "zz" }));`,
  mkdtempSync: `
    const dir = fs.mkdtempSync("tmp-");
    show(() => [dir.startsWith("tmp-"), dir.length, fs.statSync(dir).isDirectory(), (fs.statSync(dir).mode & 0o777).toString(8)]);
    show(() => fs.mkdtempSync("nope/x"));`,
  rmSync: `
    fs.mkdirSync("t/u", { recursive: true }); fs.writeFileSync("t/u/f", ""); fs.writeFileSync("t/g", "");
    show(() => fs.rmSync("t"));
    show(() => fs.rmSync("missing"));
    show(() => fs.rmSync("missing", { force: true }));
    show(() => fs.rmSync("t/g/x", { force: true }));
    show(() => fs.rmSync("t", { recursive: true }));
    show(() => fs.existsSync("t"));
    fs.writeFileSync("plain", "");
    show(() => fs.rmSync("plain"));
    show(() => fs.existsSync("plain"));`,
  "rmdirSync and unlinkSync": `
    fs.mkdirSync("d"); fs.writeFileSync("d/f", "");
    show(() => fs.rmdirSync("d"));
    show(() => fs.unlinkSync("d"));
    show(() => fs.rmdirSync("d/f"));
    show(() => fs.unlinkSync("d/f"));
    show(() => fs.rmdirSync("d"));
    show(() => fs.unlinkSync("gone"));`,
  renameSync: `
    fs.writeFileSync("a", "A"); fs.mkdirSync("d");
    show(() => fs.renameSync("a", "b"));
    show(() => fs.readFileSync("b", "utf8"));
    show(() => fs.renameSync("nope", "x"));
    show(() => fs.renameSync("b"));
    fs.mkdirSync("e"); fs.writeFileSync("e/f", "");
    show(() => fs.renameSync("d", "e"));`,
  linkSync: `
    fs.writeFileSync("a", "A");
    show(() => fs.linkSync("a", "b"));
    show(() => [fs.statSync("a").nlink, fs.readFileSync("b", "utf8"), fs.statSync("a").ino === fs.statSync("b").ino]);
    show(() => fs.linkSync("nope", "c"));
    show(() => fs.linkSync("a", "b"));`,
  copyFileSync: `
    fs.writeFileSync("src", "data"); fs.chmodSync("src", 0o640); fs.mkdirSync("d");
    show(() => fs.copyFileSync("src", "dst"));
    show(() => [fs.readFileSync("dst", "utf8"), (fs.statSync("dst").mode & 0o777).toString(8)]);
    show(() => fs.copyFileSync("src", "dst", fs.constants.COPYFILE_EXCL));
    show(() => fs.copyFileSync("nope", "x"));
    show(() => fs.copyFileSync("d", "x"));
    show(() => fs.copyFileSync("src", "y", "x"));`,
  "chmodSync and fchmodSync": `
    fs.writeFileSync("f", "");
    fs.chmodSync("f", 0o751);
    show(() => (fs.statSync("f").mode & 0o777).toString(8));
    fs.chmodSync("f", "644");
    show(() => (fs.statSync("f").mode & 0o777).toString(8));
    const fd = fs.openSync("f", "r");
    fs.fchmodSync(fd, 0o600);
    fs.closeSync(fd);
    show(() => (fs.statSync("f").mode & 0o777).toString(8));
    show(() => fs.chmodSync("f", "x"));
    show(() => fs.chmodSync("nope", 0o644));`,
  "chown to self": `
    fs.writeFileSync("f", "");
    const { uid, gid } = fs.statSync("f");
    show(() => fs.chownSync("f", uid, gid));
    show(() => fs.lchownSync("f", uid, gid));
    const fd = fs.openSync("f"); show(() => fs.fchownSync(fd, uid, gid)); fs.closeSync(fd);
    show(() => fs.chownSync("nope", uid, gid));
    show(() => fs.chownSync("f", "x", 1));`,
  "utimesSync, futimesSync, lutimesSync": `
    fs.writeFileSync("f", "");
    fs.utimesSync("f", 1000, 2000);
    show(() => [fs.statSync("f").atimeMs, fs.statSync("f").mtimeMs]);
    fs.utimesSync("f", new Date(5000), new Date(6000));
    show(() => [fs.statSync("f").atimeMs, fs.statSync("f").mtimeMs]);
    const fd = fs.openSync("f", "r+"); fs.futimesSync(fd, 10, 20); fs.closeSync(fd);
    show(() => fs.statSync("f").mtimeMs);
    fs.lutimesSync("f", 30, 40);
    show(() => fs.statSync("f").mtimeMs);
    show(() => fs.utimesSync("nope", 1, 1));
    show(() => fs.utimesSync("f", "x", 1));`,
  "truncateSync and ftruncateSync": `
    fs.writeFileSync("f", "abcdef");
    fs.truncateSync("f", 3);
    show(() => fs.readFileSync("f", "utf8"));
    fs.truncateSync("f");
    show(() => fs.statSync("f").size);
    fs.writeFileSync("g", "abcdef");
    const fd = fs.openSync("g", "r+"); fs.ftruncateSync(fd, 2); fs.closeSync(fd);
    show(() => fs.readFileSync("g", "utf8"));
    show(() => fs.truncateSync("nope"));
    show(() => fs.truncateSync("f", "x"));`,
  "openSync flags": `
    for (const flags of ["r", "r+", "w", "wx", "w+", "a", "a+", "ax", "rs+"]) {
      fs.writeFileSync("f", "abc");
      show(() => { const fd = fs.openSync("f", flags); const b = Buffer.alloc(10); let n; try { n = fs.readSync(fd, b, 0, 10, 0); } catch (e) { n = e.code; } let w; try { w = fs.writeSync(fd, "Z"); } catch (e) { w = e.code; } fs.closeSync(fd); return [flags, n, w, fs.readFileSync("f", "utf8")]; });
    }
    show(() => fs.openSync("nope"));
    show(() => fs.openSync("f", "zz"));
    show(() => fs.openSync("f", {}));
    show(() => fs.openSync("f", "r", "abc"));
    show(() => { const fd = fs.openSync("new", fs.constants.O_CREAT | fs.constants.O_WRONLY, 0o640); fs.closeSync(fd); return (fs.statSync("new").mode & 0o777).toString(8); });`,
  "readSync forms": `
    fs.writeFileSync("f", "0123456789");
    const fd = fs.openSync("f");
    const b = Buffer.alloc(4);
    show(() => [fs.readSync(fd, b, 0, 4, 2), b.toString()]);
    show(() => [fs.readSync(fd, b), b.toString()]);
    show(() => [fs.readSync(fd, b, { position: 8 }), b.toString()]);
    show(() => [fs.readSync(fd, b, 1, 2, null), b.toString()]);
    show(() => fs.readSync(fd, b, 0, 5, 0));
    show(() => fs.readSync(fd, "x"));
    show(() => fs.readSync(fd, b, 3));
    show(() => fs.readSync(fd, b, 0, 4, 100));
    fs.closeSync(fd);
    show(() => fs.readSync(fd, b));`,
  "writeSync forms": `
    const fd = fs.openSync("f", "w+");
    show(() => fs.writeSync(fd, "hello"));
    show(() => fs.writeSync(fd, Buffer.from("XYZ"), 1, 2));
    show(() => fs.writeSync(fd, "ab", 0));
    show(() => fs.writeSync(fd, Buffer.from("QQ"), 0, 2, 10));
    show(() => fs.writeSync(fd, "é", null, "latin1"));
    show(() => fs.writeSync(fd, 5));
    fs.closeSync(fd);
    show(() => fs.readFileSync("f"));
    show(() => fs.writeSync(fd, "x"));`,
  "readvSync and writevSync": `
    const fd = fs.openSync("f", "w+");
    show(() => fs.writevSync(fd, [Buffer.from("ab"), Buffer.from("cde")]));
    const a = Buffer.alloc(2), b = Buffer.alloc(5);
    show(() => [fs.readvSync(fd, [a, b], 0), a.toString(), b.toString("utf8", 0, 3)]);
    show(() => fs.writevSync(fd, "x"));
    fs.closeSync(fd);`,
  "closeSync validation": `
    show(() => fs.closeSync(999));
    show(() => fs.closeSync("x"));
    show(() => fs.closeSync(-1));
    show(() => fs.closeSync(1.5));`,
  "fsync and fdatasync": `
    const fd = fs.openSync("f", "w");
    show(() => [fs.fsyncSync(fd), fs.fdatasyncSync(fd)]);
    fs.closeSync(fd);
    show(() => fs.fsyncSync(fd));
    await new Promise((r) => fs.fsync(fd, (e) => { console.log(e.code); r(); }));`,
  realpathSync: `
    fs.mkdirSync("d"); fs.symlinkSync("d", "ld"); fs.writeFileSync("d/f", "");
    show(() => fs.realpathSync("ld/f").replace(process.cwd(), "<cwd>"));
    show(() => fs.realpathSync.native("ld/../d/f").replace(process.cwd(), "<cwd>"));
    show(() => fs.realpathSync(".", "buffer").toString() === process.cwd());
    show(() => fs.realpathSync.native("nope"));
    try { fs.realpathSync("d/nope/x"); } catch (e) { console.log(e.code, e.syscall, e.path.replace(process.cwd(), "<cwd>")); }`,
  cpSync: `
    fs.mkdirSync("src/sub", { recursive: true }); fs.writeFileSync("src/a", "A"); fs.writeFileSync("src/sub/b", "B"); fs.symlinkSync("a", "src/ln"); fs.writeFileSync("file", "F");
    show(() => fs.cpSync("src", "dst", { recursive: true }));
    show(() => [fs.readdirSync("dst", { recursive: true }).sort(), fs.readFileSync("dst/sub/b", "utf8"), fs.readlinkSync("dst/ln").replace(process.cwd(), "<cwd>")]);
    show(() => fs.cpSync("src", "dst2", { recursive: true, filter: (s) => !s.endsWith("b") }));
    show(() => fs.readdirSync("dst2", { recursive: true }).sort());
    show(() => fs.cpSync("file", "deep/er/copy"));
    show(() => fs.readFileSync("deep/er/copy", "utf8"));
    show(() => fs.cpSync("src", "nore"));
    show(() => fs.cpSync("nope", "x"));
    show(() => fs.cpSync("src", "file", { recursive: true }));
    show(() => fs.cpSync("file", "src"));
    show(() => fs.cpSync("file", "src/a", { force: false, errorOnExist: true }));
    show(() => fs.cpSync("file", "src/a", { force: false }));
    show(() => fs.readFileSync("src/a", "utf8"));
    show(() => fs.cpSync("src", "src/sub/x", { recursive: true }));
    show(() => fs.cpSync("src", "dst3", { recursive: true, filter: async () => true }));`,
  "cp callback and promises": `
    fs.mkdirSync("s"); fs.writeFileSync("s/f", "x");
    await new Promise((r) => fs.cp("s", "d", { recursive: true }, (e) => { console.log("cb", e, fs.readdirSync("d")); r(); }));
    await fsp.cp("s", "e", { recursive: true, filter: async (src) => !src.endsWith("f") });
    show(() => fs.readdirSync("e"));
    await fsp.cp("s", "e2").catch((e) => console.log(e.code));`,
  opendir: `
    fs.mkdirSync("d"); fs.writeFileSync("d/a", ""); fs.mkdirSync("d/b");
    const dir = fs.opendirSync("d");
    const names = []; let e; while ((e = dir.readSync()) !== null) names.push([e.name, e.isDirectory(), e.parentPath]);
    dir.closeSync();
    show(() => names.sort());
    show(() => dir.readSync());
    show(() => dir.path);
    const seen = []; for await (const ent of await fsp.opendir("d")) seen.push(ent.name);
    show(() => seen.sort());
    await new Promise((r) => fs.opendir("d", (err, d) => d.read((err2, ent) => { console.log(err, err2, typeof ent.name); d.close(r); })));
    show(() => fs.opendirSync("nope"));`,
  "callback forms": `
    await new Promise((r) => fs.writeFile("f", "cb", (e) => { console.log("writeFile", e); r(); }));
    await new Promise((r) => fs.readFile("f", "utf8", (e, d) => { console.log("readFile", e, d); r(); }));
    await new Promise((r) => fs.readFile("nope", (e, d) => { console.log("readFile", e.code, e.message, d); r(); }));
    await new Promise((r) => fs.stat("f", (e, s) => { console.log("stat", e, s.size, s.isFile()); r(); }));
    await new Promise((r) => fs.stat("nope", { throwIfNoEntry: false }, (e, s) => { console.log("stat", e, s); r(); }));
    await new Promise((r) => fs.mkdir("a/b", { recursive: true }, (e, p) => { console.log("mkdir", e, p); r(); }));
    await new Promise((r) => fs.readdir(".", (e, l) => { console.log("readdir", e, l.sort()); r(); }));
    await new Promise((r) => fs.appendFile("f", "!", (e) => { console.log("append", e, fs.readFileSync("f", "utf8")); r(); }));
    await new Promise((r) => fs.access("nope", (e) => { console.log("access", e.message); r(); }));
    await new Promise((r) => fs.unlink("f", (e) => { console.log("unlink", e, fs.existsSync("f")); r(); }));
    await new Promise((r) => fs.rm("a", { recursive: true }, (e) => { console.log("rm", e, fs.existsSync("a")); r(); }));
    show(() => fs.readFile("x"));
    show(() => fs.stat("x", 5));`,
  "callback read and write": `
    const fd = fs.openSync("f", "w+");
    await new Promise((r) => fs.write(fd, "hello", (e, n, s) => { console.log("write", e, n, s); r(); }));
    await new Promise((r) => fs.write(fd, Buffer.from("XY"), 0, 2, 0, (e, n, b) => { console.log("write", e, n, b); r(); }));
    const b = Buffer.alloc(5);
    await new Promise((r) => fs.read(fd, b, 0, 5, 0, (e, n, buf) => { console.log("read", e, n, buf.toString(), buf === b); r(); }));
    await new Promise((r) => fs.read(fd, { buffer: Buffer.alloc(3), position: 2 }, (e, n, buf) => { console.log("read", e, n, buf.toString()); r(); }));
    await new Promise((r) => fs.writev(fd, [Buffer.from("1"), Buffer.from("2")], 0, (e, n) => { console.log("writev", e, n); r(); }));
    await new Promise((r) => fs.close(fd, (e) => { console.log("close", e); r(); }));
    await new Promise((r) => fs.close(fd, (e) => { console.log("close", e.code); r(); }));`,
  "callbacks are async": `
    const order = [];
    fs.stat(".", () => { order.push("callback"); });
    order.push("sync");
    await new Promise((r) => setTimeout(r, 50));
    show(() => order);`,
  "promises basics": `
    await fsp.writeFile("f", "promise");
    show(() => fs.readFileSync("f", "utf8"));
    console.log(await fsp.readFile("f", "utf8"));
    console.log((await fsp.stat("f")).size, (await fsp.lstat("f")).isFile());
    await fsp.appendFile("f", "!");
    await fsp.mkdir("d/e", { recursive: true });
    console.log((await fsp.readdir(".")).sort());
    await fsp.rename("f", "g");
    await fsp.copyFile("g", "h");
    await fsp.symlink("g", "l");
    console.log(await fsp.readlink("l"), (await fsp.realpath("l")).replace(process.cwd(), "<cwd>"));
    await fsp.chmod("g", 0o600);
    await fsp.truncate("g", 2);
    await fsp.utimes("g", 1, 2);
    console.log(await fsp.readFile("g", "utf8"), (await fsp.stat("g")).mtimeMs);
    await fsp.unlink("h");
    await fsp.rm("d", { recursive: true });
    await fsp.access("g");
    console.log(typeof (await fsp.mkdtemp("t-")));
    console.log((await fsp.readdir(".")).length);`,
  "promises errors": `
    for (const f of [() => fsp.readFile("nope"), () => fsp.stat("nope"), () => fsp.mkdir("."), () => fsp.rmdir("nope"), () => fsp.readFile(5n), () => fsp.rm("."), () => fsp.access("nope"), () => fsp.rename("a", "b"), () => fsp.lchmod("x", 1)]) {
      await f().then((v) => console.log("ok", v), (e) => console.log(e.name, e.code, e.message));
    }`,
  "promises writeFile from iterables": `
    await fsp.writeFile("f", ["a", "b", Buffer.from("c")]);
    async function* gen() { yield "x"; yield "y"; }
    await fsp.writeFile("g", gen());
    show(() => [fs.readFileSync("f", "utf8"), fs.readFileSync("g", "utf8")]);`,
  FileHandle: `
    const fh = await fsp.open("f", "w+");
    show(() => typeof fh.fd);
    console.log(await fh.write("hello world"));
    console.log((await fh.write(Buffer.from("!"), 0, 1, 11)).bytesWritten);
    const r = await fh.read(Buffer.alloc(5), 0, 5, 6);
    console.log(r.bytesRead, r.buffer.toString());
    const r2 = await fh.read({ buffer: Buffer.alloc(3), position: 0 });
    console.log(r2.bytesRead, r2.buffer.toString());
    console.log((await fh.stat()).size);
    await fh.truncate(5);
    console.log(await fsp.readFile("f", "utf8"));
    await fh.writeFile("replaced");
    await fh.close();
    console.log(fs.readFileSync("f", "utf8"));
    await fh.close();
    await fh.stat().catch((e) => console.log(e.code, e.message));
    const fh2 = await fsp.open("f");
    console.log(await fh2.readFile("utf8"));
    await fh2.close();
    await fsp.open("nope").catch((e) => console.log(e.message));`,
  "FileHandle readLines and asyncDispose": `
    fs.writeFileSync("lines", "one\\ntwo\\r\\nthree");
    const fh = await fsp.open("lines");
    const lines = []; for await (const line of fh.readLines()) lines.push(line);
    show(() => lines);
    {
      await using h = await fsp.open("lines");
      console.log((await h.readFile("utf8")).length);
    }
    const fh3 = await fsp.open("lines");
    let closed = false; fh3.on("close", () => { closed = true; });
    await fh3[Symbol.asyncDispose]();
    show(() => closed);`,
  "FileHandle streams": `
    fs.writeFileSync("f", "stream data");
    const fh = await fsp.open("f");
    const chunks = []; for await (const c of fh.createReadStream({ start: 7 })) chunks.push(String(c));
    show(() => chunks.join(""));
    const out = await fsp.open("o", "w");
    const ws = out.createWriteStream();
    await new Promise((r) => ws.end("written", r));
    show(() => fs.readFileSync("o", "utf8"));`,
  createReadStream: `
    fs.writeFileSync("f", "0123456789".repeat(10));
    const rs = fs.createReadStream("f", { start: 5, end: 14, highWaterMark: 4 });
    const events = [];
    rs.on("open", (fd) => events.push("open:" + typeof fd));
    rs.on("ready", () => events.push("ready"));
    const chunks = [];
    rs.on("data", (c) => chunks.push(c.toString()));
    await new Promise((r) => rs.on("close", r));
    show(() => [events, chunks, rs.bytesRead, rs.path]);
    const all = []; for await (const c of fs.createReadStream("f", { encoding: "utf8" })) all.push(c);
    show(() => all.join("").length);
    const bad = fs.createReadStream("nope");
    await new Promise((r) => bad.on("error", (e) => { console.log(e.code, e.message); r(); }));
    show(() => fs.createReadStream("f", { start: 5, end: 2 }));`,
  createWriteStream: `
    const ws = fs.createWriteStream("w");
    ws.write("a");
    ws.write(Buffer.from("b"));
    await new Promise((r) => ws.end("c", r));
    await new Promise((r) => ws.on("close", r));
    show(() => [fs.readFileSync("w", "utf8"), ws.bytesWritten, ws.path]);
    const ap = fs.createWriteStream("w", { flags: "a" });
    await new Promise((r) => ap.end("d", r));
    fs.writeFileSync("p", "XXXXXX");
    const pos = fs.createWriteStream("p", { flags: "r+", start: 2 });
    await new Promise((r) => pos.end("yy", r));
    show(() => [fs.readFileSync("w", "utf8"), fs.readFileSync("p", "utf8")]);
    const bad = fs.createWriteStream("nodir/x");
    await new Promise((r) => bad.on("error", (e) => { console.log(e.code, e.message); r(); }));
    show(() => [typeof fs.ReadStream, typeof fs.WriteStream, ws instanceof fs.WriteStream, ws instanceof require("stream").Writable]);`,
  "stream pipeline copy": `
    fs.writeFileSync("big", Buffer.alloc(300000, 97));
    await require("stream/promises").pipeline(fs.createReadStream("big"), fs.createWriteStream("copy"));
    show(() => [fs.statSync("copy").size, fs.readFileSync("copy").equals(fs.readFileSync("big"))]);`,
  watchFile: `
    fs.writeFileSync("w", "1");
    const seen = await new Promise((resolve) => {
      fs.watchFile("w", { interval: 20 }, (curr, prev) => { fs.unwatchFile("w"); resolve([curr.size, prev.size]); });
      setTimeout(() => fs.writeFileSync("w", "22"), 100);
    });
    show(() => seen);`,
  watch: `
    fs.mkdirSync("d");
    const events = await new Promise((resolve) => {
      const got = [];
      const w = fs.watch("d", (type, name) => { got.push(name); if (got.length >= 1) { w.close(); resolve(got); } });
      setTimeout(() => fs.writeFileSync("d/new", "x"), 150);
    });
    show(() => events.slice(0, 1));
    show(() => fs.watch("nope"));`,
  "watch persistent false": `
    fs.writeFileSync("f", "");
    fs.watch("f", { persistent: false });
    fs.watchFile("f", { persistent: false }, () => {});
    console.log("exits");`,
  "promises watch with signal": `
    fs.writeFileSync("f", "");
    const ac = new AbortController();
    setTimeout(() => fs.writeFileSync("f", "changed"), 150);
    const got = [];
    try {
      for await (const ev of fsp.watch("f", { signal: ac.signal })) { got.push([ev.eventType, ev.filename]); ac.abort(); }
    } catch (e) { console.log(e.name); }
    show(() => got);`,
  globSync: `
    fs.mkdirSync("a/b", { recursive: true }); fs.mkdirSync(".h");
    for (const f of ["x.js", "a/y.js", "a/b/z.js", ".h/q.js", ".dot.js", "a/n.txt"]) fs.writeFileSync(f, "");
    show(() => fs.globSync("**/*.js").sort());
    show(() => fs.globSync("*").sort());
    show(() => fs.globSync("a/**").sort());
    show(() => fs.globSync("**/*.js", { exclude: (p) => p === "a" }).sort());
    show(() => fs.globSync("**/*.js", { exclude: ["a/b/**"] }).sort());
    show(() => fs.globSync("a/*", { withFileTypes: true }).map((d) => [d.name, d.parentPath]).sort());
    show(() => fs.globSync(["x.js", "a/*.js"]).sort());
    show(() => fs.globSync("*.js", { cwd: "a" }));
    show(() => fs.globSync("./x.js"));
    show(() => fs.globSync("a/{y,n}.*").sort());`,
  "glob callback and promises": `
    fs.writeFileSync("x.js", ""); fs.writeFileSync("y.ts", "");
    await new Promise((r) => fs.glob("*.js", (e, m) => { console.log("cb", e, m); r(); }));
    const out = []; for await (const m of fsp.glob("*.{js,ts}")) out.push(m);
    show(() => out.sort());`,
  constants: `
    show(() => fs.constants);
    show(() => fsp.constants === fs.constants);`,
  statfs: `
    const s = fs.statfsSync(".");
    show(() => [s.constructor.name, Object.keys(s), typeof s.bsize, s.bsize > 0, s.blocks >= s.bfree]);
    show(() => typeof fs.statfsSync(".", { bigint: true }).blocks);
    show(() => fs.statfsSync("nope"));`,
  "rmdir recursive and rm promise": `
    fs.mkdirSync("a/b", { recursive: true });
    await fsp.rm("a", { recursive: true, force: true });
    show(() => fs.existsSync("a"));
    await fsp.rm("a", { force: true });
    await fsp.rm("a").catch((e) => console.log(e.code, e.syscall));`,
  "relative paths follow process.chdir": `
    fs.mkdirSync("sub"); fs.writeFileSync("sub/f", "in sub");
    process.chdir("sub");
    show(() => fs.readFileSync("f", "utf8"));
    show(() => fs.readFileSync("../sub/f", "utf8"));
    process.chdir("..");`,
  "large file": `
    const big = Buffer.alloc(10 * 1024 * 1024, 7);
    fs.writeFileSync("big", big);
    const back = fs.readFileSync("big");
    show(() => [back.length, back.equals(big)]);
    let total = 0; for (let i = 0; i < 1000; i++) total += fs.statSync("big").size > 0 ? 1 : 0;
    show(() => total);`,
  "readFile flag and signal": `
    show(() => fs.readFileSync("created", { flag: "a+" }).length);
    show(() => fs.existsSync("created"));
    const ac = new AbortController(); ac.abort();
    await fsp.readFile("created", { signal: ac.signal }).catch((e) => console.log(e.name, e.code));
    await new Promise((r) => fs.readFile("created", { signal: ac.signal }, (e) => { console.log(e.name); r(); }));`,
  "readFileSync of a descriptor": `
    fs.writeFileSync("f", "abcdef");
    const fd = fs.openSync("f");
    fs.readSync(fd, Buffer.alloc(2));
    show(() => fs.readFileSync(fd, "utf8"));
    fs.closeSync(fd);
    const wfd = fs.openSync("g", "w");
    fs.writeFileSync(wfd, "via fd");
    fs.closeSync(wfd);
    show(() => fs.readFileSync("g", "utf8"));`,
  "writeSync to stdout keeps order": `
    console.log("first");
    fs.writeSync(1, "second\\n");
    process.stdout.write("third\\n");
    fs.writeSync(1, Buffer.from("fourth\\n"));`,
  "mkdir callback errors": `
    fs.mkdirSync("d");
    await new Promise((r) => fs.mkdir("d", (e) => { console.log(e.code, e.message); r(); }));
    await new Promise((r) => fs.rmdir("nope", (e) => { console.log(e.code, e.message); r(); }));
    await new Promise((r) => fs.rm("d", (e) => { console.log(e.name, e.code, e.message); r(); }));`,
  "utimes callback and lutimes promise": `
    fs.writeFileSync("f", "");
    await new Promise((r) => fs.utimes("f", 100, 200, (e) => { console.log(e, fs.statSync("f").mtimeMs); r(); }));
    await fsp.lutimes("f", 300, 400);
    show(() => fs.statSync("f").mtimeMs);`,
  "Stats class": `
    fs.writeFileSync("f", "");
    const st = fs.statSync("f");
    show(() => [st instanceof fs.Stats, typeof fs.Stats, Object.getOwnPropertyNames(Object.getPrototypeOf(st)).sort()]);
    show(() => require("util").inspect(st).split("\\n").length);
    show(() => [st.isBlockDevice(), st.isCharacterDevice(), st.isFIFO(), st.isSocket()]);`,
  "char devices": `
    show(() => [fs.statSync("/dev/null").isCharacterDevice(), fs.readFileSync("/dev/null").length]);
    fs.writeFileSync("/dev/null", "discard");
    show(() => fs.readdirSync("/dev").includes("null"));`,
};

const PRELUDE = `
const fs = require("fs");
const fsp = require("fs/promises");
const { inspect } = require("util");
function describe(e) {
  if (!(e instanceof Error)) return inspect(e, { depth: 4 });
  const fields = {};
  for (const k of ["code", "errno", "syscall", "path", "dest"]) if (e[k] !== undefined) fields[k] = e[k];
  return "THROW " + e.name + " " + e.message + " " + JSON.stringify(fields);
}
function show(fn) {
  try { console.log(inspect(fn(), { depth: 4, breakLength: 200 })); }
  catch (e) { console.log(describe(e)); }
}
const cases = ${JSON.stringify(Object.entries(CASES))};
(async () => {
  const root = process.cwd();
  const only = process.argv[2];
  for (const [name, body] of cases) {
    if (only && only !== name) continue;
    const dir = root + "/case-" + cases.findIndex((c) => c[0] === name);
    fs.mkdirSync(dir);
    process.chdir(dir);
    console.log("=== " + name);
    try { await new Function("fs", "fsp", "show", "require", "return (async () => {" + body + "})()")(fs, fsp, show, require); }
    catch (e) { console.log("CASE FAILED " + describe(e)); }
    process.chdir(root);
  }
})();
`;

/** Splits a run's output into case name → output. */
function byCase(output: string): Map<string, string> {
  const result = new Map<string, string>();
  for (const part of output.split(/^=== /m).slice(1)) {
    const newline = part.indexOf("\n");
    result.set(part.slice(0, newline), part.slice(newline + 1));
  }
  return result;
}

describe("node:fs in the guest matches host Node", () => {
  let vm: AgentOs;
  let host: Map<string, string>;
  let guest: Map<string, string>;

  before(async () => {
    const hostDir = mkdtempSync(join(tmpdir(), "agentos-fs-"));
    try {
      writeFileSync(join(hostDir, "cases.js"), PRELUDE);
      const work = join(hostDir, "work");
      execFileSync("mkdir", [work]);
      const out = execFileSync(process.execPath, [join(hostDir, "cases.js")], {
        cwd: work,
        encoding: "utf8",
        timeout: 60_000,
      });
      host = byCase(out);
    } finally {
      rmSync(hostDir, { recursive: true, force: true });
    }
    vm = await AgentOs.create();
    await vm.writeFile("/home/user/cases.js", PRELUDE);
    await vm.exec("mkdir /home/user/work");
    const r = await vm.exec("node ../cases.js", { cwd: "/home/user/work", timeout: 60_000 });
    assert.equal(r.stderr, "");
    guest = byCase(r.stdout);
  });

  after(async () => {
    await vm?.dispose();
  });

  for (const name of Object.keys(CASES)) {
    it(name, () => {
      assert.ok(host.has(name), `host ran ${name}`);
      assert.equal(guest.get(name), host.get(name));
    });
  }
});
