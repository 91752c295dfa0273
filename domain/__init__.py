"""What the platform promises, in plain Python: its statuses, money, limits and test-data shapes.

Any layer of the suite may import this package (tests, flows, fixtures, scripts); it imports
nothing of the suite and nothing of Playwright, so a fact is written once and read everywhere.
"""
