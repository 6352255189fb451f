import { parse } from "dotenv";
import { describe, expect, test } from "vitest";
import { quoteEnvValue, setEnvVariable } from "../../src/config/env_file_edit.ts";

const CS =
  "SubscriptionId=11111111-2222-3333-4444-555555555555;ResourceGroupName=rg;WorkspaceName=ws;ApiKey=ab/c+d==;QuantumEndpoint=https://eastus.quantum.azure.com/;";

describe("quoteEnvValue()", () => {
  test("single quotes unless the value holds one", () => {
    expect(quoteEnvValue(CS)).toBe(`'${CS}'`);
    expect(quoteEnvValue("it's")).toBe(`"it's"`);
    expect(quoteEnvValue(`it's "x"`)).toBe('`it\'s "x"`');
    expect(quoteEnvValue(`it's \\n`)).toBe("`it's \\n`");
    expect(() => quoteEnvValue(`'"\``)).toThrow(RangeError);
  });
});

describe("setEnvVariable()", () => {
  test("replaces in place, keeping export, spacing and the trailing comment", () => {
    const text = "# key\nexport KEY = old # rotated 2024\nB=2\n";
    expect(setEnvVariable(text, "KEY", CS)).toEqual({
      text: `# key\nexport KEY = '${CS}' # rotated 2024\nB=2\n`,
      replaced: 1,
    });
  });

  test("keeps CRLF line endings and uses them for an appended line", () => {
    expect(setEnvVariable("A=1\r\nKEY=x\r\n", "KEY", "y").text).toBe("A=1\r\nKEY='y'\r\n");
    expect(setEnvVariable("A=1\r\nB=2", "KEY", "y").text).toBe("A=1\r\nB=2\r\nKEY='y'\r\n");
  });

  test("appends to an empty text or one without a final newline", () => {
    expect(setEnvVariable("", "KEY", "v").text).toBe("KEY='v'\n");
    expect(setEnvVariable("A=1", "KEY", "v")).toEqual({ text: "A=1\nKEY='v'\n", replaced: 0 });
  });

  test("leaves similarly named variables alone", () => {
    const text = "MYKEY=1\nKEY_OLD=2\n#KEY=3\nKEY=4\n";
    expect(setEnvVariable(text, "KEY", "new").text).toBe("MYKEY=1\nKEY_OLD=2\n#KEY=3\nKEY='new'\n");
  });

  test("replaces a quoted value spanning several lines, and every repeated assignment", () => {
    const text = 'A=1\nKEY="line1\nline2"  # note\nB=2\nKEY: old\n';
    const edit = setEnvVariable(text, "KEY", "v");
    expect(edit).toEqual({ text: "A=1\nKEY='v'  # note\nB=2\nKEY: 'v'\n", replaced: 2 });
  });

  test.each([
    CS,
    "with spaces  inside ",
    "hash # inside",
    "$DOLLAR ${X}",
    "back\\slash\\n",
    "ünïcødé ключ 鍵",
    "it's",
    'say "hi"',
    "multi\nline",
    "",
  ])("dotenv reads %j back unchanged", (value) => {
    const text = "# header\nOTHER='keep me'\nKEY=old\n\n# footer\n";
    const after = parse(setEnvVariable(text, "KEY", value).text);
    expect(after).toEqual({ OTHER: "keep me", KEY: value });
  });

  test("rejects invalid names with a TypeError", () => {
    expect(() => setEnvVariable("", "BAD NAME", "v")).toThrow(TypeError);
    expect(() => setEnvVariable("", "", "v")).toThrow(TypeError);
  });

  test("refuses a change dotenv would not read back", () => {
    expect(() => setEnvVariable("KEY=1\n", "KEY", "'\"`")).toThrow(RangeError);
  });
});

describe("setEnvVariable(): every other line is kept (issue 13, finding 10)", () => {
  test("a value with an unbalanced quote keeps the comment after it and every later line", () => {
    // dotenv reads `'abc # note` unquoted (its first quote is not closed on a line that ends
    // there), so the comment line that ends with a quote is not part of the value.
    const text = "KEY='abc # note\n# the team's key: 'x'\nOTHER=1\n";
    expect(parse(text)).toEqual({ KEY: "'abc", OTHER: "1" });
    expect(setEnvVariable(text, "KEY", "new").text).toBe(
      "KEY='new' # note\n# the team's key: 'x'\nOTHER=1\n",
    );
  });

  test("a quote inside a quoted value closes it as dotenv says, comments and blank lines stay", () => {
    const text = 'KEY="one\ntwo" # ok\n\n# a comment with "quotes"\nB=2\n';
    expect(setEnvVariable(text, "KEY", "v").text).toBe(
      "KEY='v' # ok\n\n# a comment with \"quotes\"\nB=2\n",
    );
    const escaped = "KEY='it\\'s\n# still the value'\n# after\n";
    expect(parse(escaped).KEY).toBe("it\\'s\n# still the value");
    expect(setEnvVariable(escaped, "KEY", "v").text).toBe("KEY='v'\n# after\n");
  });
});
