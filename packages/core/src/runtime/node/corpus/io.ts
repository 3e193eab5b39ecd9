/** A few cases per kernel-backed builtin: fs, child_process, crypto, zlib. */
import { js, mjs, type NodeCase } from "./case.ts";

export const IO_CASES: NodeCase[] = [
  // fs
  js(
    "fs write read sync",
    "const fs = require('fs'); fs.writeFileSync('f.txt', 'content\\n'); fs.appendFileSync('f.txt', 'more'); console.log(JSON.stringify(fs.readFileSync('f.txt', 'utf8')), fs.readFileSync('f.txt').length, fs.existsSync('f.txt'), fs.existsSync('nope'))",
  ),
  js(
    "fs enoent error shape",
    "const fs = require('fs'); try { fs.readFileSync('missing.txt'); } catch (e) { console.log(e.code, e.errno, e.syscall, e.path, e.message); }",
  ),
  js(
    "fs glob exclude as function and globs",
    `const fs = require('fs'); const log = [];
const fn = (hit) => (p) => { log.push(typeof p === 'string' ? p : [p.constructor.name, p.name, p.parentPath.replace(process.cwd(), '.')].join(':')); return hit(typeof p === 'string' ? p : p.name); };
const names = (r) => r.map((x) => (typeof x === 'string' ? x : x.name)).sort();
const run = (pattern, options) => { log.length = 0; let r; try { r = names(fs.globSync(pattern, options)); } catch (e) { r = e.code + ' ' + e.message; } console.log(pattern, r, log.sort()); };
run('**/*.js', { exclude: fn((p) => p.endsWith('node_modules')) });
run('**/*.js', { exclude: fn((p) => p === 'b/c'), withFileTypes: true });
run('b/*/*.js', { exclude: fn(() => false) });
run('a/**', { exclude: fn((p) => p === 'x') });
run('a/f.js', { exclude: fn((p) => p === 'a') });
run('**', { exclude: ['**/node_modules', 'b/**'] });
run('**/*.js', { exclude: [process.cwd() + '/a/**'] });
run('*.js', { cwd: 'a', exclude: fn(() => false), withFileTypes: true });
run('**/*.js', { exclude: 'x' }); run('**/*.js', { exclude: [1] });
fs.glob('**/*.js', { exclude: fn((p) => p === 'a') }, async (err, r) => {
  console.log('callback', err, r.sort(), log.sort()); log.length = 0;
  const seen = []; for await (const x of fs.promises.glob('**/*.js', { exclude: fn((p) => p === 'b') })) seen.push(x);
  console.log('promise', seen.sort(), log.sort());
});`,
    {
      files: {
        "a/f.js": "",
        "a/node_modules/x/i.js": "",
        "b/c/d.js": "",
        "top.js": "",
        ".hid/h.js": "",
      },
    },
  ),
  js("fs uncaught enoent", "require('fs').readFileSync('/no/such/file');"),
  js(
    "fs mkdir readdir rm",
    "const fs = require('fs'); fs.mkdirSync('d/e/f', { recursive: true }); fs.writeFileSync('d/e/x', ''); fs.writeFileSync('d/a', ''); console.log(fs.readdirSync('d').sort(), fs.readdirSync('d', { withFileTypes: true }).map((e) => [e.name, e.isDirectory()]).sort(), fs.readdirSync('d', { recursive: true }).sort()); fs.rmSync('d', { recursive: true }); console.log(fs.existsSync('d'))",
  ),
  js(
    "fs stat fields",
    "const fs = require('fs'); fs.writeFileSync('s', 'abc'); const s = fs.statSync('s'); console.log(s.size, s.isFile(), s.isDirectory(), (s.mode & 0o777).toString(8), s.mtime instanceof Date, typeof s.mtimeMs, typeof s.ino, s.nlink); console.log(fs.statSync('s', { bigint: true }).size, fs.statSync('nope', { throwIfNoEntry: false }))",
  ),
  js(
    "fs rename copy unlink",
    "const fs = require('fs'); fs.writeFileSync('a', '1'); fs.renameSync('a', 'b'); fs.copyFileSync('b', 'c'); fs.unlinkSync('b'); console.log(fs.readdirSync('.').sort()); try { fs.copyFileSync('c', 'c', fs.constants.COPYFILE_EXCL); } catch (e) { console.log(e.code, e.syscall); }",
  ),
  js(
    "fs symlinks",
    "const fs = require('fs'); fs.writeFileSync('t', 'target'); fs.symlinkSync('t', 'l'); console.log(fs.readlinkSync('l'), fs.lstatSync('l').isSymbolicLink(), fs.readFileSync('l', 'utf8'), fs.realpathSync('l') === process.cwd() + '/t')",
  ),
  js(
    "fs callbacks",
    "const fs = require('fs'); fs.writeFile('cb.txt', 'x', (err) => { console.log('written', err); fs.readFile('cb.txt', 'utf8', (err2, d) => { console.log('read', err2, d); fs.stat('nope', (e3) => console.log(e3.code)); }); }); console.log('sync first')",
  ),
  js(
    "fs promises",
    "const fsp = require('fs/promises'); (async () => { await fsp.mkdir('p/q', { recursive: true }); await fsp.writeFile('p/q/f', 'promised'); console.log(await fsp.readFile('p/q/f', 'utf8'), (await fsp.readdir('p')).length); try { await fsp.access('nope'); } catch (e) { console.log(e.code); } await fsp.rm('p', { recursive: true }); })()",
  ),
  js(
    "fs filehandle",
    "const fsp = require('fs/promises'); (async () => { const fh = await fsp.open('h.txt', 'w+'); await fh.write('hello handle'); const { bytesRead, buffer } = await fh.read(Buffer.alloc(5), 0, 5, 0); console.log(bytesRead, buffer.toString(), (await fh.stat()).size); await fh.close(); })()",
  ),
  js(
    "fs streams",
    "const fs = require('fs'); const w = fs.createWriteStream('w.txt'); w.write('line1\\n'); w.end('line2\\n', () => { fs.createReadStream('w.txt', { encoding: 'utf8', highWaterMark: 4 }).on('data', (c) => console.log(JSON.stringify(c))).on('end', () => console.log('end')); })",
  ),
  js(
    "fs open read write fds",
    "const fs = require('fs'); const fd = fs.openSync('fd.txt', 'w'); fs.writeSync(fd, 'abcdef'); fs.closeSync(fd); const r = fs.openSync('fd.txt', 'r'); const b = Buffer.alloc(3); console.log(fs.readSync(r, b, 0, 3, 2), b.toString()); fs.closeSync(r); try { fs.closeSync(r); } catch (e) { console.log(e.code); }",
  ),
  js(
    "fs mkdtemp and chmod",
    "const fs = require('fs'); const d = fs.mkdtempSync('tmp-'); console.log(d.startsWith('tmp-'), d.length); fs.writeFileSync(d + '/f', ''); fs.chmodSync(d + '/f', 0o600); console.log((fs.statSync(d + '/f').mode & 0o777).toString(8))",
  ),
  js(
    "fs errors eexist enotdir eisdir",
    "const fs = require('fs'); fs.mkdirSync('d'); fs.writeFileSync('f', ''); for (const f of [() => fs.mkdirSync('d'), () => fs.readdirSync('f'), () => fs.readFileSync('d'), () => fs.rmdirSync('nope')]) { try { f(); } catch (e) { console.log(e.code, e.syscall, e.message); } }",
  ),
  js(
    "fs cp and opendir",
    "const fs = require('fs'); fs.mkdirSync('src/in', { recursive: true }); fs.writeFileSync('src/in/f', 'x'); fs.cpSync('src', 'dst', { recursive: true }); console.log(fs.readFileSync('dst/in/f', 'utf8')); const dir = fs.opendirSync('src'); let e; while ((e = dir.readSync())) console.log(e.name); dir.closeSync()",
  ),
  mjs(
    "fs promises esm",
    "import { readFile, writeFile } from 'node:fs/promises'; await writeFile('e.txt', 'esm fs'); console.log(await readFile('e.txt', 'utf8'));",
  ),
  // child_process
  js(
    "child execSync",
    "const cp = require('child_process'); console.log(JSON.stringify(cp.execSync('echo hi; echo err >&2').toString()))",
  ),
  js(
    "child spawnSync shape",
    "const r = require('child_process').spawnSync('sh', ['-c', 'echo out; echo e >&2; exit 3']); console.log(r.status, r.signal, r.stdout.toString(), r.stderr.toString(), r.pid > 0)",
  ),
  js(
    "child exec callback",
    "require('child_process').exec('echo $X; exit 2', { env: { X: 'envx', PATH: process.env.PATH } }, (err, out, errOut) => console.log(err.code, JSON.stringify(out), JSON.stringify(errOut)))",
  ),
  js(
    "child spawn events",
    "const c = require('child_process').spawn('sh', ['-c', 'read l; echo got $l']); let out = ''; let exit; c.stdout.on('data', (d) => (out += d)); c.on('exit', (code, sig) => (exit = [code, sig])); c.on('close', (code) => console.log('close', code, exit, JSON.stringify(out))); c.stdin.end('line\\n')",
  ),
  js(
    "child spawn node",
    "const r = require('child_process').spawnSync(process.execPath, ['-e', 'console.log(process.argv.length); process.exit(4)']); console.log(r.status, r.stdout.toString())",
  ),
  js(
    "child execFileSync failure",
    "try { require('child_process').execFileSync('sh', ['-c', 'exit 5'], { stdio: 'pipe' }); } catch (e) { console.log(e.status, e.message.split('\\n')[0]); }",
  ),
  js(
    "child spawn enoent",
    "const c = require('child_process').spawn('definitely-not-a-command-x'); c.on('error', (e) => console.log(e.code, e.syscall, e.path, e.spawnargs));",
  ),
  js(
    "child stdio inherit",
    "require('child_process').spawnSync('sh', ['-c', 'echo inherited; echo to-err >&2'], { stdio: 'inherit' }); console.log('after')",
  ),
  // crypto
  js(
    "crypto hashes",
    "const c = require('crypto'); console.log(c.createHash('sha256').update('abc').digest('hex'), c.createHash('md5').update('a').update('b').digest('base64'), c.createHash('sha1').update(Buffer.from([1, 2])).digest().length, c.hash ? c.hash('sha256', 'x').slice(0, 8) : 'nohash')",
  ),
  js(
    "crypto hmac and pbkdf2",
    "const c = require('crypto'); console.log(c.createHmac('sha256', 'key').update('data').digest('hex'), c.pbkdf2Sync('pw', 'salt', 1000, 16, 'sha256').toString('hex'), c.scryptSync('pw', 'salt', 16).toString('hex'))",
  ),
  js(
    "crypto random shapes",
    "const c = require('crypto'); console.log(c.randomBytes(8).length, /^[0-9a-f-]{36}$/.test(c.randomUUID()), c.randomInt(5, 6), crypto.getRandomValues(new Uint8Array(4)).length, typeof crypto.subtle.digest)",
  ),
  js(
    "crypto cipher roundtrip",
    "const c = require('crypto'); const key = Buffer.alloc(32, 1); const iv = Buffer.alloc(16, 2); const e = c.createCipheriv('aes-256-cbc', key, iv); const enc = Buffer.concat([e.update('secret'), e.final()]); const d = c.createDecipheriv('aes-256-cbc', key, iv); console.log(enc.toString('hex'), Buffer.concat([d.update(enc), d.final()]).toString())",
  ),
  js(
    "crypto subtle digest",
    "crypto.subtle.digest('SHA-256', new TextEncoder().encode('abc')).then((b) => console.log(Buffer.from(b).toString('hex')))",
  ),
  js(
    "crypto timingSafeEqual and errors",
    "const c = require('crypto'); console.log(c.timingSafeEqual(Buffer.from('a'), Buffer.from('a'))); try { c.createHash('nope'); } catch (e) { console.log(e.message); } console.log(c.getHashes().includes('sha256'))",
  ),
  // zlib
  js(
    "zlib gzip roundtrip sync",
    "const z = require('zlib'); const g = z.gzipSync('hello hello hello'); console.log(g[0], g[1], z.gunzipSync(g).toString(), z.inflateSync(z.deflateSync(Buffer.from('d'))).toString(), z.deflateSync('abc').toString('base64'))",
  ),
  js(
    "zlib brotli and raw",
    "const z = require('zlib'); console.log(z.brotliDecompressSync(z.brotliCompressSync('brotli text')).toString(), z.inflateRawSync(z.deflateRawSync('raw')).toString(), z.unzipSync(z.gzipSync('u')).toString())",
  ),
  js(
    "zlib callback and stream",
    "const z = require('zlib'); z.gzip('cb data', (e, buf) => z.gunzip(buf, (e2, out) => { console.log('cb', e, e2, out.toString()); const gz = z.createGzip(); const gun = z.createGunzip(); let s = ''; gun.on('data', (d) => (s += d)).on('end', () => console.log('stream', s)); gz.pipe(gun); gz.end('streamed'); }))",
  ),
  js(
    "zlib error",
    "try { require('zlib').gunzipSync(Buffer.from('not gzip')); } catch (e) { console.log(e.code, e.errno, e.message); }",
  ),
];
