"""Breaks of the accounts area (sign-up, log-in, the monthly budget) and of the input rules of
every form (`input-`): a boundary moved, a class let through, a normalisation lost, an error
placed away from its field or the typed values dropped."""

from __future__ import annotations

from breaks import Break, Edit, one_edit

BREAKS: tuple[Break, ...] = (
    one_edit(
        "input-password-length-exclusive",
        "/signup",
        "off-by-one",
        "a password of exactly 12 characters is refused as too short",
        path="app/services/accounts.py",
        old="    if len(password or \"\") < MIN_PASSWORD_LENGTH:\n",
        new="    if len(password or \"\") <= MIN_PASSWORD_LENGTH:\n",
    ),
    one_edit(
        "input-email-case-kept",
        "/signup",
        "normalisation",
        "emails are only trimmed, not lower-cased: Ada@x and ada@x are two accounts, and "
        "logging in with the address in another case fails",
        path="app/services/accounts.py",
        old='    return (email or "").strip().lower()\n',
        new='    return (email or "").strip()\n',
    ),
    one_edit(
        "input-email-without-domain-dot",
        "/signup",
        "validation",
        "an email without a dot in its domain (ada@example) is accepted",
        path="app/services/accounts.py",
        old='_EMAIL = re.compile(r"^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$")\n',
        new='_EMAIL = re.compile(r"^[^@\\s]+@[^@\\s]+$")\n',
    ),
    one_edit(
        "input-display-name-untrimmed",
        "/signup",
        "normalisation",
        "the display name is stored as typed: spaces around it are kept and a blank one passes",
        path="app/services/accounts.py",
        old='    display_name = (display_name or "").strip()\n',
        new='    display_name = display_name or ""\n',
    ),
    one_edit(
        "input-next-protocol-relative",
        "/login",
        "protection",
        "a login follows next=//evil.example, a protocol-relative address of another site",
        path="app/web/common.py",
        old='    if value and value.startswith("/") and not value.startswith("//")'
        ' and "\\\\" not in value:\n',
        new='    if value and value.startswith("/") and "\\\\" not in value:\n',
    ),
    one_edit(
        "input-monthly-budget-top-exclusive",
        "API",
        "off-by-one",
        "a monthly budget of exactly $1,000,000 is refused as over the top",
        path="app/services/accounts.py",
        old="    if budget > 1_000_000:\n",
        new="    if budget >= 1_000_000:\n",
    ),
    one_edit(
        "input-records-top-exclusive",
        "/jobs/new",
        "off-by-one",
        "a job of exactly 1,000,000 records is refused as too many",
        path="app/services/jobs.py",
        old="    elif record_count > MAX_RECORDS:\n",
        new="    elif record_count >= MAX_RECORDS:\n",
    ),
    one_edit(
        "input-budget-zero-passes-the-range",
        "/jobs/new",
        "validation",
        "a $0 budget passes the range check and is refused only as below one record's cost",
        path="app/services/jobs.py",
        old="    elif budget <= 0:\n",
        new="    elif budget < 0:\n",
    ),
    one_edit(
        "input-speed-negative-accepted",
        "/jobs/new",
        "validation",
        "a negative speed is accepted (the negative check dropped when the top was added)",
        path="app/services/jobs.py",
        old="    elif speed < 0:\n"
        '        errors["records_per_second"] = '
        '"The speed cannot be negative (0 means unthrottled)."\n'
        "    elif speed > MAX_SPEED:\n",
        new="    elif speed > MAX_SPEED:\n",
    ),
    one_edit(
        "input-format-case-folded",
        "API",
        "validation",
        "an upper-case format (JSONL) passes the check and is stored as typed",
        path="app/services/jobs.py",
        old="    if output_format not in FORMATS:\n",
        new="    if str(output_format).lower() not in FORMATS:\n",
    ),
    one_edit(
        "input-new-job-typed-values-lost",
        "/jobs/new",
        "state",
        "a refused new-job form comes back with the default numbers, not what was typed",
        path="app/web/jobs.py",
        old="        return _new_form(request, user, form=form, errors=error.fields, "
        "status_code=status)\n",
        new="        return _new_form(\n"
        "            request, user, form={**form, **DEFAULT_FORM}, errors=error.fields,\n"
        "            status_code=status,\n"
        "        )\n",
    ),
    one_edit(
        "input-test-rows-top-exclusive",
        "/templates/{id}",
        "off-by-one",
        "testing a template over 20 rows is refused (the range check excludes its top)",
        path="app/services/templates.py",
        old="        if not 1 <= row_count <= MAX_TEST_ROWS:\n",
        new="        if not 1 <= row_count < MAX_TEST_ROWS:\n",
    ),
    one_edit(
        "input-traits-untrimmed",
        "/observatory/{id}",
        "normalisation",
        "comma-separated traits are split but not trimmed: \" kind\" is stored with its space",
        path="app/services/ecosystems.py",
        old="    traits = [str(trait).strip() for trait in traits if str(trait).strip()]\n",
        new="    traits = [str(trait) for trait in traits if str(trait).strip()]\n",
    ),
    one_edit(
        "input-ecosystem-name-untrimmed",
        "/observatory",
        "normalisation",
        "an ecosystem's name keeps the spaces typed around it, and a blank name passes",
        path="app/services/ecosystems.py",
        old='    name = (name or "").strip()\n    errors = {}\n',
        new='    name = name or ""\n    errors = {}\n',
    ),
    one_edit(
        "input-seed-size-limit-inclusive",
        "/seeds",
        "off-by-one",
        "a seed file of exactly 5 MB is refused as larger than 5 MB",
        path="app/seedfiles.py",
        old="    if len(data) > MAX_SEED_BYTES:\n",
        new="    if len(data) >= MAX_SEED_BYTES:\n",
    ),
    Break(
        name="input-error-above-the-label",
        screen="every form",
        kind="markup",
        what="a text field's error is rendered above its label instead of right after the field",
        edits=(
            Edit(
                "app/web/templates/macros.html",
                "{{ described(name, errors, hint) }} {{ attrs | safe }}>\n"
                "  {{ field_error(name, errors) }}\n",
                "{{ described(name, errors, hint) }} {{ attrs | safe }}>\n",
            ),
            Edit(
                "app/web/templates/macros.html",
                '  <label for="{{ name }}">{{ label }}</label>\n  {% if hint %}',
                '  {{ field_error(name, errors) }}\n'
                '  <label for="{{ name }}">{{ label }}</label>\n  {% if hint %}',
            ),
        ),
    ),
    one_edit(
        "input-describedby-misnamed",
        "every form",
        "markup",
        "an invalid control's aria-describedby names `<field>_error`, an id that does not exist",
        path="app/web/templates/macros.html",
        old="{% set _ = ids.append(name ~ '-error') %}",
        new="{% set _ = ids.append(name ~ '_error') %}",
    ),
)
