"""`tilefuse fuzz`: random attention problems over the space models produce (space.py), each compiled and verified on
the CPU in its own worker process (case.py, pool.py), summarized as verdicts, the share the path lowered itself with
MMA and the refusal reasons (summary.py); the command is command.py."""
