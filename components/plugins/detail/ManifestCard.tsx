"use client";
import ExpandMoreIcon from "@mui/icons-material/ExpandMore";
import Accordion from "@mui/material/Accordion";
import AccordionDetails from "@mui/material/AccordionDetails";
import AccordionSummary from "@mui/material/AccordionSummary";

/** The stored manifest, pretty-printed in a collapsed section (contract §6.4 item 4). */
export default function ManifestCard({ manifest }: { manifest: string }) {
  return (
    <Accordion variant="outlined">
      <AccordionSummary expandIcon={<ExpandMoreIcon />}>Manifest</AccordionSummary>
      <AccordionDetails>
        <pre style={{ margin: 0, overflowX: "auto" }}>{JSON.stringify(JSON.parse(manifest), null, 2)}</pre>
      </AccordionDetails>
    </Accordion>
  );
}
