/**
 * MessagePorts whose twin lives in another thread of the same guest process. A port pair only
 * comes here when one of its ports is transferred (an in-thread MessageChannel never leaves its
 * isolate). Each end has a queue on the host; the isolate that owns an end (or none while the
 * end travels inside a message) is told when something is ready and takes it with `next()`, so
 * a message stays here until its thread actually reads it (receiveMessageOnPort sees it too).
 *
 * One registry per kernel process, shared by all of its isolates; at most
 * MAX_PORTS_PER_PROCESS ends at once. An isolate that ends closes the ends it owns.
 */
import type { ProcessContext } from "../../kernel/process-context.ts";
import type { GuestProcess } from "./guest-process.ts";
import type { ThreadMessage } from "./worker-thread.ts";

/** Cross-thread port ends alive at once in one process (each end of a pair counts). */
export const MAX_PORTS_PER_PROCESS = 4096;

interface Queued {
  seq: number;
  message: ThreadMessage;
}

interface PortEnd {
  readonly id: number;
  peer: PortEnd | undefined;
  /** The isolate that holds the end; undefined while it travels inside a message. */
  owner: GuestProcess | undefined;
  /** started() in the owning thread: its messages are delivered, not just queued. */
  receiving: boolean;
  queue: Queued[];
  /** The twin closed: a 'close' is delivered after the queued messages (seq orders it). */
  closeSeq: number | undefined;
}

/** What `next()` hands an isolate: a message for one of its ends, or the end's 'close'. */
export type PortDelivery = { port: number; message: ThreadMessage } | { port: number; close: true };

interface Inbox {
  ends: Set<PortEnd>;
  wake: ((ready: boolean) => void) | undefined;
}

export class PortRegistry {
  readonly #ends = new Map<number, PortEnd>();
  readonly #inboxes = new Map<GuestProcess, Inbox>();
  #nextId = 1;
  #seq = 0;

