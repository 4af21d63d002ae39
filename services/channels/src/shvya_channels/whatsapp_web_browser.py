"""The browser behind the WhatsApp Web channel: Debian's Chromium driven by Playwright.

Playwright's sync objects belong to the thread that made them, so one thread
owns the browser. gRPC threads hand it sends through a queue and wait for the
answer; between sends the same thread watches the page once a poll interval:
its login state (and the QR code while one is shown), the ticks of messages
it sent, and messages students send, which it hands to `on_incoming`.

The browser profile (WhatsApp Web's link to the phone) persists in
`<session dir>/profile`, so a restart does not need a new QR scan.
"""

from __future__ import annotations

import hashlib
import logging
import queue
import random
import re
import subprocess
import threading
import time
import uuid
from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import dataclass, field
from datetime import UTC, datetime
from enum import StrEnum
from pathlib import Path

from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import sync_playwright

from shvya_channels import whatsapp_web_selectors as sel

log = logging.getLogger(__name__)

CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]
# A long reply typed at 50-150 ms a key takes over a minute; past this budget the rest
# is pasted, like a person pasting a prepared answer. A send (opening the chat, typing,
# confirming) thus ends within about 160 s, inside the caller's wait (whatsapp_web.py).
TYPING_BUDGET_SECONDS = 90.0
OPEN_CHAT_SECONDS = 45.0
CONFIRM_SECONDS = 20.0


# Chromium's own name for a page it could not load (DNS, refused, offline, timed out).
_NET_ERROR = re.compile(r"net::ERR_[A-Z_]+")
# While WhatsApp Web cannot be reached, the browser is started again at most this far apart.
UNREACHABLE_RETRY_SECONDS = 60.0


class Unreachable(Exception):
    """WhatsApp Web's page could not be loaded: the network, not the browser, is at fault."""


class LoginState(StrEnum):
    STARTING = "starting"
    NEEDS_QR = "needs_qr"
    LOGGED_IN = "logged_in"
    LOGGED_OUT = "logged_out"
    BLOCKED = "blocked"


class SendStatus(StrEnum):
    SENT = "sent"
    INVALID_NUMBER = "invalid_number"
    NOT_READY = "not_ready"
    FAILED = "failed"


@dataclass(frozen=True)
class SendResult:
    status: SendStatus
    external_id: str = ""
    detail: str = ""


@dataclass(frozen=True)
class Incoming:
    """A message a student sent, as read off the page."""

    external_id: str
    phone_digits: str
    contact_name: str
    text: str


@dataclass
class _Job:
    fn: Callable[[], object]
    # The caller stops waiting then: a job still queued at that time must not run, or
    # a send reported as failed (and so retried) would go out after all.
    deadline: float
    # The longest the job can take once started.
    needs: float
    future: Future = field(default_factory=Future)


# One round trip reads everything the watcher needs from the page.
_OBSERVE = """
([s, watched]) => {
  const q = (css, root) => (root || document).querySelector(css);
  const visible = (el) => !!el && !!(el.offsetWidth || el.offsetHeight || el.getClientRects().length);
  const dialogs = [...document.querySelectorAll(s.dialog)].filter(visible).map(d => d.innerText || '');
  const loggedIn = visible(q(s.loggedIn));
  const qrEl = q(s.qr);
  const qrHolder = qrEl ? qrEl.closest('[data-ref]') : null;
  const out = {
    qr: visible(qrEl),
    qrRef: qrHolder ? qrHolder.getAttribute('data-ref') : '',
    loggedIn,
    dialog: dialogs.join('\\n').slice(0, 2000),
    text: loggedIn ? '' : (document.body ? document.body.innerText.slice(0, 4000) : ''),
    composer: visible(q(s.composer)),
    title: '',
    rows: [],
    unread: [],
    ticks: {},
  };
  if (!loggedIn) return out;
  const title = q(s.chatTitle);
  out.title = title ? (title.getAttribute('title') || title.innerText || '') : '';
  const bubble = (el) => el.closest('[data-id]') || el;
  const seen = new Set();
  for (const el of document.querySelectorAll(s.messageIn)) {
    const row = bubble(el);
    const id = row.getAttribute('data-id') || '';
    const key = id || row;
    if (seen.has(key)) continue;
    seen.add(key);
    const pre = row.querySelector(s.prePlainText);
    const textEl = row.querySelector(s.messageText);
    out.rows.push({
      id,
      pre: pre ? pre.getAttribute('data-pre-plain-text') : '',
      text: textEl ? textEl.innerText : (row.innerText || ''),
    });
  }
  for (const id of watched) {
    const row = document.querySelector('[data-id="' + CSS.escape(id) + '"]');
    if (!row) continue;
    let tick = 'pending';
    const icon = row.querySelector([s.tickFailed, s.tickDelivered, s.tickSent, s.tickPending].join(','));
    if (row.querySelector(s.tickFailed)) tick = 'failed';
    else if (row.querySelector(s.tickDelivered)) {
      const d = row.querySelector(s.tickDelivered);
      const label = (d.getAttribute('aria-label') || '') + ' ' + ((d.parentElement && d.parentElement.getAttribute('aria-label')) || '');
      tick = /\\bread\\b/i.test(label) || d.classList.contains('read') || d.getAttribute('data-read') === 'true' ? 'read' : 'delivered';
    } else if (row.querySelector(s.tickSent)) tick = 'sent';
    out.ticks[id] = icon ? tick : 'pending';
  }
  const items = [...document.querySelectorAll(s.chatItem)];
  items.forEach((item, index) => {
    const badge = item.querySelector(s.unreadBadge);
    if (!badge || !visible(badge)) return;
    const n = parseInt((badge.innerText || '').replace(/[^0-9]/g, ''), 10) || 1;
    const t = item.querySelector(s.chatItemTitle);
    out.unread.push({index, count: n, title: t ? (t.getAttribute('title') || t.innerText) : ''});
  });
  return out;
}
"""

