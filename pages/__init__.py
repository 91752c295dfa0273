"""Page objects: one class per screen of the platform, plus the components that recur.

Pages find elements by the roles, labels and test ids written in docs/screens.md,
expose locators and small readers, and never assert (except `expect_loaded`).
"""
