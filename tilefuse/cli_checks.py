"""Everything a user passes to `tilefuse`, checked before any work: files (there, text MLIR, a `tilefuse problem`
header that is JSON and agrees with the IR), outputs (their folder exists and is writable, not the input), folders (not files),
--config files (JSON, typed fields, on a path that reads them), names from a fixed set (targets, paths, stages,
problems, devices), numbers (positive, finite) and optional dependencies. Each failure is one TilefuseError
naming the argument and the fix (exit 2).

The checks go by argument name (`check(args)` looks at the attributes the command's parser defines), so a new
command that reuses an argument name gets its check; `ab`'s lists are checked here too, and the defaults that
derive from other arguments (dump and work folders) are filled in, so the commands use what was checked.
"""

from __future__ import annotations

import importlib.util
import json
import math
import os
import re
import sys
import tempfile
from pathlib import Path

from .tools.bench import CPU_DRIVERS, not_a_plan
from .codegen.config import check_overrides
from .errors import TilefuseError
from .interp.signature import ALL_DIMS
from .codegen.paths import PATHS, get_path
from .problem import AttentionProblem
from .problem.render import PROBLEM_HEADER
from .tools.suite import get_problem
from .target.targets import get_target
from .tools.tune import db as tune_db

MLIR_BYTECODE = b"ML\xefR"  # the magic number MLIR bytecode files start with
MAX_SIZE = 2**31 - 1  # a problem size IREE's index arithmetic and the tensor types hold
# Options -> the extra that provides them (a name importlib finds, and the pip extra)
EXTRAS = {"plot": ("matplotlib", "plot")}


def check(a) -> None:
    """Checks the parsed arguments of any command; fills in derived defaults (a.dump_dir, a.work_dir,
    a.config_overrides, ab's a.paths and a.problems as lists)."""
    has = vars(a)
    inputs = []
    for name in ("input", "snapshot"):
        if has.get(name) is not None and not (name == "input" and a.command == "stage" and a.input == "-"):
            inputs.append(text_input(_flag(a, name), has[name]))
    for f in has.get("inputs") or []:
        inputs.append(text_input("input", f))
    if "target" in has:
        _named("--target", lambda: get_target(a.target))
    for name in ("path", "fallback"):
        if has.get(name) is not None:
            _named(f"--{name}", lambda: get_path(has[name]))
    for name in ("output", "json", "html", "plot"):
        if has.get(name) is not None:
            output_file(_flag(a, name), has[name], inputs)
    for option, (module, extra) in EXTRAS.items():
        if has.get(option) and importlib.util.find_spec(module) is None:
            raise TilefuseError(f"--{option} needs {module}, which is not installed: pip install -e '.[{extra}]'"
                                f" (checked before compiling anything)")
    if "dump_dir" in has and has.get("output") is not None:
        a.dump_dir = a.dump_dir or str(Path(a.output).with_suffix(".dump"))
    if a.command == "verify" and a.work_dir is None:
        a.work_dir = str(Path(a.input).with_suffix(f".{a.path}.verify"))
    for name in ("dump_dir", "work_dir"):
        if has.get(name) is not None:
            folder(f"--{name.replace('_', '-')}", has[name], inputs)
    for name, least in (("seed", 0), ("repetitions", 1)):
        if has.get(name) is not None and not least <= has[name] <= MAX_SIZE:
            raise TilefuseError(f"--{name} {has[name]}: expected an integer from {least} to {MAX_SIZE}")
    if "config" in has:
        a.config_overrides = config_file(a.config, a) if a.config is not None else None
    if has.get("config_db") is not None:
        config_db(a.config_db)
    if a.command == "problem":
        problem_options(a)
    if a.command == "ab":
        ab_options(a)
    if a.command == "bench":
        bench_options(a)
    if a.command == "verify":
        verify_size(Path(a.input))
    if a.command in ("verify", "compile", "ab"):
        a.dims = dim_sizes(a.dim or [])
    if a.command == "compile" and a.drop_untracked_attrs_after is not None:
        stage_of("--drop-untracked-attrs-after", a.drop_untracked_attrs_after, [a.path])


