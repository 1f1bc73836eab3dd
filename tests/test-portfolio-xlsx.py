#!/usr/bin/python3
# The portfolio as a spreadsheet people open by double-click: `buendnis-cli portfolio --xlsx`
# against a real buendnis-server, read back with openpyxl. A sheet per view, headers in the
# interface language, names instead of ids, amounts as numbers in euros, dates as date cells,
# the header row frozen. TAP output.
import datetime
import os
import subprocess
import sys
import tempfile
import zipfile

import openpyxl

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from servertest import check, request, report, submit_sketch, add_users, serve, sign_in  # noqa: E402

SERVER = os.environ["BUENDNIS_SERVER"]
CLI = os.environ["BUENDNIS_CLI"]
LOCALEDIR = os.environ["BUENDNIS_LOCALEDIR"]
TOP = sys.argv[1]
REFERENCE = os.path.join(TOP, "tests", "data", "reference-sketch.bndsketch")
UUID = "0d6f4a52-8c3e-4b7a-a1d9-2e5c7b9f3a61"
PASSWORD = "geheim-12345"


def export(profile, path, language):
    env = dict(os.environ, LANGUAGE=language, LC_ALL="C.UTF-8", BUENDNIS_LOCALEDIR=LOCALEDIR)
    return subprocess.run([CLI, "--profile", profile, "portfolio", "--xlsx", path], capture_output=True, text=True,
                          env=env)


def header(sheet):
    return [cell.value for cell in next(sheet.iter_rows(min_row=1, max_row=1))]


with tempfile.TemporaryDirectory() as data:
    users = {"anna": ("lk-heidekreis", "carrier"), "clara": ("ihk-lw", "coordination")}
    add_users(SERVER, data, users, PASSWORD)
    server, port = serve(SERVER, data)
    try:
        tokens = sign_in(port, users, PASSWORD)
        status, _ = submit_sketch(port, tokens["anna"], UUID, CLI, REFERENCE)
        check("the carrier submits the sketch", status == 200)
        # A positive first assessment moves it to "long-form-requested", an id no reader should see
        request(port, "POST", f"/api/v1/dossiers/{UUID}/stage", {"stage": "first-assessment"}, tokens["clara"])
        status, _ = request(port, "PUT", f"/api/v1/dossiers/{UUID}/assessment", {"outcome": "positive"},
                            tokens["clara"])
        check("the coordination records the first assessment", status == 200)
        today = datetime.date.today()

        profile = os.path.join(data, "clara-profile")
        subprocess.run([CLI, "--profile", profile, "login", f"http://127.0.0.1:{port}", "--user", "clara",
                        "--token-file", profile + ".token"], input=PASSWORD + "\n", capture_output=True, text=True)

        # German
        path = os.path.join(data, "Portfolio.xlsx")
        run = export(profile, path, "de")
        check("buendnis-cli portfolio --xlsx writes a workbook",
              run.returncode == 0 and zipfile.is_zipfile(path))
        book = openpyxl.load_workbook(path)
        check("a sheet per view, named in German", book.sheetnames == ["Vorhaben", "Nach Verfahrensstand", "Abdeckung",
                                                                        "Mittel"])
        dossiers = book["Vorhaben"]
        check("the dossiers' headers are German",
              header(dossiers) == ["Titel", "Träger", "Verfahrensstand", "Fördergegenstand", "Landkreise", "Beantragt",
                                   "Bewilligt", "Eingereicht", "Projektbeginn", "Projektende"])
        row = [cell for cell in dossiers[2]]
        check("the title, and the carrier by name, not id",
              row[0].value.startswith("Welcome & Stay") and row[1].value == "Landkreis Heidekreis")
        check("the stage by its German name, not its id", row[2].value == "Langfassung angefordert")
        check("the Fördergegenstand with its number and title", row[3].value.startswith("1 ") and len(row[3].value) > 4)
        check("the Landkreise by name", row[4].value == "Heidekreis, Celle, Uelzen")
        check("the requested amount is a number in euros",
              row[5].data_type == "n" and row[5].value == 186000 and "€" in row[5].number_format and
              "#,##0.00" in row[5].number_format)
        check("the submission day is a date cell in German form",
              row[7].is_date and row[7].value.date() == today and row[7].number_format == "dd.mm.yyyy")
        check("the project's start and end are date cells",
              row[8].is_date and row[8].value == datetime.datetime(2026, 1, 1) and
              row[9].is_date and row[9].value == datetime.datetime(2027, 12, 31))
        check("a total row sums the amounts with a formula",
              dossiers["A3"].value == "Gesamt" and dossiers["F3"].value == "=SUM(F2:F2)")
        check("every sheet keeps its header row in view",
              all(book[name].freeze_panes == "A2" for name in book.sheetnames))
        check("the columns are wide enough for their text",
              dossiers.column_dimensions["A"].width > 30 and dossiers.column_dimensions["H"].width >= 10)

        stages = book["Nach Verfahrensstand"]
        counts = {r[0].value: r[1].value for r in stages.iter_rows(min_row=2)}
        check("the stages by name with their counts, empty ones too",
              counts.get("Langfassung angefordert") == 1 and counts.get("Skizze eingereicht") == 0 and
              "long-form-requested" not in counts)

        coverage = book["Abdeckung"]
        columns = header(coverage)
        goals = {r[0].value.split(" ")[0]: [c.value for c in r[1:]] for r in coverage.iter_rows(min_row=2)}
        heidekreis = columns.index("Heidekreis") - 1
        harburg = columns.index("Harburg") - 1
        check("the coverage matrix: goals × Landkreise by name",
              columns[0] == "Strategisches Ziel" and columns[-1] == "Gesamt" and "heidekreis" not in columns)
        check("the matrix counts the dossier where it works, and the gaps as zeros",
              goals["3.1"][heidekreis] == 1 and goals["3.2"][heidekreis] == 0 and goals["3.1"][harburg] == 0)
        gap = coverage.cell(row=2 + list(goals).index("3.2"), column=2 + heidekreis)
        check("a gap is filled red", gap.fill.fgColor.rgb.endswith("FCD6D6"))

        funding = book["Mittel"]
        first = [c.value for c in funding[2]]
        check("the funding sheet: German headers, sums by Fördergegenstand",
              header(funding) == ["Fördergegenstand", "Vorhaben", "Beantragt", "Bewilligt"] and
              first[0].startswith("1 ") and first[1] == 1 and first[2] == 186000)
        with zipfile.ZipFile(path) as archive:
            styles = archive.read("xl/styles.xml").decode()
        check("the workbook's styles carry the euro and date number formats",
              'formatCode="dd.mm.yyyy"' in styles and "€" in styles)

        # English
        path = os.path.join(data, "Portfolio-en.xlsx")
        run = export(profile, path, "en")
        book = openpyxl.load_workbook(path) if run.returncode == 0 else None
        check("in English: English sheet names", book and book.sheetnames == ["Dossiers", "By Stage", "Coverage",
                                                                               "Funding"])
        row = [cell for cell in book["Dossiers"][2]] if book else []
        check("in English: English headers, stage names and formats",
              book and header(book["Dossiers"])[:3] == ["Title", "Carrier", "Stage"] and
              row[2].value == "Long form requested" and row[5].number_format.startswith('"€"') and
              row[7].number_format == "d mmm yyyy")

        run = subprocess.run([CLI, "--profile", profile, "portfolio", "--csv", "--xlsx", path], capture_output=True,
                             text=True)
        check("portfolio takes one of --csv, --pdf and --xlsx", run.returncode != 0 and "either" in run.stderr)
    finally:
        server.terminate()
        server.wait()
report()
