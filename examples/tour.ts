/**
 * A short tour of the AgentOs API: boot a VM, use its filesystem, run processes, inspect them.
 * Run with `./dev demo`.
 */
import { AgentOs } from "../packages/core/src/index.ts";

const text = (bytes: Uint8Array): string => new TextDecoder().decode(bytes);

const started = performance.now();
const vm = await AgentOs.create({ env: { GREETING: "hello from the VM" } });
console.log(`VM booted in ${(performance.now() - started).toFixed(2)} ms`);

// Files: the VM has its own tree, laid out like a small Linux system.
await vm.writeFiles([
  { path: "/home/user/project/README.md", content: "# demo\n" },
  { path: "/home/user/project/src/index.ts", content: "console.log('hi');\n" },
]);
for (const entry of await vm.readdirRecursive("/home/user/project")) {
  console.log(`${entry.type.padEnd(9)} ${entry.path} (${entry.size} bytes)`);
}
console.log("hostname:", text(await vm.readFile("/etc/hostname")).trim());

// The shell: exec runs a command line with the VM's bash and GNU-compatible userland.
const listing = await vm.exec("cd project && find . -type f | sort && grep -rn log src");
process.stdout.write(listing.stdout);
console.log("exec exit code:", listing.exitCode);

// Guest JavaScript: `node` runs the TypeScript file in a V8 isolate of its own (types stripped,
// as Node 24 does), reading the VM's files.
const ran = await vm.exec("node project/src/index.ts && node -p 'require(\"os\").platform()'");
process.stdout.write(ran.stdout);

// Processes: spawn streams output; exit codes and signals are reported as a shell would.
const echo = vm.spawn("env", [], {
  onStdout: (d) =>
    process.stdout.write(
      `[env] ${text(d)
        .split("\n")
        .find((l) => l.startsWith("GREETING"))}\n`,
    ),
});
console.log("env exited with", await vm.waitProcess(echo.pid));

const cat = vm.spawn("cat", ["-n"]);
vm.onProcessOutput(cat.pid, (d) => process.stdout.write(`[cat] ${text(d)}`));
await vm.writeProcessStdin(cat.pid, "first line\nsecond line\n");
vm.closeProcessStdin(cat.pid);
console.log("cat exited with", await vm.waitProcess(cat.pid));

const sleeper = vm.spawn("sleep", ["60"]);
await new Promise((r) => setTimeout(r, 10));
console.log(
  "processes:",
  vm.allProcesses().map((p) => `${p.pid}:${p.command}:${p.status}`),
);
vm.stopProcess(sleeper.pid);
console.log("sleep stopped with", await vm.waitProcess(sleeper.pid), "(128 + SIGTERM)");

await vm.dispose();
