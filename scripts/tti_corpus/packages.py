"""The corpus apps' builds: fetched with `npm pack`, checked against their pinned integrity.

`npm pack NAME@VERSION` takes the package's tarball from the npm registry with npm's own
client and runs none of its scripts; its sha512 must equal the one pinned in `apps.py`.
Only the files the page loads, the licence and package.json are unpacked, into
`scripts/tti_corpus/packages/<package>@<version>/` (ignored by git), so the corpus is a
few megabytes and carries no source maps.
"""

from __future__ import annotations

import base64
import hashlib
import shutil
import subprocess
import tarfile
import tempfile
from pathlib import Path

from tti_corpus.apps import CorpusApp

PACKAGES_DIR = Path(__file__).resolve().parent / "packages"
_COMPLETE_MARK = ".complete"


class CorpusPackageError(RuntimeError):
    """A corpus package could not be fetched, or is not the one pinned."""


def package_dir(app: CorpusApp, root: Path = PACKAGES_DIR) -> Path:
    """Where the app's unpacked files live."""
    return root / f"{app.package.replace('/', '+')}@{app.version}"


def is_fetched(app: CorpusApp, root: Path = PACKAGES_DIR) -> bool:
    return (package_dir(app, root) / _COMPLETE_MARK).exists()


def integrity_of(tarball: Path) -> str:
    """The tarball's Subresource-Integrity string, as npm writes it (sha512-<base64>)."""
    digest = hashlib.sha512(tarball.read_bytes()).digest()
    return "sha512-" + base64.b64encode(digest).decode("ascii")


def unpack(app: CorpusApp, tarball: Path, root: Path = PACKAGES_DIR) -> Path:
    """Check the tarball against the pin and unpack the files the corpus uses."""
    found = integrity_of(tarball)
    if found != app.integrity:
        raise CorpusPackageError(
            f"{app.package}@{app.version}: integrity {found} is not the pinned {app.integrity}"
        )
    wanted = {"package.json", app.licence_file, *app.files}
    target = package_dir(app, root)
    if target.exists():
        shutil.rmtree(target)
    with tarfile.open(tarball, "r:gz") as archive:
        members = {
            member.name.removeprefix("package/"): member
            for member in archive.getmembers()
            if member.isfile()
        }
        missing = sorted(wanted - members.keys())
        if missing:
            raise CorpusPackageError(f"{app.package}@{app.version} has no {', '.join(missing)}")
        for name in sorted(wanted):
            destination = target / name
            destination.parent.mkdir(parents=True, exist_ok=True)
            source = archive.extractfile(members[name])
            assert source is not None  # a regular file always has a body
            destination.write_bytes(source.read())
    (target / _COMPLETE_MARK).write_text(app.integrity, encoding="utf-8")
    return target


def fetch(app: CorpusApp, root: Path = PACKAGES_DIR) -> Path:
    """The app's files on disk, fetched with `npm pack` when they are not there yet."""
    if is_fetched(app, root):
        return package_dir(app, root)
    npm = shutil.which("npm")
    if npm is None:
        raise CorpusPackageError("npm is not installed (bash scripts/setup.sh installs it)")
    with tempfile.TemporaryDirectory(prefix="tti-corpus-") as scratch:
        completed = subprocess.run(
            [npm, "pack", f"{app.package}@{app.version}", "--pack-destination", scratch],
            capture_output=True,
            text=True,
            check=False,
            timeout=300,
        )
        tarballs = list(Path(scratch).glob("*.tgz"))
        if completed.returncode != 0 or len(tarballs) != 1:
            raise CorpusPackageError(
                f"npm pack {app.package}@{app.version} failed: {completed.stderr.strip()[-500:]}"
            )
        return unpack(app, tarballs[0], root)
