/**
 * node:v8, what is safe in a guest: heap figures of the guest's own isolate (measured by the
 * host), the serializer (guest code, see v8-serializer.ts), the code-cache tag. What would reach
 * into the host's V8 (flags, heap snapshots, profilers, promise hooks) fails with
 * ERR_AGENTOS_NOT_SUPPORTED: V8 flags, for one, are process-wide and shared with the host.
 */
import { Buffer } from "buffer";
import { codedError, invalidArgType, notSupported } from "../errors.ts";
import { callSync } from "../host.ts";
import { Deserializer, Serializer } from "./v8-serializer.ts";

interface IsolateHeap {
  total_heap_size: number;
  total_heap_size_executable: number;
  total_physical_size: number;
  total_available_size: number;
  used_heap_size: number;
  heap_size_limit: number;
  malloced_memory: number;
  peak_malloced_memory: number;
  does_zap_garbage: number;
  externally_allocated_size: number;
}

function getHeapStatistics() {
  const heap = callSync<IsolateHeap>("v8.heapStatistics");
  return {
    total_heap_size: heap.total_heap_size,
    total_heap_size_executable: heap.total_heap_size_executable,
    total_physical_size: heap.total_physical_size,
    total_available_size: heap.total_available_size,
    used_heap_size: heap.used_heap_size,
    heap_size_limit: heap.heap_size_limit,
    malloced_memory: heap.malloced_memory,
    peak_malloced_memory: heap.peak_malloced_memory,
    does_zap_garbage: heap.does_zap_garbage,
    // The guest has exactly one context and never detaches it.
    number_of_native_contexts: 1,
    number_of_detached_contexts: 0,
    // isolated-vm does not measure global handles; 0 keeps arithmetic on the fields working.
    total_global_handles_size: 0,
    used_global_handles_size: 0,
    external_memory: heap.externally_allocated_size,
  };
}

/** Node 24's heap spaces, in its order. */
const HEAP_SPACES = [
  "read_only_space",
  "new_space",
  "old_space",
  "code_space",
  "shared_space",
  "trusted_space",
  "shared_trusted_space",
  "new_large_object_space",
  "large_object_space",
  "code_large_object_space",
  "shared_large_object_space",
  "shared_trusted_large_object_space",
  "trusted_large_object_space",
];

/**
 * isolated-vm reports the isolate's heap as a whole, not per space: the whole heap is reported
 * under old_space (where a running program's objects live) and the other spaces as empty, so the
 * shape is Node's and the sums equal getHeapStatistics().
 */
function getHeapSpaceStatistics() {
  const heap = callSync<IsolateHeap>("v8.heapStatistics");
  return HEAP_SPACES.map((space_name) => {
    const whole = space_name === "old_space";
    return {
      space_name,
      space_size: whole ? heap.total_heap_size : 0,
      space_used_size: whole ? heap.used_heap_size : 0,
      space_available_size: whole ? heap.total_available_size : 0,
      physical_space_size: whole ? heap.total_physical_size : 0,
    };
  });
}

let versionTag: number | undefined;

function cachedDataVersionTag(): number {
  versionTag ??= callSync<number>("v8.cachedDataVersionTag");
  return versionTag;
}

/** Node's serializer: Buffers and typed arrays as compact host objects, not V8's views. */
class DefaultSerializer extends Serializer {
  constructor() {
    super();
    this._setTreatArrayBufferViewsAsHostObjects(true);
  }

  _writeHostObject(view: ArrayBufferView): void {
    // Index 10 is Node's FastBuffer (a Buffer); the others are the typed array kinds.
    let index = 10;
    if ((view as { constructor?: unknown }).constructor !== Buffer) {
      // Other host objects (a MessagePort) are not views: Node refuses them here too.
      index = ArrayBuffer.isView(view) ? VIEW_TYPES.indexOf(viewTypeName(view)) : -1;
      if (index === -1 || index === 10) {
        const Ctor = this._getDataCloneError;
        throw new Ctor(`Unserializable host object: ${String(view)}`);
      }
    }
    this.writeUint32(index);
    this.writeUint32(view.byteLength);
    this.writeRawBytes(new Uint8Array(view.buffer, view.byteOffset, view.byteLength));
  }
}

