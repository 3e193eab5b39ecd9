/**
 * Web streams over a VM process's stdio, the transport the ACP SDK speaks over: the readable
 * side is the process's stdout, the writable side its stdin (writes wait on the kernel pipe,
 * so a slow agent applies backpressure to the host).
 */
export interface ProcessStreams {
  readable: ReadableStream<Uint8Array>;
  writable: WritableStream<Uint8Array>;
  /** Feed stdout data here (from the spawn callback). */
  push(data: Uint8Array): void;
  /** The process ended: the readable side ends too. */
  end(): void;
}

export function processStreams(write: (data: Uint8Array) => Promise<void>): ProcessStreams {
  let controller!: ReadableStreamDefaultController<Uint8Array>;
  let ended = false;
  const readable = new ReadableStream<Uint8Array>({
    start(c) {
      controller = c;
    },
  });
  const writable = new WritableStream<Uint8Array>({
    write: (chunk) => write(chunk),
  });
  return {
    readable,
    writable,
    push(data) {
      if (!ended) controller.enqueue(data);
    },
    end() {
      if (ended) return;
      ended = true;
      controller.close();
    },
  };
}
