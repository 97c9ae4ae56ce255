"use client";
import Box from "@mui/material/Box";
import Button from "@mui/material/Button";
import Typography from "@mui/material/Typography";
import NextLink from "next/link";

/** What a page shows when it has nothing to list, with an optional way forward. */
export default function EmptyState({ title, hint, action }: { title: string; hint?: string; action?: { href: string; label: string } }) {
  return (
    <Box sx={{ py: 6, textAlign: "center" }} data-testid="empty-state">
      <Typography variant="h6" component="p" gutterBottom>
        {title}
      </Typography>
      {hint && <Typography color="text.secondary">{hint}</Typography>}
      {action && (
        <Button component={NextLink} href={action.href} variant="outlined" sx={{ mt: 2 }}>
          {action.label}
        </Button>
      )}
    </Box>
  );
}
