"""A real terminal for the benchmarks: a private tmux server driven through one control-mode client.

Control mode (`tmux -C`) lets the harness send keys and read the screen by writing commands to one
long-lived process, instead of starting a `tmux` process for every poll (which on a busy 2-core
machine costs several milliseconds each and competes with the app being measured). Output the app
writes to its pane arrives as `%output` notifications, time-stamped here as they are read, so the
harness also knows when the app last drew.
"""

from __future__ import annotations

import contextlib
import os
import queue
import shlex
import subprocess
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field


class TerminalError(RuntimeError):
    """tmux is missing, a command failed, or the program never showed what was awaited."""

    def __init__(self, message: str, screen: str = "") -> None:
        super().__init__(message)
        self.screen = screen  # what the terminal showed when it went wrong, for the log


@dataclass
class Window:
    """One program running in its own tmux window."""

    terminal: TmuxTerminal
    target: str  # e.g. "@3"
    pane: str  # e.g. "%3"
    started_at: float  # time.monotonic() just before the window was asked for

    def screen(self, styled: bool = False) -> str:
        """The screen's text; `styled` keeps colours and attributes (a moved cursor may change only those)."""
        flags = "-p -e" if styled else "-p"
        return "\n".join(self.terminal.command(f"capture-pane {flags} -t {self.pane}"))

    def send(self, *keys: str, literal: bool = False) -> float:
        """Send keys (tmux key names, or text when `literal`); returns the time they were sent."""
        flag = "-l " if literal else ""
        quoted = " ".join(shlex.quote(key) for key in keys)
        sent = time.monotonic()
        self.terminal.command(f"send-keys -t {self.pane} {flag}{quoted}")
        return sent

    def wait(
        self, predicate: Callable[[str], bool], timeout: float, interval: float = 0.002, styled: bool = False
    ) -> tuple[float, str]:
        """Poll the screen until `predicate(screen)`; returns (the time it first held, the screen)."""
        deadline = time.monotonic() + timeout
        while True:
            text = self.screen(styled)
            now = time.monotonic()
            if predicate(text):
                return now, text
            if now > deadline:
                raise TerminalError(f"timed out after {timeout:.0f} s", text)
            if not self.alive():
                raise TerminalError("the program exited", text)
            time.sleep(interval)

    def drawn_at(self, since: float, seen: float) -> float:
        """When the app last wrote to the terminal before its screen was `seen` (else `seen`)."""
        wrote = self.terminal.last_output.get(self.pane, 0.0)
        return wrote if since < wrote <= seen else seen

    def settle(self, quiet: float = 0.3, timeout: float = 5) -> str:
        """Wait until the screen has not changed for `quiet` seconds (toasts, late layout)."""
        deadline = time.monotonic() + timeout
        text, since = self.screen(styled=True), time.monotonic()
        while time.monotonic() < deadline:
            time.sleep(0.02)
            now_text = self.screen(styled=True)
            if now_text != text:
                text, since = now_text, time.monotonic()
            elif time.monotonic() - since >= quiet:
                break
        return text

    def pid(self) -> int:
        return int(self.terminal.command(f"display-message -p -t {self.pane} '#{{pane_pid}}'")[0])

    def alive(self) -> bool:
        lines = self.terminal.command(f"display-message -p -t {self.pane} '#{{pane_dead}}'")
        return bool(lines) and lines[0] == "0"

    def close(self) -> None:
        with contextlib.suppress(TerminalError):
            self.terminal.command(f"kill-window -t {self.target}")


@dataclass
class TmuxTerminal:
    """A tmux server on a private socket with windows of a fixed size."""

    columns: int = 120
    rows: int = 36
    socket: str = field(default_factory=lambda: f"plantui-bench-{os.getpid()}")
    _client: subprocess.Popen | None = None
    _replies: queue.Queue = field(default_factory=queue.Queue)
    _lock: threading.Lock = field(default_factory=threading.Lock)
    last_output: dict[str, float] = field(default_factory=dict)  # pane -> when it last wrote

    def __enter__(self) -> TmuxTerminal:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def _tmux(self, *args: str) -> None:
        result = subprocess.run(
            ["tmux", "-L", self.socket, "-f", "/dev/null", *args], capture_output=True, text=True
        )
        if result.returncode:
            raise TerminalError(f"tmux {' '.join(args)}: {result.stderr.strip()}")

    def start(self) -> None:
        try:
            self._tmux("new-session", "-d", "-s", "bench", "-x", str(self.columns), "-y", str(self.rows))
        except FileNotFoundError:
            raise TerminalError("tmux is not installed (apt-get install -y tmux)") from None
        for option in (
            ("set-option", "-g", "remain-on-exit", "on"),
            ("set-option", "-g", "status", "off"),
            ("set-option", "-g", "default-terminal", "xterm-256color"),
        ):
            self._tmux(*option)
        self._client = subprocess.Popen(
            ["tmux", "-L", self.socket, "-C", "attach", "-t", "bench"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
        )
        threading.Thread(target=self._read, daemon=True).start()
        try:  # attaching answers with one empty block before any command is read
            self._replies.get(timeout=30)
        except queue.Empty:
            raise TerminalError("tmux control mode did not start") from None
        # Windows take the size of the one client (tmux 3.3 crashes with window-size manual here).
        self.command(f"refresh-client -C {self.columns}x{self.rows}")

    def _read(self) -> None:
        assert self._client is not None and self._client.stdout is not None
        block: list[str] | None = None
        for raw in self._client.stdout:
            line = raw.decode("utf-8", "replace").rstrip("\n")
            if block is not None:
                if line.startswith(("%end ", "%error ")):
                    self._replies.put((line.startswith("%end"), block))
                    block = None
                else:
                    block.append(line)
            elif line.startswith("%begin "):
                block = []
            elif line.startswith("%output "):
                self.last_output[line.split(" ", 2)[1]] = time.monotonic()
        self._replies.put((False, ["tmux control client ended"]))

    def command(self, text: str, timeout: float = 30) -> list[str]:
        if self._client is None or self._client.stdin is None:
            raise TerminalError("the terminal is not started")
        with self._lock:
            self._client.stdin.write(text.encode() + b"\n")
            self._client.stdin.flush()
            try:
                ok, lines = self._replies.get(timeout=timeout)
            except queue.Empty:
                raise TerminalError(f"tmux did not answer {text!r}") from None
        if not ok:
            raise TerminalError(f"tmux {text}: {' '.join(lines)}")
        return lines

    def open(self, argv: list[str], env: dict[str, str] | None = None, cwd: str | None = None) -> Window:
        """Start `argv` in a new window of the fixed size; the clock starts just before."""
        assignments = " ".join(f"{key}={shlex.quote(value)}" for key, value in (env or {}).items())
        shell = f"cd {shlex.quote(cwd or os.getcwd())} && exec env {assignments} {shlex.join(argv)}"
        started = time.monotonic()
        target, pane = self.command(
            f"new-window -d -P -F '#{{window_id}} #{{pane_id}}' -t bench: {shlex.quote(shell)}"
        )[0].split()
        return Window(self, target, pane, started)

    def stop(self) -> None:
        if self._client is not None:
            with contextlib.suppress(TerminalError):
                self._tmux("kill-server")
            self._client.terminate()
            self._client.wait(timeout=5)
            self._client = None
