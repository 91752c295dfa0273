"""Breaks of the seeds area: parsing uploads, the list, a seed's detail and the seed choices."""

from __future__ import annotations

from breaks import Break, one_edit

BREAKS: tuple[Break, ...] = (
    one_edit(
        "seeds-preview-nine-rows",
        "/seeds/{id}",
        "truncation",
        "the Preview table keeps the first 9 rows instead of 10",
        path="app/services/seeds.py",
        old="            preview_json=json.dumps(parsed.rows[:PREVIEW_ROWS]),\n",
        new="            preview_json=json.dumps(parsed.rows[: PREVIEW_ROWS - 1]),\n",
    ),
    one_edit(
        "seeds-row-count-from-lines",
        "/seeds",
        "off-by-one",
        "a seed's row count is its file's lines less one for the header, not its parsed rows",
        path="app/services/seeds.py",
        old="            row_count=len(parsed.rows),\n",
        new="            row_count=len(data.splitlines()) - 1,\n",
    ),
    one_edit(
        "seeds-jsonl-columns-of-first-row",
        "/seeds/{id}",
        "wrong-field",
        "a JSON Lines seed's columns are the first row's keys; a key that appears later is dropped",
        path="app/seedfiles.py",
        old="        for key in value:\n            columns.setdefault(str(key), None)\n",
        new="        if not rows:\n            columns.update(dict.fromkeys(map(str, value)))\n",
    ),
    one_edit(
        "seeds-header-not-trimmed",
        "/seeds/{id}",
        "normalisation",
        "CSV column names keep the spaces around them in the header row",
        path="app/seedfiles.py",
        old="    columns = [name.strip() for name in header]\n",
        new="    columns = list(header)\n",
    ),
    one_edit(
        "seeds-bom-kept",
        "/seeds/{id}",
        "normalisation",
        "a byte-order mark stays at the start of the first column's name",
        path="app/seedfiles.py",
        old='        text = data.decode("utf-8-sig")\n',
        new='        text = data.decode("utf-8")\n',
    ),
    one_edit(
        "seeds-delete-unnamed",
        "/seeds",
        "markup",
        'every row\'s delete button is named "Delete seed", not "Delete NAME"',
        path="app/web/templates/seeds.html",
        old='aria-label="Delete {{ seed.name }}"',
        new='aria-label="Delete seed"',
    ),
    one_edit(
        "seeds-choices-of-every-user",
        "/templates/new",
        "wrong-filter",
        "the Seed dataset comboboxes offer every user's seeds, not only the user's own",
        path="app/services/seeds.py",
        old="select(Seed.id, Seed.name).where(Seed.user_id == user_id).order_by(Seed.name)",
        new="select(Seed.id, Seed.name).order_by(Seed.name)",
    ),
    one_edit(
        "seeds-list-columns-truncated",
        "/seeds",
        "truncation",
        "the seeds list shows only the first four columns of a seed, then an ellipsis",
        path="app/web/templates/seeds.html",
        old='<td>{{ columns | join(", ") }}</td>',
        new='<td>{{ columns[:4] | join(", ") }}{% if columns | length > 4 %}, …{% endif %}</td>',
    ),
    one_edit(
        "seeds-preview-cells-in-row-order",
        "/seeds/{id}",
        "markup",
        "Preview cells are a row's values in its own order, so a row missing a key shifts left",
        path="app/web/templates/seed_detail.html",
        old='<tr>{% for column in columns %}<td>{{ row.get(column, "") }}</td>{% endfor %}</tr>',
        new="<tr>{% for value in row.values() %}<td>{{ value }}</td>{% endfor %}</tr>",
    ),
)
