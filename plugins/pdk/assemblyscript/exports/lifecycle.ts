// The Lifecycle export:  export * from "@tessitura/ndp-pdk/exports/lifecycle";
import { registeredLifecycle } from "../capabilities/lifecycle";
import { FAILED, NOT_IMPLEMENTED, readRequest, respondEmpty } from "../lib/call";

export function nd_on_init(): i32 {
  const l = registeredLifecycle();
  if (l === null) return NOT_IMPLEMENTED;
  if (readRequest() === null) return FAILED;
  l.onInit();
  return respondEmpty();
}
