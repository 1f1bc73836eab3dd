#!/usr/bin/python3
# Fails when build-aux/setup.sh does not install a Debian package that the build or the tests
# need, so that a missing install step shows on the developer's own machine and not first on a
# newcomer's. The needs are found, not listed by hand:
#   - every dependency() of the meson files: pkg-config --path, then the package shipping the .pc;
#   - every program meson found while configuring (its log), the compiler and its C library;
#   - every program the tests and scripts call, and the programs those call when they are
#     shell scripts themselves (xvfb-run calls xauth); a compiler named as CC=… for a build;
#   - the sanitizer and libFuzzer runtimes a build with -Db_sanitize=… or -Dfuzzing=true links;
#   - every Python module the tests import, outside the standard library;
#   - a few needs no file of ours names as a program: a font the PDF renderer sets its text in,
#     GIO's TLS backend for the server's HTTPS, the SVG loader for GTK's symbolic icons.
# Each need is resolved with dpkg -S to the package that ships it. Packages that Debian marks as
# essential or required are on every machine and are skipped.
#
# The other way round, every package setup.sh installs must be needed by something found here,
# or carry a "why:" that says what needs it (fonts, services started by other programs), so the
# list cannot collect packages nobody can explain.
#
#   check-setup.py SOURCE_DIR BUILD_DIR [SETUP_SH]
import functools
import os
import re
import shutil
import subprocess
import sys

top, build = sys.argv[1], sys.argv[2]
setup_sh = sys.argv[3] if len(sys.argv) > 3 else os.path.join(top, "build-aux", "setup.sh")

problems = []


def read(path):
    with open(path, encoding="utf-8") as f:
        return f.read()


def tracked(*patterns):
    out = subprocess.run(["git", "-C", top, "ls-files", "--", *patterns], capture_output=True, text=True)
    if out.returncode == 0 and out.stdout.strip():
        return [os.path.join(top, p) for p in out.stdout.split()]
    # Not a git checkout (a source tarball): walk the tree instead.
    import glob
    found = []
    for pattern in patterns:
        pattern = pattern.replace(":(glob)", "")
        found += glob.glob(os.path.join(top, pattern), recursive="**" in pattern)
    return found


# --- what setup.sh installs ---------------------------------------------------------------

def listed_packages():
    """The package table of setup.sh: {package: (set, why)}."""
    text = read(setup_sh)
    table = re.search(r"<<'EOF'\n(.*?)\nEOF", text, re.S)
    if not table:
        sys.exit(f"{setup_sh}: no package table (a here-document ending in EOF)")
    packages = {}
    for line in table.group(1).splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        fields = line.split(None, 2)
        why = ""
        if len(fields) == 3:
            if not fields[2].startswith("why:"):
                problems.append(f"setup.sh: “{line.strip()}”: a third column must start with “why:”")
            why = fields[2][4:].strip()
        packages[fields[1]] = (fields[0], why)
    return packages


listed = listed_packages()


# --- which package ships a file -------------------------------------------------------------

@functools.lru_cache(maxsize=None)
def dpkg_owner(path):
    """The package that ships path, following symlinks (alternatives) until one is owned."""
    seen = set()
    while path and path not in seen:
        seen.add(path)
        out = subprocess.run(["dpkg-query", "-S", path], capture_output=True, text=True)
        for line in out.stdout.splitlines():
            if line.startswith("diversion by"):
                continue
            owner = line.split(": ", 1)[0].split(",")[0].strip()
            return owner.split(":")[0]
        if not os.path.islink(path):
            break
        target = os.readlink(path)
        path = os.path.normpath(os.path.join(os.path.dirname(path), target))
    # /usr-merge: /bin/x is shipped as /usr/bin/x and the other way round.
    for a, b in (("/usr/bin/", "/bin/"), ("/bin/", "/usr/bin/"), ("/usr/lib/", "/lib/"), ("/lib/", "/usr/lib/")):
        if path.startswith(a):
            out = subprocess.run(["dpkg-query", "-S", b + path[len(a):]], capture_output=True, text=True)
            if out.returncode == 0:
                return out.stdout.split(": ", 1)[0].split(",")[0].split(":")[0]
    return None


