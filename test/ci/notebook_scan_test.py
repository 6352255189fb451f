#!/usr/bin/python3
"""Tests of the notebook runner's secret scan (.ci/run_notebooks.py), the scan of outputs and of the
files a notebook writes.

First the scan functions on texts and folders (what counts as a secret, what a `.env.keys` may
hold, that the last content of a file is what is judged); then a planted notebook run through
`.ci/notebooks` in Deno's kernel: it leaves an access key, a dotenvx private key and a vault token
in files of its scratch folder (one of them deleted by a later cell) beside a properly encrypted
`.env`, and the run must fail naming exactly those files, and nothing else.

Run from the repo root with Debian's Python (nbclient, after `npm run build`):
    /usr/bin/python3 test/ci/notebook_scan_test.py
Prints one line per check and `N passed, N failed`.
"""
import importlib.util, json, os, re, shutil, subprocess, sys, tempfile, traceback

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
spec = importlib.util.spec_from_file_location("run_notebooks", os.path.join(ROOT, ".ci", "run_notebooks.py"))
rn = importlib.util.module_from_spec(spec)
spec.loader.exec_module(rn)

KEY = rn.new_key()  # an access key as the emulator makes them: 86 base64url characters
PRIVATE = "a1" * 32  # a dotenvx private key: 64 hex digits
JWT = "eyJhbGciOiJIUzI1NiJ9.eyJhdWQiOiJodHRwczovL3ZhdWx0LmF6dXJlLm5ldCJ9.c2lnbmF0dXJl"
CONNECTION = ("SubscriptionId=00000000-0000-4000-8000-000000000001;ResourceGroupName=emulator-rg;"
              f"WorkspaceName=emulator-ws;ApiKey={KEY};QuantumEndpoint=https://127.0.0.1:1234/;")
# A ciphertext whose characters include a run of 86 key-like ones, as a real one can by chance.
CIPHERTEXT = "encrypted:BK3a/" + "Q" * 86 + "+x/yz=="

checks = []


def check(name):
    def wrap(fn):
        checks.append((name, fn))
        return fn
    return wrap


def eq(actual, expected):
    if actual != expected:
        raise AssertionError(f"expected {expected!r}\n     got {actual!r}")


@check("secrets_in: every kind of secret is named")
def _():
    keys = {KEY}
    eq(rn.secrets_in(f"x {KEY} y", keys), ["an access key of the emulator", "an 86-character key-shaped value"])
    eq(rn.secrets_in(f'AZURE_QUANTUM_CONNECTION_STRING="{CONNECTION}"', set()),
       ["ApiKey=<value>", "an 86-character key-shaped value"])
    eq(rn.secrets_in(f"token {JWT}", keys), ["a JWT"])
    eq(rn.secrets_in(f"value {PRIVATE}", keys, {PRIVATE}), ["a dotenvx private key"])
    eq(rn.secrets_in(f'DOTENV_PRIVATE_KEY_CI="{PRIVATE}"', keys), ["a DOTENV_PRIVATE_KEY value"])
    eq(rn.secrets_in(f'DOTENV_PRIVATE_KEY="{PRIVATE}"', keys, {PRIVATE}), ["a dotenvx private key"])


@check("secrets_in: a .env.keys may hold the private key, never an access key")
def _():
    eq(rn.secrets_in(f'DOTENV_PRIVATE_KEY="{PRIVATE}"\n', {KEY}, {PRIVATE}, private_key_allowed=True), [])
    eq(rn.secrets_in(f'DOTENV_PRIVATE_KEY="{PRIVATE}"\nX={KEY}\n', {KEY}, {PRIVATE}, private_key_allowed=True),
       ["an access key of the emulator", "an 86-character key-shaped value"])


@check("secrets_in: ciphertexts, placeholders, fingerprints and references are not secrets")
def _():
    text = (f"AZURE_QUANTUM_CONNECTION_STRING='{CIPHERTEXT}'\nDOTENV_PUBLIC_KEY=\"02{'ab' * 32}\"\n"
            "ApiKey=<key> ApiKey=&lt;key&gt; sha256:1a2b3c4d\n"
            "X='@Microsoft.KeyVault(SecretUri=https://127.0.0.1:1/secrets/quantum/)'\n")
    eq(rn.secrets_in(text, {KEY}, {PRIVATE}), [])
    # The same run of characters outside a ciphertext is key-shaped.
    eq(rn.secrets_in(" " + "Q" * 86 + " ", set()), ["an 86-character key-shaped value"])


