// ES module evaluation seen from the guest. isolated-vm keeps modules on the host side, and its
// evaluate() neither waits for a graph's top-level awaits nor hands over V8's evaluation
// promise; the one place V8 itself gives a module to the embedder is the import.meta callback.
// So the runtime evaluates each graph it imports under a generated wrapper module that reads
// its own import.meta early (see esm-loader.ts): the callback below keeps the wrapper behind
// that object, and from it:
// - evaluationPromise(meta): the graph's evaluation promise, which settles once its top-level
//   awaits have (dynamic import() waits on it; the entry's rejection is the uncaught exception);
// - stalledTopLevelAwaits(meta): what Node reports when its loop runs dry while the entry's
//   evaluation promise is still pending (V8's GetStalledTopLevelAwaitMessages; exit 13).
#include "module_evaluation.h"
#include "v8_helpers.h"

namespace agentos {
namespace {

using v8::Array;
using v8::Context;
using v8::Data;
using v8::FunctionCallbackInfo;
using v8::FunctionTemplate;
using v8::HandleScope;
using v8::Integer;
using v8::Isolate;
using v8::Local;
using v8::Message;
using v8::Module;
using v8::Object;
using v8::ObjectTemplate;
using v8::Private;
using v8::Promise;
using v8::String;
using v8::TryCatch;
using v8::Value;


// The private key under which an import.meta object holds its module: guest code cannot read
// or forge it.
auto ModuleKey(Isolate* isolate) -> Local<Private> {
  return Private::ForApi(isolate, NewString(isolate, "agentos:importMetaModule"));
}

// V8 calls this the first time a module reads import.meta. The runtime rewrites user code's
// import.meta into its own object, so only its generated modules get here. (It replaces
// isolated-vm's callback, which serves only compileModule's `meta` option, never used.)
void OnImportMeta(Local<Context> context, Local<Module> module, Local<Object> meta) {
  Isolate* isolate = Isolate::GetCurrent();
  HandleScope scope(isolate);
  // A module is not a JS value: it is kept in an internal field of a holder object.
  Local<ObjectTemplate> holder_template = ObjectTemplate::New(isolate);
  holder_template->SetInternalFieldCount(1);
  Local<Object> holder;
  if (!holder_template->NewInstance(context).ToLocal(&holder)) return;
  holder->SetInternalField(0, module);
  (void)meta->SetPrivate(context, ModuleKey(isolate), holder);
}


// The module behind `value` (an import.meta that OnImportMeta saw); a TypeError otherwise.
auto ModuleOfMeta(Isolate* isolate, Local<Context> context, Local<Value> value,
                  Local<Module>* module) -> bool {
  Local<Value> holder;
  if (value->IsObject() &&
      value.As<Object>()->GetPrivate(context, ModuleKey(isolate)).ToLocal(&holder) &&
      holder->IsObject() && holder.As<Object>()->InternalFieldCount() == 1) {
    Local<Data> data = holder.As<Object>()->GetInternalField(0);
    if (data->IsModule()) {
      *module = data.As<Module>();
      return true;
    }
  }
  isolate->ThrowException(v8::Exception::TypeError(NewString(isolate, "not a module's import.meta")));
  return false;
}

// The evaluation promise of the graph `module` was evaluated in (its cycle's root: the module
// the runtime evaluated). Only once evaluated, errored included: Evaluate() then runs nothing
// and hands the promise back, where on a module still evaluating V8 aborts the process, and on
// one merely linked it would run it. False (no exception) when there is none yet; false with
// the termination rethrown when the isolate is being terminated.
auto EvaluationPromise(Isolate* isolate, Local<Context> context, Local<Module> module,
                       Local<Promise>* promise) -> bool {
  if (!module->IsSourceTextModule()) return false;
  Module::Status status = module->GetStatus();
  if (status != Module::kEvaluated && status != Module::kErrored) return false;
  TryCatch try_catch(isolate);
  Local<Value> result;
  if (!module->Evaluate(context).ToLocal(&result)) {
    if (try_catch.HasTerminated()) try_catch.ReThrow();
    return false;
  }
  if (!result->IsPromise()) return false;
  *promise = result.As<Promise>();
  return true;
}

// evaluationPromise(meta): the evaluation promise of the graph behind `meta`; undefined while
// that graph has not been evaluated yet (or is evaluating its synchronous part).
void EvaluationPromiseFunction(const FunctionCallbackInfo<Value>& info) {
  Isolate* isolate = info.GetIsolate();
  Local<Context> context = isolate->GetCurrentContext();
  Local<Module> module;
  if (!ModuleOfMeta(isolate, context, info[0], &module)) return;
  Local<Promise> promise;
  if (EvaluationPromise(isolate, context, module, &promise)) info.GetReturnValue().Set(promise);
}

// stalledTopLevelAwaits(meta): for the module graph behind `meta`, the places where modules
// wait on a top-level await while the graph's evaluation promise is still pending; [] once it
// has settled (or before it was evaluated).
void StalledTopLevelAwaits(const FunctionCallbackInfo<Value>& info) {
  Isolate* isolate = info.GetIsolate();
  Local<Context> context = isolate->GetCurrentContext();
  Local<Module> module;
  if (!ModuleOfMeta(isolate, context, info[0], &module)) return;
  Local<Array> places = Array::New(isolate, 0);
  Local<Promise> promise;
  if (!EvaluationPromise(isolate, context, module, &promise)) {
    if (!isolate->IsExecutionTerminating()) info.GetReturnValue().Set(places);
    return;
  }
  info.GetReturnValue().Set(places);
  if (promise->State() != Promise::kPending) return;
  auto stalled = module->GetStalledTopLevelAwaitMessages(isolate);
  uint32_t index = 0;
  for (Local<Message> message : stalled.second) {
    places->Set(context, index++, MessagePlace(isolate, context, message)).FromMaybe(false);
  }
}


}  // namespace

void InstallModuleEvaluationFunctions(Isolate* isolate, Local<Context> context,
                                      Local<Object> target) {
  isolate->SetHostInitializeImportMetaObjectCallback(OnImportMeta);
  SetFunction(isolate, context, target, "evaluationPromise", EvaluationPromiseFunction);
  SetFunction(isolate, context, target, "stalledTopLevelAwaits", StalledTopLevelAwaits);
}

}  // namespace agentos
