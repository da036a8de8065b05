"""Summary bullets: inline Markdown rendered, anything that could inject markup not."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from generator.digest import read_digest
from generator.records import bullets
from generator.records.bullets import render_bullets


@pytest.mark.parametrize(
    ("bullet", "html"),
    [
        ("평범한 문장입니다.", "평범한 문장입니다."),
        ("**굵게**와 *기울임*", "<strong>굵게</strong>와 <em>기울임</em>"),
        ("`<b>` 코드", "<code>&lt;b&gt;</code> 코드"),
        (
            '[링크](https://example.org/a_b "제목")',
            '<a href="https://example.org/a_b" title="제목" rel="nofollow ugc">링크</a>',
        ),
        (
            "<https://example.org>",
            '<a href="https://example.org" rel="nofollow ugc">https://example.org</a>',
        ),
        (
            "![그림](https://example.org/x.png)",
            '<a href="https://example.org/x.png" rel="nofollow ugc">그림</a>',
        ),
        ("<script>alert(1)</script>", "&lt;script&gt;alert(1)&lt;/script&gt;"),
        ("x <b onclick=y>z</b>", "x &lt;b onclick=y&gt;z&lt;/b&gt;"),
        # A target that is not an http(s) URL makes no link: the text stays as written.
        ("[x](javascript:alert(1)) 끝", "[x](javascript:alert(1)) 끝"),
        ("[**x**](data:text/html,y) 끝", "[<strong>x</strong>](data:text/html,y) 끝"),
        ("![x](javascript:alert(1))", "![x](javascript:alert(1))"),
        ("[EoT](End of Text) 토큰", "[EoT](End of Text) 토큰"),
        ("<think> 과정을 거쳐 <EOS> 를 낸다", "&lt;think&gt; 과정을 거쳐 &lt;EOS&gt; 를 낸다"),
        ("<a@example.org>", ""),
        ("# 제목이 아님", "# 제목이 아님"),
        ("1. 목록이 아님", "1. 목록이 아님"),
        ("> 인용이 아님", "&gt; 인용이 아님"),
        ("[r]: https://example.org", "[r]: https://example.org"),
        ("a &amp; b", "a &amp; b"),
        ("따옴표 \"q\" 와 's'", "따옴표 &#34;q&#34; 와 &#39;s&#39;"),
        ("제어\x02문자\x00", "제어문자"),
    ],
)
def test_one_bullet(bullet: str, html: str) -> None:
    rendered = render_bullets([bullet])
    if not html:  # an e-mail autolink has no http(s) target: only its text is left
        assert "<a" not in rendered[0] and "mailto" not in rendered[0]
        return
    assert rendered == [html]


def test_bullets_keep_their_order_and_empty_ones_are_dropped() -> None:
    bullets = ["첫째 **하나**", "", "  ", "둘째", "셋째 `code`", "넷째 [x](https://e.org)"]
    assert [str(b) for b in render_bullets(bullets)] == [
        "첫째 <strong>하나</strong>",
        "둘째",
        "셋째 <code>code</code>",
        '넷째 <a href="https://e.org" rel="nofollow ugc">x</a>',
    ]


def test_a_bullet_that_would_split_into_paragraphs_stays_one_item() -> None:
    """Text that is not one paragraph on its own is still one bullet (slow path)."""
    bullets = ["하나\n\n둘", "셋 **넷**"]
    rendered = render_bullets(bullets)
    assert len(rendered) == 2 and "<p>" not in rendered[0]
    assert rendered[1] == "셋 <strong>넷</strong>"


def _random_bullets(count: int) -> list[str]:
    """Bullets of the shapes the quick path takes, and near misses, from a varied alphabet."""
    rng = random.Random(14)
    alphabet = "가나다 라마 abc XYZ 012 .,:;!?'\"()-/%=+#~^|{}@$ 　\u00a0é"
    near = ["*", "_", "`", "[", "]", "<", ">", "&", "\\", "  ", " "]
    bullets = []
    for _ in range(count):
        key = "".join(rng.choice(alphabet) for _ in range(rng.randint(1, 12)))
        rest = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 40)))
        marks = rng.choice(["**", "***"])
        bullet = f"{marks}{key}{marks}{rest}"
        if rng.random() < 0.2:  # a character that sends it to the full conversion
            where = rng.randrange(len(bullet) + 1)
            bullet = bullet[:where] + rng.choice(near) + bullet[where:]
        bullets.append(bullet.strip())
    return [b for b in bullets if b]


def test_the_quick_path_gives_exactly_what_the_conversion_gives() -> None:
    checked = 0
    for bullet in _random_bullets(3000):
        quick = bullets._render_quickly(bullet)
        if quick is not None:
            assert quick == bullets._convert_all([bullet])[0], bullet
            checked += 1
    assert checked > 1000


def test_the_quick_path_on_the_real_digests(shared_reference: Path) -> None:
    found = 0
    for digest in sorted((shared_reference / "digests").glob("*.md")):
        for paper in read_digest(digest, digest.name).papers:
            for bullet in paper.summary:
                quick = bullets._render_quickly(bullet)
                if quick is not None and "*" in bullet:
                    assert quick == bullets._convert_all([bullet])[0], bullet
                    found += 1
    assert found > 0
