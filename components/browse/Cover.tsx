import Avatar from "@mui/material/Avatar";
import { coverUrl } from "@/lib/browse/urls";

/**
 * A cover or artist image from /api/cover, lazily loaded. Decorative by default (the name is
 * always shown next to it); the route answers a placeholder for items without art.
 */
export default function Cover({ coverArt, size, round = false, alt = "" }: { coverArt: string; size: number; round?: boolean; alt?: string }) {
  // Ask for twice the displayed size, for high-density screens (the route rounds up to its size buckets).
  return (
    <Avatar
      src={coverUrl(coverArt, size * 2)}
      alt={alt}
      variant={round ? "circular" : "rounded"}
      slotProps={{ img: { loading: "lazy", decoding: "async" } }}
      sx={{ width: size, height: size, bgcolor: "action.hover" }}
    />
  );
}
