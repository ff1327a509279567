"""What a file is, from its content and never its name (domain/files.py)."""

import io
import zipfile

import pytest

from fairhear.domain.files import (
    CASE_TYPES,
    DOCX,
    JPEG,
    OLE,
    PDF,
    PNG,
    PUBLIC_TYPES,
    TEXT,
    XLSX,
    FileRefused,
    clean_name,
    file_type,
    size_in_words,
)

PNG_BYTES = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + b"\x00" * 40
OLE_BYTES = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600


def office(main_part: str, *, macros: bool = False) -> bytes:
    """A minimal Office Open XML file: a ZIP whose [Content_Types].xml names its main part."""
    kind = "application/vnd.ms-word.document.macroEnabled.main+xml" if macros else main_part
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0"?><Types><Override PartName="/word/document.xml" '
            f'ContentType="{kind}"/></Types>',
        )
        archive.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


def kind(content: bytes, name: str = "file", types=CASE_TYPES):
    return file_type(io.BytesIO(content), name=name, types=types)


def refusal(content: bytes, name: str = "file", types=CASE_TYPES) -> str:
    with pytest.raises(FileRefused) as caught:
        kind(content, name, types)
    return str(caught.value)


def test_the_name_plays_no_part_a_txt_holding_png_bytes_is_a_png():
    assert kind(PNG_BYTES, "notes.txt") is PNG
    assert kind(b"%PDF-1.7\n", "photo.jpg") is PDF
    assert kind(b"\xff\xd8\xff\xe0\x00\x10JFIF", "scan") is JPEG
    assert kind("Dear Sir,\r\nThe boiler – again.\n".encode(), "letter.pdf") is TEXT


def test_a_web_page_named_pdf_is_refused_saying_why():
    assert refusal(b"<html><script>alert(1)</script></html>", "letter.pdf") == (
        "letter.pdf is a web page or markup, which could run a program in a browser, so it is "
        "not kept. Save it as a PDF or an image and choose it again (accepted: PDF, JPEG "
        "image, PNG image, Word document, spreadsheet, presentation, older Office document or "
        "text file)."
    )


def test_an_svg_image_is_refused_even_after_a_byte_order_mark_and_blank_lines():
    message = refusal(b'\xef\xbb\xbf\n\n<svg xmlns="http://www.w3.org/2000/svg"/>', "map.png")
    assert message.startswith("map.png is an SVG image, which could run a program")


def test_a_program_is_refused_as_a_program():
    assert refusal(b"MZ\x90\x00\x03" + b"\x00" * 60, "invoice.pdf").startswith(
        "invoice.pdf is a program, which Fairhear never keeps."
    )
    assert refusal(b"\x7fELF\x02\x01\x01", "x").startswith("x is a program")


def test_word_and_excel_files_are_told_by_the_parts_inside_the_zip():
    assert kind(office(DOCX_MAIN), "letter.pdf") is DOCX
    assert kind(office(XLSX_MAIN), "rent.docx") is XLSX


DOCX_MAIN = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
XLSX_MAIN = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"


def test_a_zip_that_is_not_an_office_file_and_one_with_macros_are_refused():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("photos/1.jpg", b"\xff\xd8\xff")
    assert refusal(buffer.getvalue(), "report.docx").startswith(
        "report.docx is a ZIP archive, not a Word document, spreadsheet or presentation"
    )
    assert refusal(office(DOCX_MAIN, macros=True), "report.docx").startswith(
        "report.docx contains macros (programs), which Fairhear does not keep"
    )
    # A truncated ZIP is not read as anything.
    assert "is a ZIP archive" in refusal(office(DOCX_MAIN)[:30], "cut.docx")


def test_older_office_files_are_accepted_unless_they_hold_a_macro_project():
    assert kind(OLE_BYTES, "rent.xls") is OLE
    with_macros = OLE_BYTES + "_VBA_PROJECT".encode("utf-16-le")
    assert "contains macros" in refusal(with_macros, "rent.xls")


def test_the_public_form_takes_fewer_types_than_a_colleague():
    assert kind(office(DOCX_MAIN), types=CASE_TYPES) is DOCX
    assert refusal(office(DOCX_MAIN), "letter.docx", types=PUBLIC_TYPES) == (
        "letter.docx is not a PDF, JPEG image, PNG image or text file; save it as one of "
        "those and choose it again."
    )


def test_an_empty_file_and_binary_noise_are_refused():
    assert refusal(b"", "blank.pdf") == "blank.pdf is empty; choose the file again."
    assert "is not a PDF" in refusal(bytes(range(256)), "noise.bin")


@pytest.mark.parametrize(
    ("given", "shown"),
    [
        ("../../etc/passwd", "passwd"),
        ("C:\\Users\\ada\\letter.pdf", "letter.pdf"),
        ("bad\r\nX-Injected: 1.pdf", "bad X-Injected: 1.pdf"),
        ("tab\there\x00.txt", "tab here .txt"),
        ("", "document"),
        ("...", "document"),
        ("a" * 200 + ".pdf", "a" * 116 + ".pdf"),
    ],
)
def test_a_sender_s_name_is_only_shown_never_a_path_or_a_header(given, shown):
    assert clean_name(given) == shown


def test_sizes_in_words():
    assert size_in_words(300) == "1 KB"
    assert size_in_words(310 * 1024) == "310 KB"
    assert size_in_words(10 * 1024 * 1024) == "10 MB"
    assert size_in_words(10 * 1024 * 1024 + 8) == "10.0 MB"
    assert size_in_words(int(2.4 * 1024 * 1024)) == "2.4 MB"
