"use client";
import Card from "@mui/material/Card";
import CardContent from "@mui/material/CardContent";
import CardHeader from "@mui/material/CardHeader";
import FormControlLabel from "@mui/material/FormControlLabel";
import Switch from "@mui/material/Switch";
import ScopePicker, { type ScopeOption } from "../ScopePicker";

export interface LibrariesScope {
  all: boolean;
  selected: number[];
  write: boolean;
}

interface Props {
  reason?: string;
  /** The plugin declares `library.filesystem`: its libraries' files are mounted, and write access can be granted. */
  filesystem: boolean;
  options: ScopeOption<number>[];
  value: LibrariesScope;
  onChange: (value: LibrariesScope) => void;
}

/** The libraries a plugin with the `library` permission may read (contract §6.4 item 7, §6.7). */
export default function LibrariesCard({ reason, filesystem, options, value, onChange }: Props) {
  return (
    <Card variant="outlined">
      <CardHeader title="Libraries" subheader={filesystem ? "Libraries whose files are mounted read-only into the plugin" : "Libraries the plugin may read"} />
      <CardContent>
        <ScopePicker
          kind="libraries"
          reason={reason}
          options={options}
          all={value.all}
          selected={value.selected}
          onChange={(all, selected) => onChange({ ...value, all, selected })}
        />
        {filesystem && (
          <FormControlLabel
            control={<Switch checked={value.write} onChange={(e) => onChange({ ...value, write: e.target.checked })} />}
            label="Allow write access (the plugin may modify your music files)"
          />
        )}
      </CardContent>
    </Card>
  );
}
