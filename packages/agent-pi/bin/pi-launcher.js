#!/usr/bin/env node
// `pi` as pi-acp starts it (`$PI_ACP_PI_COMMAND --mode rpc ...`), with agentOS's OS instructions
// appended to Pi's system prompt: pi-acp drops ACP's systemPrompt, so the session passes the
// instructions in AGENTOS_SYSTEM_PROMPT and they reach Pi as `--append-system-prompt`.
// Pi's CLI runs in this same process: a second node process would double the memory.
import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const PI_PACKAGE = "@earendil-works/pi-coding-agent";

/** Pi's package directory, found from its resolved entry (its exports hide package.json). */
function packageDir(name) {
  let dir = dirname(fileURLToPath(import.meta.resolve(name)));
  while (!existsSync(join(dir, "package.json")) || readManifest(dir).name !== name) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`cannot find the ${name} package`);
    dir = parent;
  }
  return dir;
}

function readManifest(dir) {
  return JSON.parse(readFileSync(join(dir, "package.json"), "utf8"));
}

const instructions = process.env.AGENTOS_SYSTEM_PROMPT;
if (instructions) process.argv.splice(2, 0, "--append-system-prompt", instructions);
const dir = packageDir(PI_PACKAGE);
await import(pathToFileURL(join(dir, readManifest(dir).bin.pi)).href);
