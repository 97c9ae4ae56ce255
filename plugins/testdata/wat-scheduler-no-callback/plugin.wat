;; wat-scheduler-no-callback: declares `scheduler` but does not export nd_scheduler_callback (load rule 8).
(module
  (memory (export "memory") 1)
  (func (export "nd_on_init") (result i32) (i32.const 0))
)
