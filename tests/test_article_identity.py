"""One article whatever its source: URL spellings, content keys without URL and date, databases keyed by an older
rule; and saved .html pages through `aikyn-bot import` and `aikyn-bot analyze`."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot import importer
from bot.cli import main
from bot.records import ArticleDraft, normalize_url
from storage import articles, open_database

BODY = (
    "Павлодарда жаңа көпір ашылды. Көпірдің ұзындығы 800 метр, құрылыс 2023 жылы басталған.\n\n"
    "«Көпір екі ауданды жалғайды», – деді қала әкімі Нұрлан Бекетов."
)


@pytest.mark.parametrize(
    "spelling",
    [
        "https://aikyn.kz/aikyn/77/kopir",
        "http://www.aikyn.kz/aikyn/77/kopir/",
        "https://AIKYN.kz:443/aikyn/77/kopir/amp?utm_source=telegram&utm_medium=post#comments",
        "https://aikyn.kz/aikyn/77/kopir/amp/?fbclid=IwAR0",
    ],
)
def test_spellings_of_one_address_normalise_alike(spelling: str) -> None:
    assert normalize_url(spelling) == "aikyn.kz/aikyn/77/kopir"


def test_other_addresses_stay_apart() -> None:
    assert (
        normalize_url("https://aikyn.kz/search?q=көпір&page=2")
        == "aikyn.kz/search?page=2&q=%D0%BA%D3%A9%D0%BF%D1%96%D1%80"
    )
    assert normalize_url("https://aikyn.kz/aikyn/78/kopir") != normalize_url("https://aikyn.kz/aikyn/77/kopir")
    assert normalize_url("https://aikyn.kz/aikyn/77/kopir") != normalize_url("https://other.kz/aikyn/77/kopir")


def test_the_content_key_is_the_title_and_body_only() -> None:
    page = ArticleDraft(
        title="Павлодарда жаңа көпір ашылды",
        body=BODY,
        lead="Көпір екі ауданды жалғайды.",
        url="https://aikyn.kz/aikyn/77/kopir",
        published_at=datetime(2026, 3, 2, 9, 0, tzinfo=UTC),
        views=310,
    )
    text_file = ArticleDraft(title="Павлодарда  жаңа көпір ашылды ", body=BODY.replace("«", '"').replace("»", '"'))
    assert page.content_key == text_file.content_key
    assert page.version_key != text_file.version_key


async def test_articles_keyed_by_the_old_rule_are_rekeyed_when_the_database_opens(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite3"
    old = await open_database(path, target_version=6)  # the schema before identities were normalised
    await old.connection.executescript(
        "BEGIN; INSERT INTO articles (identity, title, body, url, content_hash, imported_at) VALUES"
        " ('url:https://www.aikyn.kz/aikyn/77/kopir/', 'Павлодарда жаңа көпір ашылды', 'Көпір ашылды.',"
        " 'https://www.aikyn.kz/aikyn/77/kopir/', 'old-hash', '2026-03-02T09:00:00+00:00'),"
        " ('title:ақтөбеде саябақ', 'Ақтөбеде саябақ', 'Саябақ ашылды.', NULL, 'old-hash-2',"
        " '2026-03-02T09:00:00+00:00'); COMMIT;"
    )
    await old.close()
    db = await open_database(path)
    try:
        assert await articles.id_by_url(db, "http://aikyn.kz/aikyn/77/kopir?utm_source=tg") == 1
        again = ArticleDraft(
            title="Павлодарда жаңа көпір ашылды", body="Көпір ашылды.", url="https://aikyn.kz/aikyn/77/kopir"
        )
        assert (await importer.save_article(db, again)).outcome == "unchanged"
        same_text = ArticleDraft(title="Ақтөбеде саябақ", body="Саябақ ашылды.")
        assert (await importer.save_article(db, same_text)).outcome == "unchanged"
        assert await articles.count(db) == 2
    finally:
        await db.close()


PAGE = """<!doctype html><html lang="kk"><head><meta charset="utf-8"><title>Павлодарда жаңа көпір ашылды | Айқын</title>
<meta name="description" content="Көпір қаланың екі ауданын жалғайды.">
<meta property="og:image" content="/upload/media/posts/2026/03/kopir-b.jpg">
<link rel="canonical" href="https://aikyn.kz/aikyn/77/kopir">
<script type="application/ld+json">{"@type": "NewsArticle", "datePublished": "2026-03-02T14:05:00+05:00"}</script>
</head><body><nav><a href="/">Басты бет</a></nav><article><h1>Павлодарда жаңа көпір ашылды</h1>
<p>Павлодарда жаңа көпір ашылды. Көпірдің ұзындығы 800 метр, құрылыс 2023 жылы басталған. Көпірде жаяу жүргіншілерге
арналған кең жол бар, кешке жарықтандырылады.</p>
<p>«Көпір екі ауданды жалғайды, енді жолға жарты сағат кем кетеді», – деді қала әкімі Нұрлан Бекетов.</p>
<p>Құрылысқа 12 миллиард теңге жұмсалды. Көпір арқылы қоғамдық көліктің үш бағыты өтеді.</p>
</article></body></html>"""


@pytest.fixture
def cli_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / "seeds").mkdir()
    monkeypatch.setenv("DATABASE_PATH", str(tmp_path / "cli.sqlite3"))
    monkeypatch.setenv("SEEDS_DIR", str(tmp_path / "seeds"))
    monkeypatch.chdir(tmp_path)
    page = tmp_path / "kopir.html"
    page.write_text(PAGE, encoding="utf-8")
    return page


def test_analyze_reads_a_saved_page_and_prints_what_was_extracted(
    cli_env: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["analyze", str(cli_env), "--url", "https://aikyn.kz/aikyn/77/kopir/?utm_source=tg", "--json"]) == 0
    record = json.loads(capsys.readouterr().out)
    assert record["title"] == "Павлодарда жаңа көпір ашылды"
    assert record["lead"] == "Көпір қаланың екі ауданын жалғайды."
    assert len(record["body"]) == 3 and record["body"][1].startswith("«Көпір екі ауданды жалғайды")
    assert record["published_at"] == "2026-03-02T09:05:00+00:00"
    assert record["image"] == "https://aikyn.kz/upload/media/posts/2026/03/kopir-b.jpg"
    assert record["url"] == "https://aikyn.kz/aikyn/77/kopir/?utm_source=tg"
    assert record["quotes"][0]["speaker"] == "Нұрлан Бекетов"


def test_import_takes_saved_pages_with_their_address(cli_env: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["import", str(cli_env)]) == 0  # no --url: the page's canonical address
    assert "imported 1, updated 0, unchanged 0, failed 0" in capsys.readouterr().out
    assert main(["import", str(cli_env), "--url", "http://www.aikyn.kz/aikyn/77/kopir/amp"]) == 0
    assert "imported 0, updated 0, unchanged 1, failed 0" in capsys.readouterr().out
    assert main(["import", str(cli_env), str(cli_env), "--url", "https://aikyn.kz/x"]) == 2
    assert "--url" in capsys.readouterr().err
