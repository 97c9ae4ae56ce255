import Typography from "@mui/material/Typography";
import UserTable from "@/components/users/UserTable";
import { currentUser } from "@/lib/auth/session";
import { listUsers } from "@/lib/users/users";

export const dynamic = "force-dynamic";

export default async function UsersPage() {
  const [users, me] = await Promise.all([listUsers(), currentUser()]);
  return (
    <>
      <Typography variant="h4" component="h1" gutterBottom>
        Users
      </Typography>
      <UserTable initialUsers={users} currentUserId={me!.id} />
    </>
  );
}
