"""Breaks of the templates area: the list, the editor and its "Test template" previews."""

from __future__ import annotations

from breaks import Break, one_edit

_SERVICE = "app/services/templates.py"
_EDITOR = "app/web/templates/template_edit.html"

BREAKS: tuple[Break, ...] = (
    one_edit(
        "templates-preview-skips-first-row",
        "/templates/{id}",
        "off-by-one",
        "previews render seed rows 1..n instead of 0..n-1, the first row taken for a header",
        path=_SERVICE,
        old="    for index, row in enumerate(seed_rows[:row_count]):\n",
        new="    for index, row in enumerate(seed_rows[1 : row_count + 1]):\n",
    ),
    one_edit(
        "templates-preview-one-short",
        "/templates/{id}",
        "off-by-one",
        "Test template shows one preview fewer than the Rows asked for",
        path=_SERVICE,
        old="    for index, row in enumerate(seed_rows[:row_count]):\n",
        new="    for index, row in enumerate(seed_rows[: row_count - 1]):\n",
    ),
    one_edit(
        "templates-test-renders-saved-body",
        "/templates/{id}",
        "wrong-field",
        "testing a saved template renders its saved body, not the body as typed",
        path="app/web/templates.py",
        old="    return _test(request, user, template_id, _form(name, body, seed_id, rows))\n",
        new="    saved = service.get_template(platform_of(request), user.id, template_id)\n"
        "    return _test(request, user, template_id, _form(name, saved.body, seed_id, rows))\n",
    ),
    one_edit(
        "templates-preview-cost-two-decimals",
        "/templates/{id}",
        "rounding",
        "each preview's cost is shown with two decimals instead of four",
        path=_EDITOR,
        old="{{ preview.tokens }} tokens · {{ preview.cost_usd | usd4 }}",
        new="{{ preview.tokens }} tokens · {{ preview.cost_usd | usd2 }}",
    ),
    one_edit(
        "templates-tokens-of-body",
        "/templates/{id}",
        "wrong-field",
        "a preview's tokens are counted on the template body instead of its rendered prompt",
        path=_SERVICE,
        old="        tokens = llm.count_tokens(prompt) + llm.count_tokens(",
        new="        tokens = llm.count_tokens(body) + llm.count_tokens(",
    ),
    one_edit(
        "templates-per-record-first-preview",
        "/templates/new",
        "wrong-field",
        "tokens per record is the first preview's tokens, not the previews' average",
        path=_SERVICE,
        old='    tokens_per_record = round(sum(p["tokens"] for p in previews) / len(previews))\n',
        new='    tokens_per_record = previews[0]["tokens"]\n',
    ),
    one_edit(
        "templates-cost-per-record-of-all-rows",
        "/templates/new",
        "wrong-field",
        "cost per record is the price of every preview's tokens together, not of one record",
        path=_SERVICE,
        old='        "cost_per_record_usd": llm.cost_usd(tokens_per_record, price),\n',
        new='        "cost_per_record_usd": llm.cost_usd(sum(p["tokens"] for p in previews), price),\n',
    ),
    one_edit(
        "templates-test-forgets-seed-and-rows",
        "/templates/{id}",
        "state",
        "after Test template the editor is drawn afresh: the seed and Rows go back to defaults",
        path="app/web/templates.py",
        old="    return _editor(request, user, template_id=template_id, form=form, result=result)\n",
        new="    fresh = {\"name\": form[\"name\"], \"body\": form[\"body\"], \"rows\": \"3\"}\n"
        "    return _editor(request, user, template_id=template_id, form=fresh, result=result)\n",
    ),
    one_edit(
        "templates-delete-unnamed",
        "/templates",
        "markup",
        'every row\'s delete button is named "Delete template", not "Delete NAME"',
        path="app/web/templates/templates.html",
        old='aria-label="Delete {{ template.name }}"',
        new='aria-label="Delete template"',
    ),
    one_edit(
        "templates-save-keeps-updated-time",
        "/templates/{id}",
        "update-not-sent",
        "saving a template changes its name and body but not its updated time",
        path=_SERVICE,
        old="        template.name, template.body, template.updated_at = name, body, utcnow()\n",
        new="        template.name, template.body = name, body\n",
    ),
    one_edit(
        "templates-list-name-truncated",
        "/templates",
        "truncation",
        "the templates list shortens long names to 60 characters with an ellipsis",
        path="app/web/templates/templates.html",
        old='<a href="/templates/{{ template.id }}">{{ template.name }}</a>',
        new='<a href="/templates/{{ template.id }}">{{ template.name | truncate(60) }}</a>',
    ),
)
