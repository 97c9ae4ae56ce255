import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { installVariant } from "@/lib/testing/host-plugins";
import type { Manifest } from "@/lib/plugins/manifest/types";
import { freePort, runPluginCli as cli } from "./plugin-cli/cli-process";

/**
 * The CLI never prints a plugin's secrets (finding 6 of "Trust the sandbox"), and the
 * masked config it prints can be edited and saved back by a later run: the real CLI
 * (`node scripts/plugin-cli.mjs`) as a child process, offline on a temporary DataFolder.
 */


/** test-config with its accounts' tokens shown as passwords by an array detail layout. */
function accountsSecret(m: Manifest): void {
  const ui = m.config!.uiSchema as { elements: Record<string, unknown>[] };
  const accounts = ui.elements.find((e) => e.scope === "#/properties/accounts")!;
  accounts.options = { detail: { type: "VerticalLayout", elements: [{ type: "Control", scope: "#/properties/username" }, { type: "Control", scope: "#/properties/token", options: { format: "password" } }] } };
}

const SECRETS = ["k-cli-1", "tok-ana-cli", "tok-bo-cli"];

describe("plugin CLI and config secrets", () => {
  const dataFolder = mkdtempSync(path.join(tmpdir(), "tessitura-cli-secrets-"));
  const pluginsFolder = mkdtempSync(path.join(tmpdir(), "tessitura-cli-secrets-plugins-"));
  let env: Record<string, string>;
  const run = (...args: string[]) => cli([...args, "--offline"], env);
  const expectNoSecrets = (text: string) => SECRETS.forEach((s) => expect(text, `${s} printed`).not.toContain(s));

  beforeAll(async () => {
    installVariant(pluginsFolder, { base: "test-config", manifest: accountsSecret });
    env = { ND_DATAFOLDER: dataFolder, ND_PLUGINS_FOLDER: pluginsFolder, ND_PORT: String(await freePort()) };
    expect((await run("rescan")).code).toBe(0);
  });

  it("config get, info and list print secrets masked, and a masked config edited and saved back keeps each account's secret", async () => {
    const config = { apiKey: "k-cli-1", accounts: [{ username: "ana", token: "tok-ana-cli" }, { username: "bo", token: "tok-bo-cli" }] };
    const saved = await run("config", "set", "test-config", JSON.stringify(config), "--json");
    expect(saved.code).toBe(0);
    expectNoSecrets(saved.stdout + saved.stderr);

    const got = await run("config", "get", "test-config", "--json");
    expectNoSecrets(got.stdout);
    const shown = JSON.parse(got.stdout);
    expect(shown.accounts.map((a: { username: string }) => a.username)).toEqual(["ana", "bo"]);
    for (const r of [await run("info", "test-config"), await run("info", "test-config", "--json"), await run("list", "--json")]) expectNoSecrets(r.stdout);

    // Delete the first account and save the rest as printed, from a file (another process).
    const file = path.join(dataFolder, "edited.json");
    writeFileSync(file, JSON.stringify({ ...shown, accounts: [shown.accounts[1]] }));
    const resaved = await run("config", "set", "test-config", `@${file}`);
    expect(resaved).toMatchObject({ code: 0, stdout: "test-config: configuration saved\n" });

    // A mask stands for one value: bo's token prints as the mask it printed as before.
    const after = JSON.parse((await run("config", "get", "test-config", "--json")).stdout);
    expect(after).toEqual({ ...shown, accounts: [shown.accounts[1]] });
  }, 240_000); // eight CLI runs, each a fresh process
});
