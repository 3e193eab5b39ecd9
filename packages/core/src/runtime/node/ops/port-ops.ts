/** MessagePorts shared between the threads of a process (see port-registry.ts). */
import type { HostOp } from "../host-ops.ts";
import { portsOf } from "../port-registry.ts";
import { threadMessage } from "../worker-thread.ts";

function ids(value: unknown): number[] {
  if (!Array.isArray(value) || !value.every((id) => Number.isSafeInteger(id)))
    throw new TypeError("expected a list of port ids");
  return value as number[];
}

export const PORT_OPS: Record<string, HostOp> = {
  /** An in-thread channel whose first port leaves: [leaving id, staying id]. */
  "port.pair": (g, [unread, stayingReceives]) =>
    portsOf(g).pair(
      g,
      (Array.isArray(unread) ? unread : []).map(threadMessage),
      stayingReceives === true,
    ),
  "port.transfer": (g, [list]) => {
    portsOf(g).transfer(g, ids(list));
    return true;
  },
  "port.claim": (g, [list]) => portsOf(g).claim(g, ids(list)),
  "port.post": (g, [id, message]) => {
    portsOf(g).post(g, Number(id), threadMessage(message));
    return true;
  },
  "port.receive": (g, [id, on]) => {
    portsOf(g).receiving(g, Number(id), on === true);
    return true;
  },
  "port.take": (g, [id]) => portsOf(g).take(g, Number(id)),
  "port.next": (g) => portsOf(g).next(g),
  "port.wait": (g) => portsOf(g).wait(g),
  "port.close": (g, [id]) => {
    portsOf(g).close(g, Number(id));
    return true;
  },
  /** A message the guest dropped after its ports had left (posted to an exited worker). */
  "port.discard": (g, [message]) => {
    portsOf(g).discard(threadMessage(message));
    return true;
  },
};
