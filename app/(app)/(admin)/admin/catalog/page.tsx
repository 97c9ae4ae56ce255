import Alert from "@mui/material/Alert";
import Typography from "@mui/material/Typography";
import CatalogBrowser from "@/components/plugins/catalog/CatalogBrowser";
import { requirePageAdmin } from "@/lib/auth/guard";
import { pluginManager } from "@/lib/plugins";

export const dynamic = "force-dynamic";

export default async function CatalogPage() {
  await requirePageAdmin();
  if (!pluginManager()?.opts.enabled) return <Alert severity="info">The plugin system is disabled (Plugins.Enabled = false).</Alert>;
  return (
    <>
      <Typography variant="h4" component="h1" gutterBottom>
        Plugin catalog
      </Typography>
      <CatalogBrowser />
    </>
  );
}
