/**
 * `compose(events, reporter)` as Node 24's stream.compose builds it for the runner: the reporter
 * (a stream, or an async generator function made a Duplex) is fed through a pipeline, and its
 * output forwarded on 'data' events. That matters for the order of output: a result flows to
 * stdout as soon as it is reported, before console.log calls that come after it. readable-stream's
 * compose (Node 18's) forwards on 'readable' instead, a tick later.
 */
import * as readableStream from "readable-stream";

interface StreamLike extends NodeJS.EventEmitter {
  readableObjectMode?: boolean;
  pause(): void;
  resume(): void;
}

interface StreamModule {
  Duplex: { from(source: unknown): StreamLike };
  Readable: new (options: {
    objectMode: boolean;
    read(): void;
  }) => NodeJS.ReadableStream & {
    push(chunk: unknown): boolean;
    destroy(error?: Error): void;
  };
  pipeline(...args: unknown[]): unknown;
}

export function composeReporter(events: unknown, reporter: unknown): NodeJS.ReadableStream {
  const { Duplex, Readable, pipeline } = readableStream as unknown as StreamModule;
  const tail = typeof reporter === "function" ? Duplex.from(reporter) : (reporter as StreamLike);
  const output = new Readable({
    objectMode: !!tail.readableObjectMode,
    read() {
      tail.resume();
    },
  });
  pipeline(events, tail, (error?: Error) => {
    if (error) output.destroy(error);
  });
  tail.on("data", (chunk: unknown) => {
    if (!output.push(chunk)) tail.pause();
  });
  tail.on("end", () => output.push(null));
  return output;
}
