// The "Menu" button that folds the navigation on narrow screens.
const button = document.querySelector(".menu-button");
if (button) {
  const list = document.getElementById(button.getAttribute("aria-controls"));
  const setOpen = (open) => {
    button.setAttribute("aria-expanded", String(open));
    list.classList.toggle("open", open);
  };
  button.addEventListener("click", () => setOpen(button.getAttribute("aria-expanded") !== "true"));
  document.addEventListener("keydown", (event) => {
    if (event.key === "Escape" && button.getAttribute("aria-expanded") === "true") {
      setOpen(false);
      button.focus();
    }
  });
}
