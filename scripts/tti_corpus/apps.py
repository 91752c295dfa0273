"""The real-page corpus: third-party apps' production builds, each in a light and a heavy state.

Each app is an npm package's prebuilt bundle, pinned by version and integrity
(`packages.py` fetches it), served with a page shell that starts it the way its own README
does and points it at the data of the state: a light state with next to nothing to show,
and a heavy one with `HEAVY_ITEMS` items, which its start-up renders. `item_selector`
finds one element per item, so a smoke check can count that the heavy state really rendered.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass

from tti_corpus.states import (
    GRID_COLUMNS,
    HEAVY_ITEMS,
    grid_rows,
    json_document,
    markdown_page,
    openapi_document,
)

STATES = ("light", "heavy")


@dataclass(frozen=True)
class CorpusApp:
    """One app of the corpus: where its build comes from and how it is started."""

    name: str
    framework: str
    package: str
    version: str
    integrity: str
    licence: str
    licence_file: str
    # Files of the package the page loads (source maps and the rest stay out).
    files: tuple[str, ...]
    # The page shell; it loads the package's files from `pkg/` and its data from `data_path`.
    shell: str
    data_path: str
    data: Callable[[int], bytes]
    item_selector: str
    heavy_items: int = HEAVY_ITEMS

    def items_in(self, state: str) -> int:
        """How many items the state starts with."""
        if state not in STATES:
            raise ValueError(f"no state {state!r}: one of {', '.join(STATES)}")
        return self.heavy_items if state == "heavy" else 0

    def data_for(self, state: str) -> bytes:
        """The data the app loads at start in `state`."""
        return self.data(self.items_in(state))


def _json(value: object) -> bytes:
    return json.dumps(value, separators=(",", ":")).encode("utf-8")


def _shell(title: str, head: str, body: str) -> str:
    return (
        "<!doctype html><html lang='en'><head><meta charset='utf-8'>"
        "<meta name='viewport' content='width=device-width, initial-scale=1'>"
        # No favicon: the browser would ask for /favicon.ico, which no app ships.
        "<link rel='icon' href='data:,'>"
        f"<title>{title}</title>{head}</head><body>{body}</body></html>"
    )


SWAGGER_UI = CorpusApp(
    name="swagger-ui",
    framework="React + Redux",
    package="swagger-ui-dist",
    # Releases from 5.2x on draw a virtual list: about ten operations whatever the size, so
    # their heavy start would render no more than the light one. 5.17.14 renders them all.
    version="5.17.14",
    integrity="sha512-CVbSfaLpstV65OnSjbXfVd6Sta3q3F7Cj/yYuvHMp1P90LztOLs6PfUnKEVAeiIVQt9u2SaPwv0LiH/OyMjHRw==",
    licence="Apache-2.0",
    licence_file="LICENSE",
    files=("swagger-ui.css", "swagger-ui-bundle.js", "swagger-ui-standalone-preset.js"),
    # The package's own index.html and swagger-initializer.js, with the description served
    # here instead of the public pet store and no call to the public validator.
    shell=_shell(
        "Swagger UI",
        "<link rel='stylesheet' href='pkg/swagger-ui.css'>",
        "<div id='swagger-ui'></div>"
        "<script src='pkg/swagger-ui-bundle.js'></script>"
        "<script src='pkg/swagger-ui-standalone-preset.js'></script>"
        "<script>window.onload = function () { window.ui = SwaggerUIBundle({"
        "url: 'data.json', dom_id: '#swagger-ui', deepLinking: true, validatorUrl: null,"
        "presets: [SwaggerUIBundle.presets.apis, SwaggerUIStandalonePreset],"
        "plugins: [SwaggerUIBundle.plugins.DownloadUrl], layout: 'StandaloneLayout' }); };"
        "</script>",
    ),
    data_path="data.json",
    data=lambda items: _json(openapi_document(items)),
    item_selector=".opblock",
)

RAPIDOC = CorpusApp(
    name="rapidoc",
    framework="Lit (web components)",
    package="rapidoc",
    version="9.3.8",
    integrity="sha512-eCYEbr1Xr8OJZvVCw8SXl9zBCRoLJbhNGuG5IZTHq/RWAOq/O4MafUCuFEyZHsrhLrlUcGZMa64pyhpib8fQKQ==",
    licence="MIT",
    licence_file="LICENSE.txt",
    files=("dist/rapidoc-min.js",),
    shell=_shell(
        "RapiDoc",
        "<script type='module' src='pkg/dist/rapidoc-min.js'></script>",
        "<rapi-doc spec-url='data.json' render-style='read' theme='light' load-fonts='false'>"
        "</rapi-doc>",
    ),
    data_path="data.json",
    data=lambda items: _json(openapi_document(items)),
    item_selector="rapi-doc .expanded-endpoint-body",
)

SCALAR = CorpusApp(
    name="scalar",
    framework="Vue 3",
    package="@scalar/api-reference",
    version="1.76.0",
    integrity="sha512-pjqwnzmA9YK3ZX+IZSICMsywm4qI6HLSngR2py9H6TvFApHHuJjkTAd+gFJfnqJDzJuro8k7ji6JCtJ2U+Byng==",
    licence="MIT",
    licence_file="package.json",
    files=("dist/browser/standalone.js",),
    shell=_shell(
        "Scalar API Reference",
        "",
        "<div id='app'></div><script src='pkg/dist/browser/standalone.js'></script>"
        # Every tag open, so that the sidebar lists every operation; no fonts from the web.
        "<script>Scalar.createApiReference('#app', { url: 'data.json', withDefaultFonts: false,"
        " defaultOpenAllTags: true });</script>",
    ),
    data_path="data.json",
    data=lambda items: _json(openapi_document(items)),
    item_selector="li[data-sidebar-id*='/resources-']",
)

JSON_EDITOR = CorpusApp(
    name="jsoneditor",
    framework="Svelte 5",
    package="vanilla-jsoneditor",
    version="3.13.0",
    integrity="sha512-u9C+D8Ocgr39Gnsfu7USjilfKssqbDqZehMdE0qbwIFnZFdNwkU4iKeEvJxvYbmlVi/sMLxMTrU14PhtXVyiZg==",
    licence="ISC",
    licence_file="LICENSE.md",
    files=("standalone.js",),
    shell=_shell(
        "JSON editor",
        "",
        "<div id='editor' style='height: 100vh'></div>"
        "<script type='module'>import { createJSONEditor } from './pkg/standalone.js';"
        "const json = await (await fetch('data.json')).json();"
        "window.editor = createJSONEditor({ target: document.getElementById('editor'),"
        "props: { content: { json }, mode: 'tree' } });"
        "window.editor.expand([], (path) => path.length < 1);</script>",
    ),
    data_path="data.json",
    data=lambda items: _json(json_document(items)),
    item_selector=".jse-key",
)

GRIDJS = CorpusApp(
    name="gridjs",
    framework="Preact",
    package="gridjs",
    version="6.2.0",
    integrity="sha512-EAGGfHjyEXWh12Txs6DjTGnWTo226wbowtMrLI+yNZQaJpvs0m7yDcyM7r+D4RA7rZQVj/cfmwEaRz/rlxg8LA==",
    licence="MIT",
    licence_file="LICENSE",
    files=("dist/gridjs.umd.js", "dist/theme/mermaid.min.css"),
    # Its server option fetches the rows itself; no pagination, so every row is rendered.
    shell=_shell(
        "Grid.js",
        "<link rel='stylesheet' href='pkg/dist/theme/mermaid.min.css'>",
        "<div id='grid'></div><script src='pkg/dist/gridjs.umd.js'></script>"
        f"<script>new gridjs.Grid({{ columns: {json.dumps(list(GRID_COLUMNS))},"
        "sort: true, search: true,"
        "server: { url: 'data.json', then: (rows) => rows } })"
        ".render(document.getElementById('grid'));</script>",
    ),
    data_path="data.json",
    data=lambda items: _json(grid_rows(items)),
    item_selector="tbody .gridjs-tr",
)

DOCSIFY = CorpusApp(
    name="docsify",
    framework="none (docsify's own, with marked)",
    package="docsify",
    version="5.0.0",
    integrity="sha512-F2LBvsG/RkW9VZs91FPceZpJBilSC9EYCid0n1YhnQb3OOw63dk70d1ITPR2RPwxmPPcWFQ+TOtpdImilLWyGw==",
    licence="MIT",
    licence_file="LICENSE",
    files=("dist/docsify.min.js", "dist/themes/core.min.css"),
    shell=_shell(
        "Docsify",
        "<link rel='stylesheet' href='pkg/dist/themes/core.min.css'>",
        "<div id='app'></div>"
        "<script>window.$docsify = { name: 'Corpus', basePath: 'content/' };</script>"
        "<script src='pkg/dist/docsify.min.js'></script>",
    ),
    data_path="content/README.md",
    data=lambda items: markdown_page(items).encode("utf-8"),
    item_selector=".markdown-section li",
)

CORPUS: tuple[CorpusApp, ...] = (SWAGGER_UI, RAPIDOC, SCALAR, JSON_EDITOR, GRIDJS, DOCSIFY)
APPS_BY_NAME = {app.name: app for app in CORPUS}
