/**
 * Connects the root test's event stream to the reporters the command line asks for
 * (`--test-reporter`, default spec) and their destinations (`--test-reporter-destination`,
 * default stdout): the built-in spec, tap and dot reporters, or a module loaded by name as Node
 * loads custom reporters (its default export: a stream class or an async generator function).
 */

import { codedError } from "../../../errors.ts";
import { dynamicImport } from "../../../modules.ts";
import { loadBuiltin } from "../../registry.ts";
import type { TestConfig } from "../options.ts";
import type { TestsStream } from "../tests-stream.ts";
import { dotReporter } from "./dot.ts";
import { SpecReporter } from "./spec.ts";
import { tapReporter } from "./tap.ts";
import { v8SerializerReporter } from "./v8-serializer.ts";

const BUILTIN_REPORTERS: Record<string, unknown> = {
  spec: SpecReporter,
  tap: tapReporter,
  dot: dotReporter,
  "v8-serializer": v8SerializerReporter,
};

async function loadReporter(name: string): Promise<unknown> {
  let reporter: unknown = BUILTIN_REPORTERS[name];
  if (reporter === undefined) {
    reporter = await dynamicImport(name, `file://${process.cwd()}/`);
    // (Only a module's: the built-in stream classes inherit a static `default` here.)
    if ((reporter as { default?: unknown } | null)?.default) {
      reporter = (reporter as { default: unknown }).default;
    }
  }
  const prototype = (reporter as { prototype?: object } | null)?.prototype;
  if (prototype && Object.getOwnPropertyDescriptor(prototype, "constructor")) {
    reporter = new (reporter as new () => unknown)();
  }
  if (!reporter) {
    throw codedError(
      TypeError,
      "ERR_INVALID_ARG_VALUE",
      `The argument 'Reporter' is not a valid reporter. Received '${name}'`,
    );
  }
  return reporter;
}

function destinationFor(name: string): NodeJS.WritableStream {
  if (name === "stdout") return process.stdout;
  if (name === "stderr") return process.stderr;
  const fs = loadBuiltin("fs") as {
    createWriteStream(path: string, options: object): NodeJS.WritableStream;
  };
  return fs.createWriteStream(name, { flush: true });
}

/** Settles when every reporter has written its last line (for --test-force-exit). */
const finishedReporters: Promise<void>[] = [];

export function reportersFinished(): Promise<unknown> {
  return Promise.all(finishedReporters);
}

export async function setupReporters(root: TestsStream, config: TestConfig): Promise<void> {
  const pipelines = await Promise.all(
    config.reporters.map(async (name, i) => ({
      reporter: await loadReporter(name),
      destination: destinationFor(config.destinations[i]),
    })),
  );
  // node:stream's compose is Node 24's (stream-compose.ts): a result reaches stdout as soon as
  // it is reported, before console.log calls that come after it.
  const { compose } = loadBuiltin("stream") as {
    compose(...streams: unknown[]): NodeJS.ReadableStream;
  };
  for (const { reporter, destination } of pipelines) {
    const output = compose(root, reporter);
    // A file is complete when closed (pipe() ends it); stdout and stderr are never ended.
    const isFile = destination !== process.stdout && destination !== process.stderr;
    finishedReporters.push(
      new Promise((resolve) => {
        (isFile ? destination : output).once(isFile ? "close" : "end", resolve);
        output.once("error", resolve);
      }),
    );
    output.pipe(destination);
  }
}
