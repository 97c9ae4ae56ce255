import type { ReactNode } from "react";
import { requirePageAdmin } from "@/lib/auth/guard";

export const dynamic = "force-dynamic";

/** Admin pages: the signed-in layout above draws the shell; this only turns non-admins away. */
export default async function AdminLayout({ children }: { children: ReactNode }) {
  await requirePageAdmin();
  return children;
}
