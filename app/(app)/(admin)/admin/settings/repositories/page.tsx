import Typography from "@mui/material/Typography";
import RepositoryList from "@/components/plugins/catalog/RepositoryList";
import { requirePageAdmin } from "@/lib/auth/guard";

export const dynamic = "force-dynamic";

export default async function RepositoriesPage() {
  await requirePageAdmin();
  return (
    <>
      <Typography variant="overline" component="p" color="text.secondary">
        Settings
      </Typography>
      <Typography variant="h4" component="h1" gutterBottom>
        Plugin repositories
      </Typography>
      <RepositoryList />
    </>
  );
}
