;; Lifecycle (contract §3.6): nd_on_init runs at the end of every load. It logs
;; "init ran"; with the config key "fail" present it sets an error and returns 1, which the
;; host must only log (the plugin stays loaded). `ping` returns {"ok":true}.
(module
  (import "extism:host/env" "alloc" (func $alloc (param i64) (result i64)))
  (import "extism:host/env" "store_u8" (func $store_u8 (param i64 i32)))
  (import "extism:host/env" "output_set" (func $output_set (param i64 i64)))
  (import "extism:host/env" "error_set" (func $error_set (param i64)))
  (import "extism:host/env" "log_info" (func $log_info (param i64)))
  (import "extism:host/env" "config_get" (func $config_get (param i64) (result i64)))
  (memory (export "memory") 1)
  (data (i32.const 0) "init ran")        ;; 8 bytes
  (data (i32.const 16) "fail")           ;; 4 bytes
  (data (i32.const 32) "init failed on purpose") ;; 22 bytes
  (data (i32.const 64) "{\"ok\":true}")  ;; 11 bytes
  (func $block (param $at i32) (param $len i32) (result i64)
    (local $b i64) (local $i i32)
    (local.set $b (call $alloc (i64.extend_i32_u (local.get $len))))
    (block $done
      (loop $copy
        (br_if $done (i32.ge_u (local.get $i) (local.get $len)))
        (call $store_u8 (i64.add (local.get $b) (i64.extend_i32_u (local.get $i)))
                        (i32.load8_u (i32.add (local.get $at) (local.get $i))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $copy)))
    (local.get $b))
  (func (export "nd_on_init") (result i32)
    (call $log_info (call $block (i32.const 0) (i32.const 8)))
    (if (i64.ne (call $config_get (call $block (i32.const 16) (i32.const 4))) (i64.const 0))
      (then
        (call $error_set (call $block (i32.const 32) (i32.const 22)))
        (return (i32.const 1))))
    (i32.const 0))
  (func (export "ping") (result i32)
    (call $output_set (call $block (i32.const 64) (i32.const 11)) (i64.const 11))
    (i32.const 0)))
