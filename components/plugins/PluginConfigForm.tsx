"use client";
import { and, createAjv, isObjectArrayControl, optionIs, rankWith, type JsonSchema, type UISchemaElement } from "@jsonforms/core";
import { materialArrayLayoutTester, materialCells, materialRenderers } from "@jsonforms/material-renderers";
import { JsonForms } from "@jsonforms/react";
import Alert from "@mui/material/Alert";
import { Component, useMemo, type ReactNode } from "react";
import { schemaLimitProblem } from "@/lib/plugins/schema-limits";
import { withSchemaDefaults } from "./schema-defaults";
import { secureUiSchema } from "./secure-ui-schema";

export interface FormError {
  field: string;
  message: string;
}

interface Props {
  schema: Record<string, unknown>;
  uiSchema: Record<string, unknown> | null;
  data: unknown;
  /** Errors the server reported for fields, shown beside the form's own. */
  serverErrors: Record<string, string>;
  onChange: (data: unknown, errors: FormError[]) => void;
}

// Descriptions are always shown, not only while the field has focus (contract §6.5).
const FORM_CONFIG = { showUnfocusedDescription: true };

// Arrays with secret properties render as expandable items (whose detail shows secrets as
// passwords) rather than the table, whose cells show every value as text (secure-ui-schema.ts).
const arrayLayout = materialRenderers.find((r) => r.tester === materialArrayLayoutTester)!.renderer;
const RENDERERS = [...materialRenderers, { tester: rankWith(10, and(isObjectArrayControl, optionIs("secretItems", true))), renderer: arrayLayout }];

class RenderGuard extends Component<{ children: ReactNode }, { failed: boolean }> {
  state = { failed: false };
  static getDerivedStateFromError() {
    return { failed: true };
  }
  render() {
    return this.state.failed ? <Alert severity="error">Unable to render configuration form: the plugin&apos;s schema is not usable.</Alert> : this.props.children;
  }
}

/**
 * The plugin's config editor: JSONForms with the Material renderers, driven by the
 * manifest's `schema` and `uiSchema` (contract §6.5). ajv validates live with defaults
 * filled in; the server validates again on save.
 */
export default function PluginConfigForm({ schema, uiSchema, data, serverErrors, onChange }: Props) {
  const ajv = useMemo(() => createAjv({ useDefaults: true, allErrors: true, verbose: true, strict: false }), []);
  // The server refuses such manifests; this keeps a row stored before that check away from ajv here too.
  const refusal = useMemo(() => schemaLimitProblem(schema, uiSchema), [schema, uiSchema]);
  // A root schema without a type is treated as an object, as Navidrome's UI does.
  const rootSchema = useMemo(() => ({ type: "object", ...schema }) as JsonSchema, [schema]);
  const filled = useMemo(() => (refusal ? {} : withSchemaDefaults(rootSchema, data ?? {})), [refusal, rootSchema, data]);
  const safeUiSchema = useMemo(() => (refusal ? null : secureUiSchema(rootSchema, uiSchema as UISchemaElement | null)), [refusal, rootSchema, uiSchema]);
  const serverList = Object.entries(serverErrors);
  if (refusal) return <Alert severity="error">Unable to render configuration form: {refusal}</Alert>;
  return (
    <RenderGuard>
      {serverList.length > 0 && (
        <Alert severity="error" sx={{ mb: 2 }} data-testid="config-server-errors">
          {serverList.map(([field, msg]) => (
            <div key={field}>
              <b>{field || "config"}</b>: {msg}
            </div>
          ))}
        </Alert>
      )}
      <JsonForms
        schema={rootSchema}
        uischema={safeUiSchema ?? undefined}
        data={filled}
        renderers={RENDERERS}
        cells={materialCells}
        ajv={ajv}
        validationMode="ValidateAndShow"
        config={FORM_CONFIG}
        onChange={({ data: next, errors }) =>
          onChange(
            next,
            (errors ?? []).map((e) => ({ field: e.instancePath.replace(/^\//, "") || String((e.params as { missingProperty?: string }).missingProperty ?? ""), message: e.message ?? "invalid" })),
          )
        }
      />
    </RenderGuard>
  );
}
