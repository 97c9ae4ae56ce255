"use client";
import Alert from "@mui/material/Alert";
import Button from "@mui/material/Button";
import Container from "@mui/material/Container";

// Shown for any server or render error: a plain message, never a stack trace.
export default function ErrorPage({ reset }: { error: Error; reset: () => void }) {
  return (
    <Container maxWidth="sm" sx={{ py: 8 }}>
      <Alert severity="error" action={<Button onClick={reset}>Retry</Button>}>
        Something went wrong on the server. The error was logged; try again in a moment.
      </Alert>
    </Container>
  );
}
