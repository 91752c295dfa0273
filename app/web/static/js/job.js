// Live job page: progress over the WebSocket, and a re-read of the job after every
// (re)connection so that a final state sent while disconnected is never missed.
import { connectLive, formatUsd } from "./live.js";

const root = document.getElementById("job");
const jobId = Number(root.dataset.jobId);
const byTestId = (id) => root.querySelector(`[data-testid="${id}"]`);
const ACTIVE = new Set(["queued", "running"]);
const EXPORTABLE = new Set(["completed", "cancelled", "budget_exceeded", "failed"]);
let shown = { status: byTestId("job-status").textContent.trim(), records_done: -1 };

function isStale(job) {
  if (!ACTIVE.has(shown.status)) return ACTIVE.has(job.status);
  return ACTIVE.has(job.status) && job.records_done < shown.records_done;
}

function update(job) {
  if (job.id !== jobId || isStale(job)) return;
  shown = job;
  const status = byTestId("job-status");
  status.textContent = job.status;
  status.className = `status status-${job.status}`;
  byTestId("records-done").textContent = `${job.records_done} / ${job.records_total}`;
  byTestId("job-cost").textContent = formatUsd(job.cost_usd, 4);
  if (job.records_per_second_actual !== undefined) {
    byTestId("records-per-second").textContent = String(job.records_per_second_actual);
  }
  const meter = root.querySelector('[role="progressbar"]');
  meter.setAttribute("aria-valuenow", String(job.records_done));
  meter.setAttribute("aria-valuemax", String(job.records_total));
  const percent = job.records_total ? (100 * job.records_done) / job.records_total : 0;
  meter.querySelector(".meter-fill").style.width = `${percent}%`;
  document.getElementById("cancel-form").hidden = !ACTIVE.has(job.status);
  const exportable = EXPORTABLE.has(job.status) && job.records_done > 0;
  document.getElementById("download-jsonl").hidden = !exportable;
  document.getElementById("download-csv").hidden = !exportable;
  const error = byTestId("job-error");
  error.textContent = job.error || "";
  error.hidden = !job.error;
}

// A re-read slower than this shows "Loading the latest state…"; a fast one shows nothing.
const SLOW_MS = 500;
const facts = root.querySelector(".facts");
const refreshStatus = byTestId("refresh-status");
const refreshError = byTestId("refresh-error");
const cancelError = byTestId("cancel-error");

class Refused extends Error {}

function reasonOf(error) {
  return error instanceof Refused ? error.message : "the network request failed";
}

async function reread() {
  const slow = setTimeout(() => {
    refreshStatus.textContent = "Loading the latest state…";
    facts.setAttribute("aria-busy", "true");
  }, SLOW_MS);
  try {
    const response = await fetch(`/api/v1/jobs/${jobId}`, { headers: { Accept: "application/json" }, cache: "no-store" });
    if (!response.ok) throw new Refused(`the platform answered ${response.status}`);
    update(await response.json());
    refreshError.hidden = true;
  } catch (error) {
    // The values on screen stay; the user can ask again, and the next reconnection will too.
    refreshError.querySelector("p").textContent = `Could not load the latest state of this job: ${reasonOf(error)}.`;
    refreshError.hidden = false;
  } finally {
    clearTimeout(slow);
    refreshStatus.textContent = "";
    facts.removeAttribute("aria-busy");
  }
}

refreshError.querySelector("button").addEventListener("click", () => reread());

// Cancel in place: the same request as the form, without reloading the page, so the status
// reads "cancelled" as soon as the worker has stopped. Without JS the form posts as usual.
const cancelForm = document.getElementById("cancel-form");
cancelForm.addEventListener("submit", async (event) => {
  event.preventDefault();
  const button = cancelForm.querySelector("button");
  button.disabled = true;
  cancelError.hidden = true;
  try {
    const response = await fetch(`/api/v1/jobs/${jobId}/cancel`, {
      method: "POST",
      headers: { Accept: "application/json", "X-CSRF-Token": cancelForm.elements.csrf_token.value },
    });
    if (response.ok) update(await response.json());
    else if (response.status === 409) await reread(); // it had already stopped
    else if (response.status >= 500) throw new Refused(`the platform answered ${response.status}`);
    else cancelForm.submit(); // signed out or the form expired: the platform's own page says so
  } catch (error) {
    cancelError.querySelector("p").textContent = `The job was not cancelled: ${reasonOf(error)}. Press Cancel job to try again.`;
    cancelError.hidden = false;
  } finally {
    button.disabled = false;
  }
});

connectLive({
  onOpen: () => {
    byTestId("live-status").textContent = "Live";
    reread();
  },
  onClose: () => {
    byTestId("live-status").textContent = "Reconnecting…";
  },
  onMessage: (message) => {
    if (message.type === "job.progress") update(message.payload);
  },
});
