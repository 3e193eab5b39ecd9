// Small helpers the native module's files share.
#pragma once
#include <v8.h>

namespace agentos {

inline auto NewString(v8::Isolate* isolate, const char* text) -> v8::Local<v8::String> {
  return v8::String::NewFromUtf8(isolate, text).ToLocalChecked();
}

inline void ThrowTypeError(v8::Isolate* isolate, const char* text) {
  isolate->ThrowException(v8::Exception::TypeError(NewString(isolate, text)));
}

// Where V8's message places a throw (or an await): {file, line, startColumn, endColumn,
// sourceLine}, from which the runtime prints Node's "file:line / source / ^" header.
inline auto MessagePlace(v8::Isolate* isolate, v8::Local<v8::Context> context,
                         v8::Local<v8::Message> message) -> v8::Local<v8::Object> {
  v8::Local<v8::Object> place = v8::Object::New(isolate);
  auto set = [&](const char* key, v8::Local<v8::Value> value) {
    place->Set(context, NewString(isolate, key), value).FromMaybe(false);
  };
  set("file", message->GetScriptResourceName());
  set("line", v8::Integer::New(isolate, message->GetLineNumber(context).FromMaybe(0)));
  set("startColumn", v8::Integer::New(isolate, message->GetStartColumn(context).FromMaybe(0)));
  set("endColumn", v8::Integer::New(isolate, message->GetEndColumn(context).FromMaybe(0)));
  v8::Local<v8::String> source_line;
  if (message->GetSourceLine(context).ToLocal(&source_line)) set("sourceLine", source_line);
  return place;
}

// Puts a named native function on `target` (`data` reaches the callback as info.Data()).
inline void SetFunction(v8::Isolate* isolate, v8::Local<v8::Context> context,
                        v8::Local<v8::Object> target, const char* name,
                        v8::FunctionCallback callback,
                        v8::Local<v8::Value> data = v8::Local<v8::Value>()) {
  v8::Local<v8::Function> fn =
      v8::FunctionTemplate::New(isolate, callback, data)->GetFunction(context).ToLocalChecked();
  v8::Local<v8::String> key = NewString(isolate, name);
  fn->SetName(key);
  target->Set(context, key, fn).Check();
}

}  // namespace agentos
