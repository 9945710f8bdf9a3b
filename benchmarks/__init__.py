"""lsh's benchmarks: scripts that report, never fail a build (see each one's docstring)."""
