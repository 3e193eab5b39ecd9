/**
 * Objects the guest runtime makes that V8 would see as host objects in Node (a MessagePort is
 * a C++-backed object there): the V8 serializer writes them through `_writeHostObject`, so
 * postMessage can carry a transferred port and v8.serialize refuses one, as in Node.
 */
export const hostObjects = new WeakSet<object>();
