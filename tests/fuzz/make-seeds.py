#!/usr/bin/python3
# Writes the seed inputs of tests/fuzz/corpus/ from the project's own files: the reference
# sketch and the default strategy pack, made small (libFuzzer mutates short inputs faster) and
# varied (each seed reaches a path the others do not). Run it again when the formats change:
#
#   tests/fuzz/make-seeds.py
import copy
import json
import os

here = os.path.dirname(os.path.abspath(__file__))
top = os.path.dirname(os.path.dirname(here))
reference = json.load(open(os.path.join(top, "tests", "data", "reference-sketch.bndsketch")))
pack = json.load(open(os.path.join(top, "data", "strategy", "nordostniedersachsen-2024-2027.json")))


def write(folder, name, data):
    path = os.path.join(here, "corpus", folder)
    os.makedirs(path, exist_ok=True)
    with open(os.path.join(path, name), "wb") as f:
        f.write(data if isinstance(data, bytes) else data.encode())


def compact(value):
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def shorten(value, length=60):
    """Every text cut to @length characters, ids and numbers as they are."""
    if isinstance(value, dict):
        return {k: v if k in ("id", "format", "field", "district", "topic", "group", "area", "kind", "quorum")
                else shorten(v, length) for k, v in value.items()}
    if isinstance(value, list):
        return [shorten(v, length) for v in value]
    if isinstance(value, str):
        return value[:length]
    return value


# --- sketches ---------------------------------------------------------------------------

small = shorten(reference, 40)
write("sketch", "small.bndsketch", compact(small))
empty = copy.deepcopy(small)
empty.update(title="", sections={}, partners=[], funding_object=0)
empty["links"] = {k: [] for k in empty["links"]}
empty["costs"] = {"items": [], "requested": 0, "own_contribution": 0, "co_financing": 0}
write("sketch", "empty.bndsketch", compact(empty))
odd = copy.deepcopy(small)
odd.update(title="T\u00e4st \\u00e4 \u2028 <b>&amp;</b> (x) \\ \u0007", created="2026-01-01T00:00:00+14:00")
odd["sections"] = {"need": "Zeile 1\n\nZeile 2 \U0001F600 \u202e rtl", "summary": " "}
odd["costs"]["items"] = [{"label": "x", "amount": 1e9}, {"label": "", "amount": 0.1}]
write("sketch", "odd-text.bndsketch", compact(odd))

# --- strategy packs ---------------------------------------------------------------------

def small_pack():
    p = shorten(pack, 50)
    p["districts"] = p["districts"][:2]
    districts = {d["id"] for d in p["districts"]}
    p["partners"] = [x for x in p["partners"] if x.get("district", next(iter(districts))) in districts][:3]
    p["goals"] = p["goals"][:2]
    for goal in p["goals"]:
        goal["measures"] = goal["measures"][:1]
        goal["examples"] = goal.get("examples", [])[:1]
    goals = {g["id"] for g in p["goals"]}
    p["cross_cutting_goals"] = p["cross_cutting_goals"][:1]
    p["topics"] = [t for t in p["topics"] if set(t["goals"]) & goals][:2]
    for topic in p["topics"]:
        topic["goals"] = [g for g in topic["goals"] if g in goals]
    fields = {t["field"] for t in p["topics"]}
    p["fields"] = [f for f in p["fields"] if f["id"] in fields]
    p["funding_objects"] = p["funding_objects"][:2]
    p["procedure"] = p["procedure"][:3]
    p["review"]["criteria"] = p["review"]["criteria"][:2]
    p["sketch_template"]["sections"] = p["sketch_template"]["sections"][:3]
    p["indicators"] = [i for i in p["indicators"] if i["area"] in districts | {"region", "niedersachsen", "deutschland"}][:3]
    groups = {i.get("group") for i in p["indicators"]}
    p["occupation_groups"] = [g for g in p["occupation_groups"] if g["id"] in groups] or p["occupation_groups"][:1]
    topics = {i["topic"] for i in p["indicators"]}
    p["indicator_topics"] = [t for t in p["indicator_topics"] if t["id"] in topics]
    return p


sp = small_pack()
write("strategy", "small.json", compact(sp))
odd_pack = copy.deepcopy(sp)
odd_pack["sketch_template"]["sections"][0]["title"] = "Ausgangslage (\\) <&> 'x' \"y\""
odd_pack["sketch_template"]["page_limit"] = 1
odd_pack["goals"][0]["title"] = "Ziel \u00e4\u00f6\u00fc \U0001F600 )("
write("strategy", "odd-text.json", compact(odd_pack))

# --- merges: base, mine, theirs, then field and value pairs ------------------------------

def merge_seed(name, mine_edit, theirs_edit, resolutions=()):
    base = shorten(reference, 40)
    mine, theirs = copy.deepcopy(base), copy.deepcopy(base)
    mine_edit(mine)
    theirs_edit(theirs)
    parts = [compact(base), compact(mine), compact(theirs)]
    for field, value in resolutions:
        parts += [field, value]
    write("merge", name, "\0".join(parts))


def set_title(value):
    return lambda s: s.update(title=value)


def set_section(section, value):
    return lambda s: s["sections"].update({section: value})


def both(*edits):
    def edit(s):
        for e in edits:
            e(s)
    return edit


merge_seed("no-conflict", set_title("Mein Titel"),
           lambda s: s["costs"]["items"].append({"label": "Neu", "amount": 10}))
merge_seed("conflicts", both(set_title("Mein Titel"), set_section("need", "meins")),
           both(set_title("Ihr Titel"), set_section("need", "ihres"), lambda s: s["partners"].pop()),
           [("title", "Ein dritter Titel"), ("section:need", "beides"), ("costs", "{\"items\":[]}")])
merge_seed("links", lambda s: s["links"]["goals"].pop(),
           lambda s: s["links"]["goals"].append("3.4"),
           [("links:goals", "[\"3.1\"]"), ("funding_object", "2"), ("partners", "[]")])
merge_seed("sections", lambda s: s["sections"].pop("need"), set_section("need", "geändert"),
           [("section:need", ""), ("start", "2027-02-01"), ("end", "x")])
