/**
 * The checks the emulator's numeric knobs pass (control API, options, request log), so each
 * refuses a bad value with the same message: `Cannot set <name>: it must be …, not <value>`.
 *
 * @module
 */

/** `value` when it is a finite number >= 0; else a `RangeError` naming `name`. */
export function nonNegative(name: string, value: number): number {
  if (!(Number.isFinite(value) && value >= 0)) {
    throw new RangeError(`Cannot set ${name}: it must be a number >= 0, not ${value}`);
  }
  return value;
}

/** `value` when it is an integer >= 1; else a `RangeError` naming `name`. */
export function positiveInteger(name: string, value: number): number {
  if (!(Number.isInteger(value) && value >= 1)) {
    throw new RangeError(`Cannot set ${name}: it must be a positive integer, not ${value}`);
  }
  return value;
}
