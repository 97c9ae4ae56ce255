import Typography from "@mui/material/Typography";
import ApiKeys from "@/components/account/ApiKeys";
import AppShell from "@/components/layout/AppShell";
import { listApiKeys } from "@/lib/auth/api-keys";
import { requirePageUser } from "@/lib/auth/guard";

export const dynamic = "force-dynamic";

export default async function AccountPage() {
  const user = await requirePageUser();
  return (
    <AppShell user={{ userName: user.userName, isAdmin: user.isAdmin }}>
      <Typography variant="h4" component="h1" gutterBottom>
        Your account
      </Typography>
      <ApiKeys initialKeys={await listApiKeys(user.id)} />
    </AppShell>
  );
}
