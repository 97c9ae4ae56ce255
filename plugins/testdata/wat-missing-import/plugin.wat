;; wat-missing-import: imports kvstore_get although the manifest grants no kvstore permission, so the host does not
;; register it and instantiation must fail ("creating instance: ...", rule 10).
(module
  (import "extism:host/user" "kvstore_get" (func $kvstore_get (param i64) (result i64)))
  (memory (export "memory") 1)
  (func (export "nd_on_init") (result i32) (i32.const 0))
  ;; referenced so that no tool could consider the import dead
  (func (export "use_kvstore") (result i32)
    (drop (call $kvstore_get (i64.const 0)))
    (i32.const 0))
)
