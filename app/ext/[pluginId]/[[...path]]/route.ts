import { handlePluginEndpoint } from "@/lib/endpoints/handle";

export const dynamic = "force-dynamic";

type Ctx = { params: Promise<{ pluginId: string; path?: string[] }> };

// ANY /ext/{pluginId}[/…] – a plugin's HTTP endpoint (HTTPEndpoint capability)
async function handler(req: Request, ctx: Ctx): Promise<Response> {
  const { pluginId, path } = await ctx.params;
  return handlePluginEndpoint(req, pluginId, path);
}

export { handler as DELETE, handler as GET, handler as HEAD, handler as OPTIONS, handler as PATCH, handler as POST, handler as PUT };
