"""Bad inputs, per command and class: each is refused before any work (nothing here compiles) with one line that
names the argument, exit status 2, and no traceback. The classes: files (missing, folders, empty, binary, MLIR
bytecode, unicode names), outputs and folders, `tilefuse problem` headers, --config files and fields, names
from a fixed set, numbers, usage errors, optional dependencies.

Placeholders in the arguments: {good} a small `tilefuse problem` file, {dir} a folder, {file} a plain file
(and taken.dump another), {empty}/{blank}/{binary}/{bytecode} such inputs, {cfg:NAME} a config file (CONFIGS), {hdr:NAME}
a problem file with a bad header (HEADERS), {tmp} the folder they are in, {unwritable} a folder no file can be made
in (as root, whom permissions do not stop: /sys, where the file system refuses)."""

import io
import json
import os
from pathlib import Path

import pytest

from tilefuse import cli_checks
from tilefuse.problem import AttentionProblem

CONFIGS = {
    "ok": {"tiling": {"reduction": [0, 0, 0, 32, 0]}},
    "abc": {"tiling": {"reduction": "abc"}},
    "float": {"tiling": {"reduction": [0, 0, 0, 32.5, 0]}},
    "wg2": {"shape": {"workgroup_size": [64, 1]}},
    "negative": {"tiling": {"workgroup": [1, -64, 0, 0, 64]}},
    "section": {"vectorize": {"x": 1}},
    "field": {"tiling": {"thread": [1]}},
    "mma": {"qk": {"mma_kind": "MFMA_F32_99x99x99_F16"}},
    "huge": {"tiling": {"reduction": [0, 0, 0, 2**40, 0]}},
    "bool": {"tiling": {"reduction": [0, 0, 0, True, 0]}},
    "subgroup0": {"shape": {"subgroup_size": 0}},
    "list": [1, 2],
    "section_not_object": {"tiling": [0, 0]},
}
GOOD = AttentionProblem(heads=2, m=128, k2=128).to_mlir()
_HEADER, _BODY = GOOD.split("\n", 1)
HEADERS = {
    "not_json": _HEADER[:-1] + "\n" + _BODY,
    "not_object": "// tilefuse.problem: [1, 2]\n" + _BODY,
    "unknown_field": _HEADER.replace('"batch"', '"batches"') + "\n" + _BODY,
    "wrong_type": _HEADER.replace('"m": 128', '"m": "many"') + "\n" + _BODY,
    "disagrees": _HEADER.replace('"m": 128', '"m": 64') + "\n" + _BODY,
    "bad_value": _HEADER.replace('"dtype": "f16"', '"dtype": "f32"') + "\n" + _BODY,
}

