"""``app.get_path``/``set_path`` and the freedesktop recently-used list.

The folders come from the XDG variables and ``user-dirs.dirs`` the test
writes; the recently-used list is read back as XML, the way GTK reads it.
"""

from __future__ import annotations

import os
import tempfile
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from tkelectron import app
from tkelectron.main._app_paths import PATH_NAMES, AppPaths, RecentDocuments, path_of_uri

BOOKMARK = "{http://www.freedesktop.org/standards/desktop-bookmarks}"
MIME = "{http://www.freedesktop.org/standards/shared-mime-info}"


@pytest.fixture
def xdg(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    home = tmp_path / "home"
    config = home / "cfg"
    config.mkdir(parents=True, mode=0o700)
    (config / "user-dirs.dirs").write_text(
        '# written by xdg-user-dirs-update\n'
        'XDG_DOCUMENTS_DIR="$HOME/Dokumente"\n'
        'XDG_DOWNLOAD_DIR="$HOME/Downloads here"\n'
        'XDG_MUSIC_DIR="$HOME/Musik"\n'
    )
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(config))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / "data"))
    return home


def test_paths_follow_xdg_and_user_dirs(xdg: Path) -> None:
    paths = AppPaths(lambda: "Cool App")
    assert paths.get("home") == str(xdg)
    assert paths.get("appData") == str(xdg / "cfg")
    assert paths.get("userData") == str(xdg / "cfg" / "Cool App")
    assert paths.get("sessionData") == paths.get("userData")
    assert paths.get("logs") == str(xdg / "cfg" / "Cool App" / "logs")
    assert paths.get("crashDumps") == str(xdg / "cfg" / "Cool App" / "Crashpad")
    assert paths.get("documents") == str(xdg / "Dokumente")
    assert paths.get("downloads") == str(xdg / "Downloads here")
    assert paths.get("music") == str(xdg / "Musik")
    assert paths.get("pictures") == str(xdg / "Pictures")  # not in user-dirs.dirs: the default
    assert paths.get("temp") == tempfile.gettempdir()
    for name in PATH_NAMES:
        assert os.path.isabs(paths.get(name)), name