_OUTGOING = """
([s]) => [...document.querySelectorAll(s.messageOut)].map(el => {
  const row = el.closest('[data-id]') || el;
  const textEl = row.querySelector(s.messageText);
  return {id: row.getAttribute('data-id') || '', text: textEl ? textEl.innerText : (row.innerText || '')};
})
"""

_SELECTORS = {
    "qr": sel.QR_CODE,
    "loggedIn": sel.LOGGED_IN,
    "dialog": sel.DIALOG,
    "composer": sel.COMPOSER,
    "chatTitle": sel.CHAT_TITLE,
    "messageIn": sel.MESSAGE_IN,
    "messageOut": sel.MESSAGE_OUT,
    "messageText": sel.MESSAGE_TEXT,
    "prePlainText": sel.PRE_PLAIN_TEXT,
    "tickPending": sel.TICK_PENDING,
    "tickSent": sel.TICK_SENT,
    "tickDelivered": sel.TICK_DELIVERED,
    "tickFailed": sel.TICK_FAILED,
    "chatItem": sel.CHAT_ITEM,
    "unreadBadge": sel.UNREAD_BADGE,
    "chatItemTitle": sel.CHAT_ITEM_TITLE,
}


def chromium_user_agent(executable: str) -> str | None:
    """A desktop Chrome user agent for this Chromium: WhatsApp Web turns away "HeadlessChrome"."""
    try:
        out = subprocess.run([executable, "--version"], capture_output=True, text=True, timeout=15).stdout
    except (OSError, subprocess.SubprocessError):
        return None
    match = re.search(r"(\d+\.\d+\.\d+\.\d+)", out)
    if not match:
        return None
    return (
        "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
        f"Chrome/{match.group(1)} Safari/537.36"
    )


# How many of our last bubbles are read for an in-doubt message (an earlier attempt's
# bubble is among the newest; older identical texts are earlier messages, not this one).
LOOK_BACK = 3


def _already_sent(outgoing: list[dict], text: str) -> str | None:
    """The id ("" if none) of one of our newest bubbles that shows `text`, or None."""
    wanted = " ".join(text.split())
    for row in outgoing[-LOOK_BACK:]:
        if wanted and wanted in " ".join((row.get("text") or "").split()):
            return row.get("id") or ""
    return None