def installed_fields():
    out = subprocess.run(["dpkg-query", "-W", "-f", "${Package}\t${Essential}\t${Priority}\t${Section}\t${Depends}\t${Pre-Depends}\n"],
                         capture_output=True, text=True, check=True)
    fields = {}
    for line in out.stdout.splitlines():
        name, essential, priority, section, depends, predepends = (line.split("\t") + [""] * 6)[:6]
        deps = set()
        for clause in (depends + "," + predepends).split(","):
            for alternative in clause.split("|"):
                alternative = alternative.strip().split(" ")[0].split(":")[0]
                if alternative:
                    deps.add(alternative)
        fields[name] = (essential == "yes" or priority == "required", deps, section == "libs")
    return fields


packages = installed_fields()


def everywhere(package):
    return packages.get(package, (False, set(), False))[0]


def is_library(package):
    return packages.get(package, (False, set(), False))[2]


needs = {}   # package → [(set, what needs it)]


def need(package, stage, reason):
    if package is None or everywhere(package):
        return
    # A "-minimal" package is not meant to be installed alone: python3-minimal ships
    # /usr/bin/python3, but the tests need python3's standard library.
    if package.endswith("-minimal"):
        package = package[:-len("-minimal")]
    needs.setdefault(package, []).append((stage, reason))


# --- meson: dependencies, programs, compiler ------------------------------------------------

for meson_file in tracked("meson.build", "**/meson.build"):
    for name, rest in re.findall(r"dependency\(\s*'([^']+)'([^)]*)\)", read(meson_file)):
        if re.search(r"required\s*:\s*false", rest):
            continue   # optional: the build goes on without it
        out = subprocess.run(["pkg-config", "--path", name], capture_output=True, text=True)
        rel = os.path.relpath(meson_file, top)
        if out.returncode != 0:
            problems.append(f"{rel}: dependency('{name}') has no .pc file here: pkg-config cannot find it")
            continue
        need(dpkg_owner(out.stdout.strip()), "build", f"dependency('{name}') in {rel}")

log_path = os.path.join(build, "meson-logs", "meson-log.txt")
log = read(log_path)
for name, path in re.findall(r"Program (\S+) found: YES \(([^)\s]+)", log):
    if not os.path.realpath(path).startswith(os.path.realpath(top)):
        need(dpkg_owner(path), "build", f"meson looks for the program {name}")
compiler = re.search(r"C compiler for the host machine: (\S+)", log)
if compiler:
    path = shutil.which(compiler.group(1))
    need(dpkg_owner(path) if path else None, "build", f"the C compiler ({compiler.group(1)})")
    libc = subprocess.run([compiler.group(1), "-print-file-name=libc.so"], capture_output=True, text=True).stdout.strip()
    need(dpkg_owner(os.path.normpath(libc)), "build", "the C library the compiler links against")
pkg_config = re.search(r"Found pkg-config: (\S+)", log)
if pkg_config:
    need(dpkg_owner(pkg_config.group(1)), "build", "meson finds dependencies with pkg-config")
for program in ("meson", "ninja"):
    path = shutil.which(program)
    need(dpkg_owner(path) if path else None, "build", f"setup.sh builds with {program}")


# --- programs the tests and scripts call ----------------------------------------------------

# Our own programs' commands ("buendnis-server init", "buendnis-cli import") are words passed to
# them, not programs, even where a program of that name exists (ImageMagick's import).
OWN_COMMANDS = set()
for own in tracked(":(glob)src/cli/*.c", "src/server/buendnis-server.c"):
    OWN_COMMANDS |= {name.replace("_", "-") for name in re.findall(r"cmd_([a-z]\w*)", read(own))}


def commands_in_shell(text):
    words = set()
    heredoc_end = None
    for line in text.splitlines():
        # A here-document is data for another program (a Python script, a package table).
        if heredoc_end is not None:
            if line.strip() == heredoc_end:
                heredoc_end = None
            continue
        heredoc = re.search(r"<<-?\s*['\"]?(\w+)['\"]?", line)
        if heredoc:
            heredoc_end = heredoc.group(1)
        line = line.split(" #", 1)[0]
        if line.lstrip().startswith("#"):
            continue
        # Every word at a command position: line start, after | ; && || $( ` exec -- and env X=Y.
        for part in re.split(r"\|\||&&|[|;`(]|\$\(|\bexec\b|\s--\s|\bthen\b|\bdo\b|\belse\b", line):
            tokens = [t for t in part.split() if not re.match(r"^\w+=", t)]
            if tokens:
                words.add(tokens[0].strip("\"'"))
        # The compiler of a build: CC=clang-14 meson setup …
        words |= {m.strip("\"'") for m in re.findall(r"(?:^|\s)CC=(\S+)", line)}
    return words


