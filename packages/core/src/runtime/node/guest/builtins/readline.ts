/** node:readline (and readline/promises in ./readline/promises.ts). */
import { clearLine, clearScreenDown, cursorTo, moveCursor } from "./readline/cursor.ts";
import { Interface, type InterfaceOptions } from "./readline/interface.ts";
import { emitKeypressEvents } from "./readline/keypress.ts";
import { createReadlinePromises } from "./readline/promises.ts";

function createInterface(
  input: InterfaceOptions["input"] | InterfaceOptions,
  output?: InterfaceOptions["output"],
  completer?: unknown,
  terminal?: boolean,
): Interface {
  return new Interface(input as never, output, completer, terminal);
}

export function createReadline(): unknown {
  return {
    Interface,
    clearLine,
    clearScreenDown,
    createInterface,
    cursorTo,
    emitKeypressEvents,
    moveCursor,
    promises: createReadlinePromises(),
  };
}

export { createReadlinePromises };
