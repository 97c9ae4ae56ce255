;; `slow` counts to 1.2 billion (about a second), then outputs {"v":1}.
(module
  (import "extism:host/env" "alloc" (func $alloc (param i64) (result i64)))
  (import "extism:host/env" "store_u8" (func $store_u8 (param i64 i32)))
  (import "extism:host/env" "output_set" (func $output_set (param i64 i64)))
  (memory (export "memory") 1)
  (data (i32.const 0) "{\"v\":1}")
  (func (export "slow") (result i32)
    (local $i i64) (local $b i64) (local $j i32)
    (block $done (loop $l
      (br_if $done (i64.ge_u (local.get $i) (i64.const 1200000000)))
      (local.set $i (i64.add (local.get $i) (i64.const 1)))
      (br $l)))
    (local.set $b (call $alloc (i64.const 7)))
    (block $d2 (loop $c
      (br_if $d2 (i32.ge_u (local.get $j) (i32.const 7)))
      (call $store_u8 (i64.add (local.get $b) (i64.extend_i32_u (local.get $j))) (i32.load8_u (local.get $j)))
      (local.set $j (i32.add (local.get $j) (i32.const 1)))
      (br $c)))
    (call $output_set (local.get $b) (i64.const 7))
    (i32.const 0)))
