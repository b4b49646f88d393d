import fc from "fast-check";
import { Parser } from "htmlparser2";
import { describe, expect, it } from "vitest";
import { xssCorpus, xssMessage } from "../../../test/fixtures/xss/corpus.ts";
import { boundNesting, mailText, sanitizeMailHtml } from "./html.ts";

const INLINE_PREFIX = "/api/v1/attachments/";
/** Like intake: a same-origin URL of the stored attachment. */
const inline = (contentId: string) => `${INLINE_PREFIX}${encodeURIComponent(contentId)}/inline`;
const none = () => null;

const OUTPUT_TAGS = new Set(
  (
    "p div center span br hr h1 h2 h3 h4 h5 h6 blockquote pre code b strong i em u s strike del ins sub sup small " +
    "ul ol li dl dt dd table caption colgroup col thead tbody tfoot tr th td a img"
  ).split(" "),
);
const FORBIDDEN_TAG =
  /<\/?(script|style|iframe|frame|frameset|object|embed|applet|svg|math|form|input|button|select|textarea|option|base|meta|link|template|noscript|noembed|noframes|title|xmp|plaintext|listing|isindex|keygen|html|head|body|font)\b/i;
// biome-ignore lint/suspicious/noControlCharactersInRegex: the browser ignores these in URLs, so must we.
const IGNORED_IN_URL = /[\u0000-\u0020\u007f]/g;
const BAD_SCHEME = /^(javascript|vbscript|livescript|data):/i;
const BAD_STYLE = /expression|url\s*\(|behavior|binding|@import|\\|\/\*|position|javascript/i;

interface Element {
  name: string;
  attribs: Record<string, string>;
}

function elementsOf(html: string): Element[] {
  const elements: Element[] = [];
  const parser = new Parser({ onopentag: (name, attribs) => elements.push({ name, attribs }) });
  parser.write(html);
  parser.end();
  return elements;
}

/** Everything the corpus output must satisfy; returns the problems found. */
function problemsOf(html: string): string[] {
  const problems: string[] = [];
  const forbidden = FORBIDDEN_TAG.exec(html);
  if (forbidden) problems.push(`forbidden tag ${forbidden[0]}`);
  if (/<!--|<!\[|<\?/.test(html)) problems.push("comment, CDATA or processing instruction");
  for (const { name, attribs } of elementsOf(html)) {
    if (!OUTPUT_TAGS.has(name)) problems.push(`tag <${name}>`);
    for (const [attribute, value] of Object.entries(attribs)) {
      const url = value.replace(IGNORED_IN_URL, "");
      if (/^on/i.test(attribute)) problems.push(`event handler ${attribute}`);
      if (/^(srcdoc|srcset|formaction|action|xlink:href|href:|background|poster|data|id|class|name)$/i.test(attribute))
        problems.push(`attribute ${attribute}`);
      if (BAD_SCHEME.test(url)) problems.push(`${attribute}="${value}"`);
      if (attribute === "style" && BAD_STYLE.test(value)) problems.push(`style="${value}"`);
      if (attribute === "href" && !/^(https?:\/\/|mailto:)/i.test(url)) problems.push(`href="${value}"`);
      if (attribute === "src" && !url.startsWith(INLINE_PREFIX)) problems.push(`src="${value}"`);
      if (attribute === "data-remote-src" && !/^https?:\/\//i.test(url)) problems.push(`data-remote-src="${value}"`);
    }
    if (name === "a" && attribs.href && attribs.rel !== "noopener noreferrer nofollow") problems.push("a without rel");
    if (name === "a" && attribs.href && attribs.target !== "_blank") problems.push("a without target");
  }
  return problems;
}

describe("sanitizeMailHtml on the XSS corpus", () => {
  const corpus = xssCorpus();

  it("has a corpus worth the name", () => {
    expect(corpus.length).toBeGreaterThan(200);
    expect(corpus.filter((c) => c.name.endsWith(".html")).length).toBeGreaterThanOrEqual(4);
  });

  it.each(corpus.map((c) => [c.name, c.html] as const))("%s comes out inert", (_name, html) => {
    const once = sanitizeMailHtml(html, { inline });
    expect(problemsOf(once.html)).toEqual([]);
    // Sanitizing the output again changes nothing (with no inline images, whose resolved same-origin
    // URLs a second pass rightly refuses as relative URLs).
    const plain = sanitizeMailHtml(html, { inline: none }).html;
    expect(sanitizeMailHtml(plain, { inline: none }).html).toBe(plain);
  });
});

describe("sanitizeMailHtml behaviour", () => {
  it("resolves cid: images through the inline callback and drops the ones it does not know", () => {
    const seen: string[] = [];
    const out = sanitizeMailHtml(
      '<img src="cid:image001.png@01D9" alt="Logo" width="120" height="40" title="t">' +
        '<img src="CID:<part2@x>"><img src="cid:a%40b"><img src="cid:unknown" alt="gone">',
      {
        inline: (cid) => {
          seen.push(cid);
          return cid === "unknown" ? null : `/api/v1/attachments/${seen.length}/inline`;
        },
      },
    );
    expect(seen).toEqual(["image001.png@01D9", "part2@x", "a@b", "unknown"]);
    expect(out.html).toBe(
      '<img title="t" alt="Logo" width="120" height="40" src="/api/v1/attachments/1/inline" />' +
        '<img src="/api/v1/attachments/2/inline" /><img src="/api/v1/attachments/3/inline" />',
    );
    expect(out.blockedImages).toBe(0);
  });

  it("refuses an inline URL that is not a plain same-origin path or http(s) URL", () => {
    for (const bad of [
      "javascript:alert(1)",
      "//attacker.invalid/x",
      "/\\attacker.invalid",
      'x" onerror="alert(1)',
      "",
    ]) {
      expect(sanitizeMailHtml('<img src="cid:x">', { inline: () => bad }).html).toBe("");
    }
  });

  it("blocks remote images, keeps their URL in data-remote-src and counts them", () => {
    const out = sanitizeMailHtml(
      '<p>a<img src="https://tracker.example/p.gif?u=1&amp;m=2" width="1" height="1" alt="">' +
        '<img src=" http://cdn.example/logo.png " style="border:0"><img src="data:image/png;base64,AAAA">' +
        '<img src="//cdn.example/x.png"><img src="logo.png"><img>b</p>',
      { inline },
    );
    expect(out.html).toBe(
      '<p>a<img alt="" width="1" height="1" data-remote-src="https://tracker.example/p.gif?u=1&amp;m=2" />' +
        '<img style="border:0" data-remote-src="http://cdn.example/logo.png" />b</p>',
    );
    expect(out.blockedImages).toBe(2);
    // A second pass keeps them blocked and counted.
    expect(sanitizeMailHtml(out.html, { inline })).toEqual(out);
  });

  it("rewrites links to open apart from the app and turns any other link into its text", () => {
    const out = sanitizeMailHtml(
      '<a href="https://example.com/a?b=1" target="_self" rel="opener" name="n" id="i" class="c">web</a> ' +
        '<a href="mailto:help@example.com?subject=Hi">mail</a> <a href="javascript:alert(1)">js</a> ' +
        '<a href="/admin">relative</a> <a href="#top">anchor</a> <a href="tel:+123">tel</a> <a>bare</a>',
      { inline },
    );
    expect(out.html).toBe(
      '<a href="https://example.com/a?b=1" rel="noopener noreferrer nofollow" target="_blank">web</a> ' +
        '<a href="mailto:help@example.com?subject=Hi" rel="noopener noreferrer nofollow" target="_blank">mail</a> ' +
        "<span>js</span> <span>relative</span> <span>anchor</span> <span>tel</span> <span>bare</span>",
    );
  });

  it("turns the Outlook/Word sample into clean, readable HTML", () => {
    const out = sanitizeMailHtml(xssMessage("outlook-word.html"), { inline });
    for (const junk of [
      /mso-/i,
      /<o:/i,
      /<v:/i,
      /<w:/i,
      /xmlns/i,
      /class=/i,
      /lang=/i,
      /<!--|\[if|endif/i,
      /@font-face/,
    ]) {
      expect(out.html).not.toMatch(junk);
    }
    const text = mailText(out.html);
    for (const phrase of [
      "Hello Service Desk,",
      "VPN gateway vpn-gw-02 drops every connection after about 30 seconds.",
      "1. Finance (Frankfurt office)",
      "2. Everyone working from home",
      "Time Error 08:14 IKE SA expired (peer timeout)",
      "Kind regards Jana Novak | Finance IT",
      "From: Service Desk <servicedesk@example.com> Sent: Monday, 3 March 2025 09:02",
      "Reply to servicedesk@example.com.",
    ]) {
      expect(text).toContain(phrase);
    }
    expect(text).not.toMatch(/panose|WordSection|behavior|__xss/);
    expect(out.html).toContain('<td style="width:112.5pt;border:solid windowtext 1.0pt;');
    expect(out.html).toContain('<span style="color:#C00000">vpn-gw-02</span>');
    expect(out.html).toContain(`src="${inline("image001.png@01DA1B2C.3D4E5F60")}"`);
    expect(out.html).toContain('data-remote-src="https://attacker.invalid/track.gif?u=jana"');
    expect(out.blockedImages).toBe(1);
  });

  it("keeps the allowed inline styles and drops everything else", () => {
    const cases: [string, string][] = [
      ["color:#1F497D", "color:#1F497D"],
      ["color: rgb(10, 20, 30)", "color:rgb(10, 20, 30)"],
      ["background-color:yellow;background:#D9E2F3", "background-color:yellow;background:#D9E2F3"],
      [
        "font-weight:bold;font-style:italic;text-decoration:underline line-through",
        "font-weight:bold;font-style:italic;text-decoration:underline line-through",
      ],
      ["text-align:center;font-size:11.0pt", "text-align:center;font-size:11.0pt"],
      ["font-size:14px;font-size:1.2em;font-size:90%", "font-size:14px;font-size:1.2em;font-size:90%"],
      [
        "margin:0cm;margin-bottom:.0001pt;padding:3.0pt 0cm 0cm 0cm",
        "margin:0cm;margin-bottom:.0001pt;padding:3.0pt 0cm 0cm 0cm",
      ],
      ["border:none;border-top:solid #E1E1E1 1.0pt", "border:none;border-top:solid #E1E1E1 1.0pt"],
      ["color:red !important", "color:red !important"],
      ["font-size:12vw;font-size:calc(100px*99)", ""],
      ["margin:-500px;margin-top:-1em", ""],
      ["position:fixed;top:0;z-index:9999;display:none;float:left;opacity:0", ""],
      ["background:url(https://attacker.invalid/x.png);background-color:url(x)", ""],
      ["background-image:url(javascript:alert(1));list-style-image:url(x);cursor:url(x),auto", ""],
      ["width:expression(alert(1));color:expression(alert(1))", ""],
      ["behavior:url(x.htc);-moz-binding:url(x.xml#x)", ""],
      ["color:\\65xpression(alert(1));color:r\\65d", ""],
      ["color:red/**/;color:/**/blue", "color:red;color:blue"],
      ["font-family:Calibri,sans-serif;mso-fareast-language:EN-US;text-indent:-18pt", ""],
      ["width:100px", ""],
    ];
    for (const [style, kept] of cases) {
      const out = sanitizeMailHtml(`<div style="${style}">x</div>`, { inline }).html;
      expect(out, style).toBe(kept ? `<div style="${kept}">x</div>` : "<div>x</div>");
    }
    expect(
      sanitizeMailHtml('<table style="width:100%"><tr><td style="width:50px">x</td></tr></table>', { inline }).html,
    ).toBe('<table style="width:100%"><tr><td style="width:50px">x</td></tr></table>');
  });

  it("checks attribute values and keeps table layout", () => {
    const out = sanitizeMailHtml(
      '<table width="600" border="1" cellpadding="4" cellspacing="0" align="center" bgcolor="#ffffff" id="t" class="c">' +
        '<tr valign="top"><td colspan="2" rowspan="x" width="50%" bgcolor="url(x)" align="left" nowrap>a</td></tr></table>' +
        '<p dir="rtl" title="t" align="justify" lang="de">b</p><ol start="3" type="a"><li value="7">c</li></ol>' +
        '<img src="https://x.example/i.png" width="100%" height="javascript:1" alt="pic">',
      { inline },
    );
    expect(out.html).toBe(
      '<table width="600" border="1" cellpadding="4" cellspacing="0" align="center" bgcolor="#ffffff">' +
        '<tr valign="top"><td align="left" width="50%" colspan="2" nowrap>a</td></tr></table>' +
        '<p title="t" dir="rtl" align="justify">b</p><ol start="3" type="a"><li value="7">c</li></ol>' +
        '<img alt="pic" width="100%" data-remote-src="https://x.example/i.png" />',
    );
  });

  it("turns <font> into a styled span", () => {
    expect(
      sanitizeMailHtml('<font color="red" size="2" face="Arial">a</font><font color="javascript:x" size="9">b</font>', {
        inline,
      }).html,
    ).toBe('<span style="color:red;font-size:13px">a</span><span>b</span>');
  });

  it("bounds pathological nesting and stays fast on 1 MB inputs", () => {
    const inputs: [string, string][] = [
      ["100,000 nested <div>", `${"<div>".repeat(100_000)}MARK${"</div>".repeat(100_000)}`],
      ["100,000 unclosed <div>", `${"<div>".repeat(100_000)}MARK`],
      ["<b>×200,000 then </i>×100,000", `${"<b>".repeat(200_000)}MARK${"</i>".repeat(100_000)}`],
      ["<div>×100,000 then </span>×100,000", `${"<div>".repeat(100_000)}MARK${"</span>".repeat(100_000)}`],
      ["<table>×150,000", `${"<table>".repeat(150_000)}MARK`],
      ["<font><p>×100,000", `${"<font color=red><p>".repeat(50_000)}MARK`],
      ["<svg>×150,000", `${"<svg>".repeat(150_000)}x`],
      ["<li>×250,000", "<li>".repeat(250_000)],
      ["<img src=http…>×40,000", '<img src="http://a.example/c.png">'.repeat(40_000)],
    ];
    for (const [name, html] of inputs) {
      const started = performance.now();
      const out = sanitizeMailHtml(html, { inline });
      const text = mailText(out.html);
      const ms = performance.now() - started;
      console.info(`${name} (${(html.length / 1e6).toFixed(2)} MB): ${ms.toFixed(0)} ms`);
      expect(problemsOf(out.html)).toEqual([]);
      const depth = maxDepth(out.html);
      expect(depth, name).toBeLessThanOrEqual(256);
      expect(out.html.length).toBeLessThan(html.length * 3);
      if (html.includes("MARK")) expect(text).toContain("MARK");
    }
    // Past 100,000 elements the rest is text only.
    const many = sanitizeMailHtml(`${"<li>".repeat(150_000)}MARK`, { inline }).html;
    expect(many.match(/<li>/g)?.length).toBe(100_000);
    expect(many.endsWith("MARK</li>")).toBe(true);
  });

  it("keeps mail that is deep but sane untouched by the nesting bound", () => {
    const quoted = `${"<blockquote><div>".repeat(60)}deep${"</div></blockquote>".repeat(60)}`;
    expect(sanitizeMailHtml(quoted, { inline }).html).toBe(quoted);
    for (const file of ["outlook-word.html", "newsletter.html", "nested-script.html", "svg-mathml.html"]) {
      const html = xssMessage(file);
      expect(boundNesting(html, 256)).toBe(html);
    }
    // Unclosed <p>, <li>, <td> close implicitly, so they do not count as nesting.
    const flat = `<table>${"<tr><td>cell".repeat(2000)}</table>${"<p>para".repeat(2000)}<ul>${"<li>item".repeat(2000)}</ul>`;
    expect(boundNesting(flat, 256)).toBe(flat);
    expect(boundNesting(`${"<div>".repeat(300)}x`, 256)).toBe(`${"<div>".repeat(256)}x`);
  });

  it("drops the text of scripts, styles and other hidden raw-text elements but keeps ordinary text", () => {
    expect(
      sanitizeMailHtml("<p>a<script>alert(1)</script><style>p{}</style><title>t</title><textarea>x</textarea>b</p>", {
        inline,
      }).html,
    ).toBe("<p>ab</p>");
    expect(sanitizeMailHtml("<custom>kept</custom><o:p>too</o:p><button>and this</button>", { inline }).html).toBe(
      "kepttooand this",
    );
  });
});

describe("mailText", () => {
  it("gives the text with block boundaries as spaces and entities decoded", () => {
    expect(mailText("<p>Hello</p><p>World&nbsp;&amp;&lt;you&gt;&#33;</p><ul><li>a</li><li>b</li></ul>x<br>y")).toBe(
      "Hello World &<you>! a b x y",
    );
    expect(mailText("<b>in</b>line <i>text</i>")).toBe("inline text");
    expect(mailText("<style>p{color:red}</style><script>alert(1)</script>visible")).toBe("visible");
    expect(mailText("")).toBe("");
  });
});

describe("sanitizeMailHtml properties", () => {
  const fragments = [
    "<div>",
    "</div>",
    "<p>",
    "</p>",
    "<b>",
    "</b>",
    "<table><tr><td>",
    "</td></tr></table>",
    "<li>",
    "<a href='https://example.com/x'>",
    '<a href="javascript:alert(1)">',
    "</a>",
    '<img src="cid:part1">',
    "<img src=https://t.example/p.gif width=1>",
    '<img src="data:image/png;base64,AA">',
    '<span style="color:red;margin:1px 2px;behavior:url(x)">',
    "</span>",
    "<font color=blue size=3>",
    "</font>",
    "<center>",
    "<o:p>",
    "<svg onload=alert(1)>",
    "</svg>",
    "<math>",
    "<style>",
    "</style>",
    "<script>",
    "</script>",
    "<textarea>",
    "<noscript>",
    "<template>",
    "<!--",
    "-->",
    "<![CDATA[",
    "]]>",
    "<!",
    "<?",
    "<",
    ">",
    "/",
    '"',
    "'",
    "=",
    " onerror=alert(1) ",
    "&amp;",
    "&lt;",
    "&#106;",
    "&Tab;",
    "&",
    "text",
    " ",
    "\n",
  ];
  const htmlish = fc
    .array(fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...fragments) }, { weight: 1, arbitrary: fc.string() }), {
      maxLength: 40,
    })
    .map((parts) => parts.join(""));

  it("is idempotent and its output is always inert", () => {
    fc.assert(
      fc.property(htmlish, (html) => {
        const once = sanitizeMailHtml(html, { inline: none });
        const twice = sanitizeMailHtml(once.html, { inline: none });
        expect(twice.html).toBe(once.html);
        expect(twice.blockedImages).toBe(once.blockedImages);
        expect(problemsOf(sanitizeMailHtml(html, { inline }).html)).toEqual([]);
      }),
      { numRuns: 2000 },
    );
  });
});

function maxDepth(html: string): number {
  let depth = 0;
  let max = 0;
  const parser = new Parser({
    onopentag: () => {
      depth++;
      max = Math.max(max, depth);
    },
    onclosetag: () => {
      depth--;
    },
  });
  parser.write(html);
  parser.end();
  return max;
}
