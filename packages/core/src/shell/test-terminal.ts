/**
 * Test helper: an interactive bash in a fresh VM on a PTY, rendered by @xterm/headless, so
 * tests can type keys and check the screen as a user would see it.
 */
import assert from "node:assert/strict";
import xterm from "@xterm/headless";
import type { ProcessInfo } from "../kernel/process.ts";
import { AgentOs } from "../vm/agent-os.ts";

const { Terminal } = xterm;

export const PROMPT = "user@agentos:~$ ";

export interface TerminalSession {
  vm: AgentOs;
  /** The visible screen, trailing blank lines removed. */
  screen(): string;
  /** Waits until the screen matches (polling; fails after `ms` with the screen). */
  waitFor(pattern: RegExp | string, ms?: number): Promise<string>;
  /** Types keys (`\r` is Enter, `\x1a` ^Z, `\x03` ^C). */
  type(data: string): void;
  /** Types a command line and waits for the next prompt after it. */
  run(line: string): Promise<string>;
  /** Waits for a live process of the VM running `name` (optionally in `status`). */
  process(name: string, status?: ProcessInfo["status"]): Promise<ProcessInfo>;
  close(): Promise<void>;
}

export async function openTerminal(cols = 80, rows = 40): Promise<TerminalSession> {
  const vm = await AgentOs.create();
  const term = new Terminal({ cols, rows, allowProposedApi: true });
  const { shellId } = vm.openShell({ cols, rows });
  let pending = 0;
  vm.onShellData(shellId, (data) => {
    pending++;
    term.write(data, () => {
      pending--;
    });
  });
  const screen = (): string => {
    const buffer = term.buffer.active;
    const lines: string[] = [];
    for (let i = 0; i < buffer.length; i++) lines.push(buffer.getLine(i)!.translateToString(true));
    return lines.join("\n").replace(/\n+$/, "");
  };
  const waitFor = async (pattern: RegExp | string, ms = 5000): Promise<string> => {
    const deadline = Date.now() + ms;
    for (;;) {
      if (pending === 0) {
        const text = screen();
        if (typeof pattern === "string" ? text.includes(pattern) : pattern.test(text)) return text;
      }
      if (Date.now() > deadline)
        assert.fail(`timed out waiting for ${pattern}; screen:\n${screen()}`);
      await new Promise((r) => setTimeout(r, 10));
    }
  };
  const type = (data: string): void => vm.writeShell(shellId, data);
  const session: TerminalSession = {
    vm,
    screen,
    waitFor,
    type,
    async run(line) {
      const prompts = (text: string): number => text.split(PROMPT).length - 1;
      const before = prompts(screen());
      type(`${line}\r`);
      const deadline = Date.now() + 5000;
      for (;;) {
        const text = pending === 0 ? screen() : "";
        if (prompts(text) > before && text.endsWith(PROMPT)) return text;
        if (Date.now() > deadline) assert.fail(`no prompt after ${line}; screen:\n${screen()}`);
        await new Promise((r) => setTimeout(r, 10));
      }
    },
    async process(name, status) {
      for (let i = 0; i < 500; i++) {
        const found = vm
          .allProcesses()
          .find(
            (p) =>
              p.command.endsWith(`/${name}`) &&
              p.status !== "exited" &&
              (status === undefined || p.status === status),
          );
        if (found) return found;
        await new Promise((r) => setTimeout(r, 10));
      }
      throw new Error(`no ${name} process${status ? ` ${status}` : ""}`);
    },
    close: () => vm.dispose(),
  };
  await waitFor(/\$ $/);
  return session;
}
