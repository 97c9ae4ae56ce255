;; wat-scrobbler-no-users: exports a Scrobbler function but the manifest lacks `users` (load rule 7 must reject it).
(module
  (memory (export "memory") 1)
  (func (export "nd_scrobbler_scrobble") (result i32) (i32.const 0))
)
