/**
 * MessagePorts across threads, the guest side (the host side is runtime/node/port-registry.ts).
 * A port only goes through the host once it or its twin has been transferred: then its
 * messages are posted to the host, which queues them for whichever isolate owns the twin now.
 * Each isolate has one long poll ("port.wait") for all its ports; when it answers, the isolate
 * takes the ready deliveries one by one ("port.next"), so a message not yet dispatched is still
 * on the host for receiveMessageOnPort.
 */
import { callAsync, callSync, notifyHost } from "./host.ts";
import { drainTicks, guard } from "./loop.ts";
import { decodeMessage, encodeMessage, type ThreadMessage } from "./thread-message.ts";
import { MessageEvent } from "./web/message-event.ts";
import { type MessagePort, portInternals, type RemoteLink } from "./web/message-port.ts";

/** Ports of this isolate that the host routes, by host id. */
const live = new Map<number, MessagePort>();
const idOf = new WeakMap<MessagePort, number>();
let waiting = false;

/** Deliveries handled per wake-up before the event loop gets a turn (Node caps its batch too). */
const BATCH = 1000;

type Delivery = { port: number; message: ThreadMessage } | { port: number; close: true };

const LINK: RemoteLink = {
  post(port, value, transfer) {
    const id = idOf.get(port);
    if (id === undefined) return;
    notifyHost("port.post", id, encodeMessage(value, transfer, port));
  },
  receive(port) {
    const id = idOf.get(port);
    if (id !== undefined) callSync("port.receive", id, true);
  },
  close(port) {
    const id = idOf.get(port);
    if (id === undefined) return;
    live.delete(id);
    notifyHost("port.close", id);
  },
  take(port) {
    const id = idOf.get(port);
    if (id === undefined) return undefined;
    const message = callSync<ThreadMessage | null>("port.take", id);
    return message ? { message: decodeMessage(message) } : undefined;
  },
};

function adopt(port: MessagePort, id: number): void {
  idOf.set(port, id);
  live.set(id, port);
  portInternals.link(port, LINK);
}

/**
 * The ports of a message being sent leave this thread; answers their host ids. A port still
 * paired in this thread first becomes a host pair (its twin stays here, linked to the host).
 */
export function sendPorts(ports: MessagePort[]): number[] {
  if (ports.length === 0) return [];
  const leaving: number[] = [];
  const ids = ports.map((port) => {
    const known = idOf.get(port);
    if (known !== undefined && portInternals.isRemote(port)) {
      leaving.push(known);
      live.delete(known);
      portInternals.detach(port);
      return known;
    }
    const twin = portInternals.twin(port);
    // Messages the twin already posted to the port go with it.
    const unread = portInternals.detach(port).map((value) => encodeMessage(value));
    const [leavingId, stayingId] = callSync<[number, number]>(
      "port.pair",
      unread,
      twin !== undefined && portInternals.isStarted(twin),
    );
    if (twin) adopt(twin, stayingId);
    else notifyHost("port.close", stayingId);
    return leavingId;
  });
  if (leaving.length > 0) callSync("port.transfer", leaving);
  waitForDeliveries();
  return ids;
}

/** Ports that arrived in a message: they belong to this thread from now on. */
export function claimPorts(ids: number[]): MessagePort[] {
  if (ids.length === 0) return [];
  const open = callSync<boolean[]>("port.claim", ids);
  const ports = ids.map((id, i) => {
    const port = portInternals.create(undefined);
    if (open[i]) adopt(port, id);
    else port.close();
    return port;
  });
  waitForDeliveries();
  return ports;
}

/** One long poll at a time, while this isolate has ports the host routes. */
function waitForDeliveries(): void {
  if (waiting || live.size === 0) return;
  waiting = true;
  callAsync<boolean>("port.wait", [], (error) => {
    waiting = false;
    if (error) return;
    deliverReady();
    waitForDeliveries();
  });
}

/**
 * Delivers what is ready now. A Worker calls it before its 'exit' event: the host closed the
 * ports the worker owned before it reported the exit, so their 'close' comes first, as in Node.
 */
export function deliverReady(): void {
  if (live.size === 0) return;
  for (let i = 0; i < BATCH; i++) {
    const delivery = callSync<Delivery | null>("port.next");
    if (!delivery) return;
    const port = live.get(delivery.port);
    if (!port) continue;
    if ("close" in delivery) {
      live.delete(delivery.port);
      portInternals.closedByTwin(port);
      continue;
    }
    // Each message is its own task, as Node delivers them.
    guard(() => deliver(port, delivery.message));
    drainTicks();
  }
}

function deliver(port: MessagePort, message: ThreadMessage): void {
  let data: unknown;
  try {
    data = decodeMessage(message);
  } catch (error) {
    port.dispatchEvent(new MessageEvent("messageerror", { data: error }));
    return;
  }
  portInternals.deliver(port, data);
}