def sanitizer_runtimes(text):
    """The runtime libraries that the builds set up in a shell script link: for each CC=… meson
    setup with -Db_sanitize=… (and -Dfuzzing=true, which links libFuzzer), the files the compiler
    finds for them."""
    found = []
    for line in text.splitlines():
        compiler = re.search(r"(?:^|\s)CC=(\S+)", line)
        sanitize = re.search(r"-Db_sanitize=([\w,]+)", line)
        if not (compiler and sanitize):
            continue
        compiler = compiler.group(1).strip("\"'")
        names = sanitize.group(1).split(",") + (["fuzzer"] if "-Dfuzzing=true" in line else [])
        for name in names:
            if "clang" in compiler:
                runtime = {"address": "asan", "undefined": "ubsan_standalone", "thread": "tsan",
                           "memory": "msan", "leak": "lsan"}.get(name, name)
                candidates = [f"libclang_rt.{runtime}-x86_64.a"]
            else:
                candidates = [f"lib{ {'address': 'asan', 'undefined': 'ubsan'}.get(name, name)}.so"]
            for candidate in candidates:
                out = subprocess.run([compiler, f"-print-file-name={candidate}"], capture_output=True, text=True)
                path = out.stdout.strip()
                found.append((compiler, name, path if os.path.isabs(path) and os.path.exists(path) else None))
    return found


def commands_in_python(text):
    # The first element of an argument list: ["openssl", "req", …] (a list, not a subscript).
    # Or a program looked up by name with shutil.which.
    return set(re.findall(r"(?<![\w\]\)])\[\s*[\"']([A-Za-z][\w.+-]*)[\"']", text)) | \
        set(re.findall(r"\bwhich\(\s*[\"']([A-Za-z][\w.+-]*)[\"']", text))


def commands_in_c(text):
    # A string that is a program name or starts a command line: "pdftoppm", "xdotool key %s".
    return {m.group(1) for m in re.finditer(r"\"([A-Za-z][\w.+-]*)(?:\"| [^\"]*\")", text)}


# Where Debian installs programs: a program found only elsewhere on PATH (pyenv, /usr/local) was
# installed by hand and is exactly what a newcomer will not have.
SYSTEM_PATH = "/usr/sbin:/usr/bin:/sbin:/bin"


def program_package(word, rel):
    if word in OWN_COMMANDS or "/" in word or word.isupper():   # GET, POST: HTTP methods
        return None, None
    path = shutil.which(word, path=SYSTEM_PATH)
    if path is None:
        return None, None
    return path, dpkg_owner(path)


scanned = set()


def scan_program_calls(path, stage, depth=0):
    if path in scanned:
        return
    scanned.add(path)
    text = read(path)
    shebang = re.match(r"#!\s*(\S+)(?:\s+(\S+))?", text)
    if shebang and depth == 0:
        interpreter = shebang.group(2) if shebang.group(1).endswith("/env") else shebang.group(1)
        if not interpreter.startswith("/"):
            interpreter = shutil.which(interpreter, path=SYSTEM_PATH) or interpreter
        need(dpkg_owner(interpreter), stage, f"{os.path.relpath(path, top)} runs in {interpreter}")
    is_shell = path.endswith(".sh") or text.startswith("#!/bin/sh") or text.startswith("#!/bin/bash") \
        or os.path.basename(path) == "run"
    words = commands_in_shell(text) if is_shell else commands_in_c(text) if path.endswith(".c") \
        else commands_in_python(text)
    rel = os.path.relpath(path, top) if path.startswith(top) else path
    if is_shell:
        for compiler, name, runtime in sanitizer_runtimes(text):
            if runtime is None:
                problems.append(f"{rel}: {compiler} has no runtime for -fsanitize={name} here")
            else:
                need(dpkg_owner(runtime), stage, f"{rel} builds with {compiler} and -fsanitize={name}")
    for word in sorted(words):
        program, package = program_package(word, rel)
        if package is None or everywhere(package):
            continue
        need(package, stage, f"{rel} calls {word}")
        # A program that is itself a shell script calls others in turn (xvfb-run → xauth, Xvfb).
        if depth == 0:
            try:
                with open(program, "rb") as f:
                    head = f.read(64)
            except OSError:
                continue
            if head.startswith(b"#!") and b"sh" in head.split(b"\n")[0]:
                scan_program_calls(program, stage, depth + 1)


