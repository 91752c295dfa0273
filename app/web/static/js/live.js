// A WebSocket to /ws that reconnects with backoff (1 s, 2 s, 4 s… capped at 5 s).
const MAX_DELAY_MS = 5000;

export function connectLive({ onMessage, onOpen = () => {}, onClose = () => {} }) {
  let delay = 1000;
  let socket = null;
  const url = `${location.protocol === "https:" ? "wss" : "ws"}://${location.host}/ws`;

  function open() {
    socket = new WebSocket(url);
    socket.addEventListener("open", () => {
      delay = 1000;
      onOpen(socket);
    });
    socket.addEventListener("message", (event) => {
      let message;
      try {
        message = JSON.parse(event.data);
      } catch {
        return;
      }
      onMessage(message, socket);
    });
    socket.addEventListener("close", (event) => {
      onClose(event);
      // 4401: the session is gone; reconnecting cannot help.
      if (event.code === 4401) return;
      setTimeout(open, delay);
      delay = Math.min(delay * 2, MAX_DELAY_MS);
    });
  }

  open();
  return { send: (data) => socket && socket.readyState === WebSocket.OPEN && socket.send(JSON.stringify(data)) };
}

export function formatUsd(value, places) {
  return `$${Number(value || 0).toLocaleString("en-US", { minimumFractionDigits: places, maximumFractionDigits: places })}`;
}
