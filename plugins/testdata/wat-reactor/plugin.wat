;; wat-reactor: a WASI reactor shaped like TinyGo / Go c-shared output.
;;   _initialize  marks the instance initialised
;;   nd_wasi      returns 2 if _initialize did not run; fills 8 bytes with random_get and reads the realtime clock;
;;                outputs {"ok":1} when both errno are 0 and the clock is > 1.7e18 ns (after Nov 2023), else returns 1.
(module
  (import "wasi_snapshot_preview1" "random_get" (func $random_get (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "clock_time_get" (func $clock_time_get (param i32 i64 i32) (result i32)))
  (import "extism:host/env" "alloc" (func $alloc (param i64) (result i64)))
  (import "extism:host/env" "store_u8" (func $store_u8 (param i64 i32)))
  (import "extism:host/env" "output_set" (func $output_set (param i64 i64)))

  (memory (export "memory") 1)
  (global $initialized (mut i32) (i32.const 0))
  (data (i32.const 0) "{\"ok\":1}")   ;; 8 bytes
  ;; 64..71: random bytes, 72..79: clock value

  (func (export "_initialize")
    (global.set $initialized (i32.const 1)))

  (func (export "nd_wasi") (result i32)
    (local $off i64) (local $i i32)
    (if (i32.eqz (global.get $initialized))
      (then (return (i32.const 2))))
    (if (i32.ne (call $random_get (i32.const 64) (i32.const 8)) (i32.const 0))
      (then (return (i32.const 1))))
    (if (i32.ne (call $clock_time_get (i32.const 0) (i64.const 1000) (i32.const 72)) (i32.const 0))
      (then (return (i32.const 1))))
    (if (i64.le_u (i64.load (i32.const 72)) (i64.const 1700000000000000000))
      (then (return (i32.const 1))))
    ;; copy {"ok":1} into an Extism block and set it as output
    (local.set $off (call $alloc (i64.const 8)))
    (block $done
      (loop $copy
        (br_if $done (i32.ge_u (local.get $i) (i32.const 8)))
        (call $store_u8
          (i64.add (local.get $off) (i64.extend_i32_u (local.get $i)))
          (i32.load8_u (local.get $i)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $copy)))
    (call $output_set (local.get $off) (i64.const 8))
    (i32.const 0))
)
