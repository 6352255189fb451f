// Resolve hook for node_loader.mjs (runs on the loader thread): one line per resolved URL.
import { appendFileSync } from "node:fs";

let log;

export function initialize(data) {
  log = data.log;
}

export async function resolve(specifier, context, next) {
  const result = await next(specifier, context);
  appendFileSync(log, `esm ${result.url}\n`);
  return result;
}
