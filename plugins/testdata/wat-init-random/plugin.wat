;; _initialize draws 8 random bytes into memory[0..8), like a Go runtime seeding its
;; hash and math/rand state. `seed` outputs those bytes. With one fresh instance per
;; call (contract §2.2) two calls see different seeds; a host that snapshots after
;; initialisation would replay the same seed forever.
(module
  (import "wasi_snapshot_preview1" "random_get" (func $random_get (param i32 i32) (result i32)))
  (import "extism:host/env" "alloc" (func $alloc (param i64) (result i64)))
  (import "extism:host/env" "store_u8" (func $store_u8 (param i64 i32)))
  (import "extism:host/env" "output_set" (func $output_set (param i64 i64)))
  (memory (export "memory") 1)
  (func (export "_initialize")
    (drop (call $random_get (i32.const 0) (i32.const 8))))
  (func (export "seed") (result i32)
    (local $blk i64) (local $i i32)
    (local.set $blk (call $alloc (i64.const 8)))
    (block $done
      (loop $copy
        (br_if $done (i32.ge_u (local.get $i) (i32.const 8)))
        (call $store_u8 (i64.add (local.get $blk) (i64.extend_i32_u (local.get $i))) (i32.load8_u (local.get $i)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $copy)))
    (call $output_set (local.get $blk) (i64.const 8))
    (i32.const 0)))
