"""lintsov: where does our data really live, and whose law can reach it?"""

from importlib import metadata


def _version() -> str:
    # The installed distribution's metadata is the one place the version is written (in
    # pyproject.toml): `lintsov --version`, reports and caches all read it from there.
    try:
        return metadata.version("lintsov")
    except metadata.PackageNotFoundError:
        # A source checkout on PYTHONPATH, a vendored copy: no metadata, so no version
        # can be claimed honestly.
        return "0+unknown"


__version__ = _version()
