"""Print a tilefuse snapshot (or any IR IREE reads) in MLIR's generic form, the form xdsl-opt reads.

    python -m tilefuse.tools.xdsl.generic SNAPSHOT [-o OUT]      # IREE's generic print, local scope (no aliases)
    python -m tilefuse.tools.xdsl.generic SNAPSHOT --check       # also round-trip it through xDSL; exit 1 if it changes
    python -m tilefuse.tools.xdsl.generic - < SNAPSHOT           # read stdin

    python -m tilefuse.tools.xdsl.generic S.mlir | xdsl-opt --allow-unregistered-dialect --print-op-generic \\
        -p 'tilefuse-stage{path=tilefuse target=gfx942 stage=thread-distribute}'

(xdsl-opt reads stdin when given no file; IREE's pretty form does not parse in xDSL.) Errors print one line and
exit 2.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .interchange import InterchangeError, iree_generic, roundtrip


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tilefuse.tools.xdsl.generic", description=__doc__.splitlines()[0])
    parser.add_argument("snapshot", help="IR file ('-' for stdin)")
    parser.add_argument("-o", "--output", help="write here instead of stdout")
    parser.add_argument("--check", action="store_true",
                        help="also check that the IR round-trips through xDSL unchanged (as IREE prints it)")
    args = parser.parse_args(argv)
    try:
        if args.snapshot == "-":
            text, what = sys.stdin.read(), "stdin"
        else:
            path = Path(args.snapshot)
            if not path.is_file():
                raise InterchangeError(f"input file not found: {path}")
            text, what = path.read_text(), str(path)
        if args.check:
            result = roundtrip(text, what=what)
            if not result.ok:
                print(f"error: {what} does not round-trip through xDSL: {result.reason}", file=sys.stderr)
                return 1
        generic = iree_generic(text, what)
    except InterchangeError as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    if args.output:
        Path(args.output).write_text(generic)
    else:
        sys.stdout.write(generic)
    return 0


if __name__ == "__main__":
    sys.exit(main())
