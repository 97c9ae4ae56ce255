;; wat-return-codes: every return-code / error_set combination of contract §2.3-2.4.
(module
  (import "extism:host/env" "alloc" (func $alloc (param i64) (result i64)))
  (import "extism:host/env" "store_u8" (func $store_u8 (param i64 i32)))
  (import "extism:host/env" "output_set" (func $output_set (param i64 i64)))
  (import "extism:host/env" "error_set" (func $error_set (param i64)))

  (memory (export "memory") 1)
  (data (i32.const 0) "boom")        ;; 4 bytes
  (data (i32.const 16) "\"hello\"")  ;; 7 bytes: the JSON string "hello"
  (data (i32.const 32) "null")       ;; 4 bytes

  ;; Copies len bytes at linear-memory ptr into a new Extism memory block; returns the block offset.
  (func $block (param $ptr i32) (param $len i32) (result i64)
    (local $off i64) (local $i i32)
    (local.set $off (call $alloc (i64.extend_i32_u (local.get $len))))
    (block $done
      (loop $copy
        (br_if $done (i32.ge_u (local.get $i) (local.get $len)))
        (call $store_u8
          (i64.add (local.get $off) (i64.extend_i32_u (local.get $i)))
          (i32.load8_u (i32.add (local.get $ptr) (local.get $i))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $copy)))
    (local.get $off))

  (func $output (param $ptr i32) (param $len i32)
    (call $output_set (call $block (local.get $ptr) (local.get $len)) (i64.extend_i32_u (local.get $len))))

  (func $error (param $ptr i32) (param $len i32)
    (call $error_set (call $block (local.get $ptr) (local.get $len))))

  ;; -2 without error ⇒ "function not implemented"
  (func (export "ret_minus2") (result i32) (i32.const -2))
  ;; -1 without error ⇒ "plugin call exited with code 4294967295"
  (func (export "ret_minus1") (result i32) (i32.const -1))
  ;; 7 without error ⇒ "plugin call exited with code 7"
  (func (export "ret_7") (result i32) (i32.const 7))
  ;; error_set("boom") + 0 ⇒ the error wins: "plugin call failed: boom"
  (func (export "error_with_zero") (result i32)
    (call $error (i32.const 0) (i32.const 4))
    (i32.const 0))
  ;; error_set("boom") + -2 ⇒ the error wins over the not-implemented sentinel
  (func (export "error_with_minus2") (result i32)
    (call $error (i32.const 0) (i32.const 4))
    (i32.const -2))
  ;; output is the JSON string "hello" (fails decoding into an object response)
  (func (export "output_string") (result i32)
    (call $output (i32.const 16) (i32.const 7))
    (i32.const 0))
  ;; output is null (zero value / "not found")
  (func (export "output_null") (result i32)
    (call $output (i32.const 32) (i32.const 4))
    (i32.const 0))
  ;; 0 and no output
  (func (export "ok_empty") (result i32) (i32.const 0))
  ;; makes the plugin a MetadataAgent; -2 ⇒ not implemented ⇒ next agent
  (func (export "nd_get_artist_mbid") (result i32) (i32.const -2))
)
