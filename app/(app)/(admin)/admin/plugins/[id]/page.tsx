import Typography from "@mui/material/Typography";
import { notFound } from "next/navigation";
import PluginDetail from "@/components/plugins/PluginDetail";
import { requirePageAdmin } from "@/lib/auth/guard";
import { findPlugin } from "@/lib/db/plugins";
import { listLibraries } from "@/lib/libraries/libraries";
import { pluginManager } from "@/lib/plugins";
import { activityView, pluginView } from "@/lib/plugin-admin/views";
import { listUsers } from "@/lib/users/users";

export const dynamic = "force-dynamic";

export default async function PluginPage({ params }: { params: Promise<{ id: string }> }) {
  await requirePageAdmin();
  const { id } = await params;
  const manager = pluginManager();
  const record = manager?.opts.enabled ? await findPlugin(decodeURIComponent(id)) : null;
  if (!record || !manager) notFound();
  const [users, libraries] = await Promise.all([listUsers(), listLibraries()]);
  return (
    <>
      <Typography variant="h4" component="h1" gutterBottom>
        {record.id}
      </Typography>
      <PluginDetail
        key={record.id}
        plugin={pluginView(record)}
        users={users.map((u) => ({ id: u.id, label: u.name || u.userName, secondary: u.userName }))}
        libraries={libraries.map((l) => ({ id: l.id, label: l.name, secondary: l.path }))}
        activity={activityView(record, manager.activity(record.id))}
      />
    </>
  );
}
