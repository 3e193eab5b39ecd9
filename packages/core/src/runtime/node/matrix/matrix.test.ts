/**
 * The npm project matrix: real packages from the registry (pinned by this folder's
 * package-lock.json, installed outside the repo by scripts/node-matrix.sh), each exercised by a
 * small program run with the host's Node and with `node` in the VM. The VM mounts the installed
 * node_modules read-only at the same absolute path as on the host, so both sides resolve the same
 * files and print the same paths. Cases in MATRIX_GAPS run as `todo`.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { closeNodeVm, configureNodeVm, nodeVm, normaliseResult, runNodeBoth } from "../testing.ts";
import { MATRIX_CASES, type MatrixCase } from "./cases.ts";
import { MATRIX_GAPS } from "./gaps.ts";

const REPO = join(import.meta.dirname, "../../../../../..");

/** Installs the matrix (once per lockfile) and returns its directory. */
function installMatrix(): string {
  const r = spawnSync("bash", [join(REPO, "scripts/node-matrix.sh")], {
    encoding: "utf8",
    stdio: ["ignore", "pipe", "inherit"],
    timeout: 300_000,
  });
  if (r.status !== 0) throw new Error(`scripts/node-matrix.sh failed (status ${r.status})`);
  return r.stdout.trim().split("\n").at(-1) as string;
}

let matrixDir = "";

before(async () => {
  matrixDir = installMatrix();
  const modules = join(matrixDir, "node_modules");
  configureNodeVm({
    mounts: [
      { path: modules, plugin: { id: "host_dir", config: { hostPath: modules } }, readOnly: true },
    ],
  });
  // The mount made the directories above it as root; the programs go beside node_modules.
  const vm = await nodeVm();
  const root = { uid: 0, gid: 0, pid: 1 };
  await vm.kernel.fs.mkdir(root, join(matrixDir, "cases"), 0o777);
  await vm.kernel.fs.chmod(root, join(matrixDir, "cases"), 0o777);
});

after(() => closeNodeVm());

const slug = (c: MatrixCase) => c.packages[0].replace(/[^\w]+/g, "-").replace(/^-|-$/g, "");

async function compare(c: MatrixCase): Promise<void> {
  const file = `${slug(c)}.${c.cjs ? "cjs" : "mjs"}`;
  const { host, vm } = await runNodeBoth({
    dir: join(matrixDir, "cases", slug(c)),
    files: { [file]: c.source, ...c.files },
    argv: [file, ...(c.args ?? [])],
    env: c.env,
    stdin: c.stdin,
  });
  assert.deepEqual(
    normaliseResult(vm),
    normaliseResult(host),
    `packages: ${c.packages.join(", ")}`,
  );
}

describe("npm project matrix", () => {
  test("at least 25 distinct packages, gaps name real cases", () => {
    const names = new Set(MATRIX_CASES.flatMap((c) => c.packages.map((p) => p.split(" ")[0])));
    assert.ok(names.size >= 25, `only ${names.size} packages`);
    const slugs = new Set(MATRIX_CASES.map(slug));
    assert.equal(slugs.size, MATRIX_CASES.length, "case slugs are unique");
    for (const name of Object.keys(MATRIX_GAPS))
      assert.ok(slugs.has(name), `gap without case: ${name}`);
  });

  for (const c of MATRIX_CASES) {
    const gap = MATRIX_GAPS[slug(c)];
    const name = c.packages.join(" + ");
    if (gap) test(`${name} [${gap.owner}]`, { todo: gap.reason }, () => compare(c));
    else test(name, () => compare(c));
  }
});
