import { describe, expect, it } from "vitest";
import { InventoryError } from "./errors.ts";
import { parseMessageText } from "./protocols.ts";
import { decodeXmlReferences, parseXml } from "./xml.ts";

function refusal(run: () => unknown): InventoryError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(InventoryError);
    return error as InventoryError;
  }
  throw new Error("expected a refusal");
}

const BILLION_LAUGHS = `<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<REQUEST><DEVICEID>&lol9;</DEVICEID><QUERY>PROLOG</QUERY></REQUEST>`;

const XXE = `<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE REQUEST [ <!ENTITY xxe SYSTEM "file:///etc/passwd"> ]>
<REQUEST><DEVICEID>&xxe;</DEVICEID><QUERY>PROLOG</QUERY></REQUEST>`;

const XXE_PARAMETER = `<?xml version="1.0"?>
<!DOCTYPE REQUEST [ <!ENTITY % remote SYSTEM "http://127.0.0.1:1/evil.dtd"> %remote; ]>
<REQUEST><DEVICEID>x</DEVICEID><QUERY>PROLOG</QUERY></REQUEST>`;

const EXTERNAL_DTD = `<?xml version="1.0"?>
<!DOCTYPE REQUEST SYSTEM "http://127.0.0.1:1/request.dtd">
<REQUEST><DEVICEID>x</DEVICEID><QUERY>PROLOG</QUERY></REQUEST>`;

describe("parseXml refuses", () => {
  it.each([
    ["billion laughs", BILLION_LAUGHS],
    ["an external entity (XXE)", XXE],
    ["a parameter entity fetching a DTD", XXE_PARAMETER],
    ["an external DTD", EXTERNAL_DTD],
    ["a lower-case doctype", "<!doctype x><REQUEST/>"],
    ["a bare entity declaration", '<REQUEST><!ENTITY a "b"></REQUEST>'],
  ])("%s, at once, with a 400", (_name, xml) => {
    const started = performance.now();
    const error = refusal(() => parseXml(xml));
    expect(error.status).toBe(400);
    expect(error.message).toMatch(/markup declarations .* not accepted/);
    expect(performance.now() - started).toBeLessThan(100);
    // the same through the protocol parser
    expect(refusal(() => parseMessageText(xml)).status).toBe(400);
  });

  it("a reference to an undeclared entity (even without a DTD)", () => {
    const error = refusal(() => parseXml("<REQUEST><DEVICEID>&xxe;</DEVICEID></REQUEST>"));
    expect(error.status).toBe(400);
    expect(error.message).toContain("&xxe;");
    expect(refusal(() => parseXml("<A>&nbsp;</A>")).status).toBe(400);
  });

  it("malformed XML", () => {
    for (const xml of ["<REQUEST><QUERY>PROLOG</REQUEST>", "<A><B></A></B>", "<A>", "<A></A><B></B>", "<<>>"]) {
      expect(refusal(() => parseXml(xml)).status, xml).toBe(400);
    }
  });

  it("documents nested deeper than the limit (413), and longer than the limit (413)", () => {
    const deep = `${"<A>".repeat(40)}x${"</A>".repeat(40)}`;
    expect(refusal(() => parseXml(deep)).status).toBe(413);
    expect(parseXml(deep, { maxDepth: 50 })).toBeTruthy();
    const deeper = `${"<A>".repeat(100_000)}${"</A>".repeat(100_000)}`;
    expect(refusal(() => parseXml(deeper)).status).toBe(413);
    expect(refusal(() => parseXml("<A>xxxx</A>", { maxChars: 10 })).status).toBe(413);
  });
});

describe("parseXml reads", () => {
  it("text as strings, predefined entities and character references decoded once", () => {
    const doc = parseXml(
      `<?xml version="1.0" encoding="UTF-8"?><!-- a comment --><R><SSN>0123</SSN><MEMORY>2048</MEMORY>` +
        `<NAME>AT&amp;T &lt;tools&gt; &quot;q&quot; &apos;a&apos; &amp;lt; &#233;&#x263A;</NAME><EMPTY/><E2></E2></R>`,
    );
    expect(doc).toEqual({
      R: { SSN: "0123", MEMORY: "2048", NAME: "AT&T <tools> \"q\" 'a' &lt; é☺", EMPTY: "", E2: "" },
    });
  });

  it("repeated elements as arrays, attributes ignored", () => {
    const doc = parseXml('<R><S a="1"><N>a</N></S><S><N>b</N></S></R>');
    expect(doc).toEqual({ R: { S: [{ N: "a" }, { N: "b" }] } });
  });

  it("no prototype pollution: __proto__, constructor, prototype elements are refused", () => {
    for (const name of ["__proto__", "constructor", "prototype"]) {
      expect(refusal(() => parseXml(`<R><${name}><polluted>1</polluted></${name}></R>`)).status).toBe(400);
    }
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    // other Object.prototype names are renamed by the parser, never shadow a method
    const doc = parseXml("<R><toString>y</toString><hasOwnProperty>z</hasOwnProperty></R>");
    expect(typeof (doc.R as { toString: unknown }).toString).toBe("function");
  });

  it("decodeXmlReferences leaves everything but the five and character references alone", () => {
    expect(decodeXmlReferences("&amp;amp; &foo; &#0; &#x110000; plain")).toBe("&amp; &foo; \uFFFD \uFFFD plain");
  });
});
