"""tilefuse: TileAndFuse-style attention codegen on IREE 3.13, stage by stage.

Layers, each a folder importing only those below it (the contracts in pyproject.toml, checked by lint-imports):
cli -> tools -> checkers -> driver -> perf -> codegen -> target | problem -> ir (design/architecture.md).
"""
