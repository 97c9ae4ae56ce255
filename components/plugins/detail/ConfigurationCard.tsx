"use client";
import Card from "@mui/material/Card";
import CardContent from "@mui/material/CardContent";
import CardHeader from "@mui/material/CardHeader";
import PluginConfigForm, { type FormError } from "../PluginConfigForm";

interface Props {
  schema: Record<string, unknown>;
  uiSchema: Record<string, unknown> | null;
  data: unknown;
  /** Per-field messages of the last refused save, keyed by field path. */
  serverErrors: Record<string, string>;
  onChange: (data: unknown, errors: FormError[]) => void;
}

/** The JSONForms editor for the manifest's config schema (contract §6.4 item 5, §6.5). */
export default function ConfigurationCard({ schema, uiSchema, data, serverErrors, onChange }: Props) {
  return (
    <Card variant="outlined">
      <CardHeader title="Configuration" />
      <CardContent>
        <PluginConfigForm schema={schema} uiSchema={uiSchema} data={data} serverErrors={serverErrors} onChange={onChange} />
      </CardContent>
    </Card>
  );
}
