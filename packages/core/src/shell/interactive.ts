/**
 * Interactive shell under a terminal: prompt, read a line (the terminal's line discipline does
 * the editing), run it, repeat. Multi-line constructs continue with PS2.
 */
import { FatalShellError, ShellExit } from "./control.ts";
import { isIncomplete } from "./parser.ts";
import type { Shell } from "./shell.ts";

export async function runInteractive(sh: Shell): Promise<number> {
  sh.options.interactive = true;
  sh.sourceKind = "stdin";
  sh.sourceName = "stdin";
  let buffer = "";
  for (;;) {
    const prompt = sh.expandPrompt(
      buffer ? (sh.vars.get("PS2") ?? "> ") : (sh.vars.get("PS1") ?? "$ "),
    );
    await sh.err(prompt);
    const line = await sh.readLine(0);
    if (line === null) {
      if (buffer) {
        buffer = "";
        continue;
      }
      await sh.err("exit\n");
      return sh.lastStatus;
    }
    buffer += `${line}\n`;
    if (isIncomplete(buffer)) continue;
    const source = buffer;
    buffer = "";
    if (source.trim()) sh.history.push(source.replace(/\n$/, ""));
    try {
      await sh.runSource(source);
    } catch (err) {
      if (err instanceof ShellExit) return err.status;
      if (err instanceof FatalShellError) {
        sh.lastStatus = err.status;
        continue;
      }
      throw err;
    }
  }
}
