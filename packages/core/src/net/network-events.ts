/**
 * What the network stack tells the host about: servers starting and stopping to listen, and
 * every outbound connection attempt — allowed ("connect") or not ("denied", with the reason
 * the guest's error carries too).
 */

export type NetworkEvent =
  | {
      type: "connect";
      pid: number;
      /** The host as the guest gave it. */
      host: string;
      address: string;
      port: number;
      /** "vm": a server inside the VM; "host": a real connection from the host. */
      target: "vm" | "host";
    }
  | {
      type: "denied";
      pid: number;
      host: string;
      /** The address that was refused (absent when the name alone was denied). */
      address?: string;
      port: number;
      reason: string;
    }
  | { type: "listen"; pid: number; listenerId: number; address: string; port: number }
  | { type: "unlisten"; pid: number; listenerId: number; address: string; port: number };

export type NetworkEventHandler = (event: NetworkEvent) => void;

export class NetworkEvents {
  readonly #handlers = new Set<NetworkEventHandler>();

  /** Subscribes; returns the unsubscribe function. */
  subscribe(handler: NetworkEventHandler): () => void {
    this.#handlers.add(handler);
    return () => {
      this.#handlers.delete(handler);
    };
  }

  emit(event: NetworkEvent): void {
    for (const handler of this.#handlers) {
      try {
        handler(event);
      } catch {
        // A faulty subscriber must not break the guest's connection.
      }
    }
  }
}
