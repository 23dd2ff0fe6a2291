"""The cycle collector, paused while a plan is read and resolved, and while findings are
judged and rendered."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def paused() -> Iterator[None]:
    """Run the block without the cycle collector, then restore it as it was.

    Reading a plan builds hundreds of thousands of objects (decoded structs, resources,
    evidence) that form no reference cycles: reference counting frees them all, and the
    collector would only walk them again and again as they survive its generations (a
    tenth of a 50k-resource run).

    What the block leaves behind then moves to the collector's permanent generation
    (``gc.freeze``): otherwise the first collection after the pause would walk all of it
    at once, and later ones again as it ages, which is the cost the pause avoids.
    Reference counting still frees those objects as usual; only a reference cycle among
    them would stay until ``gc.unfreeze()``, and reading a plan makes none.
    """
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if collecting:
            gc.freeze()
            gc.enable()