@check("scan: outputs are searched for the private keys too")
def _():
    nb = rn.nbformat.v4.new_notebook()
    nb.cells = [rn.nbformat.v4.new_code_cell("x", outputs=[
        rn.nbformat.v4.new_output("stream", name="stdout", text=f"{PRIVATE}\n{CIPHERTEXT}\n")])]
    eq(rn.scan(nb, {KEY}, {PRIVATE}), ["cell 0: a dotenvx private key"])
    eq(rn.scan(nb, {KEY}), [])


@check("check_outputs: a cell's text/plain output must hold aqn.includes and none of aqn.excludes")
def _():
    nb = rn.nbformat.v4.new_notebook()
    says = {"aqn": {"expect": "text/html", "includes": ["has a data role."], "excludes": ["No data role ("]}}
    card = "Verdict: Safe. Every principal with a role on the workspace has a data role."
    nb.cells = [rn.nbformat.v4.new_code_cell("a", metadata=says, outputs=[
        rn.nbformat.v4.new_output("display_data", data={"text/html": "<div/>", "text/plain": card})])]
    eq(rn.check_outputs(nb), [])
    nb.cells[0].outputs[0].data["text/plain"] = "No data role (2): user 1\nVerdict: 2 other principals have no data role."
    eq(rn.check_outputs(nb), ["cell 0: its output does not say 'has a data role.'", "cell 0: its output says 'No data role ('"])


@check("WrittenFiles: the last content of each file is judged; .env.keys gives the private keys")
def _():
    root = tempfile.mkdtemp(prefix="aqn-scan-test-")
    try:
        project = os.path.join(root, "quantum-project-x")
        os.makedirs(project)
        w = rn.WrittenFiles(root)

        def write(name, text):
            with open(os.path.join(project, name), "w") as f:
                f.write(text)

        write(".env", f"AZURE_QUANTUM_CONNECTION_STRING='{CONNECTION}'\n")  # clear text, encrypted below
        write("notes.txt", f"key: {KEY}\n")  # deleted below: still a leak
        w.look(1)
        write(".env", f"DOTENV_PUBLIC_KEY=\"02{'ab' * 32}\"\nAZURE_QUANTUM_CONNECTION_STRING='{CIPHERTEXT}'\n")
        write(".env.keys", f'DOTENV_PRIVATE_KEY="{PRIVATE}"\n')
        write("backup.txt", f'DOTENV_PRIVATE_KEY="{PRIVATE}"\n')
        os.remove(os.path.join(project, "notes.txt"))
        w.look(3)
        eq(w.private_keys, {PRIVATE})
        eq(w.leaks({KEY}), [
            "file quantum-project-x/backup.txt (as left after cell 3): a dotenvx private key",
            "file quantum-project-x/notes.txt (as left after cell 1): an access key of the emulator",
            "file quantum-project-x/notes.txt (as left after cell 1): an 86-character key-shaped value",
        ])
        eq(w.left_behind(), ["quantum-project-x/.env", "quantum-project-x/.env.keys", "quantum-project-x/backup.txt"])
    finally:
        shutil.rmtree(root)


