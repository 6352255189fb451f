#!/usr/bin/python3
"""Screenshot of an executed sample notebook for the README (run after .ci/notebooks).

Keeps the notebook's title, then the cells from its first code cell (the setup: import, connect,
display) up to the `stop`-th `## ` heading after it, or with `--keep`, the setup and only the
sections whose headings start with the given texts; exports that to HTML (nbconvert) and
photographs it with headless Chromium (`apt-get install -y --no-install-recommends chromium`).

    /usr/bin/python3 .ci/notebook_screenshot.py [NOTEBOOK] [PNG] [--size 1000x1230] [--stop 2]
        [--keep "Targets,Quotas"]
Defaults: out/notebooks/deno/01-connect-and-list-targets.ipynb -> docs/notebook-01.png
"""
import argparse, os, shutil, subprocess, sys, tempfile

import nbformat
from nbconvert import HTMLExporter

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), ".."))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("notebook", nargs="?", default="out/notebooks/deno/01-connect-and-list-targets.ipynb")
    ap.add_argument("png", nargs="?", default="docs/notebook-01.png")
    ap.add_argument("--size", default="1000x1230")
    ap.add_argument("--stop", type=int, default=2, help="how many `## ` sections to keep")
    ap.add_argument("--keep", default="", help="comma-separated heading starts of the sections to keep")
    args = ap.parse_args()
    nb = nbformat.read(os.path.join(ROOT, args.notebook), as_version=4)
    title = nb.cells[0].source.splitlines()[0]
    kept = [nbformat.v4.new_markdown_cell(title)]
    wanted = [k.strip() for k in args.keep.split(",") if k.strip()]
    sections = 0
    started = False
    keeping = True
    for cell in nb.cells[1:]:
        started = started or cell.cell_type == "code"
        if cell.cell_type == "markdown" and cell.source.startswith("## "):
            sections += 1
            if wanted:
                keeping = any(cell.source[3:].startswith(k) for k in wanted)
            elif sections > args.stop:
                break
        if started and keeping:
            kept.append(cell)
    nb.cells = kept
    html, _ = HTMLExporter().from_notebook_node(nb)
    work = tempfile.mkdtemp(prefix="aqn-shot-")
    try:
        page = os.path.join(work, "page.html")
        with open(page, "w", encoding="utf-8") as f:
            f.write(html)
        png = os.path.join(ROOT, args.png)
        os.makedirs(os.path.dirname(png), exist_ok=True)
        width, height = args.size.split("x")
        subprocess.run([
            "chromium", "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync",
            f"--user-data-dir={os.path.join(work, 'profile')}", "--hide-scrollbars",
            f"--window-size={width},{height}", "--virtual-time-budget=3000", f"--screenshot={png}",
            "file://" + page,
        ], check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=60)
        print(f"{args.png}: {os.path.getsize(png) // 1024} KB")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
