// Row 1 (Deno) reference: a process that imports @azure/identity alone.
import "npm:@azure/identity";
