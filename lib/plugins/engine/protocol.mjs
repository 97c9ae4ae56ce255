// @ts-check
// The shared-memory channel between the main thread and one engine worker.
//
// Each worker owns one SharedArrayBuffer: a header of Int32 words, then two byte
// areas (main→worker and worker→main). A message is written, then its direction's
// sequence word is incremented and notified. Exactly one message is outstanding per
// direction, so the areas never need locking. Payloads larger than an area travel on
// a MessagePort and are taken synchronously with `receiveMessageOnPort`.

export const HEADER_WORDS = 16;
export const AREA_BYTES = 256 * 1024;
export const SAB_BYTES = HEADER_WORDS * 4 + 2 * AREA_BYTES;
export const TO_WORKER_OFFSET = HEADER_WORDS * 4;
export const TO_MAIN_OFFSET = TO_WORKER_OFFSET + AREA_BYTES;

// Header word indices.
export const W_SEQ = 0; // bumped by main for each message to the worker
export const M_SEQ = 1; // bumped by the worker for each message to main
export const W_TYPE = 2;
export const W_LEN = 3; // payload length, or -1 when the payload is on the port
export const W_ARG0 = 4;
export const W_ARG1 = 5;
export const W_PORT = 6; // 1 when a control message accompanies this one on the port
export const M_TYPE = 8;
export const M_LEN = 9;
export const M_ARG0 = 10;
export const M_ARG1 = 11;
export const M_ARG2 = 12;
export const LOG_COUNT = 13; // log lines the worker has posted (so main can wait for them before a result)

// main → worker
export const MSG_CALL = 1; // ARG0 module key, ARG1 export index, payload = input
export const MSG_HOST_RETURN = 2; // ARG0 0 ok / 1 error, payload = response bytes or message
export const MSG_CONTROL = 3; // the port carries {load|unload}; the worker answers MSG_CONTROL_DONE

// worker → main
export const MSG_RESULT = 11; // ARG0 return code, ARG1 output length, ARG2 error length (-1: none)
export const MSG_TRAP = 12; // payload = message
export const MSG_HOST_CALL = 13; // ARG0 function index (-1: built-in http_request), payload = request
export const MSG_CONTROL_DONE = 14; // payload = JSON {ok, error?, mode?}

/** Index of the built-in `http_request` in MSG_HOST_CALL. */
export const HOST_HTTP_REQUEST = -1;

/** Extism log levels as `get_log_level` reports them. */
export const LOG_LEVELS = /** @type {const} */ (["trace", "debug", "info", "warn", "error"]);
export const LOG_OFF = 0x7fffffff;
