#!/usr/bin/python3
# The German help is complete and builds: every message of help/C/*.page has a translation in
# help/LINGUAS's languages' .po (none missing, untranslated or fuzzy), the .po compiles, and the
# translated pages itstool writes from it are valid Mallard. TAP output.
#
#   check-help-translation.py HELP_DIR PAGE...
import os
import subprocess
import sys
import tempfile

help_dir, pages = sys.argv[1], sys.argv[2:]
results = []


def check(name, ok, detail=""):
    results.append((name, ok))
    if not ok and detail:
        print("# " + detail.strip().replace("\n", "\n# "))


languages = [line.strip() for line in open(os.path.join(help_dir, "LINGUAS")) if line.strip() and not line.startswith("#")]
with tempfile.TemporaryDirectory() as work:
    pot = os.path.join(work, "help.pot")
    run = subprocess.run(["itstool", "-o", pot] + [os.path.join(help_dir, "C", page) for page in pages],
                         capture_output=True, text=True)
    check("itstool extracts the messages of the English pages", run.returncode == 0, run.stderr)
    for language in languages:
        po = os.path.join(help_dir, language, language + ".po")
        # msgcmp reports every message of the pages that the .po lacks, leaves untranslated or
        # marks fuzzy
        run = subprocess.run(["msgcmp", po, pot], capture_output=True, text=True)
        check(f"{language}.po translates every message of the pages", run.returncode == 0, run.stderr)
        mo = os.path.join(work, language + ".mo")
        run = subprocess.run(["msgfmt", "--check", "-o", mo, po], capture_output=True, text=True)
        check(f"{language}.po compiles", run.returncode == 0, run.stderr)
        out = os.path.join(work, language)
        os.mkdir(out)
        run = subprocess.run(["itstool", "-m", mo, "-o", out] + [os.path.join(help_dir, "C", page) for page in pages],
                             capture_output=True, text=True)
        check(f"itstool writes the {language} pages", run.returncode == 0 and
              sorted(os.listdir(out)) == sorted(pages), run.stderr)
        run = subprocess.run(["yelp-check", "validate"] + [os.path.join(out, page) for page in pages],
                             capture_output=True, text=True)
        check(f"the {language} pages are valid Mallard", run.returncode == 0 and not run.stdout.strip(),
              run.stdout + run.stderr)

print(f"1..{len(results)}")
for number, (name, ok) in enumerate(results, 1):
    print(f"{'ok' if ok else 'not ok'} {number} {name}")
sys.exit(0 if all(ok for _, ok in results) else 1)