  /**
   * A new pair for an in-thread channel one of whose ports is being transferred: the `staying`
   * end belongs to `g`, the `leaving` end is in transit holding `unread` (messages its twin had
   * already posted to it).
   */
  pair(g: GuestProcess, unread: ThreadMessage[], stayingReceives: boolean): [number, number] {
    if (this.#ends.size + 2 > MAX_PORTS_PER_PROCESS) {
      throw Object.assign(
        new Error(
          `a process may have at most ${MAX_PORTS_PER_PROCESS} MessagePorts shared between threads in the agentOS VM`,
        ),
        { code: "ERR_AGENTOS_PORT_LIMIT" },
      );
    }
    const leaving = this.#create(undefined);
    const staying = this.#create(g);
    leaving.peer = staying;
    staying.peer = leaving;
    staying.receiving = stayingReceives;
    for (const message of unread) leaving.queue.push({ seq: this.#seq++, message });
    return [leaving.id, staying.id];
  }

  /** `g` gives its ends away (they are inside a message it posts). */
  transfer(g: GuestProcess, ids: number[]): void {
    const ends = ids.map((id) => this.#end(id));
    if (ends.some((end) => end?.owner !== g))
      throw new Error("MessagePort is not owned by this thread");
    for (const end of ends as PortEnd[]) {
      this.#inbox(g).ends.delete(end);
      end.owner = undefined;
      end.receiving = false;
    }
  }

  /** `g` received ends inside a message; answers, per id, whether the end is still open. */
  claim(g: GuestProcess, ids: number[]): boolean[] {
    return ids.map((id) => {
      const end = this.#end(id);
      if (!end || end.owner) return false;
      end.owner = g;
      this.#inbox(g).ends.add(end);
      this.#maybeWake(end);
      return true;
    });
  }

  /** A message from end `id` (owned by `g`) to its twin; dropped when there is no twin. */
  post(g: GuestProcess, id: number, message: ThreadMessage): void {
    const from = this.#end(id);
    const to = from?.owner === g ? from.peer : undefined;
    if (!to) {
      this.discard(message);
      return;
    }
    to.queue.push({ seq: this.#seq++, message });
    this.#maybeWake(to);
  }

  receiving(g: GuestProcess, id: number, on: boolean): void {
    const end = this.#end(id);
    if (end?.owner !== g) return;
    end.receiving = on;
    this.#maybeWake(end);
  }

  /** receiveMessageOnPort: the end's next message whether it is started or not. */
  take(g: GuestProcess, id: number): ThreadMessage | null {
    const end = this.#end(id);
    if (end?.owner !== g) return null;
    return end.queue.shift()?.message ?? null;
  }

  /** The oldest ready delivery among `g`'s ends (a 'close' forgets the end). */
  next(g: GuestProcess): PortDelivery | null {
    let best: PortEnd | undefined;
    let bestSeq = Number.POSITIVE_INFINITY;
    for (const end of this.#inbox(g).ends) {
      const seq = readySeq(end);
      if (seq !== undefined && seq < bestSeq) {
        best = end;
        bestSeq = seq;
      }
    }
    if (!best) return null;
    const head = best.queue.shift();
    if (head) return { port: best.id, message: head.message };
    this.#forget(best);
    return { port: best.id, close: true };
  }

  /** Resolves (true) once one of `g`'s ends has a delivery ready; one waiter per isolate. */
  wait(g: GuestProcess): boolean | Promise<boolean> {
    const inbox = this.#inbox(g);
    for (const end of inbox.ends) if (readySeq(end) !== undefined) return true;
    return new Promise((resolve) => {
      inbox.wake = resolve;
    });
  }

  /** `g` closes end `id`: its queue is dropped and its twin gets a 'close'. */
  close(g: GuestProcess, id: number): void {
    const end = this.#end(id);
    if (end?.owner === g) this.#close(end);
  }

  /** A message nobody will read: the ends travelling inside it are closed. */
  discard(message: ThreadMessage): void {
    for (const id of message.ports) {
      const end = this.#end(id);
      if (end && !end.owner) this.#close(end);
    }
  }

  /** The thread `g` ended: the ends it owns close. */
  release(g: GuestProcess): void {
    const inbox = this.#inboxes.get(g);
    if (!inbox) return;
    for (const end of [...inbox.ends]) this.#close(end);
    this.#inboxes.delete(g);
  }

  #create(owner: GuestProcess | undefined): PortEnd {
    const end: PortEnd = {
      id: this.#nextId++,
      peer: undefined,
      owner,
      receiving: false,
      queue: [],
      closeSeq: undefined,
    };
    this.#ends.set(end.id, end);
    if (owner) this.#inbox(owner).ends.add(end);
    return end;
  }

  #end(id: number): PortEnd | undefined {
    return this.#ends.get(id);
  }

  #close(end: PortEnd): void {
    this.#forget(end);
    const peer = end.peer;
    end.peer = undefined;
    for (const queued of end.queue.splice(0)) this.discard(queued.message);
    if (peer) {
      peer.peer = undefined;
      peer.closeSeq = this.#seq++;
      this.#maybeWake(peer);
    }
  }

  #forget(end: PortEnd): void {
    this.#ends.delete(end.id);
    if (end.owner) this.#inboxes.get(end.owner)?.ends.delete(end);
  }

  #inbox(g: GuestProcess): Inbox {
    let inbox = this.#inboxes.get(g);
    if (!inbox) {
      inbox = { ends: new Set(), wake: undefined };
      this.#inboxes.set(g, inbox);
      // A thread that ends closes its ends (their twins see 'close', as in Node).
      g.cleanups.push(() => this.release(g));
    }
    return inbox;
  }

  #maybeWake(end: PortEnd): void {
    if (!end.owner || readySeq(end) === undefined) return;
    const inbox = this.#inboxes.get(end.owner);
    const wake = inbox?.wake;
    if (inbox && wake) {
      inbox.wake = undefined;
      wake(true);
    }
  }
}

/** When the end has something to deliver: its first message if started, else its 'close'. */
function readySeq(end: PortEnd): number | undefined {
  const head = end.queue[0];
  if (head) return end.receiving ? head.seq : undefined;
  return end.closeSeq;
}

const registries = new WeakMap<ProcessContext, PortRegistry>();

/** The registry of `g`'s process (all its threads share it). */
export function portsOf(g: GuestProcess): PortRegistry {
  let registry = registries.get(g.ctx);
  if (!registry) registries.set(g.ctx, (registry = new PortRegistry()));
  return registry;
}