def config_db(value: str) -> None:
    """An existing tilefuse config database (`tilefuse tune -o` writes one)."""
    if not Path(value).is_file():
        raise TilefuseError(f"--config-db '{value}': file not found (tilefuse tune -o FILE writes one)")
    tune_db.load(Path(value))


def _flag(a, name: str) -> str:
    """How the user wrote the argument: positional ones by name, options as --name."""
    positional = name in ("input", "snapshot", "inputs") and not (a.command == "resume" and name == "input")
    return name if positional else f"--{name.replace('_', '-')}"


def _named(flag: str, lookup) -> None:
    try:
        lookup()
    except TilefuseError as e:
        raise TilefuseError(f"{flag}: {e}") from None


def text_input(flag: str, value: str) -> Path:
    """An existing, readable, non-empty text file; a `tilefuse problem` header, if any, is JSON and agrees with
    the IR."""
    p = Path(value)
    where = f"{flag} '{value}'"
    if p.is_dir():
        raise TilefuseError(f"{where} is a folder; give an .mlir file")
    if not p.is_file():
        raise TilefuseError(f"{where}: input file not found")
    try:
        data = p.read_bytes()
    except OSError as e:
        raise TilefuseError(f"{where} cannot be read: {e.strerror}") from None
    if data.startswith(MLIR_BYTECODE):
        raise TilefuseError(f"{where} is MLIR bytecode; tilefuse reads text MLIR: iree-opt {value} -o FILE.mlir")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        text = None
    if text is None or "\0" in text:
        raise TilefuseError(f"{where} is not text (a binary file?); give MLIR text")
    if not text.strip():
        raise TilefuseError(f"{where} is empty; give an MLIR program (e.g. tilefuse problem -o FILE.mlir)")
    if text.startswith(PROBLEM_HEADER):
        problem_header(where, text)
    return p


def problem_header(where: str, text: str) -> AttentionProblem:
    """The problem a `tilefuse problem` file's first line records (verify rebuilds the reference from it): JSON of
    the problem's fields, whose argument shapes are the IR's."""
    import iree.compiler.ir as ir

    from .ir import irutil

    first = text.split("\n", 1)[0]
    fix = "render it again with tilefuse problem, or delete the header line"
    try:
        fields = json.loads(first[len(PROBLEM_HEADER):])
    except json.JSONDecodeError as e:
        raise TilefuseError(f"{where}: the '{PROBLEM_HEADER.strip()}' header is not JSON ({e.msg}); {fix}") from None
    if not isinstance(fields, dict):
        raise TilefuseError(f"{where}: the '{PROBLEM_HEADER.strip()}' header is not a JSON object; {fix}")
    try:
        problem = AttentionProblem.from_dict(fields)
    except (TilefuseError, TypeError) as e:
        raise TilefuseError(f"{where}: the problem header: {e}; {fix}") from None
    try:
        module = ir.Module.parse(text, ir.Context())
    except ir.MLIRError as e:
        raise TilefuseError(f"{where} does not parse: {irutil.error_line(e)}") from None
    funcs = irutil.funcs(module)
    shapes = [[None if d == ir.ShapedType.get_dynamic_size() else d for d in t.shape]
              if isinstance(t, ir.ShapedType) else None
              for t in (ir.FunctionType(ir.TypeAttr(funcs[0].attributes["function_type"]).value).inputs
                        if funcs else [])]
    if shapes != list(problem.ir_shapes().values()):
        raise TilefuseError(f"{where}: the problem header says arguments {list(problem.ir_shapes().values())}, the IR's "
                            f"function takes {shapes}; {fix}")
    return problem


