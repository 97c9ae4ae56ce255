"use client";
import Chip from "@mui/material/Chip";
import Stack from "@mui/material/Stack";
import NextLink from "next/link";
import type { SimilarArtistView } from "@/lib/browse/types";

/** Similar artists the agents named: linked when in the user's libraries, plain otherwise. */
export default function SimilarArtists({ artists }: { artists: SimilarArtistView[] }) {
  return (
    <Stack component="ul" direction="row" useFlexGap spacing={1} sx={{ flexWrap: "wrap", listStyle: "none", p: 0, m: 0 }} aria-label="Similar artists">
      {artists.map((a) => (
        <li key={a.name}>
          {a.id ? <Chip label={a.name} component={NextLink} href={`/artists/${encodeURIComponent(a.id)}`} clickable color="primary" variant="outlined" /> : <Chip label={a.name} variant="outlined" />}
        </li>
      ))}
    </Stack>
  );
}
