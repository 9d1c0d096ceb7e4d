"""Finding, listing and downloading Vosk models; the download runs against a local server."""

from __future__ import annotations

import functools
import http.server
import threading
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from voice.cli import main
from voice.errors import CheckinError
from voice.recognizers import models

NAME = "vosk-model-small-en-us-0.15"


def fake_model(folder: Path) -> Path:
    """A folder with a Vosk model's layout and file headers (not a usable model)."""
    for part in ("am", "conf", "graph"):
        (folder / part).mkdir(parents=True)
    (folder / "am" / "final.mdl").write_bytes(b"\x00B" + bytes(4096))
    (folder / "conf" / "mfcc.conf").write_text("--use-energy=false\n")
    (folder / "conf" / "model.conf").write_text("--beam=10\n")
    (folder / "graph" / "HCLG.fst").write_bytes(bytes.fromhex("d6fdb27e") + bytes(4096))
    (folder / "README").write_text("US English model for mobile Vosk applications\n")
    return folder


@pytest.fixture
def server(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    root = tmp_path / "site"
    root.mkdir()
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(root))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}", root
    httpd.shutdown()
    httpd.server_close()


def build_zip(site: Path, tmp_path: Path, name: str = NAME) -> Path:
    model = fake_model(tmp_path / "build" / name)
    archive = site / f"{name}.zip"
    with zipfile.ZipFile(archive, "w") as bundle:
        for file in model.rglob("*"):
            bundle.write(file, file.relative_to(model.parent).as_posix())
    return archive


def test_download_unpacks_into_the_cache_and_lists_it(server, tmp_path, capsys) -> None:
    url, site = server
    build_zip(site, tmp_path)
    main(["model", "download", "--url-base", url])
    installed = models.search_dirs()[0] / NAME
    assert (installed / "am" / "final.mdl").is_file()
    assert [p.name for p in installed.parent.iterdir()] == [NAME]  # no temp leftovers
    info = models.find_model()
    assert info is not None and info.path == installed and info.language == "en"
    main_list = capsys.readouterr()
    main(["model", "list"])
    listing = capsys.readouterr().out
    assert NAME in listing and "\ten\t" in listing and str(installed) in listing
    assert main_list.err  # the progress bar went to stderr


def test_corrupt_archive_is_refused_and_nothing_is_installed(server, tmp_path) -> None:
    url, site = server
    (site / f"{NAME}.zip").write_bytes(b"PK\x03\x04 this is not really a zip")
    with pytest.raises(CheckinError, match="not a zip"):
        models.download_model(NAME, tmp_path / "models", url, progress=False)
    assert list((tmp_path / "models").iterdir()) == []


def test_archive_without_a_model_layout_is_refused(server, tmp_path) -> None:
    url, site = server
    with zipfile.ZipFile(site / f"{NAME}.zip", "w") as bundle:
        bundle.writestr(f"{NAME}/notes.txt", "hello")
    with pytest.raises(CheckinError, match="checkin model download"):
        models.download_model(NAME, tmp_path / "models", url, progress=False)
    assert list((tmp_path / "models").iterdir()) == []


def test_unknown_model_name_is_a_clear_error(server, tmp_path) -> None:
    url, _ = server
    with pytest.raises(CheckinError, match="HTTP 404.*unzip it into"):
        models.download_model("vosk-model-nope", tmp_path / "models", url, progress=False)


def test_unreachable_host_says_how_to_install_by_hand(tmp_path, capsys) -> None:
    with pytest.raises(SystemExit) as done:
        main(["model", "download", "--url-base", "http://127.0.0.1:9", "--dest", str(tmp_path)])
    assert done.value.code == 2
    error = capsys.readouterr().err
    assert "could not download" in error and "unzip it into" in error and "--model" in error
    assert "Traceback" not in error


def test_lookup_order_flag_then_environment_then_config_then_cache(tmp_path, monkeypatch) -> None:
    cached = fake_model(models.search_dirs()[1] / "vosk-model-en-us-0.22")
    assert models.find_model().path == cached  # ~/.cache/vosk is searched too
    configured = fake_model(tmp_path / "configured")
    assert models.find_model(configured=configured).origin == "config"
    monkeypatch.setenv("CHECKIN_VOSK_MODEL", str(tmp_path / "env-model"))
    assert models.find_model(configured=configured).origin == "CHECKIN_VOSK_MODEL"
    assert models.find_model(tmp_path / "flag", configured).origin == "--model"


def test_language_comes_from_the_name_or_readme(tmp_path) -> None:
    assert models.model_language(Path("vosk-model-small-de-0.15")) == "de"
    readme_only = tmp_path / "model"
    readme_only.mkdir()
    (readme_only / "README").write_text("Small Korean for Vosk (Android, RPi)\n")
    assert models.model_language(readme_only) == "ko"
    assert models.model_language(tmp_path / "mystery") == "unknown"


def test_model_list_shows_the_whisper_model_the_install_brings(capsys) -> None:
    pytest.importorskip("faster_whisper")
    main(["model", "list"])
    lines = capsys.readouterr().out.splitlines()
    whisper = [line.split("\t") for line in lines if line.startswith("whisper\t")]
    assert whisper and whisper[0][1] == "tiny.en" and whisper[0][2] == "en"
    assert Path(whisper[0][4], "model.bin").is_file()
