/**
 * readline/promises: the same Interface whose question() returns a promise, and the Readline
 * class that batches cursor commands until commit().
 */
import { Writable } from "readable-stream";
import { invalidArgType } from "../../errors.ts";
import { Interface as BaseInterface, type InterfaceOptions } from "./interface.ts";

export class Interface extends BaseInterface {
  // The promise API replaces the callback signature, as in Node.
  override question(query: string, options?: { signal?: AbortSignal }): Promise<string> {
    return this.questionPromise(query, options);
  }
}

interface Output {
  write(data: string): unknown;
}

export class Readline {
  readonly #stream: Output;
  readonly #autoCommit: boolean;
  #todo: string[] = [];

  constructor(stream: Output, options: { autoCommit?: boolean } = {}) {
    if (!(stream instanceof Writable))
      throw invalidArgType("stream", "an instance of Writable", stream);
    this.#stream = stream;
    this.#autoCommit = Boolean(options.autoCommit);
  }

  #add(data: string): this {
    if (this.#autoCommit) this.#stream.write(data);
    else this.#todo.push(data);
    return this;
  }

  cursorTo(x: number, y?: number): this {
    return this.#add(typeof y === "number" ? `\x1b[${y + 1};${x + 1}H` : `\x1b[${x + 1}G`);
  }

  moveCursor(dx: number, dy: number): this {
    let data = "";
    if (dx < 0) data += `\x1b[${-dx}D`;
    else if (dx > 0) data += `\x1b[${dx}C`;
    if (dy < 0) data += `\x1b[${-dy}A`;
    else if (dy > 0) data += `\x1b[${dy}B`;
    return data ? this.#add(data) : this;
  }

  clearLine(dir: number): this {
    return this.#add(dir < 0 ? "\x1b[1K" : dir > 0 ? "\x1b[0K" : "\x1b[2K");
  }

  clearScreenDown(): this {
    return this.#add("\x1b[0J");
  }

  commit(): Promise<void> {
    const data = this.#todo.join("");
    this.#todo = [];
    return new Promise((resolve) => {
      if (data)
        (this.#stream as { write(d: string, cb: () => void): unknown }).write(data, resolve);
      else resolve();
    });
  }

  rollback(): this {
    this.#todo = [];
    return this;
  }
}

export function createInterface(
  input: InterfaceOptions["input"] | InterfaceOptions,
  output?: InterfaceOptions["output"],
  completer?: unknown,
  terminal?: boolean,
): Interface {
  return new Interface(input as never, output, completer, terminal);
}

let exported: unknown;

/** One object for both `readline/promises` and `readline.promises`, as in Node. */
export function createReadlinePromises(): unknown {
  exported ??= { Interface, Readline, createInterface };
  return exported;
}
