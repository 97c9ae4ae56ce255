;; wat-taskqueue-no-execute: declares `taskqueue` but does not export nd_task_execute (load rule 9).
(module
  (memory (export "memory") 1)
  (func (export "nd_on_init") (result i32) (i32.const 0))
)
