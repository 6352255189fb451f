// Row 1 reference: a process that imports @azure/identity alone.
import "@azure/identity";
