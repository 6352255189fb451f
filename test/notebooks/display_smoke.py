#!/usr/bin/python3
"""Real-kernel smoke test of src/kernel (the display adapters): runs the same cells in `deno jupyter` and in tslab and
checks the iopub messages: rich display_data (text/html, text/plain, application/json, hostile
ids escaped) and progress updated in place (display_data, then update_display_data with the same
transient.display_id).

Then the first contact, in both kernels started in notebooks/ (the package as the notebooks import
it, no Azure settings in the environment): a first cell of three lines gives a connected workspace
on the kernel's emulator, quotas display as a table with usage bars, a caught error left as the
last value renders in Deno, and `ws.close()` stops the emulator. And the move to Entra ID: the
readiness card, and the device-code sign-in card updated in place to "signed in as …" (the code
approved through the kernel's emulator), with no token or device code in any message.

Run from the repo root with Debian's Python (needs jupyter-client):
    /usr/bin/python3 test/notebooks/display_smoke.py
Kernelspecs are written to a temporary JUPYTER_PATH; tslab imports a temporary TypeScript 7 build
of src/kernel and src/workspace/target_list.ts placed under its working directory (tslab only
compiles modules under the notebook's directory). Prints `N passed, N failed`.
"""
import json, os, queue, re, shutil, subprocess, sys, tempfile
from jupyter_client.manager import start_new_kernel

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
DATA = """[{ id: "ionq", currentAvailability: "Available", targets: [
  { id: "ionq.simulator", currentAvailability: "Available", averageQueueTime: 1235, statusPage: "https://status.ionq.co" },
  { id: "<script>alert(1)</script>", currentAvailability: "Unavailable", averageQueueTime: 0, statusPage: "javascript:alert(1)" }] }]"""
PROGRESS = """const p = createProgress("Waiting");
await new Promise((r) => setTimeout(r, 50));
p.update("attempt 2 of 5");
await new Promise((r) => setTimeout(r, 50));
await p.done("Connected");
// Deno's kernel can publish "idle" before a display message it already accepted; let it flush.
await new Promise((r) => setTimeout(r, 200));"""


def cells(prefix):
    return [
        f'import {{ display }} from "{prefix}/kernel/display{{ext}}";\n'
        f'import {{ createProgress }} from "{prefix}/kernel/notebook_progress{{ext}}";\n'
        f'import {{ detectKernel }} from "{prefix}/kernel/transports{{ext}}";\n'
        f'import {{ TargetList }} from "{prefix}/workspace/target_list{{ext}}";\n'
        'console.log("kernel=" + detectKernel());',
        f'await display(new TargetList({DATA}, {{ workspaceName: "demo" }}));',
        PROGRESS,
    ]


FIRST_CONTACT = [
    'import { connect, display } from "azure-quantum-notebook";\n'
    'const ws = await connect({ emulator: "auto" });\n'
    'await display(ws);',
    'await display(await ws.quotas());',
    'const failed = await connect({ envFile: false, env: {} }).catch((e) => e);\nfailed',
    'await ws.close();\nconsole.log("closed=" + !(await import("azure-quantum-notebook")).kernelEmulator());',
]


# Moving to Entra ID in a kernel: the readiness card, and the device-code sign-in's card updated in
# place, the code approved through the kernel's emulator as a person would on the verification page.
ENTRA = [
    'import { connect, display, kernelEmulator, signIn } from "azure-quantum-notebook";\n'
    'const ws = await connect({ emulator: "auto" });\n'
    'await display(await ws.keys.readiness());',
    'const emu = kernelEmulator()!;\n'
    'emu.control.setDeviceCodeTiming({ intervalSeconds: 0.2 });\n'
    'const signingIn = signIn();\n'
    'while (emu.control.deviceCodes().length === 0) await new Promise((r) => setTimeout(r, 50));\n'
    'emu.control.approveDeviceCode(emu.control.deviceCodes()[0].userCode);\n'
    'const credential = await signingIn;\n'
    'console.log("signed in as " + credential.identity?.displayName);\n'
    'await new Promise((r) => setTimeout(r, 200));',
    'await ws.close();',
]


def run(kernel, code_cells, cwd, env=None):
    km, kc = start_new_kernel(kernel_name=kernel, startup_timeout=60, cwd=cwd, env=env or os.environ)
    out = []
    try:
        for code in code_cells:
            reply = kc.execute_interactive(code, timeout=120, output_hook=out.append)
            # tslab reports a compile error only in its reply (and stderr), not as an iopub error.
            out.append({"msg_type": "execute_reply", "content": reply["content"]})
            # Deno's kernel can publish a cell's stream or display message after its "idle"
            # status, and execute_interactive drops what arrives during the next cell: drain
            # iopub before going on, so a late message is kept.
            while True:
                try:
                    out.append(kc.get_iopub_msg(timeout=0.3))
                except queue.Empty:
                    break
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)
    return out


