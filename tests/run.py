#!/usr/bin/env python3
"""run.py: runs every test suite of corridor and ends with one line 'N passed, N failed'.

Suites:
  unit      tests/unit/test_* binaries (cmocka, TAP output), one result per test case
  broken    tests/broken/NAME.json: `corridor validate NAME.json` stderr == NAME.expected,
            exit code == NAME.code (default 3)
  scenarios tests/broken-scenarios/: the same for scenario files
  demand    tests/broken-demand/NAME.csv|json: `corridor assign --demand NAME.csv` (caspian)
            stderr == NAME.expected, exit code == NAME.code (default 3)
  cli       tests/cli/NAME.args: `corridor ARGS` run in tests/cli with LC_ALL=C;
            stdout == NAME.out, stderr == NAME.err (empty if absent), exit == NAME.code (0)
  export    tests/export/run.sh CORRIDOR: prints 'ok NAME' / 'not ok NAME' lines
  shard     tests/shard/run.sh CORRIDOR: --shard I/N outputs of 4 processes run by GNU parallel
            equal the single-process answer (matrix, batch, critical --od) (same line format)
  browser   tests/browser/run.sh CORRIDOR: the HTML map in headless Chromium (same format)
  import    tests/import/run.sh CORRIDOR: GIS and OpenStreetMap import, hand-checked answers
  compiled  tests/compiled/run.sh CORRIDOR: every command answers the same from a compiled
            model as from its JSON; damaged and foreign compiled files are exit-3 errors
  files     tests/files/run.sh CORRIDOR: '-' pipes, FIFOs, devices, symlinks, modes, inputs
            never overwritten, a killed run leaves no temporary file (same line format)
  install   tests/install/run.sh BUILD: make install into a staging folder, a pkg-config
            client, the man page, make uninstall (same line format)
  calibration  tools/calibrate.py --check: the built-in caspian model's answers against
            published figures, one result per figure, plus one for the table in
            docs/data-sources.md being current (rewrite it with tools/calibrate.py --write)

  fuzz      --fuzz DIR: tests/fuzz/run.sh DIR SECONDS runs each libFuzzer harness built in DIR
            (make fuzz-bin) for --fuzz-time seconds; skipped with a note when none is built

--asan DIR reruns unit, broken, scenarios, cli and calibration with the sanitizer build in DIR;
--valgrind reruns broken, scenarios and cli under valgrind (errors and definite leaks fail).
UPDATE=1 in the environment rewrites the expected files of cli/broken cases from the actual
output (review the diff before committing).
"""
import argparse
import glob
import os
import re
import shlex
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
passed = 0
failed = 0
failures = []


def result(ok, name, detail=""):
    global passed, failed
    if ok:
        passed += 1
    else:
        failed += 1
        failures.append(name)
        print(f"FAIL {name}")
        if detail:
            for line in detail.rstrip("\n").splitlines()[:40]:
                print(f"     {line}")


def env_c():
    env = dict(os.environ)
    env["LC_ALL"] = "C"
    env["SOURCE_DATE_EPOCH"] = "1767225600"  # the date on maps' source line: 2026-01-01
    env.pop("LANG", None)
    env["ASAN_OPTIONS"] = "detect_leaks=1:abort_on_error=0:exitcode=86"
    env["UBSAN_OPTIONS"] = "print_stacktrace=1:halt_on_error=1:exitcode=87"
    env["LSAN_OPTIONS"] = "print_suppressions=0:suppressions=" + os.path.join(ROOT, "tests", "lsan.supp")
    return env


def run(cmd, cwd, stdin=None, timeout=900):
    try:
        p = subprocess.run(cmd, cwd=cwd, input=stdin, capture_output=True, timeout=timeout,
                           env=env_c())
        return p.returncode, p.stdout.decode("utf-8", "replace"), p.stderr.decode("utf-8", "replace")
    except subprocess.TimeoutExpired:
        return -999, "", "timed out after %d s" % timeout


def suite_unit(build, label):
    bins = sorted(glob.glob(os.path.join(build, "tests", "test_*")))
    bins = [b for b in bins if os.access(b, os.X_OK) and not b.endswith(".o")]
    if not bins:
        result(False, f"{label}/unit", "no unit test binaries in " + build)
    for b in bins:
        name = os.path.basename(b)
        env = env_c()
        env["CMOCKA_MESSAGE_OUTPUT"] = "TAP"
        try:
            p = subprocess.run([b], cwd=ROOT, capture_output=True, timeout=1800, env=env)
            out = p.stdout.decode("utf-8", "replace")
            err = p.stderr.decode("utf-8", "replace")
            code = p.returncode
        except subprocess.TimeoutExpired:
            out, err, code = "", "timed out", -999
        cases = re.findall(r"^(not ok|ok) \d+ - (.*)$", out, re.M)
        if not cases:
            result(False, f"{label}/unit/{name}", f"no TAP output (exit {code})\n{out}\n{err}")
            continue
        for status, case in cases:
            detail = ""
            if status != "ok":
                detail = out + err
            result(status == "ok", f"{label}/unit/{name}/{case.strip()}", detail)
        if code != 0 and all(s == "ok" for s, _ in cases):
            result(False, f"{label}/unit/{name}/exit", f"exit {code}\n{err}")


