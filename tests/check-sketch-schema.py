#!/usr/bin/python3
# The JSON Schema in data/ accepts what Bündnis writes (the reference sketch and what
# buendnis-cli exports of it) and refuses obviously broken sketches.
import json
import os
import subprocess
import sys
import tempfile

import jsonschema

top = sys.argv[1]
cli = os.environ["BUENDNIS_CLI"]
schema = json.load(open(os.path.join(top, "data", "buendnis-sketch.schema.json")))
jsonschema.Draft202012Validator.check_schema(schema)
validator = jsonschema.Draft202012Validator(schema)

reference = json.load(open(os.path.join(top, "tests", "data", "reference-sketch.bndsketch")))
validator.validate(reference)

with tempfile.TemporaryDirectory() as profile:
    out = os.path.join(profile, "export.bndsketch")
    subprocess.run([cli, "--profile", profile, "import", os.path.join(top, "tests", "data", "reference-sketch.bndsketch")],
                   check=True, capture_output=True)
    subprocess.run([cli, "--profile", profile, "new", "--title", "Leer"], check=True, capture_output=True)
    listing = json.loads(subprocess.run([cli, "--profile", profile, "list", "--json"], check=True,
                                        capture_output=True, text=True).stdout)
    exported = 0
    for entry in listing:
        subprocess.run([cli, "--profile", profile, "export", entry["uuid"], "-o", out], check=True, capture_output=True)
        validator.validate(json.load(open(out)))
        exported += "confirmations" in json.load(open(out))
    if exported != len(listing):
        sys.exit("an export lacks the confirmations")

confirmed = dict(reference, funding_object=2, confirmations=["fg2-arbeitsverwaltung", "fg2-bildungstraeger"])
validator.validate(confirmed)

broken = [dict(reference, confirmations="fg2-bildungstraeger"), dict(reference, confirmations=[""]),
          dict(reference, confirmations=["fg2-bildungstraeger", "fg2-bildungstraeger"]),
          dict(reference, format="docx"), dict(reference, version=2), dict(reference, uuid="x"),
          dict(reference, funding_object="eins"), {k: v for k, v in reference.items() if k != "sections"}]
for sketch in broken:
    if validator.is_valid(sketch):
        sys.exit("the schema accepts a broken sketch")

print("1..1\nok 1 the schema accepts what Bündnis writes and refuses broken sketches")
