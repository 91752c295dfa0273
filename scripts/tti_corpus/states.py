"""The data each corpus app starts with: nothing much (light) or a couple of thousand items (heavy).

Every generator is deterministic (the same document for the same size), so two runs, two
browsers and Lighthouse all load byte-identical pages.
"""

from __future__ import annotations

from typing import Any

HEAVY_ITEMS = 2000
# API descriptions group their operations under tags, as real ones do; a reader renders a
# heading per tag and a row per operation.
OPERATIONS_PER_TAG = 50
_METHODS = ("get", "post", "put", "delete")


def openapi_document(operations: int) -> dict[str, Any]:
    """An OpenAPI 3.0 description with `operations` operations (no paths when 0)."""
    paths: dict[str, dict[str, Any]] = {}
    for index in range(operations):
        tag = f"group-{index // OPERATIONS_PER_TAG:03d}"
        method = _METHODS[index % len(_METHODS)]
        path = f"/resources-{index // len(_METHODS):04d}/{{id}}"
        paths.setdefault(path, {})[method] = {
            "tags": [tag],
            "operationId": f"{method}Resource{index:04d}",
            "summary": f"Operation {index:04d} on resource {index // len(_METHODS):04d}",
            "parameters": [
                {"name": "id", "in": "path", "required": True, "schema": {"type": "integer"}}
            ],
            "responses": {
                "200": {
                    "description": "The resource",
                    "content": {
                        "application/json": {"schema": {"$ref": "#/components/schemas/Resource"}}
                    },
                }
            },
        }
    return {
        "openapi": "3.0.3",
        "info": {
            "title": "Corpus API",
            "version": "1.0.0",
            "description": f"A generated description with {operations} operations.",
        },
        "paths": paths,
        "components": {
            "schemas": {
                "Resource": {
                    "type": "object",
                    "properties": {
                        "id": {"type": "integer"},
                        "name": {"type": "string"},
                        "tags": {"type": "array", "items": {"type": "string"}},
                    },
                }
            }
        },
    }


def json_document(keys: int) -> dict[str, Any]:
    """A JSON object with `keys` members, each a small record (a JSON editor shows one a row)."""
    return {
        f"record-{index:04d}": {
            "id": index,
            "name": f"Record {index:04d}",
            "active": index % 2 == 0,
        }
        for index in range(keys)
    }


def grid_rows(rows: int) -> list[list[Any]]:
    """Rows of a table: id, name, e-mail, a number and a status."""
    return [
        [index, f"Person {index:04d}", f"person{index:04d}@example.test", index * 7 % 1000, "ok"]
        for index in range(rows)
    ]


GRID_COLUMNS = ("Id", "Name", "E-mail", "Score", "Status")


def markdown_page(items: int) -> str:
    """A markdown page: a heading, a paragraph, and `items` list items under headings of 100."""
    lines = ["# Corpus page", "", "A generated page for the TTI benchmark.", ""]
    for index in range(items):
        if index % 100 == 0:
            lines += ["", f"## Section {index // 100:02d}", ""]
        lines.append(f"- Item {index:04d}: *emphasis*, `code` and a [link](#item-{index:04d})")
    return "\n".join(lines) + "\n"
