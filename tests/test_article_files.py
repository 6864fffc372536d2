from __future__ import annotations

import json
from pathlib import Path

import pytest

from bot.article_files import ArticleFileError, find_article_files, parse_article_text, read_article_file
from tests.conftest import SEED


def test_seed_parses_into_title_lead_views_and_body() -> None:
    draft = read_article_file(SEED).drafts[0]
    assert draft.title == "Бейбітшілік және келісім керуені: «AMANAT» партиясында тақырыптық дөңгелек үстел өтті"
    assert draft.lead.startswith("Іс-шара «AMANAT» партиясы мен Қазақстан халқы Ассамблеясының")
    assert draft.views == 1142
    paragraphs = draft.body.split("\n\n")
    assert len(paragraphs) == 8
    assert paragraphs[0].startswith("Қоғамдық келісімді, жалпыұлттық бірлікті нығайту")
    assert paragraphs[0].endswith("– деп хабарлайды Aikyn.kz")
    assert paragraphs[-1].startswith("Дөңгелек үстел барысында")
    assert "Telegram арнасынан" not in draft.body


def test_article_without_lead_or_view_count_takes_first_line_as_title() -> None:
    draft = parse_article_text(
        "Алматыда жаңа мектеп ашылды\n\nМектеп 600 оқушыға арналған.\nҚұрылыс 2024 жылы басталды."
    )
    assert draft.title == "Алматыда жаңа мектеп ашылды"
    assert draft.lead == ""
    assert draft.views is None
    assert draft.body == "Мектеп 600 оқушыға арналған.\n\nҚұрылыс 2024 жылы басталды."


def test_crlf_bom_and_runs_of_blank_lines_are_normalised(tmp_path: Path) -> None:
    text = "Лид жолы.\r\nТақырып\r\n2 305\r\nоқылды\r\n\r\n\r\n\r\nБірінші абзац.\r\n\r\n\r\nЕкінші абзац.\r\n"
    path = tmp_path / "crlf.txt"
    path.write_bytes(b"\xef\xbb\xbf" + text.encode())
    draft = read_article_file(path).drafts[0]
    assert (draft.title, draft.lead, draft.views) == ("Тақырып", "Лид жолы.", 2305)
    assert draft.body == "Бірінші абзац.\n\nЕкінші абзац."


def test_non_utf8_text_is_decoded_as_kazakh_code_page(tmp_path: Path) -> None:
    path = tmp_path / "kz1048.txt"
    path.write_bytes("Қазақ тілі күні\n\nӘр жыл сайын атап өтіледі.".encode("kz1048"))
    draft = read_article_file(path).drafts[0]
    assert draft.title == "Қазақ тілі күні"
    assert draft.body == "Әр жыл сайын атап өтіледі."


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"", "empty file"),
        (b"\n\n   \n", "no text"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary"),
    ],
)
def test_bad_text_files_get_a_clear_reason(tmp_path: Path, content: bytes, reason: str) -> None:
    path = tmp_path / "bad.txt"
    path.write_bytes(content)
    with pytest.raises(ArticleFileError, match=reason):
        read_article_file(path)


def test_oversized_text_file_is_refused_without_reading_it(tmp_path: Path) -> None:
    path = tmp_path / "huge.txt"
    path.write_bytes(("Сөйлем. " * 1_400_000).encode())  # about 10 MB
    with pytest.raises(ArticleFileError, match="too large"):
        read_article_file(path)


def test_json_and_jsonl_records_with_explicit_fields(tmp_path: Path) -> None:
    record = {
        "title": "Астанада форум өтті",
        "lead": "Форумға 500 адам қатысты.",
        "body": ["Бірінші абзац.", "Екінші абзац."],
        "url": "https://aikyn.kz/123/forum",
        "published_at": "2026-11-20T10:30:00",
        "views": "1,020",
        "source": "aikyn.kz",
    }
    (tmp_path / "one.json").write_text(json.dumps(record, ensure_ascii=False))
    lines = [json.dumps(record, ensure_ascii=False), "{broken", json.dumps({"title": "Тақырыпсыз мәтін жоқ"})]
    (tmp_path / "many.jsonl").write_text("\n".join(lines))
    one = read_article_file(tmp_path / "one.json").drafts[0]
    assert one.body == "Бірінші абзац.\n\nЕкінші абзац."
    assert one.views == 1020
    assert one.published_at is not None and one.published_at.isoformat() == "2026-11-20T05:30:00+00:00"
    many = read_article_file(tmp_path / "many.jsonl")
    assert len(many.drafts) == 1
    assert many.problems == [
        "line 2: invalid JSON (Expecting property name enclosed in double quotes)",
        "line 3: missing field 'body'",
    ]


def test_folders_are_walked_recursively_skipping_gold_and_hidden_files(tmp_path: Path) -> None:
    (tmp_path / "a" / "b").mkdir(parents=True)
    (tmp_path / "a" / "b" / "x.txt").write_text("Т\n\nМ.")
    (tmp_path / "a" / "x.quotes.json").write_text("[]")
    (tmp_path / ".hidden.txt").write_text("Т\n\nМ.")
    (tmp_path / "notes.tsv").write_text("x")
    assert [p.name for p in find_article_files([tmp_path])] == ["x.txt"]


