"""The TTI benchmark's real-page corpus: third-party apps' builds in a light and a heavy state.

See README.md beside this file for the apps, their sources and licences.
"""
