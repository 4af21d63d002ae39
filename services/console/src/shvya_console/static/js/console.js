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

// ---- Work pages: the pipeline board -------------------------------------------------------
// Dragging a card onto another column posts the same move as the card's "Move to" form (which
// keyboards and pages without JavaScript use), and the board comes back refreshed.
(() => {
  let dragged = null;

  const csrfHeaders = () => {
    try {
      return JSON.parse(document.body.getAttribute("hx-headers") || "{}");
    } catch {
      return {};
    }
  };

  const clearTargets = () => {
    document.querySelectorAll(".drop-target").forEach((column) => column.classList.remove("drop-target"));
  };

  document.addEventListener("dragstart", (event) => {
    const card = event.target instanceof Element && event.target.closest(".card[data-lead-id]");
    if (!card) return;
    dragged = card;
    card.classList.add("dragging");
    event.dataTransfer.effectAllowed = "move";
    event.dataTransfer.setData("text/plain", card.dataset.leadId);
  });

  document.addEventListener("dragend", () => {
    if (dragged) dragged.classList.remove("dragging");
    dragged = null;
    clearTargets();
  });

  document.addEventListener("dragover", (event) => {
    const column = dragged && event.target instanceof Element && event.target.closest("[data-drop-stage]");
    if (!column || column.dataset.dropStage === dragged.dataset.stage) return;
    event.preventDefault();
    event.dataTransfer.dropEffect = "move";
    if (!column.classList.contains("drop-target")) {
      clearTargets();
      column.classList.add("drop-target");
    }
  });

  document.addEventListener("drop", (event) => {
    const column = dragged && event.target instanceof Element && event.target.closest("[data-drop-stage]");
    if (!column || column.dataset.dropStage === dragged.dataset.stage) return;
    event.preventDefault();
    const board = document.getElementById("board");
    const values = Object.fromEntries(new URLSearchParams(board.dataset.boardQuery || ""));
    values.lead_id = dragged.dataset.leadId;
    values.stage = column.dataset.dropStage;
    clearTargets();
    htmx.ajax("POST", "/pipeline/move", {
      source: board, target: "#board", swap: "outerHTML", values, headers: csrfHeaders(),
    });
  });

  // The board refreshes itself when the live stream says something changed, but not under the
  // hands of someone using it (a card being dragged, a reason being asked, the focus on a card's
  // control): then it refreshes once they leave it.
  const busy = (board) => dragged || board.querySelector(".reason-form") || board.contains(document.activeElement);

  document.addEventListener("htmx:beforeRequest", (event) => {
    const board = event.detail.elt;
    if (!(board instanceof Element) || board.id !== "board" || event.detail.requestConfig.verb !== "get") return;
    if (busy(board)) {
      event.preventDefault();
      board.dataset.stale = "true";
    }
  });

  document.addEventListener("focusout", (event) => {
    const board = document.getElementById("board");
    if (!board || !board.dataset.stale || board.contains(event.relatedTarget)) return;
    setTimeout(() => {
      if (board.isConnected && board.dataset.stale && !busy(board)) {
        delete board.dataset.stale;
        htmx.trigger(board, "sse:changed");
      }
    }, 0);
  });

  // After a move the moved card keeps the keyboard's focus, in its new column.
  document.addEventListener("htmx:afterSettle", (event) => {
    if (!(event.target instanceof Element) || event.target.id !== "board") return;
    const asked = event.target.querySelector("#move-reason");
    const moved = event.target.querySelector(".card-moved .card-name");
    (asked || moved)?.focus();
  });

  // An error answer (it names #alerts as its target) is shown, not dropped.
  document.addEventListener("htmx:beforeSwap", (event) => {
    const xhr = event.detail.xhr;
    if (xhr.status >= 400 && xhr.getResponseHeader("HX-Retarget")) {
      event.detail.shouldSwap = true;
      event.detail.isError = false;
    }
  });
})();
