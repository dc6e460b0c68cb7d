"""Loading facts into the tracker: the source acts (seed) and, later, imports."""
