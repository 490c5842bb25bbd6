"""Fixtures shared by the test files."""

import subprocess

import pytest

from tilefuse.cli import main


@pytest.fixture
def cli(capsys):
    """cli(*ARGS): `tilefuse ARGS` run by cli.main, what `python -m tilefuse` runs, in this process (importing
    tilefuse in a fresh interpreter takes a second or more): a CompletedProcess (status, stdout, stderr)."""
    def run(*args):
        argv = [str(a) for a in args]
        try:
            status = main(argv)
        except SystemExit as e:  # argparse's own usage errors
            status = e.code
        out, err = capsys.readouterr()
        return subprocess.CompletedProcess(argv, status, out, err)

    return run
