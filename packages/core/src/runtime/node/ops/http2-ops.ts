/**
 * node:http2 for guest JavaScript. The pure parts (nghttp2 constants, the SETTINGS codec) are
 * answered by the host's own module, so the values are exactly Node's. Client sessions run on
 * the host's node:http2 (http2-client.ts) over a connection the guest opened itself through the
 * egress policy; the guest drives them with the ops below and pulls their events.
 *
 * Every op that touches a session first moves to a host task of its own: node:http2's native
 * callbacks must not run inside isolated-vm's call into the host (a foreign async context,
 * fatal in Node 24, as for node:http in net-ops.ts).
 */
import { constants, getDefaultSettings, getPackedSettings, getUnpackedSettings } from "node:http2";
import { NetworkError } from "../../../net/network-error.ts";
import type { GuestProcess } from "../guest-process.ts";
import type { HostOp } from "../host-ops.ts";
import { Http2Client, hostHeaders } from "./http2-client.ts";

interface Http2State {
  sessions: Map<number, Http2Client>;
  nextId: number;
}

function http2State(g: GuestProcess): Http2State {
  let state = g.state.get("http2") as Http2State | undefined;
  if (!state) {
    const created: Http2State = { sessions: new Map(), nextId: 1 };
    state = created;
    g.state.set("http2", created);
    g.cleanups.push(() => {
      const left = [...created.sessions.values()];
      created.sessions.clear();
      // Cleanups run in a promise continuation that may sit inside isolated-vm's callback;
      // node:http2 closing a session there trips Node's async-context check and aborts the
      // host. A fresh turn of the host loop is a proper callback scope.
      setImmediate(() => {
        for (const client of left) void client.destroy(constants.NGHTTP2_CANCEL);
      });
    });
  }
  return state;
}

function client(g: GuestProcess, id: unknown): Http2Client {
  const found = http2State(g).sessions.get(id as number);
  if (!found) throw new NetworkError("EBADF", "http2", { detail: `no HTTP/2 session ${id}` });
  return found;
}

/** Runs `op` in a host task of its own (see the file comment). */
function inTask(op: HostOp): HostOp {
  return async (g, args) => {
    await new Promise((resolve) => setImmediate(resolve));
    return op(g, args);
  };
}

/** A stream op on a stream that is gone (closed meanwhile) does nothing, as on a closed handle. */
function onStream(op: (c: Http2Client, key: number, args: unknown[]) => unknown): HostOp {
  return inTask((g, [id, key, ...rest]) => op(client(g, id), key as number, rest));
}

export const HTTP2_OPS: Record<string, HostOp> = {
  "http2.constants": () => ({ ...constants }),
  "http2.defaultSettings": () => ({ ...getDefaultSettings() }),
  "http2.packSettings": (_g, [settings]) =>
    new Uint8Array(getPackedSettings((settings ?? {}) as never)),
  "http2.unpackSettings": (_g, [bytes]) => ({
    ...getUnpackedSettings(bytes as Uint8Array),
  }),

  /** A session waiting for its connection; throws Node's option validation errors. */
  "http2.open": inTask((g, [authority, options, encrypted]) => {
    const state = http2State(g);
    const created = new Http2Client(
      authority,
      (options ?? {}) as Record<string, unknown>,
      Boolean(encrypted),
    );
    const id = state.nextId++;
    state.sessions.set(id, created);
    return id;
  }),
  /** The guest's connection (id from net.connect or tls.connect) now carries the session. */
  "http2.attach": inTask((g, [id, connId, head]) => {
    client(g, id).connection.attach(g, connId as number, (head as Uint8Array | null) ?? null);
    return true;
  }),
  /** The session's next events; null once it closed and the guest has seen everything. */
  "http2.events": inTask(async (g, [id]) => {
    const sessions = http2State(g).sessions;
    const events = (await sessions.get(id as number)?.next()) ?? null;
    if (events === null) sessions.delete(id as number);
    return events;
  }),
  "http2.request": inTask((g, [id, headers, sensitive, options]) =>
    client(g, id).request(headers, sensitive, (options ?? {}) as Record<string, unknown>),
  ),
  "http2.settings": inTask((g, [id, settings]) =>
    client(g, id).settings((settings ?? {}) as Record<string, unknown>),
  ),
  "http2.ping": inTask((g, [id, payload]) =>
    client(g, id).ping((payload as Uint8Array | null) ?? null),
  ),
  "http2.goaway": inTask((g, [id, code, last, data]) => {
    client(g, id).session.goaway(
      code as number,
      last as number,
      data ? Buffer.from(data as Uint8Array) : undefined,
    );
    return true;
  }),
  "http2.setLocalWindowSize": inTask((g, [id, size]) => {
    client(g, id).session.setLocalWindowSize(size as number);
    return true;
  }),
  "http2.sessionInfo": inTask((g, [id]) => {
    const { session } = client(g, id);
    return {
      state: { ...session.state },
      localSettings: { ...session.localSettings },
      remoteSettings: { ...session.remoteSettings },
      pendingSettingsAck: session.pendingSettingsAck,
    };
  }),
  "http2.close": inTask((g, [id]) => {
    const found = http2State(g).sessions.get(id as number);
    found?.session.close();
    return true;
  }),
  "http2.destroy": inTask(async (g, [id, code]) => {
    const found = http2State(g).sessions.get(id as number);
    if (found) await found.destroy((code as number) ?? constants.NGHTTP2_NO_ERROR);
    http2State(g).sessions.delete(id as number);
    return true;
  }),

  "http2.write": onStream((c, key, [data]) => c.write(key, data as Uint8Array)),
  "http2.end": onStream((c, key) => c.end(key)),
  "http2.pause": onStream((c, key) => {
    c.stream(key)?.pause();
    return true;
  }),
  "http2.resume": onStream((c, key) => {
    c.stream(key)?.resume();
    return true;
  }),
  /** close(code) or the reset a destroyed guest stream sends (Node's RST_STREAM with `code`). */
  "http2.closeStream": onStream((c, key, [code]) => {
    const stream = c.stream(key);
    if (stream && !stream.closed) stream.close(code as number);
    return true;
  }),
  "http2.sendTrailers": onStream((c, key, [headers, sensitive]) => {
    const stream = c.stream(key);
    if (!stream)
      throw Object.assign(new Error("The stream has been destroyed"), {
        code: "ERR_HTTP2_INVALID_STREAM",
      });
    stream.sendTrailers(hostHeaders(headers, sensitive) as never);
    return true;
  }),
  "http2.streamState": onStream((c, key) => {
    const stream = c.stream(key);
    return stream ? { ...stream.state } : {};
  }),
};
