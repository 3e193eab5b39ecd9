/**
 * A host TCP connection half-closes only when its owner says so: the peer's FIN ends reading,
 * not writing, as on a kernel socket (TLS writes its close_notify after the server's FIN).
 */
import assert from "node:assert/strict";
import { once } from "node:events";
import { type AddressInfo, createServer, type Socket } from "node:net";
import { test } from "node:test";
import { connectHost } from "./host-connection.ts";

test("after the peer's FIN the connection still writes, and shutdown() sends ours", async () => {
  const server = createServer({ allowHalfOpen: true });
  const received = new Promise<string>((resolve) => {
    server.once("connection", (socket: Socket) => {
      let text = "";
      socket.setEncoding("utf8");
      socket.on("data", (chunk: string) => {
        text += chunk;
      });
      socket.on("end", () => resolve(text));
      socket.end("bye");
    });
  });
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  try {
    const { port } = server.address() as AddressInfo;
    const connection = await connectHost({ address: "127.0.0.1", port });
    const chunks: Uint8Array[] = [];
    for (let chunk = await connection.read(1024); chunk; chunk = await connection.read(1024))
      chunks.push(chunk);
    assert.equal(Buffer.concat(chunks).toString(), "bye");
    await connection.write(new TextEncoder().encode("after fin"));
    connection.shutdown();
    assert.equal(await received, "after fin");
    connection.close();
  } finally {
    server.close();
  }
});
