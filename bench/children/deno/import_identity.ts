// Row 1 (Deno) reference: a process that imports @azure/identity alone (the bare specifier
// resolves through package.json to node_modules, as npm:@azure/identity does here).
import "@azure/identity";
