import Alert from "@mui/material/Alert";
import Typography from "@mui/material/Typography";
import PluginTable from "@/components/plugins/PluginTable";
import { requirePageAdmin } from "@/lib/auth/guard";
import { listPlugins } from "@/lib/db/plugins";
import { pluginManager } from "@/lib/plugins";
import { pluginViewsWithUpdates } from "@/lib/plugin-admin/views";

export const dynamic = "force-dynamic";

export default async function PluginsPage() {
  await requirePageAdmin();
  const manager = pluginManager();
  if (!manager?.opts.enabled) return <Alert severity="info">The plugin system is disabled (Plugins.Enabled = false).</Alert>;
  // With the catalogs' "update available" and staged updates (issue #15).
  const plugins = await pluginViewsWithUpdates(await listPlugins());
  return (
    <>
      <Typography variant="h4" component="h1" gutterBottom>
        Plugins
      </Typography>
      <PluginTable plugins={plugins} invalid={manager.invalidPackages()} />
    </>
  );
}
