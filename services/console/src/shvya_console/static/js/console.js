// The console's own script: small conveniences over pages that work without it.
"use strict";

// Ctrl+Enter (Cmd+Enter) sends the composer.
document.addEventListener("keydown", (event) => {
  const field = event.target;
  if ((event.ctrlKey || event.metaKey) && event.key === "Enter" && field.matches("[data-submit-on-ctrl-enter]")) {
    event.preventDefault();
    field.form.requestSubmit();
  }
});

// "g" then a letter goes to a page (g i: inbox, g p: pipeline ...), as the navigation's links say.
let pendingG = false;
document.addEventListener("keydown", (event) => {
  if (event.target.closest("input, textarea, select, [contenteditable]") || event.ctrlKey || event.metaKey || event.altKey) {
    return;
  }
  if (pendingG) {
    pendingG = false;
    const link = document.querySelector(`[data-shortcut="g ${event.key}"]`);
    if (link) {
      event.preventDefault();
      link.click();
    }
    return;
  }
  if (event.key === "g") {
    pendingG = true;
    setTimeout(() => { pendingG = false; }, 1200);
  }
});

// A signed-out live stream sends the person to sign in instead of failing quietly.
document.addEventListener("htmx:sseMessage", (event) => {
  if (event.detail.type === "signed-out") {
    window.location.assign("/sign-in?next=" + encodeURIComponent(window.location.pathname));
  }
});

// After a swap, the thread shows its newest message.
document.addEventListener("htmx:afterSettle", () => {
  const thread = document.getElementById("thread");
  if (thread) thread.scrollTop = thread.scrollHeight;
});
window.addEventListener("DOMContentLoaded", () => {
  const thread = document.getElementById("thread");
  if (thread) thread.scrollTop = thread.scrollHeight;
});

// ---- Admin pages (knowledge base, settings, team) ----
// A form marked data-confirm asks before it deletes or revokes; without JavaScript it just posts.
document.addEventListener("submit", (event) => {
  const form = event.target;
  if (form.matches("form[data-confirm]") && !window.confirm(form.dataset.confirm)) {
    event.preventDefault();
  }
});
