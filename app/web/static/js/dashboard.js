// Keeps the dashboard current: refetches on load, on "dashboard.changed" and every 5 s.
// When a refresh fails the last values stay, a "data may be stale" notice shows with a
// "Retry now" button, and it retries after 1 s, 2 s, 4 s, then every 5 s until a refresh
// succeeds. A refresh slower than half a second says "Updating…" until it answers.
import { connectLive, formatUsd } from "./live.js";

const REFRESH_MS = 5000;
const SLOW_MS = 500;
const byTestId = (id) => document.querySelector(`[data-testid="${id}"]`);
const stale = byTestId("stale-notice");
const retryNow = document.getElementById("retry-refresh");
const refreshStatus = byTestId("refresh-status");
const summary = document.querySelector('[aria-label="Summary"]');
let timer = null;
let failures = 0;
let inFlight = false;
let again = false;

function cell(content) {
  const td = document.createElement("td");
  if (content instanceof Node) td.append(content);
  else td.textContent = content;
  return td;
}

function renderJobs(jobs) {
  const body = document.getElementById("recent-jobs-body");
  const rows = jobs.map((job) => {
    const tr = document.createElement("tr");
    const link = document.createElement("a");
    link.href = `/jobs/${job.id}`;
    link.textContent = `Job #${job.id}`;
    const status = document.createElement("span");
    status.className = `status status-${job.status}`;
    status.textContent = job.status;
    tr.append(cell(link), cell(job.template_name), cell(status),
      cell(`${job.records_done} / ${job.records_total}`), cell(formatUsd(job.cost_usd, 4)));
    return tr;
  });
  body.replaceChildren(...rows);
  document.getElementById("no-recent-jobs").hidden = rows.length > 0;
}

function renderAlerts(alerts) {
  const list = document.querySelector('[aria-label="Alerts"]');
  const items = alerts.map((alert) => {
    const li = document.createElement("li");
    li.dataset.testid = "dashboard-alert";
    li.className = "alert";
    li.textContent = alert.message;
    return li;
  });
  if (!items.length) {
    const li = document.createElement("li");
    li.className = "muted";
    li.textContent = "No alerts";
    items.push(li);
  }
  list.replaceChildren(...items);
}

function render(data) {
  byTestId("running-jobs-count").textContent = data.running_jobs;
  byTestId("records-today-count").textContent = data.records_today;
  byTestId("spend-amount").textContent =
    `${formatUsd(data.spent_usd, 2)} of ${formatUsd(data.monthly_budget_usd, 2)}`;
  const percent = Math.min(100, Math.round(data.budget_used_percent));
  const meter = document.querySelector('[role="progressbar"]');
  meter.setAttribute("aria-valuenow", String(percent));
  meter.setAttribute("aria-valuetext", `${percent}%`);
  const fill = meter.querySelector(".meter-fill");
  fill.style.width = `${percent}%`;
  fill.classList.toggle("warn", percent >= 80);
  renderAlerts(data.alerts);
  renderJobs(data.recent_jobs);
  const updated = byTestId("last-updated");
  updated.dateTime = data.generated_at;
  updated.textContent = `${data.generated_at.slice(11, 19)} UTC`;
}

function schedule(delay) {
  clearTimeout(timer);
  timer = setTimeout(refresh, delay);
}

async function refresh() {
  if (inFlight) {
    again = true;
    return;
  }
  inFlight = true;
  clearTimeout(timer);
  const slow = setTimeout(() => {
    refreshStatus.textContent = "Updating…";
    summary.setAttribute("aria-busy", "true");
  }, SLOW_MS);
  try {
    const response = await fetch("/api/v1/dashboard", { headers: { Accept: "application/json" }, cache: "no-store" });
    if (response.status === 401) {
      location.assign(`/login?next=${encodeURIComponent("/dashboard")}`);
      return;
    }
    if (!response.ok) throw new Error(`dashboard answered ${response.status}`);
    render(await response.json());
    failures = 0;
    stale.hidden = true;
    retryNow.hidden = true;
    schedule(REFRESH_MS);
  } catch {
    failures += 1;
    stale.hidden = false;
    retryNow.hidden = false;
    schedule(Math.min(1000 * 2 ** (failures - 1), REFRESH_MS));
  } finally {
    clearTimeout(slow);
    refreshStatus.textContent = "";
    summary.removeAttribute("aria-busy");
    inFlight = false;
    if (again) {
      again = false;
      refresh();
    }
  }
}

retryNow.addEventListener("click", () => refresh());

connectLive({
  onMessage: (message) => {
    if (message.type === "dashboard.changed") refresh();
  },
});
refresh();
