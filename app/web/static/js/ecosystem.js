// Live ecosystem page: subscribes to the ecosystem's interactions, prepends them to the
// feed (50 kept) and updates the two characters' rows when they are on this roster page.
import { connectLive } from "./live.js";

const FEED_LIMIT = 50;
const root = document.getElementById("ecosystem");
const ecosystemId = Number(root.dataset.ecosystemId);
const topic = `ecosystem:${ecosystemId}`;
const feed = root.querySelector('[aria-label="Interaction feed"] ol');
const liveStatus = root.querySelector('[data-testid="live-status"]');
let connectedBefore = false;

function feedItem(interaction) {
  const li = document.createElement("li");
  li.dataset.testid = "interaction";
  li.className = `kind-${interaction.kind}`;
  li.textContent = interaction.summary;
  return li;
}

function updateRow(character) {
  const row = root.querySelector(`tr[data-character-id="${character.id}"]`);
  if (!row) return;
  row.querySelector('[data-stat="energy"]').textContent = character.energy;
  row.querySelector('[data-stat="reputation"]').textContent = character.reputation;
}

function show(interaction) {
  if (interaction.ecosystem_id !== ecosystemId) return;
  feed.prepend(feedItem(interaction));
  while (feed.children.length > FEED_LIMIT) feed.lastElementChild.remove();
  updateRow(interaction.actor);
  updateRow(interaction.target);
  root.querySelector('[data-testid="simulation-status"]').textContent = "running";
}

async function reloadFeed() {
  // After a reconnection, fetch what was said while the socket was down.
  const response = await fetch(`/api/v1/ecosystems/${ecosystemId}/interactions?per_page=${FEED_LIMIT}`,
    { headers: { Accept: "application/json" }, cache: "no-store" });
  if (!response.ok) return;
  const { data } = await response.json();
  feed.replaceChildren(...data.map(feedItem));
}

connectLive({
  onOpen: (socket) => {
    socket.send(JSON.stringify({ subscribe: topic }));
    if (connectedBefore) reloadFeed().catch(() => {});
    connectedBefore = true;
  },
  onClose: () => {
    liveStatus.textContent = "Reconnecting…";
  },
  onMessage: (message) => {
    if (message.type === "interaction") show(message.payload);
    if (message.type === "subscribed" && message.payload.topic === topic) liveStatus.textContent = "Live";
  },
});
