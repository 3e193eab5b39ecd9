/**
 * Which file implements each builtin module. One line per module; the module's own file says
 * how it is built. Aliases (`sys`, `path/posix`, `_stream_*`) point at the same factories.
 */
import { createAgentosTools } from "./agentos-tools.ts";
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
import { createHttp2 } from "./http2.ts";
import { createHttps } from "./https.ts";
import { createModule } from "./module.ts";
import { createNet } from "./net.ts";
import { createOs } from "./os.ts";
import { createPath } from "./path.ts";
import { createPerfHooks } from "./perf_hooks.ts";
import { createPunycode } from "./punycode.ts";
import { createQuerystring } from "./querystring.ts";
import { createReadline, createReadlinePromises } from "./readline.ts";
import { createSea } from "./sea.ts";
import { createStream, createStreamPromises } from "./stream.ts";
import { createStreamConsumers } from "./stream-consumers.ts";
import { createStreamWeb } from "./stream-web.ts";
import { createStringDecoder } from "./string_decoder.ts";
import { createTestModule, createTestReporters } from "./test/index.ts";
import { createTimers, createTimersPromises } from "./timers.ts";
import { createTls } from "./tls.ts";
import { createTty } from "./tty.ts";
import { createUrl } from "./url.ts";
import { createUtil, createUtilTypesModule } from "./util.ts";
import { createV8 } from "./v8.ts";
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
  http2: createHttp2,
  https: createHttps,
  module: createModule,
  net: createNet,
  os: createOs,
  path: createPath,
  "path/posix": () => (createPath() as { posix: unknown }).posix,
  "path/win32": () => (createPath() as { win32: unknown }).win32,
  process: processModule,
  querystring: createQuerystring,
  readline: createReadline,
  "readline/promises": createReadlinePromises,
  stream: createStream,
  "stream/promises": createStreamPromises,
  "stream/web": createStreamWeb,
  "stream/consumers": createStreamConsumers,
  timers: createTimers,
  tls: createTls,
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
  sea: createSea,
  string_decoder: createStringDecoder,
  test: createTestModule,
  "test/reporters": createTestReporters,
  v8: createV8,
  vm: createVm,
  worker_threads: createWorkerThreads,
  // Not a Node builtin: the host tools of the VM (resolved only in VMs that have some).
  "agentos:tools": createAgentosTools,
};
