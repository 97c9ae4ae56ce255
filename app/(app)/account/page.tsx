import Typography from "@mui/material/Typography";
import ApiKeys from "@/components/account/ApiKeys";
import { listApiKeys } from "@/lib/auth/api-keys";
import { requirePageUser } from "@/lib/auth/guard";

export const dynamic = "force-dynamic";

export default async function AccountPage() {
  const user = await requirePageUser();
  return (
    <>
      <Typography variant="h4" component="h1" gutterBottom>
        Your account
      </Typography>
      <ApiKeys initialKeys={await listApiKeys(user.id)} />
    </>
  );
}