def compare_case(name, got, want_path, what, update):
    want = open(want_path, encoding="utf-8").read() if os.path.exists(want_path) else ""
    if got == want:
        return None
    if update:
        if got or os.path.exists(want_path):
            with open(want_path, "w", encoding="utf-8") as f:
                f.write(got)
        return None
    diff = [f"{what} differs:", "--- expected", want, "--- got", got]
    return "\n".join(diff)


def suite_validate_corpus(corridor, folder, label, wrapper, update):
    d = os.path.join(ROOT, "tests", folder)
    files = sorted(glob.glob(os.path.join(d, "*.json")))
    for f in files:
        base = os.path.splitext(os.path.basename(f))[0]
        code_path = os.path.join(d, base + ".code")
        want_code = int(open(code_path).read().strip()) if os.path.exists(code_path) else 3
        code, out, err = run(wrapper + [corridor, "validate", os.path.basename(f)], d)
        problems = []
        if code != want_code:
            problems.append(f"exit {code}, expected {want_code}")
            if update and code in (0, 1, 2, 3, 4, 5):
                with open(code_path, "w") as cf:
                    cf.write(f"{code}\n")
        p = compare_case(base, err, os.path.join(d, base + ".expected"), "stderr", update)
        if p:
            problems.append(p)
        result(not problems, f"{label}/{folder}/{base}", "\n".join(problems))


def suite_demand_corpus(corridor, label, wrapper, update):
    d = os.path.join(ROOT, "tests", "broken-demand")
    files = sorted(glob.glob(os.path.join(d, "*.csv")) + glob.glob(os.path.join(d, "*.json")))
    for f in files:
        base = os.path.basename(f).rsplit(".", 1)[0]
        code_path = os.path.join(d, base + ".code")
        want_code = int(open(code_path).read().strip()) if os.path.exists(code_path) else 3
        code, out, err = run(wrapper + [corridor, "assign", "--demand", os.path.basename(f)], d)
        problems = []
        if code != want_code:
            problems.append(f"exit {code}, expected {want_code}")
        p = compare_case(base, err, os.path.join(d, base + ".expected"), "stderr", update)
        if p:
            problems.append(p)
        result(not problems, f"{label}/broken-demand/{base}", "\n".join(problems))


def suite_cli(corridor, label, wrapper, update):
    d = os.path.join(ROOT, "tests", "cli")
    for f in sorted(glob.glob(os.path.join(d, "*.args"))):
        base = os.path.splitext(os.path.basename(f))[0]
        args = shlex.split(open(f, encoding="utf-8").read())
        stdin_path = os.path.join(d, base + ".stdin")
        stdin = open(stdin_path, "rb").read() if os.path.exists(stdin_path) else b""
        code, out, err = run(wrapper + [corridor] + args, d, stdin=stdin)
        code_path = os.path.join(d, base + ".code")
        want_code = int(open(code_path).read().strip()) if os.path.exists(code_path) else 0
        problems = []
        if code != want_code:
            problems.append(f"exit {code}, expected {want_code}")
            if update and code in (0, 1, 2, 3, 4, 5):
                if code == 0:
                    if os.path.exists(code_path):
                        os.remove(code_path)
                else:
                    with open(code_path, "w") as cf:
                        cf.write(f"{code}\n")
        for got, ext, what in ((out, ".out", "stdout"), (err, ".err", "stderr")):
            p = compare_case(base, got, os.path.join(d, base + ext), what, update)
            if p:
                problems.append(p)
        result(not problems, f"{label}/cli/{base}", "\n".join(problems))


def suite_script(folder, arg, label):
    """Runs tests/FOLDER/run.sh ARG, which prints 'ok NAME' / 'not ok NAME' lines."""
    script = os.path.join(ROOT, "tests", folder, "run.sh")
    if not os.path.exists(script):
        return
    code, out, err = run(["sh", script, arg], ROOT, timeout=1800)
    lines = re.findall(r"^(not ok|ok) (.*)$", out, re.M)
    if not lines:
        result(False, f"{label}/{folder}", f"no results (exit {code})\n{out}\n{err}")
    for status, name in lines:
        result(status == "ok", f"{label}/{folder}/{name.strip()}", out + err if status != "ok" else "")
    if code != 0 and all(s == "ok" for s, _ in lines):
        result(False, f"{label}/{folder}/exit", f"exit {code}\n{err}")


