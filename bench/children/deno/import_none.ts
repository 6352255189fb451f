// Row 1 (Deno) baseline: a process that imports nothing.
