import { redirect } from "next/navigation";
import CredentialsForm from "@/components/auth/CredentialsForm";
import { currentUser } from "@/lib/auth/session";
import { countUsers } from "@/lib/users/users";

export const dynamic = "force-dynamic";

export default async function LoginPage() {
  if ((await countUsers()) === 0) redirect("/create-admin");
  if (await currentUser()) redirect("/");
  return <CredentialsForm mode="login" />;
}
