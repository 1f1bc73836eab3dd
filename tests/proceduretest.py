# What the procedure tests share: accounts for every role, and dossiers taken to any stage through
# the steps of POST /api/v1/dossiers/UUID/steps/STEP on a real buendnis-server.
import json
import os
import subprocess
import tempfile
import uuid as uuidlib

from servertest import request

PASSWORD = "geheim-12345"
PARTNERS = ['ihk-lw', 'hwk-bls', 'agv-lueneburg', 'dgb-non', 'aa-lueneburg-uelzen', 'aa-celle', 'leuphana',
            'ostfalia', 'lk-lueneburg', 'lk-harburg', 'lk-uelzen', 'lk-luechow-dannenberg', 'lk-celle',
            'lk-heidekreis']
CARRIER_ORG = "lk-heidekreis"
SCORES = {"strategic-goals": 4, "regional-relevance": 5, "feasibility": 4, "sustainability": 3,
          "appropriate-cost": 4}


def users():
    """anna carries the projects, bert carries for another organisation, clara is the coordination,
    root the administrator, and every partner organisation has a seat."""
    accounts = {"anna": (CARRIER_ORG, "carrier"), "bert": ("traeger-nord", "carrier"),
                "clara": ("ihk-lw", "coordination"), "root": ("ihk-lw", "admin")}
    accounts.update({f"seat-{org}": (org, "partner") for org in PARTNERS})
    return accounts


ORGS = [("traeger-nord", "Bildungsträger Nord gGmbH")]

# The way from a submitted sketch to each stage, as (step, body, account) after the one before.
WAY = {
    "submitted": (None, []),
    "first-assessment": ("submitted", [("start-assessment", {}, "clara")]),
    "changes-requested": ("first-assessment", [("assess", {"outcome": "needs-changes",
                                                           "reason": "Bitte den Finanzplan erläutern."}, "clara")]),
    "not-recommended": ("first-assessment", [("assess", {"outcome": "negative",
                                                         "reason": "Nicht förderfähig nach der Richtlinie."}, "clara")]),
    "long-form-requested": ("first-assessment", [("assess", {"outcome": "positive"}, "clara")]),
    "long-form-received": ("long-form-requested", [("attach", "long-form", "anna"), ("receive-long-form", {}, "clara")]),
    "rating": ("long-form-received", [("open-rating", {}, "clara")]),
    "vote": ("rating", [("open-vote", {"reason": "Die Sitzung entscheidet."}, "clara")]),
    "vote-closed": ("vote", [("all-vote", "yes", None)]),
    "statement": ("vote-closed", [("issue-statement", {}, "clara")]),
    "not-endorsed": ("vote", [("all-vote", "no", None), ("issue-statement", {}, "clara")]),
    "application": ("statement", [("file-application", {}, "clara")]),
    "approved": ("application", [("approve", {"amount": 120000.5, "date": "2026-03-01"}, "clara")]),
    "rejected": ("application", [("reject", {"reason": "Mittel ausgeschöpft."}, "clara")]),
    "withdrawn": ("rating", [("withdraw", {"reason": "Der Träger zieht zurück."}, "anna")]),
}


