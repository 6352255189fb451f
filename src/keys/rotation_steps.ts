/**
 * The steps of a key rotation, under the workspace's rotation lock: find the key in use, verify
 * the other, (store it in Key Vault,) switch to it, regenerate the old one, verify, switch back,
 * verify. Each step is timed into the report; a failing step ends with a `RotationError` that says
 * which key works.
 *
 * @module
 */

import { delay } from "../_builtins.ts";
import { withoutFinalPeriod } from "../_text.ts";
import { type ArmClient, isDroppedRequest } from "../arm/arm_client.ts";
import type { KeySlot } from "../arm/arm_types.ts";
import { otherSlot, slotOf } from "../arm/list_keys_result.ts";
import type { Secret } from "../connection/secret.ts";
import { RotationError } from "../errors.ts";
import type { LiveKey } from "../http/live_key.ts";
import type { ProgressSink } from "../progress.ts";
import type { KeyHost } from "./key_host.ts";
import { probeKey, waitForVerdict } from "./key_probe.ts";
import { type KeySwitch, switchKey } from "./key_switch.ts";
import { RotationReport } from "./results.ts";
import type { RotateOptions } from "./rotate_keys.ts";
import { adoptWorkingKey, CHANGED, replaceDeadEnvKey } from "./rotation_recovery.ts";

const cap = (slot: KeySlot) => (slot === "primary" ? "Primary" : "Secondary");

