// Runtime probe of the PDK's HttpEndpoint (scripts/ndp/pdk.test.ts): the host's request frame
// decoded, the answer framed, failures and "not implemented" reported as the host expects.
import { EndpointRequest, EndpointResponse, fail, handleAbort, HttpEndpoint, JSONWriter, registerHttpEndpoint } from "@tessitura/ndp-pdk";

export * from "@tessitura/ndp-pdk/exports/http-endpoint";

function myAbort(message: string | null, fileName: string | null, line: u32, column: u32): void {
  handleAbort(message, fileName, line, column);
}

class Echo extends HttpEndpoint {
  handle(req: EndpointRequest): EndpointResponse | null {
    if (req.path == "/fail") return fail<EndpointResponse | null>("nope: " + req.method);
    if (req.path == "/bytes") return EndpointResponse.bytes(202, req.body, "application/octet-stream").header("X-Two", "a").header("X-Two", "b");
    const user = req.user;
    const w = new JSONWriter()
      .beginObject()
      .string("method", req.method)
      .string("path", req.path)
      .string("q", req.queryParam("q"))
      .string("missing", req.queryParam("missing"))
      .string("accept", req.header("ACCEPT"))
      .string("body", req.bodyText())
      .string("user", user === null ? "" : user.username + "/" + user.id + "/" + (user.isAdmin ? "admin" : "user"))
      .endObject();
    return EndpointResponse.json(0, w.toString());
  }
}
registerHttpEndpoint(new Echo());