def test_a_relative_xdg_variable_is_ignored(xdg: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CONFIG_HOME", "relative/cfg")
    assert AppPaths(lambda: "a").get("appData") == str(xdg / ".config")


def test_user_data_follows_the_name_until_it_is_set(xdg: Path, tmp_path: Path) -> None:
    name = ["first"]
    paths = AppPaths(lambda: name[0])
    assert paths.get("userData").endswith("/first")
    name[0] = "second"
    assert paths.get("userData").endswith("/second")
    assert paths.get("logs") == os.path.join(paths.get("userData"), "logs")
    target = tmp_path / "elsewhere" / "data"
    paths.set("userData", target)
    assert target.is_dir()
    assert paths.get("userData") == str(target)
    assert paths.get("sessionData") == str(target)
    assert paths.get("crashDumps") == str(target / "Crashpad")


def test_bad_names_and_relative_paths_are_clear_errors(xdg: Path) -> None:
    paths = AppPaths(lambda: "a")
    with pytest.raises(ValueError, match=r"unknown path name 'userdata'.*userData"):
        paths.get("userdata")
    with pytest.raises(ValueError, match="unknown path name"):
        paths.set("nope", "/tmp")
    with pytest.raises(ValueError, match="must be absolute"):
        paths.set("userData", "relative/dir")
    assert paths.get("userData").endswith("/a")  # nothing changed


def test_app_methods_use_the_app_name(xdg: Path) -> None:
    old = app.get_name()
    try:
        app.set_name("Paths Probe")
        assert app.get_name() == "Paths Probe"
        assert app.get_path("userData") == str(xdg / "cfg" / "Paths Probe")
    finally:
        app.set_name(old)


def _bookmarks(path: Path) -> dict[str, ET.Element]:
    return {b.get("href"): b for b in ET.parse(path).getroot().iter("bookmark")}


def test_recent_documents_are_written_as_xbel_and_keep_other_apps(xdg: Path, tmp_path: Path) -> None:
    xbel = xdg / "data" / "recently-used.xbel"
    xbel.parent.mkdir(parents=True)
    other_doc = "file:///srv/other%20app.txt"
    xbel.write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<xbel version="1.0" xmlns:bookmark="http://www.freedesktop.org/standards/desktop-bookmarks"'
        ' xmlns:mime="http://www.freedesktop.org/standards/shared-mime-info">'
        f'<bookmark href="{other_doc}" added="2024-01-01T00:00:00Z" modified="2024-01-01T00:00:00Z"'
        ' visited="2024-01-01T00:00:00Z"><info><metadata owner="http://freedesktop.org">'
        '<mime:mime-type type="text/plain"/><bookmark:applications>'
        '<bookmark:application name="gedit" exec="gedit %u" modified="2024-01-01T00:00:00Z" count="3"/>'
        '</bookmark:applications></metadata></info></bookmark></xbel>'
    )
    doc = tmp_path / "my notes.md"
    doc.write_text("# hi")
    recent = RecentDocuments("Probe", "probe %u")
    uri = recent.add(doc)
    recent.add(doc)  # again: the same bookmark, count 2
    marks = _bookmarks(xbel)
    assert set(marks) == {other_doc, uri}
    assert path_of_uri(uri) == str(doc)
    mine = marks[uri]
    assert mine.find(f"info/metadata/{MIME}mime-type").get("type") == "text/markdown"
    apps = mine.findall(f"info/metadata/{BOOKMARK}applications/{BOOKMARK}application")
    assert [(a.get("name"), a.get("exec"), a.get("count")) for a in apps] == [("Probe", "probe %u", "2")]
    assert marks[other_doc].find(f"info/metadata/{BOOKMARK}applications/{BOOKMARK}application").get("count") == "3"
    assert oct(xbel.stat().st_mode & 0o777) == "0o600"
    assert not [p for p in xbel.parent.iterdir() if p.name.startswith(".recently-used.")]  # no temp file left

    # gedit also opened our document: clearing ours keeps gedit's record.
    ET.register_namespace("bookmark", BOOKMARK[1:-1])
    tree = ET.parse(xbel)
    for b in tree.getroot().iter("bookmark"):
        if b.get("href") == uri:
            b.find(f"info/metadata/{BOOKMARK}applications").append(
                ET.Element(f"{BOOKMARK}application", {"name": "gedit", "exec": "gedit %u", "count": "1"}))
    tree.write(xbel, encoding="utf-8", xml_declaration=True)
    other_file = tmp_path / "only mine.txt"
    recent.add(other_file)
    assert recent.clear() == 1  # only "only mine.txt" had no other application
    marks = _bookmarks(xbel)
    assert set(marks) == {other_doc, uri}
    names = [a.get("name") for a in marks[uri].iter(f"{BOOKMARK}application")]
    assert names == ["gedit"]


def test_a_broken_xbel_is_never_overwritten(xdg: Path, tmp_path: Path) -> None:
    xbel = xdg / "data" / "recently-used.xbel"
    xbel.parent.mkdir(parents=True)
    xbel.write_text("<xbel><bookmark")
    with pytest.raises(ValueError, match="not a readable XBEL file"):
        RecentDocuments("Probe", "probe %u").add(tmp_path / "x.txt")
    assert xbel.read_text() == "<xbel><bookmark"


def test_app_add_and_clear_recent_documents(xdg: Path, tmp_path: Path) -> None:
    doc = tmp_path / "report.pdf"
    app.add_recent_document(doc)
    xbel = xdg / "data" / "recently-used.xbel"
    mark = _bookmarks(xbel)["file://" + str(doc).replace(" ", "%20")]
    assert mark.find(f"info/metadata/{BOOKMARK}applications/{BOOKMARK}application").get("name") == app.get_name()
    app.clear_recent_documents()
    assert _bookmarks(xbel) == {}