def output_file(flag: str, value: str, inputs: list[Path]) -> Path:
    """A file that can be written: its folder exists and takes new files, it is no folder and none of the inputs."""
    p = Path(value)
    if not value or p.is_dir():
        raise TilefuseError(f"{flag} '{value}' is a folder; give a file name")
    if not p.parent.is_dir():
        raise TilefuseError(f"{flag} '{value}': folder '{p.parent}' does not exist; create it first")
    if any(p.resolve() == i.resolve() for i in inputs):
        raise TilefuseError(f"{flag} '{value}' is the input file; write the output elsewhere")
    try:  # a file made and removed: os.access answers yes to root even where the file system refuses
        tempfile.TemporaryFile(dir=p.parent).close()
    except OSError as e:
        raise TilefuseError(f"{flag} '{value}': folder '{p.parent}' cannot be written ({e.strerror}); write the "
                            f"output elsewhere") from None
    if p.exists() and not os.access(p, os.W_OK):
        raise TilefuseError(f"{flag} '{value}' exists and cannot be written; write the output elsewhere")
    return p


def folder(flag: str, value: str, inputs: list[Path]) -> None:
    """A folder tilefuse may create or fill: not an existing file, and every existing parent a folder."""
    p = Path(value)
    if p.exists() and not p.is_dir():
        raise TilefuseError(f"{flag} '{value}' is a file, not a folder; give a folder name")
    for parent in p.resolve().parents:
        if parent.exists():
            if not parent.is_dir():
                raise TilefuseError(f"{flag} '{value}': '{parent}' is a file, not a folder")
            break


def config_file(value: str, a) -> dict:
    """A --config file: a JSON object of typed config fields, on a path (and stage) that reads it."""
    flag = f"--config '{value}'"
    path = get_path(a.path) if getattr(a, "path", None) else None  # None: a command without --path
    reads = path is None or path.reads_config
    if a.command == "stage":  # one stage reads it: tilefuse's configure
        reads = any(s.name == a.stage and s.reads_config for s in path.stages)
    if not reads:
        readers = ", ".join(p.name for p in PATHS.values() if p.reads_config)
        what = f"stage '{a.stage}' of path '{path.name}'" if a.command == "stage" else f"path '{path.name}'"
        raise TilefuseError(f"{flag}: {what} reads no config (IREE configures it); the config is tilefuse's "
                            f"configure's, on --path {readers}")
    p = Path(value)
    if p.is_dir() or not p.is_file():
        raise TilefuseError(f"{flag}: {'is a folder' if p.is_dir() else 'file not found'}; --config takes a JSON "
                            f"file, e.g. {{\"tiling\": {{\"reduction\": [0, 0, 0, 32, 0]}}}}")
    try:
        overrides = json.loads(p.read_bytes().decode("utf-8"))
    except (OSError, UnicodeDecodeError) as e:
        raise TilefuseError(f"{flag} cannot be read as text: {e}") from None
    except json.JSONDecodeError as e:
        raise TilefuseError(f"{flag}: invalid JSON: {e}") from None
    try:
        check_overrides(overrides)
    except TilefuseError as e:
        raise TilefuseError(f"{flag}: {e}") from None
    return overrides


def stage_of(flag: str, stage: str, paths: list[str]) -> None:
    """A stage name some of the paths has."""
    if not any(stage in PATHS[p].stage_names() for p in paths):
        names = list(dict.fromkeys(s for p in paths for s in PATHS[p].stage_names()))
        raise TilefuseError(f"{flag} '{stage}': no path of {', '.join(paths)} has that stage "
                            f"(stages: {', '.join(names)})")


def names_list(flag: str, value: str, lookup) -> list[str]:
    """A comma-separated list of at least one name, each known to `lookup`."""
    names = [n.strip() for n in value.split(",") if n.strip()]
    if not names:
        raise TilefuseError(f"{flag} '{value}' names nothing; give comma-separated names")
    for n in names:
        _named(flag, lambda: lookup(n))
    return names


