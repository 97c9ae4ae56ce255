"use client";
import Button from "@mui/material/Button";
import Stack from "@mui/material/Stack";
import Typography from "@mui/material/Typography";
import NextLink from "next/link";

/** Previous / next page links for a paginated list (`base` is the list address with its other parameters). */
export default function Pager({ page, hasMore, base }: { page: number; hasMore: boolean; base: string }) {
  if (page <= 1 && !hasMore) return null;
  const href = (p: number) => `${base}${base.includes("?") ? "&" : "?"}page=${p}`;
  return (
    <Stack component="nav" aria-label="Pages" direction="row" spacing={2} sx={{ mt: 3, justifyContent: "center", alignItems: "center" }}>
      <Button component={NextLink} href={href(page - 1)} disabled={page <= 1} aria-label="Previous page">
        Previous
      </Button>
      <Typography variant="body2">Page {page}</Typography>
      <Button component={NextLink} href={href(page + 1)} disabled={!hasMore} aria-label="Next page">
        Next
      </Button>
    </Stack>
  );
}
