"""Seed data screens: rows, columns and the preview as the uploaded files hold them, and a seed
deleted by its name from every screen that offers it."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import allure
import pytest
from playwright.sync_api import Page, expect

from domain.platform_types import Seed
from fixtures.accounts import Account
from flows.seeds import (
    SeedFile,
    delete_seed_by_name,
    expect_seed_choices,
    expect_seed_detail,
    expect_seeds_listed,
)
from pages.jobs import NewJobPage
from pages.seeds import SeedsPage
from pages.templates import NewTemplatePage

pytestmark = [
    pytest.mark.journey,
    pytest.mark.desktop,
    allure.epic("Synthetic Data Studio"),
    allure.feature("Seed data"),
]

#: Eleven rows, one past the preview's ten: a byte-order mark, Windows line ends, spaces around
#: the header's names, quoted commas, quotes and a line break inside a field, non-ASCII text,
#: a blank line between rows and one at the end.
TRICKY_CSV = SeedFile(
    name="tricky customers.csv",
    filename="tricky customers.csv",
    content=(
        "\ufeffname , city,note, age\r\n"
        'Zoë Ångström,"São Paulo, Brazil","said ""hi"" twice",41\r\n'
        'José Álvarez-Núñez,Kraków,"first line\nsecond line",33\r\n'
        "\r\n"
        + "".join(f"Customer {n},Town {n},plain note {n},{20 + n}\r\n" for n in range(3, 11))
        + "Last Ōtsuka,東京,the eleventh row,77\r\n"
        "\r\n"
    ).encode(),
)
#: Ten rows, the preview's size: a column that only appears in row 4, a row without one of the
#: others, non-ASCII both raw and escaped, a blank line.
_JSONL_ROWS = [
    {"sku": f"SKU-{number}", "title": f"Item {number}", "category": "kitchen", "stock": number}
    for number in range(1, 11)
]
_JSONL_ROWS[1]["title"] = "Crème brûlée set"
_JSONL_ROWS[3]["supplier"] = "Müller & Söhne"
del _JSONL_ROWS[6]["category"]
TEN_JSONL = SeedFile(
    name="Customers — Ünïcode stock",
    filename="stock.jsonl",
    content=(
        "\n".join(json.dumps(row, ensure_ascii=n % 2 == 0) for n, row in enumerate(_JSONL_ROWS[:5]))
        + "\n\n"
        + "\n".join(json.dumps(row, ensure_ascii=False) for row in _JSONL_ROWS[5:])
        + "\n"
    ).encode(),
)
#: Nine rows, one short of the preview, and no line end after the last.
NINE_CSV = SeedFile(
    name="Customers",
    filename="nine.csv",
    content="\n".join(
        ["id,first,last,email,plan"]
        + [f"{n},First{n},Last{n},user{n}@example.com,{'free' if n % 3 else 'pro'}"
           for n in range(1, 10)]
    ).encode(),
)


@allure.story("Counts, columns and preview; delete by name")
@allure.severity(allure.severity_level.CRITICAL)
def test_seed_screens_show_each_file_as_uploaded_and_delete_exactly_the_seed_named(
    page_for: Callable[[Account], Page],
    make_account: Callable[..., Account],
    make_seed: Callable[..., Seed],
) -> None:
    account = make_account()
    for seed in (NINE_CSV, TEN_JSONL):
        account.api.upload_seed(Path(seed.filename), name=seed.name, content=seed.content)
    # Another user's seed, which no screen of this account may offer.
    make_seed(name="single.csv", dataset_name="Someone else's customers")
    seeds = SeedsPage(page_for(account)).open().expect_loaded()

    with allure.step(f"Upload {TRICKY_CSV.filename} through the seed data screen"):
        detail = seeds.upload(
            {"name": TRICKY_CSV.filename, "mimeType": "text/csv", "buffer": TRICKY_CSV.content}
        )
        detail.expect_loaded()
        expect(detail.flash.root, "uploading says so").to_have_text("Seed data uploaded.")
    expect_seed_detail(detail, TRICKY_CSV)

    seeds = detail.navigation.go_to(SeedsPage).expect_loaded()
    everything = [TRICKY_CSV, TEN_JSONL, NINE_CSV]
    expect_seeds_listed(seeds, everything)
    # The nine-row file is whole in the list above; the ten-row one is also opened.
    detail = seeds.open_seed(TEN_JSONL.name)
    detail.expect_loaded()
    expect_seed_detail(detail, TEN_JSONL)
    seeds = SeedsPage(detail.page).open().expect_loaded()

    delete_seed_by_name(seeds, NINE_CSV.name)
    remaining = [TRICKY_CSV, TEN_JSONL]
    expect_seeds_listed(seeds, remaining)
    names = [seed.name for seed in remaining]
    with allure.step("The API lists exactly the seeds not deleted"):
        data = account.api.seeds()
        listed = sorted(seed.name for seed in data)
        assert listed == sorted(names), (
            f"after deleting {NINE_CSV.name!r} the API lists {listed}; expected {sorted(names)}"
        )
    editor = NewTemplatePage(seeds.page).open().expect_loaded()
    expect_seed_choices(editor.test_panel.seed_options, names, "the template editor")
    new_job = NewJobPage(seeds.page).open().expect_loaded()
    expect_seed_choices(new_job.seed_dataset.get_by_role("option"), names, "the new-job form")
