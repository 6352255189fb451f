// For tests that need a process environment without some settings (no Azure connection, no
// identity a DefaultAzureCredential could use): take them out, and put them back afterwards.

/** Deletes the variables whose names match `names` from process.env; the function returned restores them. */
export function clearProcessEnv(names: RegExp): () => void {
  const saved = Object.entries(process.env).filter(([name]) => names.test(name));
  for (const [name] of saved) delete process.env[name];
  return () => {
    for (const [name, value] of saved) process.env[name] = value;
  };
}