# (arguments, words the one line has)
CASES = {
    # files
    "compile/missing": ("compile {tmp}/nope.mlir -o {tmp}/o.vmfb", "nope.mlir", "not found"),
    "compile/folder": ("compile {dir} -o {tmp}/o.vmfb", "is a folder"),
    "compile/empty": ("compile {empty} -o {tmp}/o.vmfb", "is empty"),
    "compile/blank": ("compile {blank} -o {tmp}/o.vmfb", "is empty"),
    "compile/binary": ("compile {binary} -o {tmp}/o.vmfb", "is not text"),
    "compile/bytecode": ("compile {bytecode} -o {tmp}/o.vmfb", "MLIR bytecode", "iree-opt"),
    "compile/unicode-missing": ("compile {tmp}/ünïcödé→.mlir -o {tmp}/o.vmfb", "ünïcödé→.mlir", "not found"),
    "stage/missing": ("stage decompose {tmp}/nope.mlir", "not found"),
    "stage/binary": ("stage decompose {binary}", "is not text"),
    "verify/empty": ("verify {empty}", "is empty"),
    "resume/missing": ("resume {tmp}/nope.mlir --after decompose -o {tmp}/o.vmfb", "snapshot", "not found"),
    "resume/input-folder": ("resume {good} --input {dir} --after decompose -o {tmp}/o.vmfb", "--input", "folder"),
    "ab/missing": ("ab {tmp}/nope.mlir", "not found"),
    "gui/missing": ("gui {tmp}/nope.mlir", "not found"),
    # outputs and folders
    "problem/output-no-folder": ("problem -o {tmp}/no/such/p.mlir", "--output", "does not exist"),
    "compile/output-no-folder": ("compile {good} -o {tmp}/no/o.vmfb", "--output", "does not exist"),
    "compile/output-is-input": ("compile {good} -o {good}", "--output", "is the input file"),
    "compile/output-is-folder": ("compile {good} -o {dir}", "--output", "is a folder"),
    "compile/output-unicode-no-folder": ("compile {good} -o {tmp}/ñø/o.vmfb", "ñø", "does not exist"),
    "compile/dump-dir-is-file": ("compile {good} -o {tmp}/o.vmfb --dump-dir {file}", "--dump-dir", "is a file"),
    "compile/dump-dir-under-file": ("compile {good} -o {tmp}/o.vmfb --dump-dir {file}/d", "--dump-dir", "is a file"),
    "compile/default-dump-dir-is-file": ("compile {good} -o {tmp}/taken.vmfb", "--dump-dir", "taken.dump", "is a file"),
    "stage/output-no-folder": ("stage decompose {good} -o {tmp}/no/x.mlir", "--output", "does not exist"),
    "verify/work-dir-is-file": ("verify {good} --work-dir {file}", "--work-dir", "is a file"),
    "ab/json-no-folder": ("ab --problems mha_f16_d64 --json {tmp}/no/ab.json", "--json", "does not exist"),
    "ab/html-is-folder": ("ab --problems mha_f16_d64 --html {dir}", "--html", "is a folder"),
    "ab/work-dir-is-file": ("ab --problems mha_f16_d64 --work-dir {file}", "--work-dir", "is a file"),
    "ab/json-unwritable-folder": ("ab --problems mha_f16_d64 --json {unwritable}/ab.json", "--json",
                                  "cannot be written"),
    "compile/output-unwritable-folder": ("compile {good} -o {unwritable}/o.vmfb", "--output", "cannot be written"),
    # `tilefuse problem` headers
    "verify/header-not-json": ("verify {hdr:not_json}", "header is not JSON"),
    "verify/header-not-object": ("verify {hdr:not_object}", "not a JSON object"),
    "verify/header-unknown-field": ("verify {hdr:unknown_field}", "unknown problem fields: batches"),
    "verify/header-wrong-type": ("verify {hdr:wrong_type}", "problem header"),
    "verify/header-disagrees": ("verify {hdr:disagrees}", "header says arguments", "the IR's function takes"),
    "compile/header-bad-value": ("compile {hdr:bad_value} -o {tmp}/o.vmfb", "dtype must be one of"),
    # --config: where it is read, the file, the fields
    "compile/config-on-stock": ("compile {good} --path stock -o {tmp}/o.vmfb --config {cfg:ok}",
                                "path 'stock' reads no config"),
    "compile/config-on-hint": ("compile {good} --path hint -o {tmp}/o.vmfb --config {cfg:ok}", "'hint' reads no"),
    "stage/config-on-a-stage-without-it": ("stage decompose {good} --config {cfg:ok}",
                                           "stage 'decompose' of path 'tilefuse' reads no config"),
    "resume/config-on-stock": ("resume {good} --path stock --after decompose -o {tmp}/o.vmfb --config {cfg:ok}",
                               "reads no config"),
    "compile/config-missing": ("compile {good} --path tilefuse -o {tmp}/o.vmfb --config {tmp}/nope.json",
                               "--config", "file not found", "JSON file"),
    "compile/config-folder": ("compile {good} --path tilefuse -o {tmp}/o.vmfb --config {dir}", "is a folder"),
    "compile/config-not-json": ("compile {good} --path tilefuse -o {tmp}/o.vmfb --config {good}", "invalid JSON"),
    "compile/config-binary": ("compile {good} --path tilefuse -o {tmp}/o.vmfb --config {binary}", "cannot be read"),
    "compile/config-list": ("compile {good} --path tilefuse -o {tmp}/o.vmfb --config {cfg:list}", "a JSON object"),
    "compile/config-abc": ("compile {good} --path tilefuse -o {tmp}/o.vmfb --config {cfg:abc}",
                           "tiling.reduction", "a list of integers", '"abc"'),
    "compile/config-float": ("compile {good} --path tilefuse -o {tmp}/o.vmfb --config {cfg:float}",
                             "tiling.reduction", "32.5"),
    "compile/config-workgroup-size-rank": ("compile {good} --path tilefuse -o {tmp}/o.vmfb --config {cfg:wg2}",
                                           "shape.workgroup_size", "expected 3 entries"),
    "compile/config-negative": ("compile {good} --path tilefuse -o {tmp}/o.vmfb --config {cfg:negative}",
                                "tiling.workgroup", "non-negative"),
    "compile/config-section": ("compile {good} --path tilefuse -o {tmp}/o.vmfb --config {cfg:section}",
                               "vectorize", "unknown section"),
    "compile/config-section-not-object": ("compile {good} --path tilefuse -o {tmp}/o.vmfb "
                                          "--config {cfg:section_not_object}", "tiling", "unknown section"),
    "compile/config-field": ("compile {good} --path tilefuse -o {tmp}/o.vmfb --config {cfg:field}",
                             "tiling.thread", "no such AttentionTiling field"),
    "compile/config-mma": ("compile {good} --path tilefuse -o {tmp}/o.vmfb --config {cfg:mma}",
                           "qk.mma_kind", "unknown MMA intrinsic"),
    "compile/config-huge": ("compile {good} --path tilefuse -o {tmp}/o.vmfb --config {cfg:huge}", "at most"),
    "compile/config-bool": ("compile {good} --path tilefuse -o {tmp}/o.vmfb --config {cfg:bool}", "integers"),
    "verify/config-subgroup-size": ("verify {good} --path tilefuse-vd --config {cfg:subgroup0}",
                                    "shape.subgroup_size", "positive"),
    # names from a fixed set
    "compile/target": ("compile {good} -o {tmp}/o.vmfb --target gfx9000", "--target", "gfx9000", "known:"),
    "compile/path": ("compile {good} -o {tmp}/o.vmfb --path magic", "--path", "magic"),
    "compile/fallback": ("compile {good} -o {tmp}/o.vmfb --fallback magic", "--fallback", "magic"),
    "compile/drop-attrs-stage": ("compile {good} -o {tmp}/o.vmfb --drop-untracked-attrs-after nope", "'nope'"),
    "verify/target": ("verify {good} --target sm_99", "--target", "sm_99"),
    "stage/path": ("stage decompose {good} --path magic", "--path", "magic"),
    "ab/fault-experiment": ("ab --problems mha_f16_d64 --fault-experiment foo", "--fault-experiment", "'foo'"),
    "ab/drop-attrs-stage": ("ab --problems mha_f16_d64 --paths stock --drop-untracked-attrs-after share-kv",
                            "share-kv", "no path of stock"),
    "ab/device-unknown": ("ab --problems mha_f16_d64 --device foo", "--device 'foo'", "hip"),
    "ab/device-wrong-family": ("ab --problems mha_f16_d64 --device cuda", "gfx942 binaries run on the hip driver"),
    "bench/device-wrong-family": ("bench --problems mha_f16_d64 --device hip", "sm_80 binaries run on the cuda"),
    "ab/paths-empty": ("ab --paths ,", "--paths", "names nothing"),
    "ab/paths-unknown": ("ab --paths stock,magic", "--paths", "magic"),
    "ab/problems-empty": ("ab --problems ' , '", "--problems", "names nothing"),
    "ab/problems-unknown": ("ab --problems nope", "--problems", "no built-in problem 'nope'"),
    "ab/problems-and-files": ("ab --problems mha_f16_d64 {good}", "one or the other"),
    "ab/rewrite-stage": ("ab --problems mha_f16_d64 --rewrite-after nope=canonicalize", "--rewrite-after", "nope"),
    "ab/target": ("ab --target nope", "--target", "nope"),
    "problem/suite": ("problem --suite nope", "no built-in problem 'nope'"),
    "problem/dtype": ("problem --dtype f32", "--dtype", "invalid choice"),
    # numbers
    "problem/scale-nan": ("problem --scale nan", "--scale", "finite"),
    "problem/scale-inf": ("problem --scale inf", "--scale", "finite"),
    "problem/scale-overflows-f16": ("problem --scale 1e30", "scale 1e+30 overflows f16", "65504", "--scale"),
    "problem/scale-overflows-bf16": ("problem --dtype bf16 --scale=-1e39", "overflows bf16", "--scale"),
    "problem/size-zero": ("problem --m 0", "--m 0", "from 1"),
    "problem/size-huge": ("problem --k2 99999999999", "--k2", "from 1 to"),
    "problem/size-negative": ("problem --heads -1", "--heads", "from 1"),
    "problem/size-not-int": ("problem --m abc", "--m", "invalid int value"),
    "problem/gqa-not-dividing": ("problem --heads 6 --kv-heads 4", "multiple"),
    "problem/causal-short-keys": ("problem --mask causal --m 256 --k2 128", "causal mask needs k2 >= m"),
    "verify/seed": ("verify {good} --seed -1", "--seed", "from 0"),
    "ab/repetitions": ("ab --problems mha_f16_d64 --repetitions 0", "--repetitions", "from 1"),
    # usage
    "usage/no-command": ("", "required"),
    "usage/unknown-command": ("frobnicate", "invalid choice"),
    "usage/compile-no-output": ("compile {good}", "-o/--output"),
    "usage/unknown-option": ("compile {good} -o {tmp}/o.vmfb --bogus", "unrecognized arguments: --bogus"),
    "usage/resume-no-after": ("resume {good} -o {tmp}/o.vmfb", "--after"),
}


