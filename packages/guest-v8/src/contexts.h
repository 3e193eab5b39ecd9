// node:vm's second contexts (contexts.cc): made inside the guest's own isolate, so they share
// its heap limit, CPU limit and termination, and reach nothing the guest could not already.
#pragma once
#include <v8.h>

namespace agentos {

// Puts makeContext, isContext, compileScript, runCompiledScript, compileFunction, codeCache and
// isNativeError on `target`, sharing the templates they need (made once per guest context).
void InstallContextFunctions(v8::Isolate* isolate, v8::Local<v8::Context> context,
                             v8::Local<v8::Object> target);

}  // namespace agentos
