/**
 * Which file implements each builtin module. One line per module; the module's own file says
 * how it is built. Aliases (`sys`, `path/posix`, `_stream_*`) point at the same factories.
 */
import { createAssert, createAssertStrict } from "./assert.ts";
import { createAsyncHooks } from "./async_hooks.ts";
import { createBuffer } from "./buffer.ts";
import { createChildProcess } from "./child_process.ts";
import { createConsoleModule } from "./console.ts";
import { createConstants } from "./constants.ts";
import { createCrypto } from "./crypto.ts";
import { createDiagnosticsChannel } from "./diagnostics_channel.ts";
import { createDns, createDnsPromises } from "./dns.ts";
import { createEvents } from "./events.ts";
import { createFs, createFsPromises } from "./fs.ts";
import { createHttp } from "./http.ts";
import { createModule } from "./module.ts";
import { createNet } from "./net.ts";
import { createOs } from "./os.ts";
import { createPath } from "./path.ts";
import { createPerfHooks } from "./perf_hooks.ts";
import { createPunycode } from "./punycode.ts";
import { createQuerystring } from "./querystring.ts";
import { createReadline, createReadlinePromises } from "./readline.ts";
import { createStream, createStreamPromises } from "./stream.ts";
import { createStreamConsumers } from "./stream-consumers.ts";
import { createStreamWeb } from "./stream-web.ts";
import { createStringDecoder } from "./string_decoder.ts";
import { createTimers, createTimersPromises } from "./timers.ts";
import { createTty } from "./tty.ts";
import { createUrl } from "./url.ts";
import { createUtil, createUtilTypesModule } from "./util.ts";
import { createVm } from "./vm.ts";
import { createWorkerThreads } from "./worker_threads.ts";
import { createZlib } from "./zlib.ts";

export type BuiltinFactory = () => unknown;

const processModule: BuiltinFactory = () => process;

export const BUILTIN_FACTORIES: Record<string, BuiltinFactory> = {
  assert: createAssert,
  "assert/strict": createAssertStrict,
  async_hooks: createAsyncHooks,
  buffer: createBuffer,
  child_process: createChildProcess,
  crypto: createCrypto,
  dns: createDns,
  "dns/promises": createDnsPromises,
  events: createEvents,
  fs: createFs,
  "fs/promises": createFsPromises,
  http: createHttp,
  module: createModule,
  net: createNet,
  os: createOs,
  path: createPath,
  "path/posix": () => (createPath() as { posix: unknown }).posix,
  process: processModule,
  querystring: createQuerystring,
  readline: createReadline,
  "readline/promises": createReadlinePromises,
  stream: createStream,
  "stream/promises": createStreamPromises,
  "stream/web": createStreamWeb,
  "stream/consumers": createStreamConsumers,
  timers: createTimers,
  "timers/promises": createTimersPromises,
  tty: createTty,
  url: createUrl,
  util: createUtil,
  sys: createUtil,
  zlib: createZlib,
  "util/types": createUtilTypesModule,
  console: createConsoleModule,
  constants: createConstants,
  diagnostics_channel: createDiagnosticsChannel,
  perf_hooks: createPerfHooks,
  punycode: createPunycode,
  string_decoder: createStringDecoder,
  vm: createVm,
  worker_threads: createWorkerThreads,
};