class DefaultDeserializer extends Deserializer {
  _readHostObject(): ArrayBufferView {
    const index = this.readUint32();
    const name = VIEW_TYPES[index];
    const Ctor = (index === 10 ? Buffer : (globalThis as Record<string, unknown>)[name]) as
      | (new (
          buffer: ArrayBufferLike,
          byteOffset: number,
          length: number,
        ) => ArrayBufferView)
      | undefined;
    if (!Ctor) throw new Error("Unable to deserialize cloned data.");
    const byteLength = this.readUint32();
    const byteOffset = this._readRawBytes(byteLength);
    const size = (Ctor as { BYTES_PER_ELEMENT?: number }).BYTES_PER_ELEMENT ?? 1;
    const offset = this.buffer.byteOffset + byteOffset;
    // Like Node: the view shares the input's memory when aligned, else it gets its own copy.
    if (offset % size === 0) return new Ctor(this.buffer.buffer, offset, byteLength / size);
    const copy = new Uint8Array(byteLength);
    copy.set(new Uint8Array(this.buffer.buffer, offset, byteLength));
    return new Ctor(copy.buffer, 0, byteLength / size);
  }
}

/** Node's host-object indexes for views (lib/v8.js). */
const VIEW_TYPES = [
  "Int8Array",
  "Uint8Array",
  "Uint8ClampedArray",
  "Int16Array",
  "Uint16Array",
  "Int32Array",
  "Uint32Array",
  "Float32Array",
  "Float64Array",
  "DataView",
  "Buffer",
  "BigInt64Array",
  "BigUint64Array",
  "Float16Array",
];

const typedArrayTag = Object.getOwnPropertyDescriptor(
  Object.getPrototypeOf(Uint8Array.prototype),
  Symbol.toStringTag,
)?.get as () => string | undefined;

function viewTypeName(view: ArrayBufferView): string {
  return typedArrayTag.call(view) ?? "DataView";
}

function serialize(value: unknown): Buffer {
  const serializer = new DefaultSerializer();
  serializer.writeHeader();
  serializer.writeValue(value);
  return serializer.releaseBuffer();
}

function deserialize(buffer: ArrayBufferView): unknown {
  const deserializer = new DefaultDeserializer(buffer);
  deserializer.readHeader();
  return deserializer.readValue();
}

function checkString(value: unknown, name: string): asserts value is string {
  if (typeof value !== "string") throw invalidArgType(name, "of type string", value);
}

/** Whether V8 would store the string one byte per character. */
function isStringOneByteRepresentation(content: unknown): boolean {
  checkString(content, "content");
  // V8's choice depends on how the string was built, which JS cannot see; the content decides.
  for (let i = 0; i < content.length; i++) if (content.charCodeAt(i) > 0xff) return false;
  return true;
}

function unsupported(name: string) {
  return () => {
    throw notSupported(`v8.${name}`);
  };
}

function notBuildingSnapshot(): never {
  throw codedError(
    Error,
    "ERR_NOT_BUILDING_SNAPSHOT",
    "Operation cannot be invoked when not building startup snapshot",
  );
}

/** Coverage is only collected under NODE_V8_COVERAGE, which the VM cannot honour. */
function coverage(name: string) {
  return () => {
    if (process.env.NODE_V8_COVERAGE) throw notSupported(`v8.${name} (NODE_V8_COVERAGE)`);
  };
}

class GCProfiler {
  start(): void {
    throw notSupported("v8.GCProfiler");
  }

  stop(): undefined {
    return undefined;
  }
}

export function createV8(): unknown {
  return {
    cachedDataVersionTag,
    getHeapSnapshot: unsupported("getHeapSnapshot"),
    getHeapStatistics,
    getHeapSpaceStatistics,
    getHeapCodeStatistics: unsupported("getHeapCodeStatistics"),
    getCppHeapStatistics: unsupported("getCppHeapStatistics"),
    setFlagsFromString: (flags: unknown) => {
      checkString(flags, "flags");
      throw notSupported("v8.setFlagsFromString (V8 flags are shared with the host process)");
    },
    Serializer,
    Deserializer,
    DefaultSerializer,
    DefaultDeserializer,
    deserialize,
    takeCoverage: coverage("takeCoverage"),
    stopCoverage: coverage("stopCoverage"),
    serialize,
    writeHeapSnapshot: unsupported("writeHeapSnapshot"),
    promiseHooks: {
      createHook: unsupported("promiseHooks.createHook"),
      onInit: unsupported("promiseHooks.onInit"),
      onBefore: unsupported("promiseHooks.onBefore"),
      onAfter: unsupported("promiseHooks.onAfter"),
      onSettled: unsupported("promiseHooks.onSettled"),
    },
    queryObjects: unsupported("queryObjects"),
    startupSnapshot: {
      addSerializeCallback: notBuildingSnapshot,
      addDeserializeCallback: notBuildingSnapshot,
      setDeserializeMainFunction: notBuildingSnapshot,
      // Node answers with the flag's raw value: 0, not false.
      isBuildingSnapshot: () => 0,
    },
    setHeapSnapshotNearHeapLimit: unsupported("setHeapSnapshotNearHeapLimit"),
    GCProfiler,
    isStringOneByteRepresentation,
    startCpuProfile: unsupported("startCpuProfile"),
  };
}
