"""Script-injection payloads, and a DOM scan that notices when one of them took effect.

Three corpora, by where a record may carry them:

* ``TEXT``: any text. Titles, authors, keywords and abstracts accept it as it is, so the
  site must escape it; a reader sees exactly these characters.
* ``SUMMARY``: inline-Markdown bullets that validation accepts (it refuses raw HTML and
  non-http link targets), chosen to slip markup or a script URL through Markdown itself.
* ``URLS``: absolute http(s) URLs that validation accepts but that carry quotes (encoded),
  script words, entities and unicode tricks, for links, thumbnails and media.

Every payload that would run script calls ``alert``/``confirm``/``prompt`` with a text
containing ``xss``, and payloads that create elements carry an ``xss`` marker, so the
scan below tells a payload's element from the site's own. ``creates_markup`` says whether
the payload, pasted unescaped into HTML, yields an element or attribute: the self-test in
``test_xss.py`` proves the scan catches each such payload before the site is checked.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Payload:
    """One attack string; ``name`` shows in test ids and failure messages."""

    name: str
    text: str
    creates_markup: bool = True


TEXT: tuple[Payload, ...] = (
    Payload("script-tag", "<script>alert('xss-script')</script>"),
    Payload("img-onerror", "<img src=x data-xss onerror=alert('xss-img')>"),
    Payload("svg-onload", "<svg data-xss onload=alert('xss-svg')>"),
    Payload("svg-script", "<svg><script>alert('xss-svg-script')</script></svg>"),
    Payload("iframe-js", "<iframe data-xss src=\"javascript:alert('xss-iframe')\"></iframe>"),
    Payload("a-js-href", "<a data-xss href=\"javascript:alert('xss-a')\">열기</a>"),
    Payload(
        "a-data-href",
        '<a data-xss href="data:text/html;base64,PHNjcmlwdD5hbGVydCgneHNzJyk8L3NjcmlwdD4=">'
        "data</a>",
    ),
    Payload("double-quote-breakout", '" onmouseover="alert(\'xss-dq\')" data-xss="1'),
    Payload("single-quote-breakout", "' autofocus onfocus='alert(`xss-sq`)' data-xss='1"),
    Payload("close-tag-breakout", "\"><script>alert('xss-close')</script>"),
    Payload(
        "close-many-contexts",
        "</textarea></title></style></script><img src=x data-xss onerror=alert('xss-ctx')>",
    ),
    Payload("details-ontoggle", "<details data-xss open ontoggle=alert('xss-details')>x</details>"),
    Payload("input-autofocus", "<input data-xss autofocus onfocus=alert('xss-input')>"),
    Payload("body-onload", "<body data-xss onload=alert('xss-body')>"),
    Payload(
        "math-xlink", "<math data-xss><mi xlink:href=\"javascript:alert('xss-math')\">x</mi></math>"
    ),
    Payload("object-data", "<object data-xss data=\"javascript:alert('xss-object')\"></object>"),
    Payload("base-href", "<base data-xss href=\"javascript:alert('xss-base')//\">"),
    Payload(
        "meta-refresh",
        '<meta data-xss http-equiv="refresh" content="0;url=javascript:alert(\'xss-meta\')">',
    ),
    Payload("style-import", "<style>@import 'javascript:alert(\"xss-style\")';</style>"),
    Payload(
        "style-attribute",
        "<div data-xss style=\"background:url(javascript:alert('xss-style-attr'))\">x</div>",
    ),
    Payload("nested-script", "<scr<script>ipt>alert('xss-nested')</scr</script>ipt>"),
    Payload("unknown-element", "<xss-card data-xss>custom element</xss-card>"),
    Payload(
        "noscript-mutation",
        "<noscript><p title=\"</noscript><img src=x data-xss onerror=alert('xss-mxss')>\">",
    ),
    Payload("tab-in-scheme", "<a data-xss href=\"jav&#x09;ascript:alert('xss-tab')\">탭</a>"),
    Payload("js-unicode-escape", "<img src=x data-xss onerror=\\u0061lert('xss-uescape')>"),
    Payload("korean-bold-hover", "요약 <b data-xss onmouseover=alert('xss-ko')>굵게</b> 끝"),
    Payload("comment-opener", "<!-- xss-comment swallows the rest of the page"),
    Payload(
        "entity-script", "&lt;script&gt;alert('xss-entity')&lt;/script&gt;", creates_markup=False
    ),
    Payload(
        "numeric-entities",
        "&#x3C;img src=x onerror=alert('xss-numeric')&#x3E;",
        creates_markup=False,
    ),
    Payload("markdown-js-link", "[열기](javascript:alert('xss-md'))", creates_markup=False),
    Payload(
        "markdown-img-breakout", "![x](x\" onerror=\"alert('xss-mdimg'))", creates_markup=False
    ),
    Payload(
        "fullwidth-brackets",
        "\uff1cscript\uff1ealert('xss-fullwidth')\uff1c/script\uff1e",
        creates_markup=False,
    ),
    # The override character itself is refused by validation; as an entity it is text.
    Payload("rtl-override", "&#x202E;<script>alert('xss-rlo')</script>"),
    # What BibTeX and LaTeX read as markup: a brace closing the field and opening another,
    # a comment, a command, every special character.
    Payload(
        "bibtex-breakout",
        "Close} , note = {x}, 100% done \\end{document} \\ #$_^~& @misc{y,",
        creates_markup=False,
    ),
    Payload(
        "template-syntax", "{{ 7*7 }} {% raw %} ${alert('xss-tpl')} #{7*7}", creates_markup=False
    ),
    Payload("plain-js-url", "javascript:alert('xss-plain')", creates_markup=False),
)

#: Validation accepts all of these as summary bullets (``test_xss.py`` checks that it does).
SUMMARY: tuple[str, ...] = (
    "`<script>alert('xss-code')</script>` 는 코드로만 보여야 한다",
    "&lt;img src=x onerror=alert('xss-sum-entity')&gt; 는 글자다",
    "&#60;script&#62;alert('xss-sum-numeric')&#60;/script&#62;",
    "[1]: javascript:alert('xss-refdef')",
    "[참조 링크][1] 는 위 정의를 쓰려 한다",
    "[제목 탈출](https://example.com/ \"t\" onclick=alert('xss-md-title'))",
    "![그림](https://example.com/x.png \"x\" onerror=alert('xss-md-img'))",
    "[인코딩된 따옴표](https://example.com/?q=%22onmouseover=alert(1)%22)",
    "[x] (javascript:alert('xss-md-space')) 괄호 앞 공백",
    "<script>alert('xss-sum-raw')</script> 는 태그가 아니라 글자로 보인다",
    "<think> 과 <EOS> 같은 토큰 이름은 글자다",
    "[EoT](End of Text) 는 링크가 아니라 글자다",
    "1 < 2 > 0 부등호는 그대로",
    "{{ 7*7 }} ${alert('xss-sum-tpl')} {% if x %}",
    "**굵게** _기울임_ `코드` [정상 링크](https://example.com/ok) 평범한 Markdown",
    "https://example.com/?next=javascript:alert(1) 자동 링크 후보",
    "&#x6A;avascript:alert('xss-entity-scheme') 는 링크가 아니다",
    "<img src=x onerror=alert('xss-sum-img')> 도 글자다",
    "[^1] 각주 흉내와 ]] 짝 없는 괄호 [[",
    "백틱 두 개 ``<img src=x onerror=alert('xss-in-code')>`` 코드 스팬",
    "줄바꿈 흉내 \\n 과 탭\t문자",
    "&lt;!-- xss-sum-comment --&gt; 는 주석이 아니라 글자다",
    '" onmouseover="alert(\'xss-sum-dq\')" data-xss="1',
    "' autofocus onfocus='alert(`xss-sum-sq`)' data-xss='1",
)

#: Validation accepts all of these as links, thumbnails and media URLs.
URLS: tuple[str, ...] = (
    "https://example.com/?q=javascript:alert(1)",
    "https://example.com/%22%3E%3Cscript%3Ealert(1)%3C/script%3E",
    "https://javascript:alert(1)@example.com/userinfo",
    "https://example.com/#&quot;onmouseover=alert(1)",
    "https://example.com/a.png?onerror=alert(1)&x=1&amp;y=2",
    "HTTPS://EXAMPLE.COM/UPPER-CASE.PNG",
    "https://예시.테스트/한글-도메인.png",
    "https://example.com/{{7*7}}/${alert(1)}/thumb.png",
    "https://example.com/path%0d%0aSet-Cookie:xss=1",
    "https://example.com:443@example.org/credentials",
    "http://example.com/data:text/html,alert(1)",
)

#: Returns a list of findings, one sentence each; empty when no payload took effect.
SCAN_JS = r"""
() => {
  const findings = [];
  const urlAttributes = new Set(['href', 'src', 'action', 'formaction', 'poster', 'data',
    'xlink:href', 'srcset', 'background', 'cite', 'ping', 'codebase', 'manifest']);
  const scriptScheme = /^(javascript|data|vbscript):/i;
  const neverOnTheSite = new Set(['iframe', 'object', 'embed', 'frame', 'frameset', 'applet',
    'math', 'marquee', 'base', 'noscript']);
  const describe = (el) => {
    const html = el.outerHTML;
    return html.length > 120 ? html.slice(0, 120) + '…' : html;
  };
  for (const el of document.querySelectorAll('*')) {
    const tag = el.localName;
    for (const attr of el.attributes) {
      const name = attr.name.toLowerCase();
      if (name.startsWith('on')) findings.push(`event handler attribute ${name}: ${describe(el)}`);
      if (name.includes('xss')) findings.push(`payload attribute ${name}: ${describe(el)}`);
      const value = attr.value.replace(/[\u0000-\u0020\u007f-\u00a0\u200b-\u200f\ufeff]/g, '');
      if (urlAttributes.has(name) && scriptScheme.test(value)) {
        findings.push(`script URL in ${name}: ${describe(el)}`);
      }
      if (name === 'style' && /javascript:|expression\(|xss/i.test(attr.value)) {
        findings.push(`payload style attribute: ${describe(el)}`);
      }
    }
    if (neverOnTheSite.has(tag)) findings.push(`<${tag}> element: ${describe(el)}`);
    // Data blocks (JSON) may quote a payload as escaped text; only code counts.
    const code = tag === 'style' || (tag === 'script' &&
      (!el.type || /^(module|(text|application)\/(java|ecma)script)$/i.test(el.type)));
    if (code && /xss/i.test(el.textContent)) {
      findings.push(`<${tag}> with payload text: ${describe(el)}`);
    }
    if (tag === 'meta' && el.hasAttribute('http-equiv')) {
      findings.push(`<meta http-equiv>: ${describe(el)}`);
    }
    if ((el instanceof HTMLUnknownElement && !tag.includes('-')) || tag.includes('xss')) {
      findings.push(`unknown element <${tag}>: ${describe(el)}`);
    }
  }
  const comments = document.createTreeWalker(document, NodeFilter.SHOW_COMMENT);
  while (comments.nextNode()) {
    if (/xss/i.test(comments.currentNode.data)) {
      findings.push(`comment with payload text: ${comments.currentNode.data.slice(0, 80)}`);
    }
  }
  return findings;
}
"""
