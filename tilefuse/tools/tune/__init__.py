"""`tilefuse tune`: a search over the config space a path exposes (design/tuning.md).

    space.py      the knobs of a path's config, the heuristic's point, neighbours, divisibility pruning
    stock.py      stock's config as data: the in-process stage that applies it, the IREE tuning spec that says it
    tasks.py      one candidate compiled and scored, or verified on the CPU (what an executor runs)
    executors.py  a local process pool or Ray tasks
    cache.py      results on disk by (problem signature, config, target, path, compiler version)
    search.py     best-first local search from the heuristic's config
    db.py         best.json: a config database keyed by problem signature (compile|ab --config-db)
    table.py      the best against the heuristic's default
"""
