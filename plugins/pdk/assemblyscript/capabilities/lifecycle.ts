// Lifecycle capability (contract §3.6): `nd_on_init` runs after every load of the plugin
// (server start, enable, and the reload after every settings save), once the plugin is
// registered, so schedules, queues and sockets created here already reach their callbacks.
// A failure is logged; the plugin stays loaded.
//
//   export * from "@tessitura/ndp-pdk/exports/lifecycle";
//   class Init extends Lifecycle { onInit(): void { … } }
//   registerLifecycle(new Init());
import { notImplemented } from "../lib/call";

export class Lifecycle {
  onInit(): void {
    notImplemented();
  }
}

let registered: Lifecycle | null = null;

export function registerLifecycle(lifecycle: Lifecycle): void {
  registered = lifecycle;
}

export function registeredLifecycle(): Lifecycle | null {
  return registered;
}
