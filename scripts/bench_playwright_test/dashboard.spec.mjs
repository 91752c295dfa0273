// One trivial signed-in test, repeated: open the dashboard and see its heading.
import { expect, test } from "@playwright/test";

const COUNT = Number(process.env.BENCH_TESTS || 30);

for (let number = 0; number < COUNT; number++) {
  test(`signed-in dashboard ${number}`, async ({ page }) => {
    await page.goto("/dashboard");
    await expect(page.getByRole("heading", { level: 1, name: "Dashboard" })).toBeVisible();
  });
}
