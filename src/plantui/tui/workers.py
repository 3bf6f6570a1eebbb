"""Store work in thread workers that says in one line when it fails.

`@failures_told("Export failed: ")` wraps a thread worker's body (a method of the app, a screen or a
helper with `.app`): an error the store or the file system raises becomes one notice, posted to the
UI thread, and the worker ends quietly instead of taking the app down with it.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from plantui.domain.errors import PlantuiError
from plantui.domain.text import visible

Job = TypeVar("Job", bound=Callable[..., Any])


def failures_told(
    prefix: str = "",
    *,
    errors: tuple[type[BaseException], ...] = (PlantuiError,),
    severity: str = "error",
    timeout: float | None = None,
    markup: bool = True,
) -> Callable[[Job], Job]:
    """Tell `prefix` + the error in a notice when the wrapped worker body raises one of `errors`.
    With `markup=False` the error is shown as plain text (it may quote stored data)."""

    def wrap(job: Job) -> Job:
        @wraps(job)
        def run(owner: Any, *args: Any, **kwargs: Any) -> Any:
            try:
                return job(owner, *args, **kwargs)
            except errors as error:
                app = owner.app
                text = f"{prefix}{error}" if markup else f"{prefix}{visible(str(error))}"
                options: dict[str, Any] = {"severity": severity}
                if timeout is not None:
                    options["timeout"] = timeout
                if not markup:
                    options["markup"] = False
                app.call_from_thread(app.notify, text, **options)
                return None

        return run  # type: ignore[return-value]

    return wrap