@pytest.fixture(scope="module")
def inputs(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("bad")
    files = {"tmp": tmp, "dir": tmp / "folder", "good": tmp / "good.mlir", "file": tmp / "plain",
             "empty": tmp / "empty.mlir", "blank": tmp / "blank.mlir", "binary": tmp / "binary.mlir",
             "bytecode": tmp / "bytecode.mlirbc"}
    files["dir"].mkdir()
    files["unwritable"] = Path("/sys") if os.geteuid() == 0 else tmp / "read-only"
    if os.geteuid():
        files["unwritable"].mkdir(mode=0o555)
    files["good"].write_text(GOOD)
    files["file"].write_text("not a folder")
    (tmp / "taken.dump").write_text("a file where compile -o taken.vmfb puts its dump folder")
    files["empty"].write_text("")
    files["blank"].write_text(" \n\t\n")
    files["binary"].write_bytes(bytes(range(256)) * 4)
    files["bytecode"].write_bytes(cli_checks.MLIR_BYTECODE + b"\x00\x01rest")
    for name, value in CONFIGS.items():
        (tmp / f"cfg-{name}.json").write_text(json.dumps(value))
        files[f"cfg:{name}"] = tmp / f"cfg-{name}.json"
    for name, text in HEADERS.items():
        (tmp / f"hdr-{name}.mlir").write_text(text)
        files[f"hdr:{name}"] = tmp / f"hdr-{name}.mlir"
    return files


def _argv(spec: str, files: dict) -> list[str]:
    import shlex

    for key, value in files.items():
        spec = spec.replace("{" + key + "}", str(value))
    return shlex.split(spec)


def assert_refused(proc, words, status=2):
    lines = [line for line in proc.stderr.splitlines() if line.strip()]
    assert proc.returncode == status, proc.stderr
    assert "Traceback" not in proc.stderr + proc.stdout
    assert len(lines) == 1 and lines[0].startswith("tilefuse") and "error:" in lines[0], proc.stderr
    for w in words:
        assert w in lines[0], (w, lines[0])


@pytest.mark.parametrize("case", list(CASES))
def test_bad_input_is_one_line_before_any_work(case, inputs, cli, monkeypatch):
    def no_work(*args, **kwargs):
        raise AssertionError("the command started working before it refused its input")

    for name in ("compile_file", "run_stage", "resume_file"):  # nothing may compile or run a stage
        monkeypatch.setattr(f"tilefuse.cli.{name}", no_work)
    monkeypatch.setattr("tilefuse.cli.verify.verify_file", no_work)
    monkeypatch.setattr("tilefuse.cli.ab.run_ab", no_work)
    spec, *words = CASES[case]
    assert_refused(cli(*_argv(spec, inputs)), words)


def test_a_missing_extra_is_refused_before_compiling(inputs, cli, monkeypatch):
    """`ab --plot` without matplotlib (the `plot` extra), on any machine: refused before the first compile."""
    monkeypatch.setitem(cli_checks.EXTRAS, "plot", ("no_such_module_for_tilefuse", "plot"))
    monkeypatch.setattr("tilefuse.cli.ab.run_ab", lambda *a, **k: pytest.fail("compiled before refusing"))
    assert_refused(cli("ab", "--problems", "mha_f16_d64", "--plot", inputs["tmp"] / "ab.png"),
                   ["--plot", "pip install -e '.[plot]'"])


def test_unreadable_input_is_one_line(inputs, cli, monkeypatch):
    """A file that exists but cannot be read (permissions; as root every file reads, so the read fails here)."""
    def denied(self):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr("pathlib.Path.read_bytes", denied)
    assert_refused(cli("compile", inputs["good"], "-o", inputs["tmp"] / "o.vmfb"), ["cannot be read",
                                                                                  "Permission denied"])


@pytest.mark.parametrize("data,words", [(b"", ["stdin is empty"]), (b" \n", ["stdin is empty"]),
                                        (bytes(range(256)), ["stdin is not text"])])
def test_bad_stdin_is_one_line(data, words, cli, monkeypatch):
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(data)))
    monkeypatch.setattr("tilefuse.cli.run_stage", lambda *a: pytest.fail("ran the stage"))
    assert_refused(cli("stage", "decompose", "-"), words)


def test_help_and_version(cli):
    assert cli("--version").returncode == 0
    def helps(*args):
        proc = cli(*args, "--help")
        assert proc.returncode == 0
        return " ".join(proc.stdout.split())

    assert "K2, keys per head" in helps("problem") and "(default: 1024)" in helps("problem")
    assert "(default: tilefuse)" in helps("compile") and "(default: gfx942)" in helps("compile")
    assert "(default: tilefuse)" in helps("resume")
