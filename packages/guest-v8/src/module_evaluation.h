// ES module evaluation seen from the guest (module_evaluation.cc): the evaluation promise of a
// module graph the runtime evaluates, and what Node reports when the loop runs dry while the
// entry point's graph still waits on an await that nothing will ever settle.
#pragma once
#include <v8.h>

namespace agentos {

// Makes import.meta of the runtime's generated modules keep their module, and puts
// evaluationPromise and stalledTopLevelAwaits on `target`.
void InstallModuleEvaluationFunctions(v8::Isolate* isolate, v8::Local<v8::Context> context,
                                      v8::Local<v8::Object> target);

}  // namespace agentos