class WebBrowser:
    """Owns Chromium on its own thread; everything else talks to it through methods below."""

    def __init__(
        self,
        *,
        url: str,
        profile_dir: Path,
        chromium: str,
        poll_seconds: float,
        human: bool,
        on_incoming: Callable[[Incoming], None],
        on_tick: Callable[[str, str], None],
        on_state: Callable[[LoginState, str], None],
        linked_marker: Path,
    ) -> None:
        self._url = url.rstrip("/")
        self._profile = profile_dir
        self._chromium = chromium
        self._poll = max(poll_seconds, 0.05)
        self._human = human
        self._on_incoming = on_incoming
        self._on_tick = on_tick
        self._on_state = on_state
        self._linked_marker = linked_marker
        self._jobs: queue.Queue[_Job] = queue.Queue()
        self._stopping = threading.Event()
        self._thread = threading.Thread(target=self._run, name="whatsapp-web", daemon=True)
        self._lock = threading.Lock()
        self.state = LoginState.STARTING
        self.detail = "the browser is starting"
        self.since = datetime.now(UTC)
        self._qr: tuple[bytes, datetime] | None = None
        self._qr_ref: str | None = None
        self._known_in: set[str] = set()
        self._watched: dict[str, str] = {}  # our message id -> last tick reported
        self._open_digits = ""
        self._page = None
        self._context = None
        self._playwright = None

    # -- called from other threads ----------------------------------------------------------

    def start(self) -> None:
        self._thread.start()

    def stop(self, timeout: float = 15.0) -> None:
        self._stopping.set()
        self._thread.join(timeout)

    def qr(self) -> tuple[bytes, datetime] | None:
        with self._lock:
            return self._qr if self.state in (LoginState.NEEDS_QR, LoginState.LOGGED_OUT) else None

    def send(
        self,
        digits: str,
        text: str,
        timeout: float,
        *,
        commit: Callable[[], bool] = lambda: True,
        look_first: bool = False,
    ) -> SendResult:
        """Types and sends `text` to the chat of `digits`; waits for the browser thread.

        `commit` is asked just before the message is sent (False: abandon it, nothing sent).
        With `look_first` (an earlier attempt may have sent it), the chat's last bubbles are
        read first, and a bubble of ours with this text is taken as the earlier send."""
        typing = min(len(text) * 0.45, TYPING_BUDGET_SECONDS) if self._human else 1.0
        needs = OPEN_CHAT_SECONDS + CONFIRM_SECONDS + typing + 2.0
        job = _Job(
            lambda: self._send(digits, text, commit, look_first),
            deadline=time.monotonic() + timeout,
            needs=needs,
        )
        self._jobs.put(job)
        try:
            return job.future.result(timeout=timeout)
        except TimeoutError:
            return SendResult(
                SendStatus.FAILED, detail=f"the browser did not finish the send within {timeout:.0f}s"
            )

    # -- the browser thread --------------------------------------------------------------------

    def _run(self) -> None:
        backoff = 1.0
        last_failure = ""
        while not self._stopping.is_set():
            try:
                self._launch()
                backoff = 1.0
                last_failure = ""
                self._loop()
            except Unreachable as exc:
                # Expected wherever the machine has no internet (a laptop offline, a sandbox): one
                # line when it starts, none while it lasts, and the browser tries again quietly.
                if self._stopping.is_set():
                    break
                if last_failure != "unreachable":
                    log.warning(
                        "WhatsApp Web cannot be reached (%s); trying again every %.0fs at most. Once it "
                        "can, link the number by scanning the QR code on the console's Operations "
                        "page (or the gateway's /admin/whatsapp-web/qr)",
                        exc,
                        UNREACHABLE_RETRY_SECONDS,
                    )
                else:
                    log.debug("WhatsApp Web still cannot be reached (%s)", exc)
                last_failure = "unreachable"
                self._set_state(LoginState.STARTING, f"{self._url} cannot be reached ({exc}); trying again")
                self._stopping.wait(backoff)
                backoff = min(backoff * 2, UNREACHABLE_RETRY_SECONDS)
            except Exception as exc:  # the browser died or failed to start: start it again
                if self._stopping.is_set():
                    break
                failure = f"{type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}"
                if failure != last_failure:  # the traceback once; a repeat of it in one line
                    log.exception("WhatsApp Web browser failed; restarting in %.0fs", backoff)
                else:
                    log.warning(
                        "WhatsApp Web browser failed again (%s); restarting in %.0fs", failure, backoff
                    )
                last_failure = failure
                self._set_state(
                    LoginState.STARTING, f"the browser failed ({type(exc).__name__}: {exc}); restarting"
                )
                self._stopping.wait(backoff)
                backoff = min(backoff * 2, 60.0)
            finally:
                self._close_browser()
        self._fail_pending("the channel is shutting down")

    def _launch(self) -> None:
        self._profile.mkdir(parents=True, exist_ok=True)
        self._playwright = sync_playwright().start()
        options = {}
        agent = chromium_user_agent(self._chromium)
        if agent:
            options["user_agent"] = agent
        self._context = self._playwright.chromium.launch_persistent_context(
            user_data_dir=str(self._profile),
            executable_path=self._chromium,
            headless=True,
            args=CHROMIUM_FLAGS,
            locale="en-US",
            viewport={"width": 1280, "height": 900},
            **options,
        )
        self._context.set_default_timeout(30_000)
        pages = self._context.pages
        self._page = pages[0] if pages else self._context.new_page()
        try:
            self._page.goto(self._url, wait_until="domcontentloaded")
        except PlaywrightError as exc:
            reason = _NET_ERROR.search(str(exc))
            if reason:
                raise Unreachable(reason.group(0)) from None
            raise
        self._known_in.clear()
        self._open_digits = ""

    def _close_browser(self) -> None:
        for closer in (getattr(self._context, "close", None), getattr(self._playwright, "stop", None)):
            if closer is None:
                continue
            try:
                closer()
            except Exception:  # already gone
                log.debug("closing the browser", exc_info=True)
        self._context = self._playwright = self._page = None

    def _loop(self) -> None:
        while not self._stopping.is_set():
            try:
                job = self._jobs.get(timeout=self._poll)
            except queue.Empty:
                job = None
            if job is not None and time.monotonic() + job.needs > job.deadline:
                job.future.set_result(SendResult(SendStatus.NOT_READY, detail="the browser was busy"))
            elif job is not None:
                try:
                    job.future.set_result(job.fn())
                except Exception as exc:
                    job.future.set_result(
                        SendResult(SendStatus.FAILED, detail=f"{type(exc).__name__}: {exc}")
                    )
                    if self._page is None or self._page.is_closed():
                        raise
            self._observe()

    def _fail_pending(self, why: str) -> None:
        while True:
            try:
                job = self._jobs.get_nowait()
            except queue.Empty:
                return
            job.future.set_result(SendResult(SendStatus.NOT_READY, detail=why))

    def _set_state(self, state: LoginState, detail: str) -> None:
        changed = state != self.state
        if changed:
            # The consequence first (the kill switch on a logout or ban, lifted on a login),
            # so that nobody who reads the new state sees the account in its old condition.
            log.info("WhatsApp Web login state: %s (%s)", state.value, detail)
            self._on_state(state, detail)
        with self._lock:
            self.state = state
            self.detail = detail
            if changed:
                self.since = datetime.now(UTC)

    def _read(self) -> dict:
        # WhatsApp Web reloads itself now and then (after linking, after an update): a read
        # that meets a navigation is tried again rather than taken for a dead browser.
        for attempt in range(30):
            try:
                return self._page.evaluate(_OBSERVE, [_SELECTORS, list(self._watched)])
            except PlaywrightError:
                if self._page.is_closed() or attempt == 29:
                    raise
                time.sleep(0.1)
        raise AssertionError("unreachable")

    def _observe(self) -> None:
        if self._page is None or self._page.is_closed():
            raise RuntimeError("the page closed")
        seen = self._read()
        self._judge_login(seen)
        if self.state == LoginState.LOGGED_IN:
            self._report_ticks(seen["ticks"])
            self._capture_open_chat(seen)
            if seen["unread"]:
                self._open_unread(seen["unread"][0])

    def _judge_login(self, seen: dict) -> None:
        dialog = seen["dialog"]
        if sel.BANNED.search(dialog) or (not seen["loggedIn"] and sel.BANNED.search(seen["text"])):
            self._set_state(LoginState.BLOCKED, "WhatsApp says this number is banned or blocked")
            return
        # The QR image first, so that a state that asks for a scan always has one to show.
        if sel.LOGGED_OUT.search(dialog):
            self._capture_qr(seen)
            self._set_state(LoginState.LOGGED_OUT, "WhatsApp logged this device out; link it again")
            return
        if seen["qr"]:
            self._capture_qr(seen)
            if self._linked_marker.exists() or self.state == LoginState.LOGGED_OUT:
                self._set_state(
                    LoginState.LOGGED_OUT, "WhatsApp logged this device out; scan the QR code again"
                )
            else:
                self._set_state(
                    LoginState.NEEDS_QR,
                    "not linked yet: scan the QR code at the gateway's /admin/whatsapp-web/qr with the number's phone",
                )
            return
        if seen["loggedIn"]:
            if not self._linked_marker.exists():
                self._linked_marker.touch()
            with self._lock:
                self._qr = None
                self._qr_ref = None
            self._set_state(LoginState.LOGGED_IN, "linked and ready")
            return
        if sel.LOGGED_OUT.search(seen["text"]):
            self._set_state(LoginState.LOGGED_OUT, "WhatsApp logged this device out; link it again")

    def _capture_qr(self, seen: dict) -> None:
        if not seen["qr"]:
            return
        ref = seen["qrRef"] or ""
        with self._lock:
            fresh = self._qr is not None and ref and ref == self._qr_ref
        if fresh:
            return
        try:
            png = self._page.locator(sel.QR_IMAGE).first.screenshot(type="png", timeout=5_000)
        except Exception:
            log.debug("could not photograph the QR code", exc_info=True)
            return
        with self._lock:
            self._qr = (png, datetime.now(UTC))
            self._qr_ref = ref or None

    def _report_ticks(self, ticks: dict[str, str]) -> None:
        for message_id, tick in ticks.items():
            if tick == "pending" or self._watched.get(message_id) == tick:
                continue
            self._watched[message_id] = tick
            self._on_tick(message_id, tick)
            if tick in ("read", "failed"):
                self._watched.pop(message_id, None)

    def _chat_digits(self, seen: dict) -> str:
        if self._open_digits:
            return self._open_digits
        digits = re.sub(r"\D", "", seen.get("title") or "")
        return (
            digits if 6 <= len(digits) <= 15 and not re.search(r"[A-Za-z]", seen.get("title") or "") else ""
        )

    def _capture_open_chat(self, seen: dict, take_last: int = 0) -> None:
        rows = seen["rows"]
        fallback_digits = self._chat_digits(seen)
        title = seen.get("title") or ""
        for index, row in enumerate(rows):
            message_id = row["id"] or self._synthetic_id(fallback_digits, row, index)
            if message_id in self._known_in:
                continue
            self._known_in.add(message_id)
            if take_last and index < len(rows) - take_last:
                continue  # history above the unread messages
            digits = sel.digits_of_jid(row["id"]) or fallback_digits
            text = (row["text"] or "").strip()
            if not digits or not text:
                log.warning("skipping an incoming message without a phone number or text (%s)", message_id)
                continue
            name = sel.sender_name(row["pre"]) or ("" if re.sub(r"[\s+()-]", "", title).isdigit() else title)
            self._on_incoming(Incoming(message_id, digits, name, text))

    @staticmethod
    def _synthetic_id(digits: str, row: dict, index: int) -> str:
        basis = f"{digits}|{row.get('pre')}|{row.get('text')}|{index}"
        return "wa-web:" + hashlib.sha1(basis.encode()).hexdigest()  # noqa: S324 - an id, not security

    def _open_unread(self, chat: dict) -> None:
        """Opens a chat with unread messages and captures them (which also marks them seen)."""
        self._page.locator(sel.CHAT_ITEM).nth(chat["index"]).click()
        self._open_digits = ""
        deadline = time.monotonic() + 10
        seen = self._read()
        while len(seen["rows"]) < 1 and time.monotonic() < deadline:
            time.sleep(0.1)
            seen = self._read()
        self._capture_open_chat(seen, take_last=chat["count"])

    # -- sending --------------------------------------------------------------------------------

    def _pause(self, low: float, high: float) -> None:
        if self._human:
            time.sleep(random.uniform(low, high))

    def _send(self, digits: str, text: str, commit: Callable[[], bool], look_first: bool) -> SendResult:
        if self.state != LoginState.LOGGED_IN:
            return SendResult(SendStatus.NOT_READY, detail=self.detail)
        page = self._page
        page.goto(self._url + sel.SEND_PATH.format(digits=digits), wait_until="domcontentloaded")
        self._open_digits = ""
        deadline = time.monotonic() + OPEN_CHAT_SECONDS
        while True:
            seen = self._read()
            if seen["loggedIn"] and seen["composer"]:
                break
            if sel.INVALID_NUMBER.search(seen["dialog"] or self._page_text()):
                self._dismiss_dialog()
                return SendResult(SendStatus.INVALID_NUMBER, detail="the number is not on WhatsApp")
            if seen["qr"] or sel.BANNED.search(seen["dialog"] + seen["text"]):
                self._judge_login(seen)
                return SendResult(SendStatus.NOT_READY, detail=self.detail)
            if time.monotonic() > deadline:
                return SendResult(
                    SendStatus.FAILED, detail=f"the chat did not open within {OPEN_CHAT_SECONDS:.0f}s"
                )
            time.sleep(0.1)
        self._open_digits = digits
        # What the chat already shows is history, not new messages from the student.
        self._known_in.update(r["id"] or self._synthetic_id(digits, r, i) for i, r in enumerate(seen["rows"]))
        before = page.evaluate(_OUTGOING, [_SELECTORS])
        if look_first and (earlier := _already_sent(before, text)) is not None:
            log.warning(
                "the in-doubt WhatsApp Web message to %s is in the chat already: not sending it again", digits
            )
            return SendResult(SendStatus.SENT, earlier or f"wa-web:{uuid.uuid4().hex}")
        composer = page.locator(sel.COMPOSER).first
        composer.click()
        # A draft WhatsApp kept for this chat would be sent along with the message.
        page.keyboard.press("Control+A")
        page.keyboard.press("Delete")
        self._type(text)
        self._pause(0.5, 1.5)
        if not commit():
            page.keyboard.press("Control+A")
            page.keyboard.press("Delete")
            return SendResult(SendStatus.FAILED, detail="abandoned before sending: the send's claim was lost")
        button = page.locator(sel.SEND_BUTTON).first
        if button.count() and button.is_visible():
            button.click()
        else:
            page.keyboard.press("Enter")
        return self._confirm(before, text)

    def _type(self, text: str) -> None:
        keyboard = self._page.keyboard
        budget_ends = time.monotonic() + TYPING_BUDGET_SECONDS
        for index, char in enumerate(text):
            if not self._human or time.monotonic() > budget_ends:
                self._insert(text[index:])
                return
            if char == "\n":
                keyboard.press("Shift+Enter")
            else:
                keyboard.type(char)
            time.sleep(random.uniform(0.05, 0.15))
            if char == " ":
                time.sleep(random.uniform(0.1, 0.3))

    def _insert(self, text: str) -> None:
        keyboard = self._page.keyboard
        for number, line in enumerate(text.split("\n")):
            if number:
                keyboard.press("Shift+Enter")
            if line:
                keyboard.insert_text(line)

    def _confirm(self, before: list[dict], text: str) -> SendResult:
        """Waits for our new bubble to appear, and for the server to take it (a tick, or the clock)."""
        deadline = time.monotonic() + CONFIRM_SECONDS
        first_line = " ".join(text.strip().split("\n")[0].split())[:40]
        known = {m["id"] for m in before if m["id"]}
        while time.monotonic() < deadline:
            rows = self._page.evaluate(_OUTGOING, [_SELECTORS])
            # New bubbles: ids not seen before, or (for bubbles without ids) rows past the old count.
            new = [m for m in rows if m["id"] and m["id"] not in known] or rows[len(before) :]
            mine = [m for m in new if first_line and first_line in " ".join(m["text"].split())] or new
            if mine:
                message_id = mine[-1]["id"] or f"wa-web:{uuid.uuid4().hex}"
                ticks = self._page.evaluate(_OBSERVE, [_SELECTORS, [message_id]])["ticks"]
                if ticks.get(message_id) == "failed":
                    return SendResult(SendStatus.FAILED, message_id, "WhatsApp marked the message as failed")
                self._watched[message_id] = ""
                return SendResult(SendStatus.SENT, message_id)
            time.sleep(0.1)
        if not self._composer_text():
            # The text left the composer, so WhatsApp took it: reporting a failure would send it twice.
            log.warning("sent a WhatsApp Web message whose bubble could not be found; recording it as sent")
            return SendResult(SendStatus.SENT, f"wa-web:{uuid.uuid4().hex}")
        self._page.keyboard.press("Control+A")
        self._page.keyboard.press("Delete")
        return SendResult(SendStatus.FAILED, detail="the message did not leave the composer")

    def _composer_text(self) -> str:
        try:
            return self._page.locator(sel.COMPOSER).first.inner_text(timeout=2_000).strip()
        except PlaywrightError:
            return ""

    def _page_text(self) -> str:
        """The page's visible text (only while waiting for a chat: the whole page is costly to read)."""
        try:
            return self._page.evaluate("() => document.body ? document.body.innerText.slice(0, 20000) : ''")
        except PlaywrightError:
            return ""

    def _dismiss_dialog(self) -> None:
        try:
            button = self._page.locator(sel.DIALOG_OK).first
            if not button.count():
                button = self._page.get_by_role("button", name=re.compile(r"^\s*ok\s*$", re.IGNORECASE)).first
            if button.count():
                button.click(timeout=2_000)
        except Exception:
            log.debug("could not close the dialog", exc_info=True)
