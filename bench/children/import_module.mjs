// Row 1: a process that imports the package (Node: dist/ through package.json "exports").
import "azure-quantum-notebook";
