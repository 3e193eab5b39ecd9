{
  "targets": [
    {
      "target_name": "guest_v8",
      "sources": ["src/guest_v8.cc", "src/module_evaluation.cc", "src/contexts.cc"],
      "cflags_cc": ["-std=c++20"],
      "cflags_cc!": ["-std=gnu++17"]
    }
  ]
}
