"""Pages to articles: made-up pages shaped like real news sites' (and Aikyn's theme), each defect of issue 13."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot.page_extract import (
    HOLD_BOILERPLATE,
    HOLD_CAPTION,
    HOLD_DATE,
    HOLD_SHORT,
    NotAnArticle,
    extract_article,
    is_date_line,
)
from bot.web_fetch import decode_document

URL = "https://aikyn.example/aikyn/501/zhana-mektep"
PARAGRAPHS = [
    "Қарағандыда жаңа мектеп ашылды. Мектеп 1200 оқушыға арналған, онда заманауи зертханалар бар. "
    "Құрылыс екі жылға созылды, оған облыстық бюджеттен қаржы бөлінді.",
    "«Мектеп құрылысы 2024 жылы басталған еді, биыл мерзімінде аяқталды», – деді облыс әкімінің орынбасары "
    "Айгүл Серікова.",
    "Ашылу салтанатына ата-аналар мен ұстаздар қатысты. Мектепте спорт залы мен кітапхана жұмыс істейді, "
    "ал оқушылар үшін түскі ас тегін болады.",
]
TITLE = "Қарағандыда 1200 орындық мектеп ашылды"


def page(
    *,
    head: str = "",
    article: str = "",
    before: str = "",
    title_tag: str = f"{TITLE} | Айқын",
    heading: str = TITLE,
    paragraphs: list[str] | None = None,
) -> str:
    """A news page: head, the site's header and menu, an optional widget, the article, a footer."""
    body = "\n".join(f"<p>{p}</p>" for p in (PARAGRAPHS if paragraphs is None else paragraphs))
    return f"""<!doctype html><html lang="kk"><head><meta charset="utf-8"><title>{title_tag}</title>{head}</head>
<body><header class="site-header"><a href="/"><img src="/assets/img/logo.png" alt="Айқын"></a>
<nav><a href="/">Басты бет</a> <a href="/saiasat">Саясат</a> <a href="/qogam">Қоғам</a></nav></header>
<div class="wrap">{before}
<article class="news"><h1>{heading}</h1>{article}
{body}
</article></div>
<footer>© 2026 Айқын. Барлық құқықтар қорғалған.</footer></body></html>"""


def test_title_without_the_site_name_and_the_body_without_the_title() -> None:
    draft = extract_article(page(head=f'<meta property="og:title" content="{TITLE} — Aikyn.kz">'), URL)
    assert draft.title == TITLE
    assert draft.body.split("\n\n") == PARAGRAPHS
    # no heading on the page to confirm it: the part naming the site (og:site_name) is still cut off
    other = page(
        title_tag="Мектеп ашылды: ата-аналар риза - Қарағанды Жаңалықтары",
        heading="",
        head='<meta property="og:site_name" content="Қарағанды жаңалықтары">',
    )
    assert extract_article(other, "https://krg-news.example/a/1").title == "Мектеп ашылды: ата-аналар риза"
    # a title whose separator is part of the headline stays whole
    whole = page(title_tag="Жол – өмір арқауы", heading="Жол – өмір арқауы")
    assert extract_article(whole, URL).title == "Жол – өмір арқауы"


@pytest.mark.parametrize(
    ("description", "lead", "first_paragraph"),
    [
        (PARAGRAPHS[0], PARAGRAPHS[0], PARAGRAPHS[1]),  # the page shows its lead as the opening paragraph
        (PARAGRAPHS[0][:60] + "…", "", PARAGRAPHS[0]),  # a description that is the opening, cut short
        (TITLE, "", PARAGRAPHS[0]),  # a description that repeats the title
        ("Облыста биыл үш жаңа мектеп салынады.", "Облыста биыл үш жаңа мектеп салынады.", PARAGRAPHS[0]),
    ],
)
def test_the_lead_is_never_repeated_in_the_body(description: str, lead: str, first_paragraph: str) -> None:
    html = page(
        head=f'<meta name="description" content="{description}">',
        article=f'<div class="content-body__description">{description}</div>' if description == PARAGRAPHS[0] else "",
    )
    draft = extract_article(html, URL)
    assert draft.lead == lead
    assert draft.body.split("\n\n")[0] == first_paragraph


@pytest.mark.parametrize(
    ("head", "article", "expected"),
    [
        (  # JSON-LD of a news article, with its zone
            '<script type="application/ld+json">{"@context": "https://schema.org", "@type": "NewsArticle",'
            ' "headline": "x", "datePublished": "2026-03-02T14:05:00+06:00"}</script>',
            "",
            datetime(2026, 3, 2, 8, 5, tzinfo=UTC),
        ),
        (  # <time datetime> marked as the publication, beside the time of the last update
            "",
            '<time class="entry-date published" datetime="2026-03-02T10:05:00+01:00">2 наурыз</time>'
            '<time class="updated" datetime="2026-03-04T10:00:00+01:00">4 наурыз</time>',
            datetime(2026, 3, 2, 9, 5, tzinfo=UTC),
        ),
        ('<meta name="parsely-pub-date" content="2026-03-02T09:05:00Z">', "", datetime(2026, 3, 2, 9, 5, tzinfo=UTC)),
        (  # no zone: Almaty time
            '<meta property="article:published_time" content="2026-03-02T14:05">',
            "",
            datetime(2026, 3, 2, 9, 5, tzinfo=UTC),
        ),
        (  # only the day: noon in Almaty
            '<meta property="article:published_time" content="2026-03-02">',
            "",
            datetime(2026, 3, 2, 7, 0, tzinfo=UTC),
        ),
    ],
)
def test_publication_time_keeps_the_time_of_day_and_the_zone(head: str, article: str, expected: datetime) -> None:
    assert extract_article(page(head=head, article=article), URL).published_at == expected


