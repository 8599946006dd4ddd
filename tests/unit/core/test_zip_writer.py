"""helpers.core.zip_writer writes the bytes Python's zipfile writes, whatever the entries and
however many threads compress them; and the archive reads back as what went in."""

from __future__ import annotations

import io
import os
import threading
import time
import warnings
import zipfile

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from helpers.core import zip_writer
from helpers.core.zip_writer import Entry, zip_bytes

WHEN = (2018, 6, 30, 0, 0, 0)


def zipfile_bytes(entries: list[tuple[str, tuple, bytes | list[bytes]]]) -> bytes:
    """The second route: zipfile itself, an entry written whole with writestr or piece by
    piece through open("w"), as helpers.core.reproducible_files wrote them before."""
    out = io.BytesIO()
    with (warnings.catch_warnings(),  # a name written twice: zipfile warns, and writes it
          zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive):
        warnings.simplefilter("ignore", UserWarning)
        for name, when, content in entries:
            info = zipfile.ZipInfo(name, date_time=when)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o600 << 16
            if isinstance(content, bytes):
                archive.writestr(info, content)
            else:
                with archive.open(info, "w") as part:
                    for piece in content:
                        part.write(piece)
    return out.getvalue()


def ours(entries, threads=None) -> bytes:
    return zip_bytes([Entry(name, when, content if isinstance(content, bytes)
                            else lambda content=content: iter(content))
                      for name, when, content in entries], threads=threads)


names = st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"),
                min_size=1, max_size=20)
contents = st.one_of(st.binary(max_size=3000),
                     st.lists(st.binary(max_size=800), max_size=5))  # whole, or in pieces
times = st.tuples(st.integers(1980, 2107), st.integers(1, 12), st.integers(1, 28),
                  st.integers(0, 23), st.integers(0, 59), st.integers(0, 59))


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(names, times, contents), max_size=6), st.integers(1, 3))
def test_the_bytes_are_zipfiles(entries, threads):
    assert ours(entries, threads) == zipfile_bytes(entries)


def test_large_entries_compressed_in_threads_keep_their_order_and_bytes(monkeypatch):
    # small LARGE: every entry goes to the threads, more of them than there are threads
    monkeypatch.setattr(zip_writer, "LARGE", 16)
    entries = [(f"xl/worksheets/sheet{n}.xml", WHEN,
                os.urandom(200) + b"<row/>" * (5000 * n) if n % 2 else
                [b"<sheetData>", b"<row/>" * 3000 * n, b"</sheetData>"])
               for n in range(1, 9)]
    written = ours(entries, threads=2)
    assert written == zipfile_bytes(entries)
    with zipfile.ZipFile(io.BytesIO(written)) as archive:
        assert archive.testzip() is None
        assert archive.namelist() == [name for name, _, _ in entries]
        for name, _, content in entries:
            assert archive.read(name) == (content if isinstance(content, bytes)
                                          else b"".join(content))


def test_a_name_beyond_ascii_is_flagged_utf8_as_zipfile_does():
    entries = [("报告/表.xml", WHEN, "完成率".encode())]
    written = ours(entries)
    assert written == zipfile_bytes(entries)
    with zipfile.ZipFile(io.BytesIO(written)) as archive:
        assert archive.infolist()[0].flag_bits & 0x800
        assert archive.read("报告/表.xml") == "完成率".encode()


def test_an_error_in_a_threaded_part_reaches_the_caller():
    def pieces():
        yield b"<row/>"
        raise ValueError("a batch of 2000 streamed rows reads back as 1999")

    with pytest.raises(ValueError, match="reads back as 1999"):
        zip_bytes([Entry("a.xml", WHEN, b"x"), Entry("b.xml", WHEN, pieces)], threads=2)


def test_times_before_1980_are_refused():
    with pytest.raises(ValueError, match="before 1980"):
        zip_bytes([Entry("a.xml", (1979, 12, 31, 0, 0, 0), b"x")])


def test_a_name_with_a_nul_is_refused():
    # zipfile would cut the name at the NUL; written whole it would be another name
    with pytest.raises(ValueError, match="NUL"):
        zip_bytes([Entry("a\x00b.xml", WHEN, b"x")])


def test_what_zipfile_would_write_as_zip64_is_refused(monkeypatch):
    monkeypatch.setattr(zip_writer, "ZIP32_LIMIT", 1000)
    with pytest.raises(ValueError, match=r"big\.xml: past the ~2 GiB"):  # an entry, whole
        zip_bytes([Entry("big.xml", WHEN, b"x" * 960)])
    with pytest.raises(ValueError, match=r"big\.xml: past the ~2 GiB"):  # or in pieces
        zip_bytes([Entry("big.xml", WHEN, lambda: iter([b"x" * 500, b"y" * 500]))])
    with pytest.raises(ValueError, match=r"c\.xml: the archive is past"):  # its offset
        zip_bytes([Entry(name, WHEN, os.urandom(600)) for name in ("a.xml", "b.xml", "c.xml")])
    with pytest.raises(ValueError, match="number of entries"):  # its directory
        zip_bytes([Entry("a" * 300, WHEN, b"") for _ in range(3)])
    # just within: written, as zipfile writes it
    entries = [("ok.xml", WHEN, b"x" * 950)]
    assert ours(entries) == zipfile_bytes(entries)


def test_an_error_stops_the_reading_and_leaves_no_thread():
    read, started = [], []

    def pieces(name, fail=False):
        def make():
            started.append(name)
            if fail:
                raise ValueError(f"{name} failed")
            time.sleep(0.2)
            yield b"<row/>"
        return make

    def entries():
        for n in range(40):
            read.append(n)
            yield Entry(f"{n}.xml", WHEN, pieces(n, fail=n == 0))

    threads_before = threading.active_count()
    with pytest.raises(ValueError, match="0 failed"):
        zip_bytes(entries(), threads=2)
    # the error is raised once the first entry is due: no more than the entries in flight
    # (two compressing, one waiting) were read, and no thread is left behind
    assert read == [0, 1, 2]
    assert set(started) <= {0, 1, 2}
    assert threading.active_count() == threads_before
