;; wat-trap: wasm traps without any error_set.
;;   trap_unreachable / nd_get_artist_biography  execute `unreachable`
;;   trap_div_zero    / nd_get_artist_url        integer division by zero
(module
  (memory (export "memory") 1)
  (global $zero (mut i32) (i32.const 0))
  (func $unreachable (result i32)
    unreachable)
  (func $div_zero (result i32)
    (i32.div_s (i32.const 1) (global.get $zero)))
  (export "trap_unreachable" (func $unreachable))
  (export "trap_div_zero" (func $div_zero))
  (export "nd_get_artist_biography" (func $unreachable))
  (export "nd_get_artist_url" (func $div_zero))
)
