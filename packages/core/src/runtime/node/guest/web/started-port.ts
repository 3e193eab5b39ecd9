/**
 * What a MessagePort and a worker's parentPort share, as Node's ports: a port starts delivering
 * when a 'message' listener appears (onmessage included), and a started port keeps its thread
 * alive until it is closed or stopped, unless unref'ed.
 */
import { KeepAlive } from "../keep-alive.ts";
import { NodeEventTarget } from "./node-event-target.ts";

let keepAliveOf: (port: StartedPort) => KeepAlive;

/** Holds the loop for a port that just started; call the returned function when it stops. */
export function holdWhileStarted(port: StartedPort): () => void {
  return keepAliveOf(port).begin();
}

export abstract class StartedPort extends NodeEventTarget {
  // Reached through holdWhileStarted, so guest code sees no method for it.
  readonly #keepAlive = new KeepAlive();

  static {
    keepAliveOf = (port) => port.#keepAlive;
  }

  abstract start(): void;

  protected override onListenerAdded(type: string): void {
    if (type === "message") this.start();
  }

  ref(): void {
    this.#keepAlive.ref();
  }

  unref(): void {
    this.#keepAlive.unref();
  }

  hasRef(): boolean {
    return this.#keepAlive.holding;
  }
}
