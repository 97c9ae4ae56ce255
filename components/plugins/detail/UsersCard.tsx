"use client";
import Card from "@mui/material/Card";
import CardContent from "@mui/material/CardContent";
import CardHeader from "@mui/material/CardHeader";
import ScopePicker, { type ScopeOption } from "../ScopePicker";

export interface UsersScope {
  all: boolean;
  selected: string[];
}

interface Props {
  reason?: string;
  options: ScopeOption<string>[];
  value: UsersScope;
  onChange: (value: UsersScope) => void;
}

/** The users a plugin with the `users` permission may act for (contract §6.4 item 6, §6.6). */
export default function UsersCard({ reason, options, value, onChange }: Props) {
  return (
    <Card variant="outlined">
      <CardHeader title="Users" subheader="Whose activity this plugin may act on" />
      <CardContent>
        <ScopePicker kind="users" reason={reason} options={options} all={value.all} selected={value.selected} onChange={(all, selected) => onChange({ all, selected })} />
      </CardContent>
    </Card>
  );
}