/** The rotation of `live`'s key, once `rotateKeys` has its lock (see `KeyManager.rotate`). */
export async function rotateLocked(
  workspace: KeyHost,
  arm: ArmClient,
  live: LiveKey,
  options: RotateOptions,
  progress: ProgressSink | undefined,
): Promise<RotationReport> {
  const name = workspace.info.workspaceName;
  const now = options.now ?? Date.now;
  const signal = options.signal;
  const wait = options.sleep ?? delay;
  const waits = {
    signal,
    timeoutMs: options.waitTimeoutMs ?? 120_000,
    intervalMs: options.pollIntervalMs ?? 2000,
    now,
    sleep: options.sleep,
  };
  const report = new RotationReport(name);
  report.armEndpoint = workspace.settings.armEndpointNote;
  // With the key in Key Vault, each switch first stores the new key as a secret version.
  const vault = workspace.info.keySource?.keyVault
    ? await import("../key_vault/write_back.ts")
    : undefined;
  let stored: { slot: KeySlot | undefined; key: Secret; version: string } | undefined = vault && {
    slot: undefined,
    key: live.key,
    version: workspace.info.keySource!.keyVault!.version,
  };
  const line = progress?.start(`Rotating the access key of ${name}`);
  let current = { slot: undefined as KeySlot | undefined, key: live.key };
  // Which key the kernel (and .env) and the vault's latest version hold, and whether it works.
  const state = (verdict: string) => {
    const kernel = `This kernel${report.envFiles.length ? " and .env use" : " uses"} the ${
      current.slot ?? "current"
    } key ${current.key.fingerprint}`;
    if (!stored) return `${kernel}, ${verdict}`;
    const secret = workspace.info.keySource!.keyVault!.secretName;
    const held = stored.key.equals(current.key)
      ? "the same key"
      : `the ${stored.slot ?? "other"} key ${stored.key.fingerprint}`;
    const vaultState = `version ${stored.version} of the Key Vault secret "${secret}" holds ${held}`;
    // Both were verified by the steps before; otherwise the verdict is the kernel's key's.
    if (verdict === "which works") {
      return `${kernel}, and ${vaultState}: ${stored.key.equals(current.key) ? "it works" : "both work"}`;
    }
    return `${kernel}, ${verdict}; ${vaultState}`;
  };

  // Before saying which key works, check it; when it does not (the keys changed under us), move
  // to one that does. The error then names a key verified on the data plane, or says none works.
  const working = async (): Promise<string> => {
    try {
      if ((await probeKey(workspace, current.key, signal)) === "accepted") return "which works";
      const adopted = await adoptWorkingKey(workspace, arm, { ...options, signal });
      if (adopted === undefined) {
        return "which the data plane rejects, as every listed key: check keys.status() and the " +
          "access keys in the Azure portal";
      }
      current = { slot: adopted.slot, key: adopted.key };
      if (adopted.stored) {
        stored = adopted.stored;
        if (adopted.stored.secretId) report.keyVaultVersions.push(adopted.stored.secretId);
      }
      note(adopted.change);
      return "which works (verified after the keys changed)";
    } catch {
      return "which worked when last checked";
    }
  };

  const step = async (stepName: string, fn: () => Promise<string>) => {
    const t0 = now();
    line?.update(stepName);
    try {
      const detail = await fn();
      report.steps.push({ name: stepName, status: "ok", ms: now() - t0, detail });
    } catch (e) {
      // An abort during a wait rejects with core-util's AbortError: report the caller's reason.
      const error = signal?.aborted ? signal.reason : e;
      const reason = (error as Error)?.message ?? String(error);
      report.steps.push({ name: stepName, status: "failed", ms: now() - t0, detail: reason });
      report.stoppedAt = stepName;
      const verdict = signal?.aborted ? "which works" : await working();
      report.endSlot = current.slot;
      report.endFingerprint = current.key.fingerprint;
      await line?.fail(stepName);
      throw new RotationError(
        `Cannot rotate the access keys of workspace "${name}": step "${stepName}" failed: ` +
          `${withoutFinalPeriod(reason)}. ` +
          `${state(verdict)}. See the error's report, fix the cause and run keys.rotate() again`,
        stepName,
        report,
        { cause: error },
      );
    }
  };
  const note = (change: KeySwitch) => {
    for (const f of change.envFiles) if (!report.envFiles.includes(f)) report.envFiles.push(f);
    for (const w of change.warnings) if (!report.warnings.includes(w)) report.warnings.push(w);
  };
  const fail = (message: string): never => {
    throw new Error(message);
  };

  const oldKey = live.key;
  let slot: KeySlot = "primary";
  let other: Secret = oldKey;
  let fresh: Secret = oldKey;
  await step("find key in use", async () => {
    const keys = await arm.listKeys({ signal });
    if (keys.apiKeyEnabled === false) {
      fail("access keys are disabled; enable them first with keys.enable()");
    }
    const found = slotOf(keys, oldKey);
    if (!found) {
      fail(
        `the kernel's key ${oldKey.fingerprint} is neither the primary nor the secondary key: ${CHANGED}, or it was regenerated`,
      );
    }
    slot = found!;
    current = { slot, key: oldKey };
    if (stored) stored.slot = slot;
    report.startSlot = slot;
    const o = keys[otherSlot(slot)];
    if (!o) fail(`listKeys returned no ${otherSlot(slot)} key`);
    other = o!.key;
    return `${slot} key ${oldKey.fingerprint}`;
  });
  await step(
    "pick other key",
    () => Promise.resolve(`${otherSlot(slot)} key ${other.fingerprint}`),
  );
  await step("verify other key", async () => {
    if ((await probeKey(workspace, other, signal)) !== "accepted") {
      fail(
        `the data plane rejects the ${
          otherSlot(slot)
        } key ${other.fingerprint}; nothing was changed`,
      );
    }
    return `data plane accepts ${other.fingerprint}`;
  });
  // Before the kernel switches: the vault's latest version must hold a key that works.
  const store = (target: KeySlot, key: Secret) => async () => {
    const written = await vault!.storeKeyInKeyVault(workspace, target, key, options);
    stored = { slot: target, key, version: written.version };
    report.keyVaultVersions.push(written.secretId);
    note({ ...written, undo() {} });
    return written.detail;
  };
  if (vault) await step("store other key in Key Vault", store(otherSlot(slot), other));
  await step("switch to other key", async () => {
    const change = await switchKey(workspace, oldKey, other, options);
    current = { slot: otherSlot(slot), key: other };
    note(change);
    // Requests already sent with the old key must land before it is revoked.
    await wait(options.graceMs ?? 1000, signal);
    const also = [...(change.envVariables.length ? ["environment"] : []), ...change.envFiles];
    return `kernel${also.map((a) => `, ${a}`).join("")} now ${also.length ? "use" : "uses"} ${
      otherSlot(slot)
    } ${other.fingerprint}`;
  });
  await step("regenerate old key", async () => {
    const still = await arm.listKeys({ signal });
    if (!still[slot]?.key.equals(oldKey) || !still[otherSlot(slot)]?.key.equals(other)) {
      fail(`${CHANGED}; nothing was regenerated`);
    }
    let dropped = false;
    try {
      await arm.regenerateKey([cap(slot)], { signal });
    } catch (e) {
      if (!isDroppedRequest(e)) throw e;
      dropped = true; // the POST may have run: listKeys tells
    }
    const keys = await arm.listKeys({ signal });
    const after = keys[slot]?.key;
    if (!after || after.equals(oldKey)) {
      fail(
        dropped
          ? `the connection dropped and listKeys still shows the old ${slot} key: it was not regenerated`
          : `listKeys still shows the old ${slot} key after regenerateKey`,
      );
    }
    fresh = after!;
    return `${slot}: ${oldKey.fingerprint} → ${fresh.fingerprint}${
      dropped ? " (connection dropped; listKeys confirms)" : ""
    }`;
  });
  await step("verify old key rejected", async () => {
    const gone = await waitForVerdict(workspace, oldKey, "rejected", waits);
    if (!gone.reached) {
      fail(
        `the old key ${oldKey.fingerprint} is still accepted after ${
          Math.round(gone.waitedMs / 1000)
        } s`,
      );
    }
    if ((await probeKey(workspace, other, signal)) !== "accepted") {
      fail(`the data plane rejects the ${otherSlot(slot)} key ${other.fingerprint}`);
    }
    return `old ${oldKey.fingerprint} rejected (401); ${other.fingerprint} accepted`;
  });
  if (options.stayOnOther) {
    report.steps.push({
      name: "switch back",
      status: "skipped",
      ms: 0,
      detail: `stayOnOther: staying on the ${otherSlot(slot)} key`,
    });
  } else {
    const accepted = async () => {
      const ready = await waitForVerdict(workspace, fresh, "accepted", waits);
      if (!ready.reached) fail(`the new ${slot} key ${fresh.fingerprint} is not accepted yet`);
    };
    if (vault) {
      // Only a key the data plane accepts goes into the vault.
      await step("store new key in Key Vault", async () => {
        await accepted();
        return await store(slot, fresh)();
      });
    }
    await step("switch back", async () => {
      if (!vault) await accepted();
      const change = await switchKey(workspace, other, fresh, options);
      current = { slot, key: fresh };
      note(change);
      return `kernel${
        change.envFiles.length ? " and .env" : ""
      } back on ${slot} ${fresh.fingerprint}`;
    });
  }
  await step("verify final key", async () => {
    if ((await probeKey(workspace, current.key, signal)) !== "accepted") {
      fail(`the data plane rejects the ${current.slot} key ${current.key.fingerprint}`);
    }
    return `${current.slot} ${current.key.fingerprint} accepted`;
  });
  // A .env left holding a dead key (another kernel's rotation revoked it) gets the verified one.
  for (const f of await replaceDeadEnvKey(workspace, current.key, { ...options, signal })) {
    if (!report.envFiles.includes(f)) report.envFiles.push(f);
  }
  report.endSlot = current.slot;
  report.endFingerprint = current.key.fingerprint;
  await line?.done(`done in ${Math.round(report.totalMs)} ms`);
  return report;
}
