/**
 * Host functions of module `extism:host/user` and the permission that grants each (contract §4,
 * plus the later Matcher, Storage and ScrobbleRetriever services Tessitura implements). Config needs none.
 */
export const HOST_FUNCTIONS: Record<string, readonly string[]> = {
  config: ["config_get", "config_getint", "config_keys"],
  subsonicapi: ["subsonicapi_call", "subsonicapi_callraw"],
  scheduler: ["scheduler_scheduleonetime", "scheduler_schedulerecurring", "scheduler_cancelschedule"],
  websocket: ["websocket_connect", "websocket_sendtext", "websocket_sendbinary", "websocket_closeconnection"],
  artwork: ["artwork_getartisturl", "artwork_getalbumurl", "artwork_gettrackurl", "artwork_getplaylisturl"],
  cache: ["cache_setstring", "cache_getstring", "cache_setint", "cache_getint", "cache_setfloat", "cache_getfloat", "cache_setbytes", "cache_getbytes", "cache_has", "cache_remove"],
  library: ["library_getlibrary", "library_getalllibraries"],
  kvstore: ["kvstore_set", "kvstore_setwithttl", "kvstore_get", "kvstore_getmany", "kvstore_has", "kvstore_list", "kvstore_delete", "kvstore_deletebyprefix", "kvstore_getstorageused"],
  users: ["users_getusers", "users_getadmins"],
  http: ["http_send"],
  taskqueue: ["task_createqueue", "task_enqueue", "task_get", "task_cancel", "task_clearqueue"],
  matcher: ["matcher_matchsongs"],
  storage: ["storage_getstoragepath"],
  scrobbleRetriever: ["scrobbleretriever_getfirsttimestamp", "scrobbleretriever_getlasttimestamp", "scrobbleretriever_getscrobbles", "scrobbleretriever_getscrobblecount"],
};

/** The permission granting host function `name` ("config" needs none), or null for an unknown name. */
export function permissionForHostFunction(name: string): string | null {
  for (const [permission, names] of Object.entries(HOST_FUNCTIONS)) if (names.includes(name)) return permission;
  return null;
}
