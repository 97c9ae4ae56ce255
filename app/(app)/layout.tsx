import type { ReactNode } from "react";
import AppShell from "@/components/layout/AppShell";
import PlayerProvider from "@/components/player/PlayerProvider";
import PlayerBar from "@/components/player/PlayerBar";
import { requirePageUser } from "@/lib/auth/guard";

export const dynamic = "force-dynamic";

/**
 * Every signed-in page shares this layout, so the player (its provider, audio element and bottom bar) survives
 * navigation: Next.js keeps a layout mounted while only the page below it changes.
 */
export default async function SignedInLayout({ children }: { children: ReactNode }) {
  const user = await requirePageUser();
  return (
    <PlayerProvider>
      <AppShell user={{ userName: user.userName, isAdmin: user.isAdmin }} footer={<PlayerBar />}>
        {children}
      </AppShell>
    </PlayerProvider>
  );
}
