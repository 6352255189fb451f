import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  loadConnection,
  parseConnectionString,
  Secret,
  updateEnvFile,
} from "../../mod.ts";

const KEY = "D3noK3yValue/+==";
const CS =
  "SubscriptionId=11111111-2222-3333-4444-555555555555;ResourceGroupName=rg;WorkspaceName=ws;" +
  `ApiKey=${KEY};QuantumEndpoint=https://eastus-v2.quantum.azure.com/;`;

Deno.test("loadConnection() reads an env object", () => {
  const info = loadConnection({ env: { AZURE_QUANTUM_CONNECTION_STRING: CS }, envFile: false });
  assert.equal(info.workspaceKind, "V2");
  assert.equal(info.sources.apiKey, "env AZURE_QUANTUM_CONNECTION_STRING");
  assert.equal(info.apiKey?.reveal(), KEY);
});

Deno.test("loadConnection() finds .env from a subfolder; updateEnvFile() rewrites it", async () => {
  const root = Deno.realPathSync(mkdtempSync(join(tmpdir(), "aqn-deno-")));
  try {
    mkdirSync(join(root, ".git"));
    mkdirSync(join(root, "notebooks"));
    writeFileSync(join(root, ".env"), `# dev\nAZURE_QUANTUM_CONNECTION_STRING='${CS}'\n`);
    const info = loadConnection({ cwd: join(root, "notebooks"), env: {} });
    assert.equal(info.envFilePath, join(root, ".env"));
    assert.deepEqual(info.keySource, {
      kind: "dotenv",
      variable: "AZURE_QUANTUM_CONNECTION_STRING",
      path: join(root, ".env"),
    });
    const next = CS.replace(KEY, "N3wK3y");
    const result = await updateEnvFile(
      join(root, ".env"),
      "AZURE_QUANTUM_CONNECTION_STRING",
      new Secret(next),
      {
        isIgnoredByGit: false,
      },
    );
    assert.equal(result.created, false);
    assert.equal(
      readFileSync(join(root, ".env"), "utf8"),
      `# dev\nAZURE_QUANTUM_CONNECTION_STRING='${next}'\n`,
    );
    assert.equal(statSync(join(root, ".env")).mode & 0o777, 0o600);
    assert.equal(loadConnection({ cwd: root, env: {} }).apiKey?.reveal(), "N3wK3y");
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

Deno.test("Deno.inspect(new Secret()) shows the mask, not the value", () => {
  const shown = Deno.inspect(new Secret("k"));
  assert.match(shown, /^Secret\(•+ {2}sha256:[0-9a-f]{8}\)$/);
  assert.ok(!shown.includes("k"));
  const info = parseConnectionString(CS);
  assert.ok(!Deno.inspect(info).includes(KEY));
  assert.ok(!JSON.stringify(info).includes(KEY));
});