def cell_errors(msgs):
    """Errors published on iopub, and cells whose reply says error (tslab's compile errors)."""
    errors = [m["content"] for m in msgs if m["msg_type"] == "error"]
    failed = [m["content"] for m in msgs if m["msg_type"] == "execute_reply" and m["content"].get("status") != "ok"]
    if failed and not errors:
        stderr = "".join(m["content"]["text"] for m in msgs
                         if m["msg_type"] == "stream" and m["content"].get("name") == "stderr")
        errors = [{"evalue": failed[0].get("evalue") or stderr[:600] or failed[0].get("status")}]
    return errors


def diagnose(kernel, msgs, results):
    """On a failure, what the kernel did say: enough to tell a slow kernel from a broken cell."""
    if all(results):
        return
    for m in msgs:
        c = m["content"]
        if m["msg_type"] == "stream":
            print(f"  [{kernel} {c.get('name')}] " + c["text"][:400].replace("\n", "\n    "))
        elif m["msg_type"] in ("display_data", "update_display_data", "execute_result"):
            print(f"  [{kernel} {m['msg_type']}] " + str(c["data"].get("text/plain", ""))[:120].replace("\n", " | "))
        elif m["msg_type"] == "execute_reply":
            print(f"  [{kernel} reply] {c.get('status')} {c.get('ename', '')} {str(c.get('evalue', ''))[:200]}")


def checks(kernel):
    """One kernel's results, and `ok(name, cond)`, which records a check and prints it."""
    results = []
    def ok(name, cond):
        results.append(cond)
        print(("ok  " if cond else "FAIL") + f" {kernel}: {name}")
    return results, ok


def check(kernel, msgs):
    results, ok = checks(kernel)
    errors = cell_errors(msgs)
    ok("no cell error " + (str(errors[0].get("evalue")) if errors else ""), not errors)
    stdout = "".join(m["content"]["text"] for m in msgs if m["msg_type"] == "stream")
    ok("detectKernel() names the kernel", f"kernel={kernel}" in stdout)
    shown = [m["content"] for m in msgs if m["msg_type"] == "display_data"]
    table = [c for c in shown if "Targets in workspace demo" in str(c["data"].get("text/plain"))]
    ok("TargetList lands as display_data with text/html, text/plain, application/json",
       len(table) == 1 and {"text/html", "text/plain", "application/json"} <= set(table[0]["data"]))
    html = table[0]["data"].get("text/html", "") if table else ""
    ok("hostile target id is escaped", "&lt;script&gt;" in html and "<script>" not in html)
    ok("only the https status page is a link", html.count("<a ") == 1 and 'href="javascript' not in html)
    ids = [c.get("transient", {}).get("display_id") for c in shown if "Waiting" in str(c["data"].get("text/plain"))]
    updates = [m["content"] for m in msgs if m["msg_type"] == "update_display_data"]
    ok("progress: one display_data with a display_id", len(ids) == 1 and bool(ids[0]))
    last = updates[-1]["data"].get("text/plain") if updates else None
    ok(f"progress: update_display_data with the same display_id, ending in Connected (got {len(updates)}, last {last!r})",
       len(updates) >= 1 and bool(ids) and all(u["transient"]["display_id"] == ids[0] for u in updates)
       and last == "Waiting: Connected")
    diagnose(kernel, msgs, results)
    return results


def check_first_contact(kernel, msgs):
    results, ok = checks(kernel)
    errors = cell_errors(msgs)
    ok("first contact: no cell error " + (str(errors[0].get("evalue")) if errors else ""), not errors)
    shown = [m["content"]["data"] for m in msgs if m["msg_type"] in ("display_data", "execute_result")]
    card = [d for d in shown if "Azure Quantum workspace emulator-ws  [Emulator]" in str(d.get("text/plain"))]
    ok("a 3-line first cell shows a connected workspace on the kernel's emulator (card with text/html)",
       len(card) == 1 and "text/html" in card[0] and "providerStatus answered" in card[0]["text/plain"]
       and 'emulator started in this kernel by connect({ emulator: "auto" })' in card[0]["text/plain"])
    quotas = [d for d in shown if "Quotas of workspace emulator-ws" in str(d.get("text/plain"))]
    ok("quotas display as a table with usage bars (HTML) and text bars",
       len(quotas) == 1 and 'role="img"' in quotas[0].get("text/html", "") and "[####" in quotas[0]["text/plain"])
    if kernel == "deno":
        error = [d for d in shown if "ConnectionNotFound" in str(d.get("text/plain"))]
        ok("a caught error as the last value renders as the error card, naming the emulator option",
           len(error) == 1 and "text/html" in error[0] and 'connect({ emulator: "auto" })' in error[0]["text/plain"])
    stdout = "".join(m["content"]["text"] for m in msgs if m["msg_type"] == "stream")
    ok("ws.close() stops the kernel's emulator", "closed=true" in stdout)
    diagnose(kernel, msgs, results)
    return results


