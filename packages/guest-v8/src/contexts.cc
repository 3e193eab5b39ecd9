// node:vm's second contexts, made inside the guest's own isolate: same heap, same heap limit,
// same CPU limit, same termination. Nothing here reaches past the isolate the call runs in.
//
// A new context is deserialized from the isolate's startup snapshot (V8 offers no other way to
// make one), which carries a copy of the agentOS runtime: every global V8 itself does not
// install is deleted before anyone can see it, leaving what a fresh V8 context has.
//
// Contextified objects work as in Node's node_contextify.cc: the new context's global has
// named and indexed interceptors that read, write, define and delete through the "sandbox"
// object, so the sandbox's properties are the code's globals and its global declarations land
// on the sandbox.
//
// Lifetimes are the garbage collector's: the sandbox holds the new context's global under a
// private key, the context holds the sandbox in its embedder data, a compiled script lives in
// an internal field of its handle object. No V8 handle is kept in any C++ global, so nothing
// outlives the isolate that isolated-vm disposes without telling us.
#include "contexts.h"
#include "v8_helpers.h"

#include <pthread.h>

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <cstring>
#include <memory>
#include <mutex>
#include <vector>

namespace agentos {
namespace {

using v8::Array;
using v8::Context;
using v8::Data;
using v8::Function;
using v8::FunctionCallbackInfo;
using v8::FunctionTemplate;
using v8::HandleScope;
using v8::IndexedPropertyHandlerConfiguration;
using v8::IndexFilter;
using v8::Integer;
using v8::Intercepted;
using v8::Isolate;
using v8::KeyCollectionMode;
using v8::Local;
using v8::Maybe;
using v8::MaybeLocal;
using v8::Message;
using v8::Name;
using v8::NamedPropertyHandlerConfiguration;
using v8::Object;
using v8::ObjectTemplate;
using v8::Private;
using v8::PropertyAttribute;
using v8::PropertyCallbackInfo;
using v8::PropertyDescriptor;
using v8::PropertyFilter;
using v8::ScriptCompiler;
using v8::ScriptOrigin;
using v8::String;
using v8::TryCatch;
using v8::UnboundScript;
using v8::Value;

// The new context's embedder data slot holding its sandbox (unset while it is being made, and
// for a context made without one, so the interceptors stand aside).
constexpr int kSandboxSlot = 40;

// Internal fields of the object every function here gets as its data.
enum SharedField { kGlobalTemplate = 0, kScriptTemplate = 1, kSharedFieldCount = 2 };

// The own properties of a fresh V8 13 global (Node 24's vm context has exactly these): kept in a
// new context, everything else the snapshot's global carries is deleted.
constexpr const char* kV8Globals[] = {
    "Object", "Function", "Array", "Number", "parseFloat", "parseInt", "Infinity", "NaN",
    "undefined", "Boolean", "String", "Symbol", "Date", "Promise", "RegExp", "Error",
    "AggregateError", "EvalError", "RangeError", "ReferenceError", "SyntaxError", "TypeError",
    "URIError", "globalThis", "JSON", "Math", "Intl", "ArrayBuffer", "Atomics", "Uint8Array",
    "Int8Array", "Uint16Array", "Int16Array", "Uint32Array", "Int32Array", "BigUint64Array",
    "BigInt64Array", "Uint8ClampedArray", "Float32Array", "Float64Array", "DataView", "Map",
    "BigInt", "Set", "Iterator", "WeakMap", "WeakSet", "Proxy", "Reflect",
    "FinalizationRegistry", "WeakRef", "decodeURI", "decodeURIComponent", "encodeURI",
    "encodeURIComponent", "escape", "unescape", "eval", "isFinite", "isNaN", "console",
    "SuppressedError", "DisposableStack", "AsyncDisposableStack", "Float16Array",
    "SharedArrayBuffer", "WebAssembly"};

// A guest can nest timed runs (a timed script calling vm again): each holds a watchdog thread
// while it runs, so their number on one isolate's thread is capped.
constexpr int kMaxTimedRuns = 16;
thread_local int timed_runs = 0;



// Names the new context's global on a contextified object (and on a context's own global when
// it was made without one). Private: no guest code can read, forge or remove it.
auto ContextKey(Isolate* isolate) -> Local<Private> {
  return Private::ForApi(isolate, NewString(isolate, "agentos:vm.context"));
}

// The private key guest_v8.cc keeps the runtime's promise rejection tracker under.
auto RejectHandlerKey(Isolate* isolate) -> Local<Private> {
  return Private::ForApi(isolate, NewString(isolate, "agentos:promiseRejectHandler"));
}

// The context a contextified object stands for, or empty when it is not one.
auto ContextOf(Isolate* isolate, Local<Context> current, Local<Value> value) -> MaybeLocal<Context> {
  if (!value->IsObject()) return {};
  Local<Value> global;
  if (!value.As<Object>()->GetPrivate(current, ContextKey(isolate)).ToLocal(&global) ||
      !global->IsObject()) {
    return {};
  }
  return global.As<Object>()->GetCreationContext(isolate);
}


// [0, value, extra]: it worked.
void ReturnOk(const FunctionCallbackInfo<Value>& info, Local<Value> value,
              Local<Value> extra = Local<Value>()) {
  Isolate* isolate = info.GetIsolate();
  Local<Value> parts[3] = {Integer::New(isolate, 0), value,
                           extra.IsEmpty() ? v8::Undefined(isolate).As<Value>() : extra};
  info.GetReturnValue().Set(Array::New(isolate, parts, 3));
}

// What the guest code threw (compiling or running) goes on to the caller with V8's message
// kept, so an uncaught throw is reported where it happened, as Node's ReThrow does. First
// `on_throw(thrown, place)` (when a function) may decorate it: Node's "file:line / source / ^"
// header. A termination (kill, CPU or memory limit) is never caught but keeps unwinding.
void RethrowGuestThrow(Isolate* isolate, Local<Context> current, TryCatch& caught,
                       Local<Value> on_throw) {
  if (!caught.HasTerminated() && caught.CanContinue() && on_throw->IsFunction()) {
    Local<Value> place = v8::Undefined(isolate);
    Local<Message> message = caught.Message();
    if (!message.IsEmpty()) place = MessagePlace(isolate, current, message);
    Local<Value> args[2] = {caught.Exception(), place};
    TryCatch decorating(isolate);
    if (on_throw.As<Function>()->Call(current, v8::Undefined(isolate), 2, args).IsEmpty()) {
      // The decorator's own failure (or a termination meanwhile) is what travels on.
      decorating.ReThrow();
      return;
    }
  }
  caught.ReThrow();
}

auto Shared(const FunctionCallbackInfo<Value>& info) -> Local<Object> {
  return info.Data().As<Object>();
}

// ---------------------------------------------------------------------------------------------
// The interceptors of a contextified global.

struct Contextified {
  Local<Context> context;
  Local<Object> sandbox;
  Local<Object> global;  // the context's global proxy, what `this` is at its top level
};

// The sandbox behind the global an interceptor was called on; false while the context is
// being made (the interceptors then let V8 act on the global itself).
template <typename T>
auto Bind(const PropertyCallbackInfo<T>& info, Contextified* out) -> bool {
  Isolate* isolate = info.GetIsolate();
  Local<Context> context;
  if (!info.HolderV2()->GetCreationContext(isolate).ToLocal(&context)) return false;
  if (context->GetNumberOfEmbedderDataFields() <= kSandboxSlot) return false;
  Local<Value> sandbox = context->GetEmbedderData(kSandboxSlot);
  if (!sandbox->IsObject()) return false;
  out->context = context;
  out->sandbox = sandbox.As<Object>();
  out->global = context->Global();
  return true;
}

// After a call on the sandbox failed: a pending exception (a throwing getter or proxy trap)
// must travel on, which V8 takes from an interceptor that reports kYes.
auto Propagate(TryCatch& caught) -> Intercepted {
  caught.ReThrow();
  return Intercepted::kYes;
}

auto IsReadOnly(Maybe<PropertyAttribute> attributes) -> bool {
  PropertyAttribute value;
  return attributes.To(&value) && (value & PropertyAttribute::ReadOnly) != 0;
}

// A global read: the sandbox (with its prototype chain) first, then the context's own globals.
auto GetterCallback(Local<Name> key, const PropertyCallbackInfo<Value>& info) -> Intercepted {
  Contextified c;
  if (!Bind(info, &c)) return Intercepted::kNo;
  TryCatch caught(info.GetIsolate());
  MaybeLocal<Value> found = c.sandbox->GetRealNamedProperty(c.context, key);
  if (caught.HasCaught()) return Propagate(caught);
  if (found.IsEmpty()) {
    found = c.global->GetRealNamedProperty(c.context, key);
    if (caught.HasCaught()) return Propagate(caught);
  }
  Local<Value> value;
  if (!found.ToLocal(&value)) return Intercepted::kNo;
  // A sandbox that names itself (`sandbox.self = sandbox`) means this context's global.
  if (value == c.sandbox) value = c.global;
  info.GetReturnValue().Set(value);
  return Intercepted::kYes;
}

// A global write goes to the sandbox too; V8 then also sets it on the global (kNo), unless it
// is an accessor of the sandbox's, which alone decides.
auto SetterCallback(Local<Name> key, Local<Value> value, const PropertyCallbackInfo<void>& info)
    -> Intercepted {
  Contextified c;
  if (!Bind(info, &c)) return Intercepted::kNo;
  TryCatch caught(info.GetIsolate());
  Maybe<PropertyAttribute> on_global = c.global->GetRealNamedPropertyAttributes(c.context, key);
  Maybe<PropertyAttribute> on_sandbox = c.sandbox->GetRealNamedPropertyAttributes(c.context, key);
  if (caught.HasCaught()) return Propagate(caught);
  if (IsReadOnly(on_global) || IsReadOnly(on_sandbox)) return Intercepted::kNo;
  const bool declared = on_global.IsJust() || on_sandbox.IsJust();
  // `x = 5` (not `this.x = 5`) of an undeclared name in strict code must throw: V8 does that.
  const bool contextual_store = c.global != info.This();
  if (!declared && info.ShouldThrowOnError() && contextual_store && !value->IsFunction()) {
    return Intercepted::kNo;
  }
  if (!declared && key->IsSymbol()) return Intercepted::kNo;
  if (c.sandbox->Set(c.context, key, value).IsNothing()) {
    return caught.HasCaught() ? Propagate(caught) : Intercepted::kNo;
  }
  if (on_sandbox.IsJust()) {
    Local<Value> descriptor;
    if (c.sandbox->GetOwnPropertyDescriptor(c.context, key).ToLocal(&descriptor) &&
        descriptor->IsObject()) {
      Local<Object> d = descriptor.As<Object>();
      Isolate* isolate = info.GetIsolate();
      if (d->HasOwnProperty(c.context, NewString(isolate, "get")).FromMaybe(false) ||
          d->HasOwnProperty(c.context, NewString(isolate, "set")).FromMaybe(false)) {
        return Intercepted::kYes;
      }
    }
  }
  if (caught.HasCaught()) return Propagate(caught);
  return Intercepted::kNo;
}

// `name in this`, typeof checks and attribute queries: the sandbox's own property, else the
// global's.
auto QueryCallback(Local<Name> key, const PropertyCallbackInfo<Integer>& info) -> Intercepted {
  Contextified c;
  if (!Bind(info, &c)) return Intercepted::kNo;
  TryCatch caught(info.GetIsolate());
  for (Local<Object> holder : {c.sandbox, c.global}) {
    Maybe<bool> has = holder->HasRealNamedProperty(c.context, key);
    if (caught.HasCaught()) return Propagate(caught);
    if (!has.FromMaybe(false)) continue;
    PropertyAttribute attributes;
    if (!holder->GetRealNamedPropertyAttributes(c.context, key).To(&attributes)) {
      return caught.HasCaught() ? Propagate(caught) : Intercepted::kNo;
    }
    info.GetReturnValue().Set(static_cast<int32_t>(attributes));
    return Intercepted::kYes;
  }
  return Intercepted::kNo;
}

// Object.getOwnPropertyDescriptor(this, k): the sandbox's own descriptor when it has one.
auto DescriptorCallback(Local<Name> key, const PropertyCallbackInfo<Value>& info) -> Intercepted {
  Contextified c;
  if (!Bind(info, &c)) return Intercepted::kNo;
  TryCatch caught(info.GetIsolate());
  if (!c.sandbox->HasOwnProperty(c.context, key).FromMaybe(false)) {
    return caught.HasCaught() ? Propagate(caught) : Intercepted::kNo;
  }
  Local<Value> descriptor;
  if (!c.sandbox->GetOwnPropertyDescriptor(c.context, key).ToLocal(&descriptor)) {
    return caught.HasCaught() ? Propagate(caught) : Intercepted::kNo;
  }
  info.GetReturnValue().Set(descriptor);
  return Intercepted::kYes;
}

// Object.defineProperty(this, ...): defined on the sandbox as well (accessors as accessors,
// values with their writability), then V8 defines it on the global; a global that is neither
// writable nor configurable is left alone, as is the sandbox then.
auto DefinerCallback(Local<Name> key, const PropertyDescriptor& desc,
                     const PropertyCallbackInfo<void>& info) -> Intercepted {
  Contextified c;
  if (!Bind(info, &c)) return Intercepted::kNo;
  Isolate* isolate = info.GetIsolate();
  TryCatch caught(isolate);
  PropertyAttribute attributes;
  if (c.global->GetRealNamedPropertyAttributes(c.context, key).To(&attributes) &&
      (attributes & PropertyAttribute::ReadOnly) != 0 &&
      (attributes & PropertyAttribute::DontDelete) != 0) {
    return Intercepted::kNo;
  }
  if (caught.HasCaught()) return Propagate(caught);
  auto define_on_sandbox = [&](PropertyDescriptor* copy) {
    if (desc.has_enumerable()) copy->set_enumerable(desc.enumerable());
    if (desc.has_configurable()) copy->set_configurable(desc.configurable());
    // A refusal (non-configurable sandbox property) is V8's to report when it defines on the
    // global next; a throw is propagated below.
    c.sandbox->DefineProperty(c.context, key, *copy).FromMaybe(false);
  };
  Local<Value> undefined = v8::Undefined(isolate);
  if (desc.has_get() || desc.has_set()) {
    PropertyDescriptor copy(desc.has_get() ? desc.get() : undefined,
                            desc.has_set() ? desc.set() : undefined);
    define_on_sandbox(&copy);
  } else {
    Local<Value> value = desc.has_value() ? desc.value() : undefined;
    if (desc.has_writable()) {
      PropertyDescriptor copy(value, desc.writable());
      define_on_sandbox(&copy);
    } else {
      PropertyDescriptor copy(value);
      define_on_sandbox(&copy);
    }
  }
  if (caught.HasCaught()) return Propagate(caught);
  return Intercepted::kNo;
}

// `delete x`: from the sandbox, then (kNo) from the global; a sandbox property that will not go
// keeps the global's too.
auto DeleterCallback(Local<Name> key, const PropertyCallbackInfo<v8::Boolean>& info) -> Intercepted {
  Contextified c;
  if (!Bind(info, &c)) return Intercepted::kNo;
  TryCatch caught(info.GetIsolate());
  Maybe<bool> deleted = c.sandbox->Delete(c.context, key);
  if (caught.HasCaught()) return Propagate(caught);
  if (deleted.FromMaybe(false)) return Intercepted::kNo;
  info.GetReturnValue().Set(false);
  return Intercepted::kYes;
}

// Own property names of the sandbox (indices apart: the indexed enumerator lists those).
void EnumeratorCallback(const PropertyCallbackInfo<Array>& info) {
  Contextified c;
  if (!Bind(info, &c)) return;
  Local<Array> names;
  if (c.sandbox
          ->GetPropertyNames(c.context, KeyCollectionMode::kOwnOnly, PropertyFilter::ALL_PROPERTIES,
                             IndexFilter::kSkipIndices)
          .ToLocal(&names)) {
    info.GetReturnValue().Set(names);
  }
}

void IndexedEnumeratorCallback(const PropertyCallbackInfo<Array>& info) {
  Contextified c;
  if (!Bind(info, &c)) return;
  Isolate* isolate = info.GetIsolate();
  Local<Array> names;
  if (!c.sandbox
           ->GetPropertyNames(c.context, KeyCollectionMode::kOwnOnly,
                              PropertyFilter::SKIP_SYMBOLS, IndexFilter::kIncludeIndices)
           .ToLocal(&names)) {
    return;
  }
  std::vector<Local<Value>> indices;
  for (uint32_t i = 0; i < names->Length(); i++) {
    Local<Value> name;
    if (!names->Get(c.context, i).ToLocal(&name)) return;
    if (name->IsNumber()) indices.push_back(name);
  }
  info.GetReturnValue().Set(Array::New(isolate, indices.data(), indices.size()));
}

// Indexed globals (`this[0]`) take the named path with the index as a string key.
template <typename T>
auto IndexName(const PropertyCallbackInfo<T>& info, uint32_t index, Local<Name>* out) -> bool {
  Contextified c;
  if (!Bind(info, &c)) return false;
  Local<String> name;
  if (!v8::Uint32::NewFromUnsigned(info.GetIsolate(), index)->ToString(c.context).ToLocal(&name)) {
    return false;
  }
  *out = name;
  return true;
}

auto IndexedGetter(uint32_t index, const PropertyCallbackInfo<Value>& info) -> Intercepted {
  Local<Name> name;
  return IndexName(info, index, &name) ? GetterCallback(name, info) : Intercepted::kNo;
}

auto IndexedSetter(uint32_t index, Local<Value> value, const PropertyCallbackInfo<void>& info)
    -> Intercepted {
  Local<Name> name;
  return IndexName(info, index, &name) ? SetterCallback(name, value, info) : Intercepted::kNo;
}

auto IndexedQuery(uint32_t index, const PropertyCallbackInfo<Integer>& info) -> Intercepted {
  Local<Name> name;
  return IndexName(info, index, &name) ? QueryCallback(name, info) : Intercepted::kNo;
}

auto IndexedDescriptor(uint32_t index, const PropertyCallbackInfo<Value>& info) -> Intercepted {
  Local<Name> name;
  return IndexName(info, index, &name) ? DescriptorCallback(name, info) : Intercepted::kNo;
}

auto IndexedDefiner(uint32_t index, const PropertyDescriptor& desc,
                    const PropertyCallbackInfo<void>& info) -> Intercepted {
  Local<Name> name;
  return IndexName(info, index, &name) ? DefinerCallback(name, desc, info) : Intercepted::kNo;
}

auto IndexedDeleter(uint32_t index, const PropertyCallbackInfo<v8::Boolean>& info) -> Intercepted {
  Local<Name> name;
  return IndexName(info, index, &name) ? DeleterCallback(name, info) : Intercepted::kNo;
}

// ---------------------------------------------------------------------------------------------
// Making a context.

// Deletes every own property of the new global that a fresh V8 context would not have: the
// copy of the runtime the snapshot carries, unattached to any host reference.
auto StripRuntimeGlobals(Isolate* isolate, Local<Context> context) -> bool {
  Local<Object> global = context->Global();
  Local<Array> names;
  if (!global
           ->GetPropertyNames(context, KeyCollectionMode::kOwnOnly, PropertyFilter::ALL_PROPERTIES,
                              IndexFilter::kIncludeIndices)
           .ToLocal(&names)) {
    return false;
  }
  for (uint32_t i = 0; i < names->Length(); i++) {
    Local<Value> name;
    if (!names->Get(context, i).ToLocal(&name)) return false;
    if (name->IsString()) {
      String::Utf8Value text(isolate, name);
      bool standard = false;
      for (const char* kept : kV8Globals) {
        if (*text != nullptr && std::strcmp(*text, kept) == 0) standard = true;
      }
      if (standard) continue;
    }
    if (global->Delete(context, name).IsNothing()) return false;
  }
  // Node removes V8's non-standard Intl.v8BreakIterator from every context it makes.
  Local<Value> intl;
  if (global->Get(context, NewString(isolate, "Intl")).ToLocal(&intl) && intl->IsObject() &&
      intl.As<Object>()->Delete(context, NewString(isolate, "v8BreakIterator")).IsNothing()) {
    return false;
  }
  return true;
}

// makeContext(sandbox | null): a new context in this isolate. With an object, that object is
// contextified (its properties become the context's globals) and is returned; with null the
// context's own ordinary global is returned (vm.constants.DONT_CONTEXTIFY).
void MakeContext(const FunctionCallbackInfo<Value>& info) {
  Isolate* isolate = info.GetIsolate();
  Local<Context> current = isolate->GetCurrentContext();
  const bool contextify = info[0]->IsObject();
  if (!contextify && !info[0]->IsNull()) {
    return ThrowTypeError(isolate, "sandbox must be an object or null");
  }
  if (contextify &&
      info[0].As<Object>()->HasPrivate(current, ContextKey(isolate)).FromMaybe(true)) {
    return ThrowTypeError(isolate, "sandbox is already contextified");
  }
  MaybeLocal<ObjectTemplate> global_template;
  if (contextify) {
    global_template = Shared(info)->GetInternalField(kGlobalTemplate).As<ObjectTemplate>();
  }
  Local<Context> context = Context::New(isolate, nullptr, global_template);
  if (context.IsEmpty()) {
    if (!isolate->IsExecutionTerminating()) ThrowTypeError(isolate, "could not make a context");
    return;
  }
  // Objects cross between the contexts as between Node's: same security token.
  context->SetSecurityToken(current->GetSecurityToken());
  // eval and new Function go through the isolate's code-generation check, as in the guest's
  // own context (isolated-vm's, which bounds the source size).
  context->AllowCodeGenerationFromStrings(false);
  Local<Object> global = context->Global();
  {
    Context::Scope scope(context);
    if (!StripRuntimeGlobals(isolate, context)) return;
    // Unhandled rejections of this context reach the runtime's tracker, as in Node.
    Local<Value> handler;
    if (current->Global()->GetPrivate(current, RejectHandlerKey(isolate)).ToLocal(&handler) &&
        handler->IsFunction() &&
        global->SetPrivate(context, RejectHandlerKey(isolate), handler).IsNothing()) {
      return;
    }
  }
  if (!contextify) {
    if (global->SetPrivate(current, ContextKey(isolate), global).IsNothing()) return;
    info.GetReturnValue().Set(global);
    return;
  }
  Local<Object> sandbox = info[0].As<Object>();
  // Node names the global after the sandbox's class ([object Foo]) unless it is a plain Object.
  Local<String> class_name = sandbox->GetConstructorName();
  if (!class_name->StringEquals(NewString(isolate, "Object"))) {
    Context::Scope scope(context);
    if (global
            ->DefineOwnProperty(context, v8::Symbol::GetToStringTag(isolate), class_name,
                                PropertyAttribute::DontEnum)
            .IsNothing()) {
      return;
    }
  }
  context->SetEmbedderData(kSandboxSlot, sandbox);
  if (sandbox->SetPrivate(current, ContextKey(isolate), global).IsNothing()) return;
  info.GetReturnValue().Set(sandbox);
}

// isContext(object): whether makeContext made it a context.
void IsContext(const FunctionCallbackInfo<Value>& info) {
  Isolate* isolate = info.GetIsolate();
  if (!info[0]->IsObject()) return ThrowTypeError(isolate, "object must be an object");
  Local<Context> current = isolate->GetCurrentContext();
  info.GetReturnValue().Set(
      info[0].As<Object>()->HasPrivate(current, ContextKey(isolate)).FromMaybe(false));
}

// The context named by an optional argument: the caller's own for undefined (or null), else a
// context makeContext made; false (with a TypeError thrown) for anything else.
auto ContextArgument(Isolate* isolate, Local<Value> value, Local<Context>* out) -> bool {
  Local<Context> current = isolate->GetCurrentContext();
  if (value->IsUndefined() || value->IsNull()) {
    *out = current;
    return true;
  }
  if (ContextOf(isolate, current, value).ToLocal(out)) return true;
  ThrowTypeError(isolate, "context must be a contextified object");
  return false;
}

auto IsInt32(Local<Value> value) -> bool { return value->IsInt32(); }

// ---------------------------------------------------------------------------------------------
// Scripts.

// compileScript(source, filename, lineOffset, columnOffset, parsingContext?, onThrow?):
// [0, handle, [sourceURL, sourceMapURL]] with the compiled script in an opaque handle; a
// SyntaxError is thrown (see RethrowGuestThrow).
void CompileScript(const FunctionCallbackInfo<Value>& info) {
  Isolate* isolate = info.GetIsolate();
  if (!info[0]->IsString() || !info[1]->IsString() || !IsInt32(info[2]) || !IsInt32(info[3])) {
    return ThrowTypeError(isolate, "source, filename must be strings and offsets int32");
  }
  Local<Context> current = isolate->GetCurrentContext();
  Local<Context> parsing;
  if (!ContextArgument(isolate, info[4], &parsing)) return;
  // Shared cross-origin as Node's: the errors it throws are not muted.
  ScriptOrigin origin(info[1], info[2].As<v8::Int32>()->Value(), info[3].As<v8::Int32>()->Value(),
                      true);
  ScriptCompiler::Source source(info[0].As<String>(), origin);
  TryCatch caught(isolate);
  caught.SetCaptureMessage(true);
  MaybeLocal<UnboundScript> compiled;
  {
    // Compile errors are made in the parsing context, as in Node.
    Context::Scope scope(parsing);
    compiled = ScriptCompiler::CompileUnboundScript(isolate, &source);
  }
  Local<UnboundScript> script;
  if (!compiled.ToLocal(&script)) return RethrowGuestThrow(isolate, current, caught, info[5]);
  Local<FunctionTemplate> script_template =
      Shared(info)->GetInternalField(kScriptTemplate).As<FunctionTemplate>();
  Local<Object> handle;
  if (!script_template->InstanceTemplate()->NewInstance(current).ToLocal(&handle)) return;
  handle->SetInternalField(0, script);
  Local<Value> urls[2] = {script->GetSourceURL(), script->GetSourceMappingURL()};
  ReturnOk(info, handle, Array::New(isolate, urls, 2));
}

// The script in a handle compileScript made; false (with a TypeError thrown) for anything else.
auto ScriptArgument(const FunctionCallbackInfo<Value>& info, Local<Value> value,
                    Local<UnboundScript>* out) -> bool {
  Local<FunctionTemplate> script_template =
      Shared(info)->GetInternalField(kScriptTemplate).As<FunctionTemplate>();
  if (script_template->HasInstance(value) && value.As<Object>()->InternalFieldCount() >= 1) {
    Local<Data> field = value.As<Object>()->GetInternalField(0);
    if (!field.IsEmpty() && !field->IsValue()) {
      *out = field.As<UnboundScript>();
      return true;
    }
  }
  ThrowTypeError(info.GetIsolate(), "script must be a compiled script handle");
  return false;
}

// Terminates the isolate's running script once `timeout_ms` pass, from a thread of its own that
// never outlives the run it watches (Stop joins it).
class Watchdog {
 public:
  Watchdog(Isolate* isolate, uint32_t timeout_ms) : isolate_(isolate), timeout_ms_(timeout_ms) {}
  Watchdog(const Watchdog&) = delete;
  auto operator=(const Watchdog&) -> Watchdog& = delete;
  ~Watchdog() { Stop(); }

