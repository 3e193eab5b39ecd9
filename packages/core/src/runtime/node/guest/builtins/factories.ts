/**
 * Which file implements each builtin module. One line per module; the module's own file says
 * how it is built. Aliases (`sys`, `path/posix`, `_stream_*`) point at the same factories.
 */
import { createBuffer } from "./buffer.ts";
import { createEvents } from "./events.ts";
import { createFs, createFsPromises } from "./fs.ts";
import { createModule } from "./module.ts";
import { createOs } from "./os.ts";
import { createPath } from "./path.ts";
import { createStream, createStreamPromises } from "./stream.ts";
import { createTimers, createTimersPromises } from "./timers.ts";
import { createUtil } from "./util.ts";

export type BuiltinFactory = () => unknown;

const processModule: BuiltinFactory = () => process;

export const BUILTIN_FACTORIES: Record<string, BuiltinFactory> = {
  buffer: createBuffer,
  events: createEvents,
  fs: createFs,
  "fs/promises": createFsPromises,
  module: createModule,
  os: createOs,
  path: createPath,
  "path/posix": () => (createPath() as { posix: unknown }).posix,
  process: processModule,
  stream: createStream,
  "stream/promises": createStreamPromises,
  timers: createTimers,
  "timers/promises": createTimersPromises,
  util: createUtil,
  sys: createUtil,
};
