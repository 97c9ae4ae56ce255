"use client";
import Box from "@mui/material/Box";
import Link from "@mui/material/Link";

/** A row of index letters that jump to their section of the artist index. */
export default function LetterJump({ letters }: { letters: string[] }) {
  return (
    <Box component="nav" aria-label="Jump to letter" sx={{ display: "flex", flexWrap: "wrap", gap: 1, mb: 2 }}>
      {letters.map((l) => (
        <Link key={l} href={`#index-${l === "#" ? "other" : l}`} underline="hover" sx={{ minWidth: 20, textAlign: "center" }}>
          {l}
        </Link>
      ))}
    </Box>
  );
}
