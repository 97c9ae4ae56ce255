"use client";
import Button from "@mui/material/Button";
import FormControl from "@mui/material/FormControl";
import InputLabel from "@mui/material/InputLabel";
import MenuItem from "@mui/material/MenuItem";
import Select from "@mui/material/Select";
import Stack from "@mui/material/Stack";
import TextField from "@mui/material/TextField";
import { usePathname, useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";
import { ALBUM_SORTS, ALBUM_SORT_LABELS, type AlbumSort } from "@/lib/browse/types";

interface Props {
  sort: AlbumSort;
  genre?: string;
  fromYear?: number;
  toYear?: number;
  genres: { name: string; albumCount: number }[];
}

/** Sort and filter of the album grid, kept in the URL (so a view can be linked and survives reload). */
export default function AlbumFilters({ sort, genre, fromYear, toYear, genres }: Props) {
  const router = useRouter();
  const pathname = usePathname();
  const [from, setFrom] = useState(fromYear?.toString() ?? "");
  const [to, setTo] = useState(toYear?.toString() ?? "");

  function go(params: Record<string, string | undefined>) {
    const q = new URLSearchParams();
    for (const [k, v] of Object.entries(params)) if (v) q.set(k, v);
    router.push(`${pathname}?${q}`);
  }
  function applyYears(e: FormEvent) {
    e.preventDefault();
    go({ sort: "year", from, to });
  }
  return (
    <Stack direction={{ xs: "column", sm: "row" }} spacing={2} sx={{ mb: 3, alignItems: { sm: "center" } }}>
      <FormControl size="small" sx={{ minWidth: 180 }}>
        <InputLabel id="album-sort-label">Sort</InputLabel>
        <Select labelId="album-sort-label" label="Sort" value={sort} onChange={(e) => go({ sort: e.target.value, genre: e.target.value === "genre" ? genre ?? genres[0]?.name : undefined })}>
          {ALBUM_SORTS.map((s) => (
            <MenuItem key={s} value={s}>
              {ALBUM_SORT_LABELS[s]}
            </MenuItem>
          ))}
        </Select>
      </FormControl>
      {sort === "genre" && (
        <FormControl size="small" sx={{ minWidth: 180 }}>
          <InputLabel id="album-genre-label">Genre</InputLabel>
          <Select labelId="album-genre-label" label="Genre" value={genre ?? ""} onChange={(e) => go({ sort: "genre", genre: e.target.value })}>
            {genres.map((g) => (
              <MenuItem key={g.name} value={g.name}>
                {g.name} ({g.albumCount})
              </MenuItem>
            ))}
          </Select>
        </FormControl>
      )}
      {sort === "year" && (
        <Stack component="form" direction="row" spacing={1} onSubmit={applyYears} aria-label="Year range">
          <TextField size="small" label="From year" type="number" value={from} onChange={(e) => setFrom(e.target.value)} sx={{ width: 120 }} slotProps={{ htmlInput: { min: 0, max: 9999 } }} />
          <TextField size="small" label="To year" type="number" value={to} onChange={(e) => setTo(e.target.value)} sx={{ width: 120 }} slotProps={{ htmlInput: { min: 0, max: 9999 } }} />
          <Button type="submit" variant="outlined">
            Apply
          </Button>
        </Stack>
      )}
      {sort === "random" && (
        <Button variant="outlined" onClick={() => router.refresh()}>
          Shuffle again
        </Button>
      )}
    </Stack>
  );
}