  auto Start() -> bool {
    pthread_attr_t attributes;
    if (pthread_attr_init(&attributes) != 0) return false;
    pthread_attr_setstacksize(&attributes, 256 * 1024);
    started_ = pthread_create(&thread_, &attributes, &Watch, this) == 0;
    pthread_attr_destroy(&attributes);
    return started_;
  }

  // Ends the watch; true when the time ran out (the isolate was told to terminate).
  auto Stop() -> bool {
    if (started_) {
      {
        std::lock_guard<std::mutex> lock(mutex_);
        done_ = true;
      }
      wake_.notify_all();
      pthread_join(thread_, nullptr);
      started_ = false;
    }
    return fired_;
  }

 private:
  static auto Watch(void* self) -> void* {
    auto* dog = static_cast<Watchdog*>(self);
    std::unique_lock<std::mutex> lock(dog->mutex_);
    const bool finished = dog->wake_.wait_for(lock, std::chrono::milliseconds(dog->timeout_ms_),
                                              [dog] { return dog->done_; });
    if (!finished) {
      dog->fired_ = true;
      dog->isolate_->TerminateExecution();
    }
    return nullptr;
  }

  Isolate* isolate_;
  uint32_t timeout_ms_;
  pthread_t thread_{};
  bool started_ = false;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool done_ = false;
  bool fired_ = false;
};

void Noop(const FunctionCallbackInfo<Value>& /*info*/) {}

// After our own watchdog's termination is cancelled: calling into V8 once more lets a
// termination isolated-vm ordered meanwhile (dispose, memory limit) take hold again, since it
// re-terminates every call that enters V8 from then on. False when it did.
auto StillRunnable(Isolate* isolate, Local<Context> current) -> bool {
  TryCatch probe(isolate);
  Local<Function> noop;
  if (!Function::New(current, Noop).ToLocal(&noop)) return !probe.HasTerminated();
  if (noop->Call(current, v8::Undefined(isolate), 0, nullptr).IsEmpty() && probe.HasTerminated()) {
    probe.ReThrow();
    return false;
  }
  return !isolate->IsExecutionTerminating();
}

// runCompiledScript(handle, context?, timeoutMs, onThrow?): runs a compiled script in a context
// (the caller's own for undefined). [0, result], or [2] when the timeout ended it; what the
// script throws is thrown (see RethrowGuestThrow).
void RunCompiledScript(const FunctionCallbackInfo<Value>& info) {
  Isolate* isolate = info.GetIsolate();
  Local<Context> current = isolate->GetCurrentContext();
  Local<UnboundScript> unbound;
  if (!ScriptArgument(info, info[0], &unbound)) return;
  Local<Context> context;
  if (!ContextArgument(isolate, info[1], &context)) return;
  int64_t timeout = -1;
  if (info[2]->IsUint32()) {
    timeout = info[2].As<v8::Uint32>()->Value();
  } else if (!info[2]->IsInt32() || info[2].As<v8::Int32>()->Value() != -1) {
    return ThrowTypeError(isolate, "timeout must be -1 or a uint32");
  }
  if (timeout >= 0 && timed_runs >= kMaxTimedRuns) {
    isolate->ThrowException(v8::Exception::RangeError(
        NewString(isolate, "vm: too many nested runs with a timeout (at most 16)")));
    return;
  }
  TryCatch caught(isolate);
  caught.SetCaptureMessage(true);
  MaybeLocal<Value> result;
  bool timed_out = false;
  {
    Context::Scope scope(context);
    Local<v8::Script> script = unbound->BindToCurrentContext();
    if (timeout >= 0) {
      Watchdog dog(isolate, static_cast<uint32_t>(timeout));
      if (!dog.Start()) {
        isolate->ThrowException(
            v8::Exception::Error(NewString(isolate, "vm: could not start the timeout's watchdog")));
        return;
      }
      timed_runs++;
      result = script->Run(context);
      timed_runs--;
      timed_out = dog.Stop();
    } else {
      result = script->Run(context);
    }
  }
  if (timed_out) {
    // Our termination only: make it an ordinary error for the caller, as Node does.
    isolate->CancelTerminateExecution();
    caught.Reset();
    if (!StillRunnable(isolate, current)) return;
    Local<Value> parts[1] = {Integer::New(isolate, 2)};
    info.GetReturnValue().Set(Array::New(isolate, parts, 1));
    return;
  }
  Local<Value> value;
  if (!result.ToLocal(&value)) return RethrowGuestThrow(isolate, current, caught, info[3]);
  ReturnOk(info, value);
}

// compileFunction(source, filename, lineOffset, columnOffset, params, parsingContext?,
// extensions, onThrow?): [0, function], a SyntaxError thrown (see RethrowGuestThrow). The
// function belongs to the parsing context and sees the extensions' properties as variables
// around its body.
void CompileFunction(const FunctionCallbackInfo<Value>& info) {
  Isolate* isolate = info.GetIsolate();
  if (!info[0]->IsString() || !info[1]->IsString() || !IsInt32(info[2]) || !IsInt32(info[3]) ||
      !info[4]->IsArray() || !info[6]->IsArray()) {
    return ThrowTypeError(isolate,
                          "source, filename: strings; offsets: int32; params, extensions: arrays");
  }
  Local<Context> current = isolate->GetCurrentContext();
  Local<Context> parsing;
  if (!ContextArgument(isolate, info[5], &parsing)) return;
  Local<Array> param_list = info[4].As<Array>();
  Local<Array> extension_list = info[6].As<Array>();
  std::vector<Local<String>> params;
  for (uint32_t i = 0; i < param_list->Length(); i++) {
    Local<Value> param;
    if (!param_list->Get(current, i).ToLocal(&param)) return;
    if (!param->IsString()) return ThrowTypeError(isolate, "params must be strings");
    params.push_back(param.As<String>());
  }
  std::vector<Local<Object>> extensions;
  for (uint32_t i = 0; i < extension_list->Length(); i++) {
    Local<Value> extension;
    if (!extension_list->Get(current, i).ToLocal(&extension)) return;
    if (!extension->IsObject()) return ThrowTypeError(isolate, "extensions must be objects");
    extensions.push_back(extension.As<Object>());
  }
  ScriptOrigin origin(info[1], info[2].As<v8::Int32>()->Value(), info[3].As<v8::Int32>()->Value(),
                      true);
  ScriptCompiler::Source source(info[0].As<String>(), origin);
  TryCatch caught(isolate);
  caught.SetCaptureMessage(true);
  MaybeLocal<Function> compiled;
  {
    Context::Scope scope(parsing);
    compiled = ScriptCompiler::CompileFunction(parsing, &source, params.size(), params.data(),
                                               extensions.size(), extensions.data());
  }
  Local<Function> fn;
  if (!compiled.ToLocal(&fn)) return RethrowGuestThrow(isolate, current, caught, info[7]);
  ReturnOk(info, fn);
}

// codeCache(handle | function): V8's code cache of a compiled script or of a function that
// compileFunction made, as bytes.
void CodeCache(const FunctionCallbackInfo<Value>& info) {
  Isolate* isolate = info.GetIsolate();
  ScriptCompiler::CachedData* cache = nullptr;
  if (info[0]->IsFunction()) {
    cache = ScriptCompiler::CreateCodeCacheForFunction(info[0].As<Function>());
  } else {
    Local<UnboundScript> unbound;
    if (!ScriptArgument(info, info[0], &unbound)) return;
    cache = ScriptCompiler::CreateCodeCache(unbound);
  }
  const size_t length = cache == nullptr ? 0 : static_cast<size_t>(cache->length);
  std::unique_ptr<v8::BackingStore> store = v8::ArrayBuffer::NewBackingStore(isolate, length);
  if (length > 0) std::memcpy(store->Data(), cache->data, length);
  delete cache;
  Local<v8::ArrayBuffer> buffer = v8::ArrayBuffer::New(isolate, std::move(store));
  info.GetReturnValue().Set(v8::Uint8Array::New(buffer, 0, length));
}

// isNativeError(value): V8's IsNativeError, true for an error of any context (util.inspect and
// the fatal print must know an error from a vm context for one, where instanceof cannot).
void IsNativeError(const FunctionCallbackInfo<Value>& info) {
  info.GetReturnValue().Set(info[0]->IsNativeError());
}


}  // namespace

void InstallContextFunctions(Isolate* isolate, Local<Context> context, Local<Object> target) {
  HandleScope scope(isolate);
  // The contextified global: interceptors forwarding to the sandbox.
  Local<ObjectTemplate> global_template = FunctionTemplate::New(isolate)->InstanceTemplate();
  global_template->SetHandler(NamedPropertyHandlerConfiguration(
      GetterCallback, SetterCallback, QueryCallback, DeleterCallback, EnumeratorCallback,
      DefinerCallback, DescriptorCallback));
  global_template->SetHandler(IndexedPropertyHandlerConfiguration(
      IndexedGetter, IndexedSetter, IndexedQuery, IndexedDeleter, IndexedEnumeratorCallback,
      IndexedDefiner, IndexedDescriptor));
  // Compiled-script handles: one internal field holding the UnboundScript.
  Local<FunctionTemplate> script_template = FunctionTemplate::New(isolate);
  script_template->InstanceTemplate()->SetInternalFieldCount(1);
  // Both templates travel as the functions' data, in an object no guest code can reach.
  Local<ObjectTemplate> shared_template = ObjectTemplate::New(isolate);
  shared_template->SetInternalFieldCount(kSharedFieldCount);
  Local<Object> shared = shared_template->NewInstance(context).ToLocalChecked();
  shared->SetInternalField(kGlobalTemplate, global_template);
  shared->SetInternalField(kScriptTemplate, script_template);

  SetFunction(isolate, context, target, "makeContext", MakeContext, shared);
  SetFunction(isolate, context, target, "isContext", IsContext, shared);
  SetFunction(isolate, context, target, "compileScript", CompileScript, shared);
  SetFunction(isolate, context, target, "runCompiledScript", RunCompiledScript, shared);
  SetFunction(isolate, context, target, "compileFunction", CompileFunction, shared);
  SetFunction(isolate, context, target, "codeCache", CodeCache, shared);
  SetFunction(isolate, context, target, "isNativeError", IsNativeError, shared);
}

}  // namespace agentos
