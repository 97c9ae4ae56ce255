import type { JsonSchema, UISchemaElement } from "@jsonforms/core";
import { describe, expect, it } from "vitest";
import { secureUiSchema } from "./secure-ui-schema";

type Ui = UISchemaElement & { scope?: string; options?: Record<string, unknown>; elements?: Ui[] };
const str = { type: "string" };
const controls = (ui: Ui | null): Ui[] => (ui ? [...(ui.type === "Control" ? [ui] : []), ...(ui.elements ?? []).flatMap(controls), ...controls((ui.options?.detail as Ui) ?? null)] : []);
const control = (ui: Ui | null, scope: string) => controls(ui).find((c) => c.scope === scope);

describe("the config form's uiSchema never shows a secret as text", () => {
  it("leaves schemas without secrets alone", () => {
    const ui = { type: "VerticalLayout", elements: [{ type: "Control", scope: "#/properties/a" }] } as Ui;
    expect(secureUiSchema({ type: "object", properties: { a: str } } as JsonSchema, ui)).toBe(ui);
    expect(secureUiSchema({ type: "object", properties: { a: str } } as JsonSchema, null)).toBeNull();
  });

  it("renders schema-marked secrets as passwords, with or without a uiSchema", () => {
    const schema = { type: "object", properties: { key: { type: "string", format: "password" }, note: str, nested: { type: "object", properties: { tok: { type: "string", writeOnly: true } } } } } as JsonSchema;
    const generated = secureUiSchema(schema, null) as Ui;
    expect(control(generated, "#/properties/key")?.options?.format).toBe("password");
    expect(control(generated, "#/properties/tok")?.options?.format).toBe("password");
    expect(control(generated, "#/properties/note")?.options?.format).toBeUndefined();
  });

  it("labels array items by a property that is not secret, and renders the secret in their detail as a password", () => {
    const schema = { type: "object", $defs: { acc: { type: "object", properties: { token: str, user: str } } }, properties: { accounts: { type: "array", items: { $ref: "#/$defs/acc" } } } } as JsonSchema;
    const ui = {
      type: "VerticalLayout",
      elements: [{ type: "Control", scope: "#/properties/accounts", options: { detail: { type: "VerticalLayout", elements: [{ type: "Control", scope: "#/properties/token", options: { format: "password" } }] } } }],
    } as Ui;
    const accounts = control(secureUiSchema(schema, ui) as Ui, "#/properties/accounts")!;
    expect(accounts.options).toMatchObject({ elementLabelProp: "user", secretItems: true });

    const onlySecret = { type: "object", properties: { keys: { type: "array", items: { type: "object", properties: { k: { type: "string", format: "password" } } } } } } as JsonSchema;
    const keys = control(secureUiSchema(onlySecret, null) as Ui, "#/properties/keys")!;
    expect(keys.options?.elementLabelProp).toBe("\u0000");
    expect(control((keys.options?.detail as Ui) ?? null, "#/properties/k")?.options?.format).toBe("password");
  });
});
