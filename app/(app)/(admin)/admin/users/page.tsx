import Typography from "@mui/material/Typography";
import UserTable from "@/components/users/UserTable";
import { requirePageAdmin } from "@/lib/auth/guard";
import { listUsers } from "@/lib/users/users";

export const dynamic = "force-dynamic";

export default async function UsersPage() {
  // Layouts and pages render in parallel: every admin page checks for itself.
  const me = await requirePageAdmin();
  const users = await listUsers();
  return (
    <>
      <Typography variant="h4" component="h1" gutterBottom>
        Users
      </Typography>
      <UserTable initialUsers={users} currentUserId={me.id} />
    </>
  );
}