KAZAKH = "Қазақ тілі күні\n\nӘр жыл сайын қыркүйекте атап өтіледі. Оған ұлттық ұйымдар, мектептер қатысады."
RUSSIAN = "Новый парк открыт\n\nВ Алматы открыли новый парк. Ёлки высадили «по плану» — сообщили в акимате."


@pytest.mark.parametrize(
    ("raw", "text"),
    [
        (KAZAKH.encode("utf-8"), KAZAKH),
        (KAZAKH.encode("utf-16"), KAZAKH),  # with a BOM
        (KAZAKH.encode("utf-16-le"), KAZAKH),  # without one, as some Windows tools save
        (KAZAKH.encode("utf-16-be"), KAZAKH),
        (KAZAKH.encode("utf-16")[:-1], KAZAKH[:-1]),  # cut in the middle of the last character
        (KAZAKH.encode("utf-16-le")[:-3], KAZAKH[:-2]),
        (KAZAKH.encode("utf-8")[:-2], KAZAKH[:-2] + "\ufffd"),  # cut in the middle of «ы»
        (KAZAKH.encode("kz1048"), KAZAKH),
        (RUSSIAN.encode("cp1251"), RUSSIAN),
        (RUSSIAN.encode("utf-16-le"), RUSSIAN),
    ],
)
def test_text_in_any_encoding_an_editor_may_save_is_read(raw: bytes, text: str) -> None:
    from bot.article_files import decode_text

    assert decode_text(raw) == text


def test_a_first_line_that_reads_as_a_paragraph_is_body_and_a_one_line_file_imports() -> None:
    first = (
        "Алматы қаласында бүгін 600 оқушыға арналған жаңа мектеп ашылды, деп хабарлайды қалалық білім "
        "басқармасының баспасөз қызметі. Құрылыс 2024 жылы басталған."
    )
    draft = parse_article_text(f"{first}\n\nМектеп директоры: «Бәрі дайын», – деді.")
    assert draft.title == (
        "Алматы қаласында бүгін 600 оқушыға арналған жаңа мектеп ашылды, деп хабарлайды қалалық білім "
        "басқармасының баспасөз…"
    )
    assert draft.body.split("\n\n") == [first, "Мектеп директоры: «Бәрі дайын», – деді."]
    one_line = parse_article_text(first)
    assert one_line.body == first and one_line.title.startswith("Алматы қаласында бүгін")
    short = parse_article_text("Ауылға жол салынды.")
    assert (short.title, short.body) == ("Ауылға жол салынды", "Ауылға жол салынды.")
    titled = parse_article_text("Мектеп ашылды\n\n" + first)
    assert (titled.title, titled.body) == ("Мектеп ашылды", first)


def _record(**fields: object) -> bytes:
    return json.dumps({"title": "Тақырып", "body": "Мәтін.", **fields}, ensure_ascii=False).encode()


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        (b"[" * 100_000 + b"]" * 100_000, "nested too deep"),
        (b'{"title": "T", "body": "B", "views": ' + b"9" * 5000 + b"}", "invalid JSON"),
        (_record(published_at="9999-12-31T23:59:59-12:00"), "published_at' is out of range"),
        (_record(published_at="0001-01-01T00:00:00+05:00"), "published_at' is out of range"),
        (_record(views=10**23), "not a view count"),
        (_record(views=-5), "not a view count"),
        (_record(body=[{"p": "абзац"}]), "list of paragraphs"),
        (_record(body={"text": "абзац"}), "list of paragraphs"),
        (_record(url="http://a b/<x>"), "not a valid http"),
        (_record(url="https://aikyn.kz/<script>"), "not a valid http"),
        (_record(url="javascript:alert(1)"), "not a valid http"),
    ],
)
def test_hostile_json_gets_a_reason_instead_of_an_exception(raw: bytes, reason: str) -> None:
    from bot.article_files import parse_article_bytes

    with pytest.raises(ArticleFileError, match=reason):
        parse_article_bytes(raw, suffix=".json", source="x.json")


def test_urls_that_telegram_takes_are_kept() -> None:
    from bot.article_files import parse_article_bytes

    for url in [
        "https://aikyn.kz/2026/11/25/123/мектеп?utm=1#top",
        "http://127.0.0.1:8080/news/1",
        "https://сайт.қаз/",
    ]:
        [draft] = parse_article_bytes(_record(url=url), suffix=".json", source="x.json").drafts
        assert draft.url == url


def test_upload_size_is_checked_on_the_bytes() -> None:
    from bot.article_files import parse_article_bytes

    with pytest.raises(ArticleFileError, match="too large"):
        parse_article_bytes(b"x" * 1001, suffix=".txt", source="upload", max_bytes=1000)


def test_a_fifo_or_device_is_refused_instead_of_read(tmp_path: Path) -> None:
    import os

    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    for path in (fifo, Path("/dev/zero")):
        with pytest.raises(ArticleFileError, match="not a regular file"):
            read_article_file(path)
