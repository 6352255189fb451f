// Row 1 baseline: a process that imports nothing.