def _cases_and_device(a) -> None:
    """What ab and bench share: the paths and problems as lists, and a device the target's binaries run on."""
    a.paths = names_list("--paths", a.paths, get_path) if a.paths is not None else list(PATHS)
    a.problems = names_list("--problems", a.problems, get_problem) if a.problems is not None else None
    if a.device is not None and not (a.command == "bench" and a.device in CPU_DRIVERS):
        device = get_target(a.target).hal_device
        if a.device != device:
            raise TilefuseError(f"--device '{a.device}': {a.target} binaries run on the {device} driver "
                                f"(--device {device}, or another --target"
                                + (f"; {' or '.join(CPU_DRIVERS)}: the dry run on the CPU)" if a.command == "bench"
                                   else ")"))


def bench_options(a) -> None:
    _cases_and_device(a)
    for name in ("budget_s", "kernel_timeout_s"):
        if not (math.isfinite(getattr(a, name)) and getattr(a, name) > 0):
            raise TilefuseError(f"--{name.replace('_', '-')} {getattr(a, name)}: expected a positive number of seconds")
    plan_dir = a.plan_dir or str(Path(a.work_dir) / "plan")
    folder("--plan-dir", plan_dir, [])
    why = not_a_plan(Path(plan_dir))
    if why:
        raise TilefuseError(f"--plan-dir {why}")


def ab_options(a) -> None:
    _cases_and_device(a)
    if a.problems and a.inputs:
        raise TilefuseError("--problems and input files: give one or the other")
    for flag, stage in (("--fault-experiment", a.fault_experiment),
                        ("--drop-untracked-attrs-after", a.drop_untracked_attrs_after)):
        if stage is not None:
            stage_of(flag, stage, a.paths)
    for spec in a.rewrite_after or []:  # each names a stage some path has (each path takes its own)
        stage_of("--rewrite-after", spec.partition("=")[0], a.paths)


def problem_options(a) -> None:
    for flag in ("batch", "heads", "kv_heads", "m", "k2", "k1", "n"):
        v = getattr(a, flag)
        if v is not None and not 1 <= v <= MAX_SIZE:
            raise TilefuseError(f"--{flag.replace('_', '-')} {v}: expected a size from 1 to {MAX_SIZE}")
    if a.scale is not None and not math.isfinite(a.scale):
        raise TilefuseError(f"--scale {a.scale}: expected a finite number (default 1/sqrt(k1))")


def verify_size(input_path: Path) -> None:
    """A full-size problem file interprets for minutes (the tensor interpreter runs every stage on the CPU): say
    so, and how to make the small version."""
    problem = AttentionProblem.from_mlir_header(input_path.read_text())
    if problem is not None and problem != problem.small():
        small = problem.small()
        note(f"{input_path} is a full-size problem (M={problem.m}, K2={problem.k2}, H={problem.heads}); interpreting "
             f"every stage takes minutes. The small version (M={small.m}, K2={small.k2}, H={small.heads}) is "
             f"`tilefuse problem ... --small`")


def note(message: str) -> None:
    """A warning that does not stop the command."""
    print(f"tilefuse: note: {message}", file=sys.stderr)


def dim_sizes(given: list[str]) -> dict[str, int]:
    """verify's `--dim [NAME=]VALUE`s: NAME a position (0, 1, ...) or argA.D, none for every dynamic dim; VALUE a
    size from 1. Whether the entry has that dim is checked once the program is read."""
    out = {}
    for item in given:
        name, equals, value = item.rpartition("=")
        if not re.fullmatch(r"\d+|arg\d+\.\d+" if equals else "", name) or not value.isdigit() \
                or not 1 <= int(value) <= MAX_SIZE:
            raise TilefuseError(f"--dim {item}: expected [NAME=]VALUE, NAME a dynamic dim's position (0, 1, ...) "
                                f"or argA.D (dim D of argument A), VALUE a size from 1 to {MAX_SIZE}")
        out[name or ALL_DIMS] = int(value)
    return out
