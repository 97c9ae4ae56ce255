;; wat-loop: nd_get_artist_biography never returns (timeout / cancellation test).
(module
  (memory (export "memory") 1)
  (func (export "nd_get_artist_biography") (result i32)
    (loop $forever (br $forever))
    (i32.const 0))
)
