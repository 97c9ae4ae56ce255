import type { ReactNode } from "react";
import AppShell from "@/components/layout/AppShell";
import { requirePageAdmin } from "@/lib/auth/guard";

export const dynamic = "force-dynamic";

export default async function AdminLayout({ children }: { children: ReactNode }) {
  const user = await requirePageAdmin();
  return <AppShell user={{ userName: user.userName, isAdmin: true }}>{children}</AppShell>;
}
