/**
 * node:net over the VM's network stack: TCP servers and sockets on the VM's own loopback, and
 * outbound connections through the VM's egress policy (a denial is a connect EACCES error).
 * Unix domain sockets are not supported and say so.
 */
import { BlockList, SocketAddress } from "./net/block-list.ts";
import { isIP, isIPv4, isIPv6 } from "./net/ip.ts";
import { Server, type ServerOptions } from "./net/server.ts";
import { normalizeConnectArgs, Socket } from "./net/socket.ts";

let autoSelectFamily = true;
let autoSelectFamilyAttemptTimeout = 250;

export function createConnection(...args: unknown[]): Socket {
  const [options] = normalizeConnectArgs(args);
  const socket = new Socket(options as never);
  if (options.timeout) socket.setTimeout(options.timeout);
  return socket.connect(...args);
}

export function createNet(): unknown {
  return {
    Socket,
    Stream: Socket,
    Server,
    BlockList,
    SocketAddress,
    createServer: (options?: ServerOptions, listener?: (socket: Socket) => void) =>
      new Server(options as never, listener as never),
    connect: createConnection,
    createConnection,
    isIP,
    isIPv4,
    isIPv6,
    getDefaultAutoSelectFamily: () => autoSelectFamily,
    setDefaultAutoSelectFamily: (value: boolean) => {
      autoSelectFamily = Boolean(value);
    },
    getDefaultAutoSelectFamilyAttemptTimeout: () => autoSelectFamilyAttemptTimeout,
    setDefaultAutoSelectFamilyAttemptTimeout: (value: number) => {
      autoSelectFamilyAttemptTimeout = Math.max(10, Number(value));
    },
  };
}