def test_the_picture_is_the_articles_own_as_an_absolute_url_never_the_logo() -> None:
    figure = '<figure><img class="lazy" data-original="/upload/media/posts/2026/03/mektep-b.jpg" alt=""></figure>'
    logo_in_meta = '<meta property="og:image" content="/assets/img/logo.png">'
    draft = extract_article(page(head=logo_in_meta, article=figure), URL)
    assert draft.image_url == "https://aikyn.example/upload/media/posts/2026/03/mektep-b.jpg"
    relative = extract_article(page(head='<meta property="og:image" content="../img/photo-7.jpg">'), URL)
    assert relative.image_url == "https://aikyn.example/aikyn/img/photo-7.jpg"
    assert extract_article(page(head=logo_in_meta), URL).image_url is None


MOST_READ = (
    '<aside class="sidebar"><h3>Ең көп оқылған</h3><ul>'
    '<li><a href="/aikyn/1/x">Басқа жаңалық</a><div class="sidebar-views"><span>3,214</span> <span>оқылды</span>'
    '</div></li><li><a href="/aikyn/2/y">Тағы бір жаңалық</a><div class="sidebar-views"><span>2,087</span>'
    " <span>оқылды</span></div></li></ul></aside>"
)


def test_views_come_from_the_articles_own_counter_not_the_most_read_widget() -> None:
    own = '<div class="content-info"><div style="float:right"><b>741</b><br> оқылды</div></div>'
    assert extract_article(page(before=MOST_READ, article=own), URL).views == 741
    assert extract_article(page(before=MOST_READ), URL).views is None


def test_page_furniture_inside_the_text_is_dropped() -> None:
    paragraphs = [
        PARAGRAPHS[0],
        "Сондай-ақ оқыңыз: Астанада жаңа көпір салынады",
        PARAGRAPHS[1],
        "Фото: Айқын",
        PARAGRAPHS[2],
        "Жаңалықтарға жазылыңыз: newsletter",
        "Сараптама, зерттеу мақала, күнделікті өзекті ақпаратты «Айқынның» Telegram арнасынан таба аласыз.",
    ]
    draft = extract_article(page(paragraphs=paragraphs), URL)
    assert draft.body.split("\n\n") == PARAGRAPHS
    assert draft.hold_reason == ""


def test_nothing_is_lost_when_the_precise_extraction_finds_nothing() -> None:
    linked = [f'<a href="/aikyn/50{n}/x">{p}</a>' for n, p in enumerate(PARAGRAPHS)]
    draft = extract_article(page(paragraphs=linked), URL)
    assert draft.body.split("\n\n") == PARAGRAPHS
    with pytest.raises(NotAnArticle):
        extract_article("<html><head></head><body></body></html>", URL)


@pytest.mark.parametrize(
    ("paragraphs", "reason"),
    [
        (["19 мамыр 2026 ж."], HOLD_DATE),
        (["Суретте: облыс әкімі жаңа мектепті аралап жүр. Фото: Айқын"], HOLD_CAPTION),
        (["Мектеп ашылды, оған 1200 оқушы барады."], HOLD_SHORT),
        (
            ["Мектеп ашылды."] + [f"Сондай-ақ оқыңыз: Облыстағы басқа бір жаңалық №{n}" for n in range(8)],
            HOLD_BOILERPLATE,
        ),
        (PARAGRAPHS, ""),
    ],
)
def test_extractions_an_editor_should_see_first_are_held(paragraphs: list[str], reason: str) -> None:
    draft = extract_article(page(paragraphs=paragraphs), URL)
    assert draft.hold_reason == reason
    assert draft.body  # a held article is still stored with what was found


def test_date_lines() -> None:
    assert all(map(is_date_line, ["May 19, 2020", "02.02.2022 •", "19 мамыр 2020 ж.", "2026-03-02 14:05"]))
    assert not any(map(is_date_line, ["2020 жылы мектеп ашылды", "Мектеп 1200 оқушыға арналған"]))


def test_charsets_from_the_header_the_xml_declaration_or_meta() -> None:
    polish = "<html><head><meta charset='iso-8859-2'></head><body><p>Zażółć gęślą jaźń</p></body></html>"
    assert "Zażółć gęślą jaźń" in decode_document(polish.encode("iso-8859-2"))
    kazakh = '<meta http-equiv="Content-Type" content="text/html; charset=KZ-1048"><p>Қазақстан өңірлері</p>'
    assert "Қазақстан өңірлері" in decode_document(kazakh.encode("kz1048"))
    feed = '<?xml version="1.0" encoding="windows-1251"?><rss><title>Новости</title></rss>'
    assert "Новости" in decode_document(feed.encode("cp1251"))
    # the HTTP header's charset wins over a wrong declaration in the document
    mislabeled = '<meta charset="utf-8"><p>Жаңалықтар</p>'.encode("kz1048")
    assert "Жаңалықтар" in decode_document(mislabeled, "kz1048")
