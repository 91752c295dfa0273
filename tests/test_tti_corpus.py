"""The TTI benchmark's real-page corpus: its states, its pins, its server and its figures."""

from __future__ import annotations

import base64
import dataclasses
import hashlib
import io
import json
import re
import tarfile
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from tti_corpus import stats
from tti_corpus.apps import APPS_BY_NAME, CORPUS, STATES, CorpusApp
from tti_corpus.packages import CorpusPackageError, integrity_of, is_fetched, unpack
from tti_corpus.server import CorpusServer
from tti_corpus.states import HEAVY_ITEMS, markdown_page, openapi_document


def _items_in_data(app: CorpusApp, state: str) -> int:
    """Count the items in the data an app loads, the way that app reads them."""
    body = app.data_for(state)
    if app.data_path.endswith(".md"):
        return len(re.findall(r"^- Item ", body.decode("utf-8"), flags=re.MULTILINE))
    document = json.loads(body)
    if isinstance(document, list):
        return len(document)
    if "openapi" in document:
        return sum(len(operations) for operations in document["paths"].values())
    return len(document)


@pytest.mark.parametrize("app", CORPUS, ids=lambda app: app.name)
def test_every_app_starts_light_with_nothing_and_heavy_with_a_couple_of_thousand_items(
    app: CorpusApp,
):
    assert _items_in_data(app, "light") == 0
    assert _items_in_data(app, "heavy") == app.heavy_items == HEAVY_ITEMS


def test_the_states_are_the_same_bytes_every_time():
    for app in CORPUS:
        for state in STATES:
            assert app.data_for(state) == app.data_for(state)


def test_an_api_description_has_unique_operations_under_tags_of_fifty():
    document = openapi_document(120)
    operations = [op for path in document["paths"].values() for op in path.values()]

    assert len({op["operationId"] for op in operations}) == 120
    assert sorted({op["tags"][0] for op in operations}) == ["group-000", "group-001", "group-002"]
    assert openapi_document(0)["paths"] == {}


def test_a_markdown_page_has_one_list_item_per_item_under_headings_of_a_hundred():
    page = markdown_page(250)

    assert page.count("\n- Item ") == 250
    assert page.count("\n## Section ") == 3


def test_the_corpus_has_six_apps_of_five_or_more_frameworks_each_pinned_with_its_licence():
    assert len(CORPUS) >= 6
    assert len({app.framework for app in CORPUS}) >= 5
    for app in CORPUS:
        assert re.fullmatch(r"sha512-[A-Za-z0-9+/]{86}==", app.integrity), app.name
        assert app.licence in {"MIT", "Apache-2.0", "ISC"}, app.name
        assert not any(file.endswith(".map") for file in app.files), app.name


def test_an_unknown_state_is_refused():
    with pytest.raises(ValueError, match="no state 'medium'"):
        APPS_BY_NAME["gridjs"].items_in("medium")


def _tarball(tmp_path: Path, files: dict[str, bytes]) -> Path:
    path = tmp_path / "package.tgz"
    with tarfile.open(path, "w:gz") as archive:
        for name, body in files.items():
            info = tarfile.TarInfo(f"package/{name}")
            info.size = len(body)
            archive.addfile(info, io.BytesIO(body))
    return path


def _fake_app(tarball: Path | None = None, **changes) -> CorpusApp:
    integrity = integrity_of(tarball) if tarball else "sha512-" + "A" * 86 + "=="
    return dataclasses.replace(
        APPS_BY_NAME["gridjs"],
        package="fake-grid",
        version="1.0.0",
        integrity=integrity,
        files=("dist/app.js",),
        **changes,
    )


def test_a_package_is_unpacked_to_the_files_the_page_loads_and_its_licence(tmp_path: Path):
    tarball = _tarball(
        tmp_path,
        {
            "package.json": b"{}",
            "LICENSE": b"MIT",
            "dist/app.js": b"app()",
            "dist/app.js.map": b"{}",
        },
    )
    app = _fake_app(tarball)

    target = unpack(app, tarball, root=tmp_path / "packages")

    assert sorted(p.relative_to(target).as_posix() for p in target.rglob("*") if p.is_file()) == [
        ".complete",
        "LICENSE",
        "dist/app.js",
        "package.json",
    ]
    assert is_fetched(app, root=tmp_path / "packages")


def test_a_package_whose_integrity_is_not_the_pinned_one_is_refused(tmp_path: Path):
    tarball = _tarball(tmp_path, {"package.json": b"{}", "LICENSE": b"", "dist/app.js": b""})
    app = dataclasses.replace(_fake_app(tarball), integrity="sha512-" + "B" * 86 + "==")

    with pytest.raises(CorpusPackageError, match="is not the pinned"):
        unpack(app, tarball, root=tmp_path / "packages")


