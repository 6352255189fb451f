import { describe, expect, it } from "vitest";
import { ErrorCode } from "../src/error_codes.ts";
import { isQuantumError } from "../src/errors.ts";
import {
  ArmError,
  AuthenticationError,
  isArmError,
  isAuthenticationError,
  isNetworkError,
  isRequestError,
  isUnauthorizedError,
  NetworkError,
  UnauthorizedError,
} from "../src/request_errors.ts";

const BRAND = Symbol.for("azure-quantum-notebook.error");

describe("errors", () => {
  it("carry their class lineage as a brand, and the guards follow it without subclass lists", () => {
    const e = new ArmError(ErrorCode.RequestFailed, "Cannot x: y", { armCode: "Conflict" });
    expect((e as unknown as Record<symbol, unknown>)[BRAND]).toEqual([
      "ArmError",
      "RequestError",
      "QuantumError",
    ]);
    expect([isArmError(e), isRequestError(e), isQuantumError(e), isNetworkError(e)]).toEqual([
      true,
      true,
      true,
      false,
    ]);
  });

  it("match an error of another realm (another copy of the module) by its brand", () => {
    const foreign = Object.defineProperty(new Error("Cannot reach x: down"), BRAND, {
      value: ["NetworkError", "RequestError", "QuantumError"],
    });
    expect([isNetworkError(foreign), isRequestError(foreign), isQuantumError(foreign)]).toEqual([
      true,
      true,
      true,
    ]);
    expect(isArmError(foreign)).toBe(false);
  });

  it("do not take @azure/identity's AuthenticationError (same name, no brand) for ours", () => {
    const identity = Object.assign(new Error("sign-in failed"), { name: "AuthenticationError" });
    expect([isUnauthorizedError(identity), isAuthenticationError(identity)]).toEqual([false, false]);
    expect(isQuantumError(identity)).toBe(false);
  });

  it("keep AuthenticationError and isAuthenticationError as deprecated aliases", () => {
    const e = new AuthenticationError(ErrorCode.Unauthorized, "Cannot connect: rejected");
    expect(e).toBeInstanceOf(UnauthorizedError);
    expect(e.name).toBe("UnauthorizedError");
    expect(isAuthenticationError(e) && isUnauthorizedError(e)).toBe(true);
    expect(new NetworkError(ErrorCode.NetworkUnreachable, "Cannot reach x: down").code).toBe(
      "NetworkUnreachable",
    );
  });
});
