import Card from "@mui/material/Card";
import CardContent from "@mui/material/CardContent";
import Grid from "@mui/material/Grid";
import Typography from "@mui/material/Typography";
import { requirePageUser } from "@/lib/auth/guard";
import { serverCounts } from "@/lib/db/stats";

export const dynamic = "force-dynamic";

export default async function HomePage() {
  const user = await requirePageUser();
  const { libraries, tracks, albums, artists, plugins } = await serverCounts();
  const stats = [
    { label: "Libraries", value: libraries },
    { label: "Artists", value: artists },
    { label: "Albums", value: albums },
    { label: "Tracks", value: tracks },
    { label: "Plugins", value: plugins },
  ];
  return (
    <>
      <Typography variant="h4" component="h1" gutterBottom>
        Welcome, {user.name || user.userName}
      </Typography>
      <Typography color="text.secondary" sx={{ mb: 3 }}>
        Point any Subsonic client at this server&apos;s address with your user name and password.
      </Typography>
      <Grid container spacing={2}>
        {stats.map((s) => (
          <Grid key={s.label} size={{ xs: 6, md: 2.4 }}>
            <Card variant="outlined">
              <CardContent>
                <Typography variant="overline">{s.label}</Typography>
                <Typography variant="h4">{s.value}</Typography>
              </CardContent>
            </Card>
          </Grid>
        ))}
      </Grid>
    </>
  );
}
