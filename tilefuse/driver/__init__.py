"""The compile driver (compile.py): IREE's front end, a path's stages in process (contained: contain.py), the
hand-off, the ISA read back (isa.py) and the report; fallback, fault injection, running a vmfb (runtime.py)."""