for path in tracked("build-aux/setup.sh", ".ci/run"):
    scan_program_calls(path, "test")
# The suite's own files; the benchmarks (tests/bench/) run on demand and install their tools.
for path in tracked(":(glob)tests/*.py", ":(glob)tests/*.sh", ":(glob)tests/*.c",
                    ":(glob)tests/fuzz/*.py", ":(glob)tests/fuzz/*.sh"):
    scan_program_calls(path, "test")


# --- Python modules the tests import ----------------------------------------------------

stdlib = set(sys.stdlib_module_names)
local = {os.path.splitext(os.path.basename(p))[0] for p in tracked(":(glob)tests/*.py")}
for path in tracked(":(glob)tests/*.py"):
    for module in re.findall(r"^\s*(?:import|from)\s+([A-Za-z_][\w]*)", read(path), re.M):
        if module in stdlib or module in local:
            continue
        import importlib.util
        spec = importlib.util.find_spec(module)
        rel = os.path.relpath(path, top)
        if spec is None or spec.origin is None:
            problems.append(f"{rel} imports {module}, which is not installed here")
            continue
        need(dpkg_owner(spec.origin), "test", f"{rel} imports {module}")


# --- needs no file of ours names as a program -------------------------------------------

def font_file(family):
    out = subprocess.run(["fc-match", "-f", "%{family}\n%{file}", family], capture_output=True, text=True)
    lines = out.stdout.splitlines()
    if len(lines) == 2 and family.lower() in lines[0].lower():
        return lines[1]
    return None


needs_fonts = set()
needs_services = set()
sources = {os.path.relpath(p, top): read(p) for p in tracked("src/**/*.c", "src/**/*.h")}
for rel, text in sources.items():
    for family in re.findall(r"#define\s+BND_\w*FONT\w*\s+\"([^\"]+)\"", text):
        path = font_file(family)
        if path is None:
            problems.append(f"{rel} sets text in “{family}”, which fontconfig does not find here")
        else:
            need(dpkg_owner(path), "build", f"{rel} sets text in the font {family}")
    if "g_tls_certificate_new_from_files" in text or "soup_server_set_tls_certificate" in text:
        modules = subprocess.run(["pkg-config", "--variable=giomoduledir", "gio-2.0"], capture_output=True, text=True).stdout.strip()
        backends = [os.path.join(modules, m) for m in sorted(os.listdir(modules)) if "tls" in m] if os.path.isdir(modules) else []
        if not backends:
            problems.append(f"{rel} serves TLS, but GIO has no TLS backend module here")
        for backend in backends[:1]:
            need(dpkg_owner(backend), "build", f"{rel} serves TLS through GIO's TLS backend")
    if "gtk_" in text and "Cantarell" not in needs_fonts:
        # GTK's built-in interface font (gtk-font-name "Cantarell 11"), where no desktop sets one.
        gtk_lib = os.path.join(subprocess.run(["pkg-config", "--variable=libdir", "gtk4"], capture_output=True,
                                              text=True).stdout.strip(), "libgtk-4.so.1")
        if os.path.exists(gtk_lib) and b"Cantarell 11\0" in open(gtk_lib, "rb").read():
            needs_fonts.add("Cantarell")
            path = font_file("Cantarell")
            if path is None:
                problems.append("GTK sets its interface in Cantarell, which fontconfig does not find here")
            else:
                need(dpkg_owner(path), "build", "GTK's default interface font is Cantarell")
    if "gtk_" in text and "org.a11y.Bus" not in needs_services:
        # GTK 4 asks the session bus for the accessibility bus at start and warns without it,
        # and the UI tests make warnings fatal.
        gtk_lib = os.path.join(subprocess.run(["pkg-config", "--variable=libdir", "gtk4"], capture_output=True,
                                              text=True).stdout.strip(), "libgtk-4.so.1")
        if os.path.exists(gtk_lib) and b"org.a11y.Bus" in open(gtk_lib, "rb").read():
            needs_services.add("org.a11y.Bus")
            service = "/usr/share/dbus-1/services/org.a11y.Bus.service"
            if not os.path.exists(service):
                problems.append("GTK asks for the D-Bus service org.a11y.Bus, which nothing provides here "
                                "(Debian's at-spi2-core does)")
            else:
                need(dpkg_owner(service), "test", "GTK asks the session bus for the accessibility bus org.a11y.Bus")
    if '"help:' in text:
        # Only "setup.sh run" installs it, so it may be missing where the tests run: named, not found.
        need("yelp", "run", f"{rel} opens help: pages, which Debian's yelp shows")
    if "gtk_" in text and "icon" in text:
        loaders = subprocess.run(["pkg-config", "--variable=gdk_pixbuf_moduledir", "gdk-pixbuf-2.0"], capture_output=True, text=True).stdout.strip()
        svg = os.path.join(loaders, "libpixbufloader-svg.so")
        if os.path.exists(svg):
            need(dpkg_owner(svg), "build", "GTK draws the symbolic icons from SVG through gdk-pixbuf's loader")


