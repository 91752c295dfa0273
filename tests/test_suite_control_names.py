"""Repeated controls must carry names that tell them apart: the reading of ARIA snapshots."""

from __future__ import annotations

from flows.accessibility import controls_sharing_a_name

EXPORTS_WITH_BARE_NAMES = """\
- table "Exports":
  - rowgroup:
    - row "Job #1 completed 5 Download JSONL":
      - cell "Job #1":
        - link "Job #1":
          - /url: /jobs/1
      - cell "Download JSONL":
        - link "Download JSONL":
          - /url: /api/v1/jobs/1/export?format=jsonl
    - row "Job #2 completed 5 Download JSONL":
      - cell "Download JSONL":
        - link "Download JSONL":
          - /url: /api/v1/jobs/2/export?format=jsonl
"""


def test_links_of_one_name_leading_to_different_places_are_reported() -> None:
    problems = controls_sharing_a_name(EXPORTS_WITH_BARE_NAMES)

    assert problems == [
        '2 links are all named "Download JSONL" leading to '
        "['/api/v1/jobs/1/export?format=jsonl', '/api/v1/jobs/2/export?format=jsonl']"
    ]


def test_links_of_one_name_to_one_place_and_distinct_buttons_are_fine() -> None:
    snapshot = """\
- link "Job #1":
  - /url: /jobs/1
- link "Job #1":
  - /url: /jobs/1
- button "Delete Persona A"
- button "Delete Persona B"
"""

    assert controls_sharing_a_name(snapshot) == []


def test_buttons_of_one_name_are_reported_with_quotes_in_names_read_whole() -> None:
    snapshot = '- button "Delete \\"Ada\\""\n- button "Delete \\"Ada\\""\n- button "Delete"\n'

    assert controls_sharing_a_name(snapshot) == ['2 buttons are all named "Delete \\"Ada\\""']
