"""Prompt templates: the list, and the editor with its test panel."""

from __future__ import annotations

from playwright.sync_api import Locator, Page

from pages.base import BasePage
from pages.components import DataTable, fill_number


class TemplatesPage(BasePage):
    """`/templates`: the user's templates."""

    path = "/templates"
    heading = "Templates"
    nav_label = "Templates"

    @property
    def new_template_link(self) -> Locator:
        """The "New template" link."""
        return self.page.get_by_role("link", name="New template", exact=True)

    @property
    def table(self) -> DataTable:
        """The "Templates" table."""
        return DataTable(self.page.get_by_role("table", name="Templates"))

    @property
    def empty_message(self) -> Locator:
        """ "No templates yet.", shown when there are none."""
        return self.page.get_by_text("No templates yet.", exact=True)

    @property
    def names(self) -> Locator:
        """The name links of the "Templates" table, one per template."""
        return self.table.root.get_by_role("link")

    def name_link(self, name: str) -> Locator:
        """The link to the template called exactly `name`."""
        return self.table.root.get_by_role("link", name=name, exact=True)

    def delete_button(self, name: str) -> Locator:
        """The "Delete NAME" button of the template called `name`."""
        return self.page.get_by_role("button", name=f"Delete {name}", exact=True)

    def updated(self, name: str) -> Locator:
        """The Updated cell of the template called `name`."""
        return self.table.cell(self.table.row_with_link(name), "Updated")

    def start_new(self) -> NewTemplatePage:
        """Follow "New template"."""
        self.new_template_link.click()
        return NewTemplatePage(self.page)

    def open_template(self, name: str) -> TemplateEditorPage:
        """Open the editor of the template called `name`."""
        self.name_link(name).click()
        return TemplateEditorPage(self.page)

    def delete(self, name: str) -> None:
        """Press "Delete NAME"."""
        self.delete_button(name).click()


class TestPanel:
    """The "Test template" section: renders the body as typed over a few seed rows."""

    # Not a test class, whatever its name says.
    __test__ = False

    def __init__(self, page: Page) -> None:
        self.page = page

    @property
    def seed_dataset(self) -> Locator:
        """The "Seed dataset" combobox."""
        return self.page.get_by_role("combobox", name="Seed dataset", exact=True)

    @property
    def seed_options(self) -> Locator:
        """The options of the "Seed dataset" combobox, one per seed dataset."""
        return self.seed_dataset.get_by_role("option")

    @property
    def rows(self) -> Locator:
        """The "Rows" spinbutton (1–20, default 3)."""
        return self.page.get_by_role("spinbutton", name="Rows", exact=True)

    @property
    def test_button(self) -> Locator:
        """The "Test template" button."""
        return self.page.get_by_role("button", name="Test template", exact=True)

    @property
    def previews_list(self) -> Locator:
        """The "Previews" list."""
        return self.page.get_by_role("list", name="Previews")

    @property
    def previews(self) -> Locator:
        """One item per rendered seed row, holding the prompt, its tokens and cost."""
        return self.page.get_by_test_id("template-preview")

    @property
    def preview_prompts(self) -> Locator:
        """The rendered prompt of every preview, in order."""
        # A <pre> has no ARIA role or name, so this is the one place a tag name is the locator.
        return self.previews.locator("pre")

    def preview_prompt(self, index: int) -> Locator:
        """The rendered prompt of the `index`-th preview."""
        return self.preview_prompts.nth(index)

    @property
    def tokens_per_record(self) -> Locator:
        """Estimated tokens per record (a number)."""
        return self.page.get_by_test_id("tokens-per-record")

    @property
    def cost_per_record(self) -> Locator:
        """Estimated cost per record, e.g. "$0.0001"."""
        return self.page.get_by_test_id("cost-per-record")

    def run(self, *, seed_name: str, rows: int | None) -> None:
        """Choose the seed dataset and rows (None keeps the rows shown); press "Test template"."""
        self.seed_dataset.select_option(label=seed_name)
        if rows is not None:
            fill_number(self.rows, rows)
        self.test_button.click()


class _TemplateForm(BasePage):
    """What the new-template and edit-template screens share."""

    @property
    def name(self) -> Locator:
        """The "Name" textbox."""
        return self.page.get_by_role("textbox", name="Name", exact=True)

    @property
    def body(self) -> Locator:
        """The "Body" textarea holding the Jinja template."""
        return self.page.get_by_role("textbox", name="Body", exact=True)

    @property
    def save_button(self) -> Locator:
        """The "Save template" button."""
        return self.page.get_by_role("button", name="Save template", exact=True)

    @property
    def test_panel(self) -> TestPanel:
        """The "Test template" section."""
        return TestPanel(self.page)

    def fill(self, *, name: str | None = None, body: str | None = None) -> None:
        """Type a name and/or a body."""
        if name is not None:
            self.name.fill(name)
        if body is not None:
            self.body.fill(body)

    def save(self) -> TemplateEditorPage:
        """Press "Save template"; success lands on the saved template's editor."""
        self.save_button.click()
        return TemplateEditorPage(self.page)


class NewTemplatePage(_TemplateForm):
    """`/templates/new`."""

    path = "/templates/new"
    heading = "New template"


class TemplateEditorPage(_TemplateForm):
    """`/templates/{template_id}`: an existing template."""

    path = "/templates/{template_id}"
    heading = "Edit template"

    @property
    def template_id(self) -> int:
        """The id in the current URL."""
        return int(self.path_param("template_id"))
