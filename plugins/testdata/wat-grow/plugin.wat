;; wat-grow: unbounded linear-memory growth.
;;   grow                     memory.grow(1) in a loop; traps (unreachable) once it returns -1.
;;                            NB: with no memory limit V8 needs ~70 s to reach 4 GiB one page at a time.
;;   grow_fast                same, 256 pages (16 MiB) per step, then single pages; fails within seconds.
;;   nd_get_artist_biography  = grow (so the plugin is a MetadataAgent)
(module
  (memory (export "memory") 1)
  (func $grow (result i32)
    (loop $more
      (if (i32.eq (memory.grow (i32.const 1)) (i32.const -1))
        (then unreachable))
      (br $more))
    (i32.const 0))
  (func $grow_fast (result i32)
    (loop $big
      (br_if $big (i32.ne (memory.grow (i32.const 256)) (i32.const -1))))
    (call $grow))
  (export "grow" (func $grow))
  (export "grow_fast" (func $grow_fast))
  (export "nd_get_artist_biography" (func $grow))
)
