"""Watching a solution file: one grade per save, whatever way the editor saves.

Editors save in place (truncate, then write, sometimes in two writes), by rename (write a
temporary file, then move it over the original: the watched inode vanishes) or by writing twice
(content, then metadata). So the directory is watched, not the file; after a change comes a short
quiet period for the save to finish; and a grade starts only when the file's text differs from
the text graded last. watchfiles gets the OS's events (inotify, FSEvents, ReadDirectoryChangesW)
and polls where there are none (network drives, some containers); QUIZDL_WATCH_POLL=1 forces it.
"""

from __future__ import annotations

import os
import threading
import time
from pathlib import Path

QUIET_S = 0.025  # a save is over when the file has been left alone this long (editors write twice within ms)
MAX_SETTLE_S = 1.5  # ... or at the latest after this (an editor that keeps writing)
VANISHED_S = 1.0  # a rename-save: how long the file may be missing before it counts as deleted


class FileWatch:
    """Set `changed` whenever something happens to `path` (including a rename onto it)."""

    def __init__(self, path: Path, force_polling: bool | None = None) -> None:
        self.path = Path(path).absolute()
        if force_polling is None:
            force_polling = os.environ.get("QUIZDL_WATCH_POLL") == "1" or None
        self.force_polling = force_polling
        self.changed = threading.Event()
        self._stop = threading.Event()
        self._ready = threading.Event()
        self.error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, name="quizdl-watch", daemon=True)
        self._thread.start()
        self._ready.wait(2.0)

    def _run(self) -> None:
        import watchfiles

        name = self.path.name

        def only_this_file(change, path: str) -> bool:
            return os.path.basename(path) == name

        try:
            self._ready.set()
            for _changes in watchfiles.watch(
                self.path.parent, watch_filter=only_this_file, debounce=50, step=10,
                stop_event=self._stop, force_polling=self.force_polling, poll_delay_ms=100,
                recursive=False, raise_interrupt=False,
            ):
                self.changed.set()
        except BaseException as exc:  # reported by the screen: watching stopped
            self.error = exc
            self.changed.set()

    def wait_for_save(self, timeout: float) -> bool:
        """True once a change has been seen and the file has then been quiet for QUIET_S."""
        if not self.changed.wait(timeout):
            return False
        deadline = time.monotonic() + MAX_SETTLE_S
        while True:
            self.changed.clear()
            if not self.changed.wait(QUIET_S) or time.monotonic() > deadline:
                return True

    def close(self) -> None:
        self._stop.set()
        self._thread.join(timeout=2.0)


def wait_until_present(path: Path) -> bool:
    """Wait out a rename-save (the file briefly missing); False when it stays missing."""
    deadline = time.monotonic() + VANISHED_S
    while not path.exists():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.02)
    return True