def check_entra(kernel, msgs):
    results, ok = checks(kernel)
    errors = cell_errors(msgs)
    ok("entra: no cell error " + (str(errors[0].get("evalue")) if errors else ""), not errors)
    shown = [m["content"] for m in msgs if m["msg_type"] == "display_data"]
    report = [c["data"] for c in shown if "Microsoft Entra ID readiness: emulator-ws  [Would lock you out]" in str(c["data"].get("text/plain"))]
    ok("the readiness card renders (text/html, text/plain, application/json): would lock you out, and the az line",
       len(report) == 1 and {"text/html", "text/plain", "application/json"} <= set(report[0])
       and "Would lock you out" in report[0]["text/html"]
       and 'az role assignment create --role "Quantum Workspace Data Contributor"' in report[0]["text/plain"])
    prompt = [c for c in shown if str(c["data"].get("text/plain", "")).startswith("Sign in to Microsoft Entra ID  [Waiting for you]")]
    display_id = prompt[0].get("transient", {}).get("display_id") if prompt else None
    text = prompt[0]["data"]["text/plain"] if prompt else ""
    ok("sign-in: one card with a display_id, the page as a link and the code to enter",
       len(prompt) == 1 and bool(display_id) and "Enter the code: " in text
       and '/devicelogin" target="_blank"' in prompt[0]["data"].get("text/html", ""))
    updates = [m["content"] for m in msgs if m["msg_type"] == "update_display_data"
               and m["content"].get("transient", {}).get("display_id") == display_id]
    last = updates[-1]["data"].get("text/plain", "") if updates else ""
    ok(f"sign-in: the same card updated in place to 'signed in as' (got {len(updates)} updates)",
       bool(updates) and last.startswith("Signed in to Microsoft Entra ID  [Signed in]")
       and "Ada Lovelace (ada@emulator.example)" in last)
    stdout = "".join(m["content"]["text"] for m in msgs if m["msg_type"] == "stream")
    ok("sign-in: the credential names who signed in", "signed in as Ada Lovelace" in stdout)
    everything = json.dumps([m["content"] for m in msgs])
    ok("no token, ID token, refresh token or device code in any message",
       not re.search(r"eyJ[A-Za-z0-9_-]{8,}\.eyJ|DAQABIQEAAAB|1\.AQE[A-Za-z0-9_-]{40,}", everything))
    diagnose(kernel, msgs, results)
    return results


def kernel_env():
    # No Azure settings from the caller: the first cell must start the kernel's own emulator.
    drop = ("AZURE_", "IDENTITY_", "MSI_", "IMDS_")
    return {k: v for k, v in os.environ.items()
            if not k.startswith(drop) and k not in ("SUBSCRIPTION_ID", "RESOURCE_GROUP", "LOCATION")}


def main():
    tmp = tempfile.mkdtemp(prefix="display-smoke-")
    try:
        kernels = os.path.join(tmp, "jupyter", "kernels")
        for name, argv in {
            "deno": [f"{ROOT}/node_modules/.bin/deno", "jupyter", "--kernel", "--conn", "{connection_file}"],
            "tslab": ["node", f"{ROOT}/node_modules/tslab/bin/tslab", "kernel", "--config-path", "{connection_file}"],
        }.items():
            os.makedirs(os.path.join(kernels, name))
            with open(os.path.join(kernels, name, "kernel.json"), "w") as f:
                json.dump({"argv": argv, "display_name": name, "language": "typescript", "env": {"NO_COLOR": "1"}}, f)
        os.environ["JUPYTER_PATH"] = os.path.join(tmp, "jupyter")
        lib = os.path.join(tmp, "lib")
        subprocess.run(["node", f"{ROOT}/node_modules/typescript/bin/tsc", "--ignoreConfig",
                        "src/kernel/display.ts", "src/kernel/notebook_progress.ts", "src/kernel/transports.ts",
                        "src/workspace/target_list.ts", "--declaration",
                        "--outDir", lib, "--rootDir", ".", "--module", "nodenext", "--moduleResolution", "nodenext",
                        "--target", "ES2022", "--rewriteRelativeImportExtensions", "--types", "node",
                        "--strict", "--skipLibCheck", "--lib", "ES2023,DOM"], cwd=ROOT, check=True)
        with open(os.path.join(lib, "package.json"), "w") as f:
            f.write('{"type":"module"}')
        results = []
        deno_cells = [c.replace("{ext}", ".ts") for c in cells(f"{ROOT}/src")]
        results += check("deno", run("deno", deno_cells, tmp))
        tslab_cells = [c.replace("{ext}", ".js") for c in cells("./lib/src")]
        results += check("tslab", run("tslab", tslab_cells, tmp))
        notebooks = os.path.join(ROOT, "notebooks")
        for kernel in ("deno", "tslab"):
            results += check_first_contact(kernel, run(kernel, FIRST_CONTACT, notebooks, kernel_env()))
            results += check_entra(kernel, run(kernel, ENTRA, notebooks, kernel_env()))
        print(f"{results.count(True)} passed, {results.count(False)} failed")
        return 0 if all(results) else 1
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
