// Row 1 (Deno): a process that imports mod.ts.
import "../../../mod.ts";
