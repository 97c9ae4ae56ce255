import Box from "@mui/material/Box";
import Typography from "@mui/material/Typography";
import { headers } from "next/headers";
import StatCards, { type Stat } from "@/components/home/StatCards";
import SubsonicAddress from "@/components/home/SubsonicAddress";
import { requirePageUser } from "@/lib/auth/guard";
import { serverCounts } from "@/lib/db/stats";

export const dynamic = "force-dynamic";

/**
 * The address a Subsonic client should use: this page's own origin. Forwarded headers are
 * taken as they come: the value is only shown to the signed-in user, never trusted.
 */
async function serverAddress(): Promise<string> {
  const h = await headers();
  const host = h.get("x-forwarded-host")?.split(",")[0].trim() || h.get("host") || "localhost";
  const proto = h.get("x-forwarded-proto")?.split(",")[0].trim() || "http";
  return `${proto}://${host}`;
}

export default async function HomePage() {
  const user = await requirePageUser();
  const { libraries, tracks, albums, artists, plugins } = await serverCounts();
  const admin = user.isAdmin;
  const stats: Stat[] = [
    { label: "Libraries", value: libraries, href: admin ? "/admin/libraries" : undefined },
    { label: "Artists", value: artists, href: "/artists" },
    { label: "Albums", value: albums, href: "/albums" },
    { label: "Tracks", value: tracks, href: "/albums" },
    { label: "Plugins", value: plugins, href: admin ? "/admin/plugins" : undefined },
  ];
  return (
    <>
      <Typography variant="h4" component="h1" gutterBottom>
        Welcome, {user.name || user.userName}
      </Typography>
      <Typography color="text.secondary" sx={{ mb: 3 }}>
        Browse and play here, or point any Subsonic client at this server with your user name and password.
      </Typography>
      <StatCards stats={stats} />
      <Box sx={{ mt: 4, maxWidth: 560 }}>
        <SubsonicAddress address={await serverAddress()} />
      </Box>
    </>
  );
}
