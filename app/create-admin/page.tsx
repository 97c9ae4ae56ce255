import { redirect } from "next/navigation";
import CredentialsForm from "@/components/auth/CredentialsForm";
import { countUsers } from "@/lib/users/users";

export const dynamic = "force-dynamic";

export default async function CreateAdminPage() {
  if ((await countUsers()) > 0) redirect("/login");
  return <CredentialsForm mode="createAdmin" />;
}
