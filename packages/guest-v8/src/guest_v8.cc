// The few V8 calls the guest Node runtime needs that isolated-vm 7 does not expose. isolated-vm
// loads this library into a guest context (ivm.NativeModule) and hands the runtime an object of
// these functions; the runtime keeps it in a closure, so guest programs never see it.
//
// Each function acts only on the isolate and context it is called in, and takes nothing but
// values of that isolate: nothing here reaches the host.
#include <v8.h>

#include <vector>

#include "contexts.h"
#include "module_evaluation.h"
#include "v8_helpers.h"

namespace {

using agentos::MessagePlace;
using agentos::NewString;
using agentos::SetFunction;
using agentos::ThrowTypeError;
using v8::Array;
using v8::Context;
using v8::Function;
using v8::FunctionCallbackInfo;
using v8::FunctionTemplate;
using v8::HandleScope;
using v8::Integer;
using v8::Isolate;
using v8::Local;
using v8::Message;
using v8::MaybeLocal;
using v8::Object;
using v8::Private;
using v8::Promise;
using v8::PromiseRejectEvent;
using v8::PromiseRejectMessage;
using v8::ScriptOrigin;
using v8::String;
using v8::TryCatch;
using v8::Value;



// AsyncLocalStorage's frame. V8 captures this value when a promise reaction is queued (await,
// then) and restores it when the reaction runs, which is how Node 24 propagates async context.
void GetContinuationData(const FunctionCallbackInfo<Value>& info) {
  info.GetReturnValue().Set(info.GetIsolate()->GetContinuationPreservedEmbedderData());
}

void SetContinuationData(const FunctionCallbackInfo<Value>& info) {
  info.GetIsolate()->SetContinuationPreservedEmbedderData(info[0]);
}

// [state, result]: 0 pending, 1 fulfilled, 2 rejected (util.inspect shows them); undefined for
// a value that is not a promise.
void PromiseState(const FunctionCallbackInfo<Value>& info) {
  if (!info[0]->IsPromise()) return;
  Isolate* isolate = info.GetIsolate();
  Local<Promise> promise = info[0].As<Promise>();
  Promise::PromiseState state = promise->State();
  Local<Value> parts[2] = {Integer::New(isolate, static_cast<int>(state)), v8::Undefined(isolate)};
  if (state != Promise::kPending) parts[1] = promise->Result();
  info.GetReturnValue().Set(Array::New(isolate, parts, 2));
}

// Runs the microtask queue now, as Node's processTicksAndRejections does between nextTicks.
void RunMicrotasks(const FunctionCallbackInfo<Value>& info) {
  info.GetIsolate()->PerformMicrotaskCheckpoint();
}

// The runtime's rejection tracker is kept on its context's global under a private key, not in
// a C++ global: isolates are disposed by isolated-vm without telling us, and a handle outliving
// its isolate would be freed into nothing.
auto RejectHandlerKey(Isolate* isolate) -> Local<Private> {
  return Private::ForApi(isolate, NewString(isolate, "agentos:promiseRejectHandler"));
}

// Replaces isolated-vm's tracker (which copies the first unhandled reason out of the isolate
// at the end of a task) with the runtime's, which sees the real promise and reason, and learns
// when a handler is attached later, as Node's does.
void OnPromiseReject(PromiseRejectMessage message) {
  Local<Promise> promise = message.GetPromise();
  Isolate* isolate = promise->GetIsolate();
  HandleScope scope(isolate);
  Local<Context> context;
  if (!promise->GetCreationContext().ToLocal(&context)) context = isolate->GetCurrentContext();
  if (context.IsEmpty()) return;
  Context::Scope context_scope(context);
  Local<Value> handler;
  if (!context->Global()->GetPrivate(context, RejectHandlerKey(isolate)).ToLocal(&handler) ||
      !handler->IsFunction()) {
    return;
  }
  int event = 0;
  switch (message.GetEvent()) {
    case v8::kPromiseRejectWithNoHandler: event = 0; break;
    case v8::kPromiseHandlerAddedAfterReject: event = 1; break;
    case v8::kPromiseRejectAfterResolved: event = 2; break;
    case v8::kPromiseResolveAfterResolved: event = 3; break;
  }
  Local<Value> value = message.GetValue();
  if (value.IsEmpty()) value = v8::Undefined(isolate);
  Local<Value> args[3] = {Integer::New(isolate, event), promise, value};
  TryCatch try_catch(isolate);
  // A throw in the tracker is the runtime's own bug; a termination must keep unwinding.
  if (handler.As<Function>()->Call(context, v8::Undefined(isolate), 3, args).IsEmpty() &&
      try_catch.HasTerminated()) {
    try_catch.ReThrow();
  }
}

// setPromiseRejectHandler(fn): fn(event, promise, reason) for every rejection event of this
// context's promises (event 0: rejected with no handler, 1: handler added after rejection).
void SetPromiseRejectHandler(const FunctionCallbackInfo<Value>& info) {
  Isolate* isolate = info.GetIsolate();
  if (!info[0]->IsFunction()) return ThrowTypeError(isolate, "handler must be a function");
  Local<Context> context = isolate->GetCurrentContext();
  if (context->Global()->SetPrivate(context, RejectHandlerKey(isolate), info[0]).IsNothing()) return;
  isolate->SetPromiseRejectCallback(OnPromiseReject);
}


// callCatching(fn, thisArg, ...args): runs fn and returns undefined when it returns, or
// [error, place] when it throws, place being where V8 saw the throw (for a thrown string or
// object there is no stack to tell it). A termination (kill, CPU limit) is not caught.
void CallCatching(const FunctionCallbackInfo<Value>& info) {
  Isolate* isolate = info.GetIsolate();
  if (!info[0]->IsFunction()) return ThrowTypeError(isolate, "fn must be a function");
  Local<Context> context = isolate->GetCurrentContext();
  std::vector<Local<Value>> args;
  for (int i = 2; i < info.Length(); i++) args.push_back(info[i]);
  TryCatch try_catch(isolate);
  try_catch.SetCaptureMessage(true);
  MaybeLocal<Value> result = info[0].As<Function>()->Call(context, info[1],
                                                          static_cast<int>(args.size()), args.data());
  if (!result.IsEmpty()) return;
  if (try_catch.HasTerminated() || !try_catch.CanContinue()) {
    try_catch.ReThrow();
    return;
  }
  Local<Value> parts[2] = {try_catch.Exception(), v8::Undefined(isolate)};
  Local<Message> message = try_catch.Message();
  if (!message.IsEmpty()) parts[1] = MessagePlace(isolate, context, message);
  info.GetReturnValue().Set(Array::New(isolate, parts, 2));
}

// runScript(source, filename): compiles and runs source as a classic script named filename,
// as Node runs `-e`, stdin and vm.runInThisContext code (frames read `[eval]:1:7`, not
// `eval (...)`). Same power as indirect eval, which guests already have.
void RunScript(const FunctionCallbackInfo<Value>& info) {
  Isolate* isolate = info.GetIsolate();
  if (!info[0]->IsString() || !info[1]->IsString()) {
    return ThrowTypeError(isolate, "source and filename must be strings");
  }
  // As isolated-vm bounds eval: parsing takes memory outside the heap limit, so a source
  // larger than an eighth of the heap is refused.
  v8::HeapStatistics heap;
  isolate->GetHeapStatistics(&heap);
  if (static_cast<size_t>(info[0].As<String>()->Length()) > heap.heap_size_limit() / 8) {
    isolate->ThrowException(v8::Exception::RangeError(NewString(isolate, "source too large to compile")));
    return;
  }
  Local<Context> context = isolate->GetCurrentContext();
  ScriptOrigin origin(info[1]);
  v8::ScriptCompiler::Source source(info[0].As<String>(), origin);
  Local<v8::Script> script;
  if (!v8::ScriptCompiler::Compile(context, &source).ToLocal(&script)) return;
  Local<Value> result;
  if (script->Run(context).ToLocal(&result)) info.GetReturnValue().Set(result);
}

// V8's side-effect-free string of a value (no toString or getters run): what Node puts in
// messages about arbitrary values, such as an unhandled rejection's reason.
void DetailString(const FunctionCallbackInfo<Value>& info) {
  Local<String> text;
  if (info[0]->ToDetailString(info.GetIsolate()->GetCurrentContext()).ToLocal(&text)) {
    info.GetReturnValue().Set(text);
  }
}


}  // namespace

extern "C" void InitForContext(Isolate* isolate, Local<Context> context, Local<Object> target) {
  SetFunction(isolate, context, target, "getContinuationData", GetContinuationData);
  SetFunction(isolate, context, target, "setContinuationData", SetContinuationData);
  SetFunction(isolate, context, target, "promiseState", PromiseState);
  SetFunction(isolate, context, target, "runMicrotasks", RunMicrotasks);
  SetFunction(isolate, context, target, "setPromiseRejectHandler", SetPromiseRejectHandler);
  SetFunction(isolate, context, target, "callCatching", CallCatching);
  SetFunction(isolate, context, target, "runScript", RunScript);
  SetFunction(isolate, context, target, "detailString", DetailString);
  agentos::InstallContextFunctions(isolate, context, target);
  agentos::InstallModuleEvaluationFunctions(isolate, context, target);
}
