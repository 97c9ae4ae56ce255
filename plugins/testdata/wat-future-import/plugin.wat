;; wat-future-import: imports a host function no Navidrome release registers (playlist_create), as a plugin built
;; for a newer Navidrome or a fork would. Loading must fail with the classified message (addendum A5.6):
;; "creating instance: "playlist_create" is not exported in module "extism:host/user": unknown to every Navidrome release …"
(module
  (import "extism:host/user" "playlist_create" (func $playlist_create (param i64) (result i64)))
  (memory (export "memory") 1)
  (func (export "nd_on_init") (result i32) (i32.const 0))
  ;; an export no Navidrome release calls: `ndp validate` warns about it
  (func (export "nd_future_hook") (result i32) (i32.const 0))
  ;; referenced so that no tool could consider the import dead
  (func (export "use_future") (result i32)
    (drop (call $playlist_create (i64.const 0)))
    (i32.const 0))
)