class Procedure:
    def __init__(self, port, tokens, cli, reference, work, prefix=""):
        """@prefix: the address of an alliance on the service, such as "/a/west"; none for the first."""
        self.port, self.tokens, self.cli, self.reference, self.work = port, tokens, cli, reference, work
        self.prefix = prefix
        self.rendered = {}

    def api(self, method, path, body=None, who="clara", headers=None):
        return request(self.port, method, f"{self.prefix}/api/v1{path}", body, self.tokens[who], headers)

    def render(self, uuid, who="anna"):
        """The PDF of the sketch's stored revision, as the app renders it for a submission. The
        id is not printed: sketches that differ only in it have the same PDF, rendered once."""
        data = self.api("GET", f"/sketches/{uuid}", who=who)[1]["data"]
        key = json.dumps(dict(data, uuid=None), sort_keys=True)
        if key not in self.rendered:
            with tempfile.TemporaryDirectory(dir=self.work) as scratch:
                stored = os.path.join(scratch, "stored.bndsketch")
                json.dump(data, open(stored, "w"))
                subprocess.run([self.cli, "--profile", scratch, "export-pdf", stored,
                                os.path.join(scratch, "out.pdf")], check=True, capture_output=True)
                self.rendered[key] = open(os.path.join(scratch, "out.pdf"), "rb").read()
        return self.rendered[key]

    def write_sketch(self, uuid, change=None, who="anna"):
        """Writes the reference sketch as @uuid on top of the stored revision, changed by @change."""
        sketch = json.load(open(self.reference))
        sketch["uuid"] = uuid
        if change:
            change(sketch)
        status, current = self.api("GET", f"/sketches/{uuid}", who=who)
        revision = current["revision"] if status == 200 else 0
        return self.api("PUT", f"/sketches/{uuid}", sketch, who, {"If-Match": str(revision)})

    def submit(self, uuid, who="anna"):
        pdf = self.render(uuid)   # the carrier always sees its sketch; @who may not
        status, payload = self.api("POST", f"/dossiers/{uuid}/steps/submit", pdf, who,
                                   {"Content-Type": "application/pdf"})
        return status, payload, pdf

    def new_dossier(self):
        uuid = str(uuidlib.uuid4())
        self.write_sketch(uuid)
        status, payload, _ = self.submit(uuid)
        assert status == 200, payload
        return uuid

    def entitled(self, uuid):
        return [org for org in PARTNERS if org != CARRIER_ORG and
                self.api("GET", f"/dossiers/{uuid}/steps", who=f"seat-{org}")[1]["recused"] is False]

    def take(self, uuid, step, body=None, who="clara"):
        """Takes @step with @body; for "attach" @body is the kind, "submit" needs none. Returns the
        status and answer."""
        if step == "submit":
            return self.submit(uuid, who)[:2]
        if step == "attach":
            pdf = open(self.reference_pdf(), "rb").read()
            return self.api("POST", f"/dossiers/{uuid}/steps/attach?kind={body or 'other'}&name=Anlage.pdf", pdf, who,
                            {"Content-Type": "application/pdf"})
        return self.api("POST", f"/dossiers/{uuid}/steps/{step}", body if body is not None else {}, who)

    def reference_pdf(self):
        path = os.path.join(self.work, "reference.pdf")
        if not os.path.exists(path):
            subprocess.run([self.cli, "--profile", self.work, "export-pdf", self.reference, path], check=True,
                           capture_output=True)
        return path

    def to_stage(self, stage, uuid=None):
        """A dossier at @stage ("vote-closed": at the vote, every entitled organisation voted yes);
        "consultation" is one the coordination started, with the carrier's sketch in it."""
        if stage == "consultation":
            uuid = str(uuidlib.uuid4())
            status, payload = self.api("POST", f"/dossiers/{uuid}/consultation",
                                       {"date": "2026-02-02", "who": "Anna Alt, Clara Claus", "notes": "Idee besprochen",
                                        "org": CARRIER_ORG, "title": "Welcome & Stay"})
            assert status == 200, payload
            status, payload = self.write_sketch(uuid)
            assert status == 200, payload
            return uuid
        before, steps = WAY[stage]
        uuid = self.to_stage(before) if before else self.new_dossier()
        for step, body, who in steps:
            if step == "all-vote":
                for org in self.entitled(uuid):
                    self.api("PUT", f"/dossiers/{uuid}/vote", {"choice": body}, f"seat-{org}")
                continue
            status, payload = self.take(uuid, step, body, who)
            assert status == 200, (stage, step, payload)
        return uuid

    def stage(self, uuid, who="clara"):
        return self.api("GET", f"/dossiers/{uuid}", who=who)[1].get("stage")

    def steps(self, uuid, who):
        status, payload = self.api("GET", f"/dossiers/{uuid}/steps", who=who)
        return status, {entry["step"]: entry for entry in payload["steps"]} if status == 200 else payload