def suite_fuzz(folder, seconds):
    """Runs each libFuzzer harness briefly (tests/fuzz/README.md); one result per harness."""
    if not glob.glob(os.path.join(folder, "fuzz_*")):
        print(f"note: no fuzzers built in {folder} (clang missing?): fuzz suite skipped")
        return
    script = os.path.join(ROOT, "tests", "fuzz", "run.sh")
    code, out, err = run(["sh", script, folder, str(seconds)], ROOT, timeout=1800)
    lines = re.findall(r"^(not ok|ok) (\S+)", out, re.M)
    if not lines:
        result(False, "fuzz", f"no results (exit {code})\n{out}\n{err}")
    for status, name in lines:
        result(status == "ok", f"fuzz/{name}", out if status != "ok" else "")
    for line in re.findall(r"^#  (\S+: \d+ runs.*)$", out, re.M):
        print("     " + line)


def suite_calibration(corridor, label):
    """tools/calibrate.py --check: one result per published figure, and one for the docs table."""
    code, out, err = run([sys.executable, os.path.join(ROOT, "tools", "calibrate.py"), "--check",
                          "--corridor", corridor], ROOT, timeout=600)
    lines = re.findall(r"^(not ok|ok) (\S+)(.*)$", out, re.M)
    if not lines:
        result(False, f"{label}/calibration", f"no results (exit {code})\n{out}\n{err}")
    for status, name, rest in lines:
        result(status == "ok", f"{label}/calibration/{name}", rest.strip())
    if code != 0 and all(s == "ok" for s, _, _ in lines):
        result(False, f"{label}/calibration/exit", f"exit {code}\n{err}")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--build", default="build")
    ap.add_argument("--asan")
    ap.add_argument("--valgrind", action="store_true")
    ap.add_argument("--fuzz", help="folder of the libFuzzer harnesses (make fuzz-bin)")
    ap.add_argument("--fuzz-time", type=int, default=20)
    a = ap.parse_args()
    update = os.environ.get("UPDATE") == "1"
    build = os.path.join(ROOT, a.build) if not os.path.isabs(a.build) else a.build
    corridor = os.path.join(build, "corridor")

    print("== normal build")
    suite_unit(build, "normal")
    suite_validate_corpus(corridor, "broken", "normal", [], update)
    suite_validate_corpus(corridor, "broken-scenarios", "normal", [], update)
    suite_demand_corpus(corridor, "normal", [], update)
    suite_cli(corridor, "normal", [], update)
    suite_script("export", corridor, "normal")
    suite_script("shard", corridor, "normal")
    suite_script("compiled", corridor, "normal")
    suite_script("browser", corridor, "normal")
    suite_script("import", corridor, "normal")
    suite_script("files", corridor, "normal")
    suite_script("limits", corridor, "normal")
    suite_script("install", build, "normal")
    suite_calibration(corridor, "normal")
    if a.asan:
        asan = os.path.join(ROOT, a.asan) if not os.path.isabs(a.asan) else a.asan
        print("== sanitizer build (address, undefined)")
        suite_unit(asan, "asan")
        suite_validate_corpus(os.path.join(asan, "corridor"), "broken", "asan", [], False)
        suite_validate_corpus(os.path.join(asan, "corridor"), "broken-scenarios", "asan", [],
                              False)
        suite_demand_corpus(os.path.join(asan, "corridor"), "asan", [], False)
        suite_cli(os.path.join(asan, "corridor"), "asan", [], False)
        suite_calibration(os.path.join(asan, "corridor"), "asan")
        suite_script("compiled", os.path.join(asan, "corridor"), "asan")
    if a.valgrind:
        print("== valgrind (memcheck, leaks)")
        vg = ["valgrind", "-q", "--error-exitcode=99", "--leak-check=full",
              "--errors-for-leak-kinds=definite", "--show-leak-kinds=definite",
              "--suppressions=" + os.path.join(ROOT, "tests", "valgrind.supp")]
        suite_validate_corpus(corridor, "broken", "valgrind", vg, False)
        suite_validate_corpus(corridor, "broken-scenarios", "valgrind", vg, False)
        suite_demand_corpus(corridor, "valgrind", vg, False)
        suite_cli(corridor, "valgrind", vg, False)
    if a.fuzz:
        print("== fuzzers (libFuzzer, address, undefined)")
        suite_fuzz(os.path.join(ROOT, a.fuzz) if not os.path.isabs(a.fuzz) else a.fuzz,
                   a.fuzz_time)
    if failures:
        print("failed:")
        for f in failures:
            print("  " + f)
    print(f"{passed} passed, {failed} failed")
    return 1 if failed or passed == 0 else 0


if __name__ == "__main__":
    sys.exit(main())