PLANTED = [
    ('import { connect, display } from "azure-quantum-notebook";\n\n'
     'const ws = await connect({ emulator: "auto" });\nawait display(ws);', True),
    # A properly encrypted .env and its .env.keys: allowed.
    ('import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";\nimport { tmpdir } from "node:os";\n'
     'import { join } from "node:path";\nimport { encryptEnvFile, kernelEmulator, updateEnvFile } from "azure-quantum-notebook";\n\n'
     'const scratch = await mkdtemp(join(tmpdir(), "planted-"));\n'
     'await updateEnvFile(join(scratch, ".env"), "AZURE_QUANTUM_CONNECTION_STRING", await ws.keys.connectionString("primary"));\n'
     'await encryptEnvFile(join(scratch, ".env"));', False),
    # The leaks: a connection string in clear text, the private key outside .env.keys, a vault token.
    ('const secondary = await ws.keys.connectionString("secondary");\n'
     'await writeFile(join(scratch, "notes.txt"), `shared: ${secondary.reveal()}\\n`);\n'
     'await writeFile(join(scratch, "keys-backup.txt"), await readFile(join(scratch, ".env.keys"), "utf8"));\n'
     'const token = kernelEmulator()!.control.issueToken({ audience: "https://vault.azure.net" });\n'
     'await writeFile(join(scratch, "token.txt"), token.reveal());', False),
    # Deleting a file does not hide what it held, and the scratch folder is left behind.
    ('await rm(join(scratch, "notes.txt"));\nawait ws.close();', False),
]


@check("a planted notebook that leaves secrets in written files fails, naming each file")
def _():
    os.makedirs(os.path.join(ROOT, "out"), exist_ok=True)
    work = tempfile.mkdtemp(prefix="notebook-scan-test-", dir=os.path.join(ROOT, "out"))
    try:
        folder = os.path.join(work, "notebooks")
        os.makedirs(folder)
        with open(os.path.join(folder, "deno.json"), "w") as f:
            # The package's own npm imports resolve through node_modules, as from notebooks/.
            json.dump({"nodeModulesDir": "manual",
                       "imports": {"azure-quantum-notebook": os.path.relpath(os.path.join(ROOT, "mod.ts"), folder)}}, f)
        nb = rn.nbformat.v4.new_notebook()
        nb.metadata["kernelspec"] = dict(rn.KERNELS["deno"])
        nb.cells = [rn.nbformat.v4.new_code_cell(code, metadata={"aqn": {"expect": "text/html"}} if html else {})
                    for code, html in PLANTED]
        rn.nbformat.write(nb, os.path.join(folder, "99-planted.ipynb"))
        run = subprocess.run([os.path.join(ROOT, ".ci", "notebooks"), "--dir", folder, "--kernels", "deno",
                              "--out", os.path.join(work, "out")],
                             cwd=ROOT, capture_output=True, text=True, timeout=300)
        lines = run.stdout.splitlines()
        problems = [l.strip() for l in lines if l.startswith("       ")]
        prefix = r"LEAK file planted-\w+/"
        expected = [
            prefix + r"keys-backup\.txt \(as left after cell 3\): a dotenvx private key",
            prefix + r"notes\.txt \(as left after cell 2\): an access key of the emulator",
            prefix + r"notes\.txt \(as left after cell 2\): ApiKey=<value>",
            prefix + r"notes\.txt \(as left after cell 2\): an 86-character key-shaped value",
            prefix + r"token\.txt \(as left after cell 3\): a JWT",
        ]
        leaks = [p for p in problems if p.startswith("LEAK")]
        if len(leaks) != len(expected) or not all(re.fullmatch(e, l) for e, l in zip(expected, leaks)):
            raise AssertionError("leaks:\n  " + "\n  ".join(leaks) + "\nall output:\n" + run.stdout + run.stderr)
        others = [p for p in problems if not p.startswith("LEAK")]
        eq(len(others), 1)
        if not re.fullmatch(r"left in its temp folder: planted-\w+/\.env, planted-\w+/\.env\.keys, "
                            r"planted-\w+/keys-backup\.txt, planted-\w+/token\.txt", others[0]):
            raise AssertionError(others[0])
        if not re.match(r"FAIL deno\s+99-planted .* scanned for 2 keys and 1 private key, 6 files written", lines[0]):
            raise AssertionError(lines[0])
        eq(lines[-1], "notebooks: 0 passed, 1 failed")
        eq(run.returncode, 1)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def main():
    passed = failed = 0
    for name, fn in checks:
        try:
            fn()
            print(f"ok   {name}")
            passed += 1
        except Exception:
            print(f"FAIL {name}")
            traceback.print_exc(file=sys.stdout)
            failed += 1
    print(f"{passed} passed, {failed} failed")
    return 0 if failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
