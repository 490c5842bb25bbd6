# lit configuration: stage tests run stock iree-opt (from the installed wheel) on snapshot inputs with
# the transform libraries in tilefuse/codegen/transforms/, and check the IR with the Python FileCheck.
import os
import shutil
import sys

import lit.formats

config.name = "tilefuse"
config.test_format = lit.formats.ShTest(execute_external=False)
config.suffixes = [".mlir"]
config.excludes = ["Inputs"]
config.test_source_root = os.path.dirname(__file__)
repo = os.path.abspath(os.path.join(config.test_source_root, "..", ".."))
sys.path.insert(0, repo)  # this checkout's tilefuse (as the CLI below imports it)
from tilefuse.target.iree_tools import tool  # noqa: E402

filecheck = shutil.which("filecheck")
if filecheck is None:
    lit_config.fatal("the Python 'filecheck' is not on PATH: pip install -e '.[test]'")
config.substitutions.append(("%iree-opt", tool("iree-opt")))
config.substitutions.append(("%transforms", os.path.join(repo, "tilefuse", "codegen", "transforms")))
# Python stages run through the CLI of the Python running lit (the one tilefuse is installed in).
config.substitutions.append(("%tilefuse", f"{sys.executable} -m tilefuse.cli"))
config.substitutions.append(("FileCheck", filecheck))
config.environment["PATH"] = os.environ.get("PATH", "")
# The CLI imports tilefuse from this checkout (a git worktree's tests test the worktree, not the editable install).
config.environment["PYTHONPATH"] = os.pathsep.join(p for p in (repo, os.environ.get("PYTHONPATH")) if p)
