"use client";
import Card from "@mui/material/Card";
import CardActionArea from "@mui/material/CardActionArea";
import CardContent from "@mui/material/CardContent";
import Grid from "@mui/material/Grid";
import Typography from "@mui/material/Typography";
import NextLink from "next/link";

export interface Stat {
  label: string;
  value: number;
  /** The page that lists these; none when the user may not open it. */
  href?: string;
}

/** The home page's counts, each a link to the page that lists them. */
export default function StatCards({ stats }: { stats: Stat[] }) {
  return (
    <Grid container spacing={2}>
      {stats.map((s) => {
        const body = (
          <CardContent>
            <Typography variant="overline">{s.label}</Typography>
            <Typography variant="h4">{s.value}</Typography>
          </CardContent>
        );
        return (
          <Grid key={s.label} size={{ xs: 6, md: 2.4 }}>
            <Card variant="outlined" data-testid={`stat-${s.label.toLowerCase()}`}>
              {s.href ? (
                <CardActionArea component={NextLink} href={s.href} aria-label={`${s.label}: ${s.value}`}>
                  {body}
                </CardActionArea>
              ) : (
                body
              )}
            </Card>
          </Grid>
        );
      })}
    </Grid>
  );
}
