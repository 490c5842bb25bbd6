"""The commands built on the driver and the checkers: ab, bench, tune, fuzz, the xDSL tools and GUI, the suite."""
