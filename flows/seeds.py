"""Seed data: upload a file; what the seed screens must show of it, held against the suite's
own reading of it; a seed deleted by its name."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import allure
from playwright.sync_api import Locator, Page, expect

from domain.facts import SEED_PREVIEW_ROWS
from flows.exports import read_seed_bytes, read_seed_rows
from pages.seeds import SeedPage, SeedsPage


@dataclass(frozen=True)
class SeedFile:
    """A seed file as the suite wrote it, and the dataset name it is uploaded under."""

    name: str
    filename: str
    content: bytes

    @property
    def columns(self) -> list[str]:
        """The file's columns, as the suite reads them."""
        return read_seed_bytes(self.filename, self.content)[0]

    @property
    def rows(self) -> list[dict[str, Any]]:
        """The file's data rows, as the suite reads them."""
        return read_seed_bytes(self.filename, self.content)[1]


def _cell_text(value: Any) -> str:
    # A JSON Lines row may lack a column: its cell is empty.
    return "" if value is None else str(value)


def _folded(texts: list[str]) -> list[str]:
    # As a table cell shows text: runs of whitespace read as one space.
    return [" ".join(text.split()) for text in texts]


def _expect_exact_texts(locator: Locator, expected: list[str], what: str) -> None:
    """`locator`'s elements read exactly `expected`, spaces and invisible characters included."""
    expect(locator, f"{what} has {len(expected)} entries").to_have_count(len(expected))
    # to_have_text folds whitespace and drops zero-width characters (a byte-order mark); a
    # column name is shown as the file has it, so it is compared as it is in the page.
    shown = locator.all_text_contents()
    assert shown == expected, f"{what} reads {shown}; expected exactly {expected}"


def expect_seed_detail(seed_page: SeedPage, seed: SeedFile) -> None:
    """The seed's screen shows the file's row count, columns and its first ten rows."""
    columns, rows = seed.columns, seed.rows
    with allure.step(f"{seed.name!r} shows {len(rows)} rows and the columns {columns}"):
        expect(seed_page.main_heading, "the seed's heading is its name").to_have_text(seed.name)
        expect(
            seed_page.row_count, f"the seed counts the {len(rows)} rows of its file"
        ).to_have_text(str(len(rows)))
        _expect_exact_texts(seed_page.columns, columns, "the seed's Columns list")
    shown = rows[:SEED_PREVIEW_ROWS]
    with allure.step(f"The Preview table shows the file's first {len(shown)} rows, cell by cell"):
        expect(
            seed_page.preview.root.get_by_role("columnheader"),
            "the Preview table has a column per column of the file",
        ).to_have_text(columns)
        expect(
            seed_page.preview.rows,
            f"the Preview table of a file of {len(rows)} rows shows its first {len(shown)}",
        ).to_have_count(len(shown))
        expected = [[_cell_text(row.get(column)) for column in columns] for row in shown]
        try:
            # One retrying check of every cell; a failure is then told row by row.
            expect(seed_page.preview.root.get_by_role("cell")).to_have_text(
                [cell for row in expected for cell in row]
            )
        except AssertionError:
            # The table has had its time to settle: say which row differs, and how.
            for index, cells in enumerate(expected):
                texts = seed_page.preview_cells(index).all_text_contents()
                assert _folded(texts) == _folded(cells), (
                    f"Preview row {index + 1} of {seed.name!r} shows {texts}; its file's "
                    f"row {index + 1} holds {cells}"
                )
            raise


def expect_seeds_listed(listing: SeedsPage, seeds: list[SeedFile]) -> None:
    """The "Seed datasets" table lists exactly `seeds`, each with its rows, columns and Delete."""
    names = [seed.name for seed in seeds]
    with allure.step(f"The seed datasets table lists exactly {names}"):
        expect(listing.table.rows, f"the seeds list shows {len(seeds)} datasets").to_have_count(
            len(seeds)
        )
        for seed in seeds:
            row = listing.row_for(seed.name)
            expect(row, f"the seeds list has one row for {seed.name!r}").to_have_count(1)
            expect(
                listing.table.cell(row, "Rows"),
                f"the seeds list counts the {len(seed.rows)} rows of {seed.name!r}",
            ).to_have_text(str(len(seed.rows)))
            _expect_exact_texts(
                listing.table.cell(row, "Columns"),
                [", ".join(seed.columns)],
                f"the Columns cell of {seed.name!r}",
            )
            expect(
                listing.delete_button(seed.name),
                f"the row of {seed.name!r} has one button named 'Delete {seed.name}'",
            ).to_have_count(1)


def delete_seed_by_name(listing: SeedsPage, name: str) -> None:
    """Press "Delete NAME" on the seeds list and see that row go."""
    with allure.step(f"Delete the seed dataset {name!r} from the list"):
        listing.delete(name)
        listing.expect_loaded()
        expect(
            listing.name_link(name), f"the deleted seed {name!r} is gone from the list"
        ).to_have_count(0)


def expect_seed_choices(options: Locator, names: list[str], where: str) -> None:
    """A "Seed dataset" combobox offers exactly the seeds called `names`."""
    with allure.step(f"The Seed dataset choices of {where} are exactly {sorted(names)}"):
        expect(options, f"{where} offers {len(names)} seed datasets").to_have_count(len(names))
        offered = sorted(text.strip() for text in options.all_text_contents())
        assert offered == sorted(names), (
            f"{where} offers the seed datasets {offered}; expected exactly {sorted(names)}"
        )


def upload_seed(page: Page, seed_file: Path) -> SeedPage:
    """Upload a seed file and land on its detail, which counts its rows."""
    with allure.step(f"Upload the seed file {seed_file.name}"):
        seeds = SeedsPage(page).open().expect_loaded()
        seed = seeds.upload(seed_file)
        seed.expect_loaded()
        expect(seed.flash.root).to_have_text("Seed data uploaded.")
        expect(seed.row_count).to_have_text(str(len(read_seed_rows(seed_file))))
    return seed
