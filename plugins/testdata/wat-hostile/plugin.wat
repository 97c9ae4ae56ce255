;; Hostile behaviours a server must survive (issue #9):
;;   recurse      unbounded recursion (stack overflow trap)
;;   huge_output  asks the kernel for a 512 MiB block and outputs it
;;   host_flood   calls config_get in a loop, 2 million times, then returns
;;   alloc_flood  allocates 1 MiB kernel blocks until the kernel refuses
;;   user_flood   calls the Config host service (extism:host/user config_get, a cross-thread
;;                round trip each) in an endless loop: only the call timeout ends it
;;   read_config  outputs the value of config key "secret" (or {} when absent): another
;;                plugin's config must never be visible here
(module
  (import "extism:host/env" "alloc" (func $alloc (param i64) (result i64)))
  (import "extism:host/env" "store_u8" (func $store_u8 (param i64 i32)))
  (import "extism:host/env" "output_set" (func $output_set (param i64 i64)))
  (import "extism:host/env" "length" (func $length (param i64) (result i64)))
  (import "extism:host/env" "config_get" (func $config_get (param i64) (result i64)))
  (import "extism:host/user" "config_get" (func $user_config_get (param i64) (result i64)))
  (memory (export "memory") 1)
  (data (i32.const 0) "secret")
  (func $key (result i64)
    (local $b i64) (local $i i32)
    (local.set $b (call $alloc (i64.const 6)))
    (block $done (loop $l
      (br_if $done (i32.ge_u (local.get $i) (i32.const 6)))
      (call $store_u8 (i64.add (local.get $b) (i64.extend_i32_u (local.get $i))) (i32.load8_u (local.get $i)))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $l)))
    (local.get $b))
  (func $deeper (param $n i64) (result i64)
    (i64.add (call $deeper (i64.add (local.get $n) (i64.const 1))) (i64.const 1)))
  (func (export "recurse") (result i32)
    (drop (call $deeper (i64.const 0)))
    (i32.const 0))
  (func (export "huge_output") (result i32)
    (local $b i64)
    (local.set $b (call $alloc (i64.const 536870912)))
    (call $output_set (local.get $b) (i64.const 536870912))
    (i32.const 0))
  (func (export "host_flood") (result i32)
    (local $i i32) (local $k i64)
    (local.set $k (call $key))
    (block $done (loop $l
      (br_if $done (i32.ge_u (local.get $i) (i32.const 2000000)))
      (drop (call $config_get (local.get $k)))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $l)))
    (i32.const 0))
  (func (export "user_flood") (result i32)
    (local $k i64)
    (local.set $k (call $key))
    (loop $l
      (drop (call $user_config_get (local.get $k)))
      (br $l))
    (i32.const 0))
  (func (export "alloc_flood") (result i32)
    (loop $l
      (br_if $l (i64.ne (call $alloc (i64.const 1048576)) (i64.const 0))))
    (i32.const 0))
  (func (export "read_config") (result i32)
    (local $v i64)
    (local.set $v (call $config_get (call $key)))
    (if (i64.eqz (local.get $v)) (then (return (i32.const 0))))
    (call $output_set (local.get $v) (call $length (local.get $v)))
    (i32.const 0)))
