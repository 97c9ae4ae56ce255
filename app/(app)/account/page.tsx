import Stack from "@mui/material/Stack";
import Typography from "@mui/material/Typography";
import ApiKeys from "@/components/account/ApiKeys";
import PasswordForm from "@/components/account/PasswordForm";
import Players from "@/components/account/Players";
import ProfileForm from "@/components/account/ProfileForm";
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
      <Stack spacing={2}>
        <ProfileForm userName={user.userName} initial={{ name: user.name, email: user.email }} />
        <PasswordForm />
        <ApiKeys initialKeys={await listApiKeys(user.id)} />
        <Players userId={user.id} />
      </Stack>
    </>
  );
}
