/** Node's dial errors in Go's words where they have a counterpart (plugins see Go's texts); otherwise Node's message. */
export function dialErrorText(err: Error & { code?: string; address?: string; port?: number; hostname?: string }): string {
  const addr = err.address ? `${err.address.includes(":") ? `[${err.address}]` : err.address}:${err.port}` : "";
  switch (err.code) {
    case "ECONNREFUSED":
      return `dial tcp ${addr}: connect: connection refused`;
    case "ENOTFOUND":
      return `dial tcp: lookup ${err.hostname}: no such host`;
    case "ETIMEDOUT":
      return `dial tcp ${addr}: i/o timeout`;
    case "ECONNRESET":
      return `read tcp ${addr}: connection reset by peer`;
  }
  if (err.message === "Opening handshake has timed out") return "i/o timeout";
  return err.message;
}
