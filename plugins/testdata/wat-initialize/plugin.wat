;; wat-initialize: proves that `_initialize` runs before every call on a fresh instance.
;;   _initialize  sets the mutable global $g to 42
;;   get_global   outputs {"g":<g>}  ⇒ {"g":42} when _initialize ran, {"g":0} when it did not
;;   bump         increments $g and outputs it ⇒ always {"g":43} with a fresh instance per call
(module
  (import "extism:host/env" "alloc" (func $alloc (param i64) (result i64)))
  (import "extism:host/env" "store_u8" (func $store_u8 (param i64 i32)))
  (import "extism:host/env" "output_set" (func $output_set (param i64 i64)))

  (memory (export "memory") 1)
  (global $g (mut i32) (i32.const 0))

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

  ;; Writes {"g":<v>} (v >= 0, decimal) ending at address 64 and sets it as the Extism output.
  (func $output_g (param $v i32)
    (local $p i32)
    (local.set $p (i32.const 63))
    (i32.store8 (local.get $p) (i32.const 125))          ;; }
    (loop $digits
      (local.set $p (i32.sub (local.get $p) (i32.const 1)))
      (i32.store8 (local.get $p) (i32.add (i32.const 48) (i32.rem_u (local.get $v) (i32.const 10))))
      (local.set $v (i32.div_u (local.get $v) (i32.const 10)))
      (br_if $digits (i32.ne (local.get $v) (i32.const 0))))
    ;; prefix {"g":  (5 bytes)
    (local.set $p (i32.sub (local.get $p) (i32.const 5)))
    (i32.store8 (local.get $p) (i32.const 123))                          ;; {
    (i32.store8 (i32.add (local.get $p) (i32.const 1)) (i32.const 34))   ;; "
    (i32.store8 (i32.add (local.get $p) (i32.const 2)) (i32.const 103))  ;; g
    (i32.store8 (i32.add (local.get $p) (i32.const 3)) (i32.const 34))   ;; "
    (i32.store8 (i32.add (local.get $p) (i32.const 4)) (i32.const 58))   ;; :
    (call $output_set
      (call $block (local.get $p) (i32.sub (i32.const 64) (local.get $p)))
      (i64.extend_i32_u (i32.sub (i32.const 64) (local.get $p)))))

  (func (export "_initialize")
    (global.set $g (i32.const 42)))

  (func (export "get_global") (result i32)
    (call $output_g (global.get $g))
    (i32.const 0))

  (func (export "bump") (result i32)
    (global.set $g (i32.add (global.get $g) (i32.const 1)))
    (call $output_g (global.get $g))
    (i32.const 0))
)
