"""The Python stages of the paths, one module (or package) per stage, named after the stage."""
