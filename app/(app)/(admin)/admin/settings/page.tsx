import { redirect } from "next/navigation";
import { requirePageAdmin } from "@/lib/auth/guard";

/** Settings has one section so far: plugin repositories. */
export default async function SettingsPage() {
  await requirePageAdmin();
  redirect("/admin/settings/repositories");
}
