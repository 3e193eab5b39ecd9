import { AgentOs } from "../index.ts";
const vm = await AgentOs.create();
await vm.dispose();
const calls: Record<string, () => unknown> = {
openShell: () => vm.openShell(),
writeShell: () => vm.writeShell("shell-1", "x"),
onShellData: () => vm.onShellData("shell-1", () => {}),
onShellExit: () => vm.onShellExit("shell-1", () => {}),
waitShell: () => vm.waitShell("shell-1"),
resizeShell: () => vm.resizeShell("shell-1", 80, 24),
closeShell: () => vm.closeShell("shell-1"),
listShells: () => vm.listShells(),
connectTerminal: () => vm.connectTerminal(),
};
for (const [n, c] of Object.entries(calls)) { try { await c(); console.log(n, "NO THROW"); } catch (e) { if ((e as Error).message !== `${n}: this VM has been disposed`) console.log(n, (e as Error).message); } }
console.log("ok");
