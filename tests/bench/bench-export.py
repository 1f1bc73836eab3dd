#!/usr/bin/python3
# The PDF export row of issue 14: LibreOffice converting the reference sketch's text to PDF vs
# buendnis-cli exporting the sketch, each as a whole process started from here.
#
# Usage: bench-export.py BUENDNIS-CLI SKETCH WORKDIR
#
# Side by side in one run: after one warm-up of each (neither is timed cold while the other is
# warm), five rounds of one LibreOffice conversion and four exports. The figures are medians.
import json
import os
import shutil
import statistics
import subprocess
import sys
import time

cli, sketch, work = sys.argv[1:]


def timed(command, result):
    """Runs @command and returns how long it took, once it made @result."""
    if os.path.exists(result):
        os.unlink(result)
    start = time.perf_counter()
    subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
    elapsed = (time.perf_counter() - start) * 1000
    if not os.path.exists(result):
        sys.exit(f"{command[0]} made no {result}")
    return elapsed


export = [cli, "--profile", f"{work}/pdf-profile", "export-pdf", sketch, f"{work}/out.pdf"]
text = json.load(open(sketch))
with open(f"{work}/sketch.txt", "w") as out:
    print(text["title"], file=out)
    for key, value in text["sections"].items():
        print(f"\n{key}\n{value}", file=out)
# A LibreOffice profile of its own: with the user's, a LibreOffice already open would take the
# conversion over and the figure would be that of a message to it
convert = ["soffice", f"-env:UserInstallation=file://{work}/libreoffice", "--headless", "--convert-to", "pdf",
           "--outdir", work, f"{work}/sketch.txt"]
have_office = shutil.which("soffice") is not None

ours, office = [], []
timed(export, f"{work}/out.pdf")
if have_office:
    timed(convert, f"{work}/sketch.pdf")
for _ in range(5):
    if have_office:
        office.append(timed(convert, f"{work}/sketch.pdf"))
    ours.extend(timed(export, f"{work}/out.pdf") for _ in range(4))

label = "PDF export: LibreOffice vs buendnis-cli"
mine = statistics.median(ours)
if have_office:
    theirs = statistics.median(office)
    print(f"{label:<44} {theirs:>8.0f} ms vs {mine:>6.1f} ms = {theirs / mine:4.1f}x  (target >= 20x)")
    print(f"  LibreOffice {min(office):.0f} to {max(office):.0f} ms over 5 conversions; "
          f"buendnis-cli {min(ours):.1f} to {max(ours):.1f} ms over 20 exports; alternating, after a warm-up of each")
else:
    print(f"{label:<44} LibreOffice not installed (apt-get install libreoffice-writer-nogui); "
          f"buendnis-cli {mine:.1f} ms  (target >= 20x)")