def test_integrity_is_written_as_npm_writes_it(tmp_path: Path):
    path = tmp_path / "x.tgz"
    path.write_bytes(b"abc")

    expected = "sha512-" + base64.b64encode(hashlib.sha512(b"abc").digest()).decode()
    assert integrity_of(path) == expected


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[CorpusServer]:
    root = tmp_path_factory.mktemp("packages")
    app = APPS_BY_NAME["docsify"]
    target = root / f"{app.package}@{app.version}"
    for file in app.files:
        (target / file).parent.mkdir(parents=True, exist_ok=True)
        (target / file).write_text(f"/* {file} */", encoding="utf-8")
    with CorpusServer(packages_root=root) as running:
        yield running


def test_the_server_serves_an_app_its_shell_its_data_and_its_build(server: CorpusServer):
    app = APPS_BY_NAME["docsify"]
    url = server.url("docsify", "heavy")

    shell = httpx.get(url)
    data = httpx.get(url + app.data_path)
    build = httpx.get(url + "pkg/" + app.files[0])

    assert url.startswith("http://127.0.0.1:")
    assert shell.status_code == 200 and "docsify.min.js" in shell.text
    assert data.content == app.data_for("heavy")
    assert build.text == f"/* {app.files[0]} */"
    assert build.headers["content-type"].startswith("text/javascript")
    assert shell.headers["cache-control"] == "no-store"


def test_the_server_answers_404_for_anything_else_and_notes_it(server: CorpusServer):
    response = httpx.get(server.base_url + "/docsify/light/pkg/src/core/index.js")

    assert response.status_code == 404
    assert "/docsify/light/pkg/src/core/index.js" in server.unexpected


def _runs(tool: str, state: str, values: list[float], app: str = "a") -> list[stats.Run]:
    return [stats.Run(app, state, tool, run, value) for run, value in enumerate(values)]


def test_per_page_figures_are_medians_spreads_and_probe_minus_lighthouse():
    runs = (
        _runs("lighthouse", "light", [200, 210, 190])
        + _runs("probe-chromium", "light", [260, 250, 300])
        + _runs("probe-firefox", "light", [400, 380, 390])
    )

    (page,) = stats.per_page(runs)

    assert page["tools"]["lighthouse"] == {
        "runs": 3,
        "values_ms": [200, 210, 190],
        "lower_bounds": 0,
        "median_ms": 200,
        "spread_ms": 20,
    }
    assert page["tools"]["probe-chromium"]["spread_ms"] == 50
    assert page["difference_ms"] == {"chromium": 60, "firefox": 190}
    assert page["within_tolerance"] == {"chromium": False, "firefox": False}


def test_the_page_tolerance_is_fifty_ms_or_ten_percent_whichever_is_more():
    assert stats.page_tolerance_ms(200) == 50
    assert stats.page_tolerance_ms(3000) == 300


def test_the_summary_and_targets_are_over_pages_for_each_state():
    runs = (
        _runs("lighthouse", "light", [100, 110], app="a")
        + _runs("probe-chromium", "light", [110, 120], app="a")
        + _runs("lighthouse", "heavy", [3000, 3200], app="a")
        + _runs("probe-chromium", "heavy", [3100, 3150], app="a")
    )

    summary = stats.summarise(stats.per_page(runs))
    met = stats.targets_met(summary)

    assert summary["light"]["chromium"]["median_difference_ms"] == 10
    assert summary["heavy"]["chromium"]["median_difference_ms"] == 25
    assert summary["all"]["chromium"]["pages_within_tolerance"] == 2
    assert summary["all"]["median_lighthouse_spread_ms"] == 105
    assert met["real pages, chromium: median |probe - Lighthouse| <= 20 ms"] is True
    assert met["real pages, chromium: every page within max(50 ms, 10%)"] is True
    assert met["real pages, firefox: median |probe - Lighthouse| <= 50 ms"] is None


def test_the_markdown_table_marks_lower_bounds_and_missing_tools():
    runs = _runs("lighthouse", "heavy", [3000]) + [
        stats.Run("a", "heavy", "probe-chromium", 0, 3100, complete=False)
    ]

    table = stats.markdown_table(stats.per_page(runs))

    assert "| a (heavy) | 3000 | >3100 | +100 | – | – |" in table


def test_a_single_run_has_no_spread_and_leaves_the_spread_target_unmeasured():
    runs = _runs("lighthouse", "light", [100]) + _runs("probe-chromium", "light", [110])

    summary = stats.summarise(stats.per_page(runs))

    assert summary["all"]["chromium"]["median_probe_spread_ms"] is None
    assert (
        stats.targets_met(summary)["real pages, chromium: median probe spread <= Lighthouse's"]
        is None
    )