# --- compare --------------------------------------------------------------------------------

def covers(listed_stage, stage):
    return listed_stage == "build" or listed_stage == stage


def closure(table, stage):
    """Every package that the packages of table covering stage bring with them."""
    todo = [p for p, (s, _) in table.items() if covers(s, stage)]
    seen = set()
    while todo:
        for dep in packages.get(todo.pop(), (False, set(), False))[1]:
            if dep not in seen:
                seen.add(dep)
                todo.append(dep)
    return seen


def compare(table):
    """What is wrong with table as setup.sh's package list, one sentence each."""
    found = []
    closures = {stage: closure(table, stage) for stage in ("build", "run", "test")}
    # A needed package must be on its own line; only shared libraries may come with whatever
    # links them.
    for package, reasons in sorted(needs.items()):
        stage = "build" if any(s == "build" for s, _ in reasons) else \
            "run" if all(s == "run" for s, _ in reasons) else "test"
        why = "; ".join(sorted({r for _, r in reasons})[:3])
        if package in table:
            if not covers(table[package][0], stage):
                found.append(f"setup.sh installs {package} for “{table[package][0]}” only, but “{stage}” needs it: {why}")
        elif not (is_library(package) and package in closures[stage]):
            found.append(f"setup.sh does not install {package}, which is needed: {why}")
    for package, (stage, why) in sorted(table.items()):
        others = {p: v for p, v in table.items() if p != package}
        if is_library(package) and package in closure(others, stage):
            found.append(f"setup.sh installs {package}, which the other packages bring already: drop its line")
        elif package not in needs and not why:
            found.append(f"setup.sh installs {package}, but nothing here needs it: add “why: …” to its line, or drop it")
    return found


problems += compare(listed)

# The Debian source package builds from the same meson files: its Build-Depends must name what
# meson looks for, or the package build fails on a builder that has only those.
control_path = os.path.join(top, "debian", "control")
if os.path.exists(control_path):
    control = read(control_path)
    field = re.search(r"^Build-Depends:(.*?)^(?=\S)", control, re.M | re.S)
    build_depends = set()
    for clause in (field.group(1) if field else "").split(","):
        for alternative in clause.split("|"):
            name = alternative.strip().split(" ")[0].split(":")[0]
            if name:
                build_depends.add(name)
    brought = set(build_depends)
    for name in build_depends:
        brought |= packages.get(name, (False, set(), False))[1]
    for package, reasons in sorted(needs.items()):
        meson_reasons = [r for _, r in reasons if r.startswith("dependency(") or r.startswith("meson ")]
        if meson_reasons and package not in brought and not is_library(package):
            problems.append(f"debian/control's Build-Depends lacks {package}: {meson_reasons[0]}")

# Every line must matter: without it, this test has to fail. A line that nothing here can tell
# apart from a stale one is only allowed with its "why:".
for package, (stage, why) in sorted(listed.items()):
    if not why and not compare({p: v for p, v in listed.items() if p != package}):
        problems.append(f"removing {package} from setup.sh goes unnoticed by this test")

for package, reasons in sorted(needs.items()):
    print(f"# {package}: {sorted({r for _, r in reasons})[0]}")
print(f"# {len(needs)} packages needed, {len(listed)} installed by setup.sh")
for problem in problems:
    print(f"# problem: {problem}")
print("1..1")
print("not ok 1 - setup.sh installs what the build and the tests need" if problems
      else "ok 1 - setup.sh installs what the build and the tests need")
sys.exit(1 if problems else 0)
