// Playwright Test's side of scripts/bench_vs_playwright_test.py: the same trivial signed-in
// test as test_signed_in_dashboard.py, with the same browser, viewport and storage state.
// Everything that differs between runs comes from the environment the script sets.
import { defineConfig } from "@playwright/test";

export default defineConfig({
  testDir: ".",
  testMatch: "dashboard.spec.mjs",
  workers: 1,
  retries: 0,
  reporter: [["json", { outputFile: process.env.BENCH_JSON_REPORT }]],
  outputDir: process.env.BENCH_OUTPUT_DIR,
  use: {
    browserName: "chromium",
    baseURL: process.env.BENCH_BASE_URL,
    storageState: process.env.BENCH_STORAGE_STATE,
    trace: process.env.BENCH_TRACE,
    viewport: { width: 1280, height: 800 },
    launchOptions: {
      executablePath: process.env.BENCH_CHROMIUM_PATH,
      args: JSON.parse(process.env.BENCH_CHROMIUM_ARGS || "[]"),
    },
  },
});
