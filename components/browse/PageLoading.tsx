import Box from "@mui/material/Box";
import CircularProgress from "@mui/material/CircularProgress";

/** The loading state of a listener page (loading.tsx). */
export default function PageLoading({ label }: { label: string }) {
  return (
    <Box sx={{ py: 8, display: "flex", justifyContent: "center" }}>
      <CircularProgress aria-label={label} />
    </Box>
  );
}
