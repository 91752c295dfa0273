"""Journeys as plain, stateless functions over page objects.

A flow holds the expectations that belong to the journey itself, so every test that walks
it checks them; each step is an Allure step with a sentence a reviewer can read.
"""
