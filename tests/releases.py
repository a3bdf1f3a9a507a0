"""The template's releases, as CHANGELOG.md records them, and a scratch repository tagged at each.

A release is recorded by its CHANGELOG heading and, on the line after it, the
commit it was cut from:

    ## [0.1.0] - 2026-12-01

    Cut from commit 0123456789abcdef0123456789abcdef01234567.

The tests never rely on the tags of the clone they run in: they clone the
repository into a scratch folder, tag every recorded release there, and
commit the working tree on top as the next version, so that an update from
each release to the template as it is now can be proven (and uncommitted
changes are part of what is proven).
"""

from __future__ import annotations

import re
import subprocess
from dataclasses import dataclass
from pathlib import Path

from packaging.version import Version

from tests.combinations import TEMPLATE_ROOT
from tests.gitrepo import commit_all, git

CHANGELOG = TEMPLATE_ROOT / "CHANGELOG.md"

SECTION_HEADING = re.compile(r"^## \[(?P<name>[^\]]+)\](?P<rest>.*)$", re.MULTILINE)
RELEASE_REST = re.compile(r" - \d{4}-\d{2}-\d{2}")
CUT_FROM = re.compile(r"^Cut from commit `?(?P<commit>[0-9a-f]{40})`?\.?$", re.MULTILINE)


@dataclass(frozen=True)
class Release:
    version: str
    commit: str

    @property
    def tag(self) -> str:
        return f"v{self.version}"


# Projects were rendered before the first release. This commit stands for them:
# the last one before users.created_at became timezone-aware (89da798), so
# updating from it proves the template migration that catches their users
# table up, on every database.
PRE_RELEASE = Release("0.0.0", "07fa06d5a6f62d6193b6604ac74b133ff76b3ee6")


class ChangelogError(ValueError):
    """CHANGELOG.md records a release in a form the tests cannot use."""


def recorded_releases(changelog: str) -> list[Release]:
    """Every release CHANGELOG.md records, newest first, as written."""
    headings = list(SECTION_HEADING.finditer(changelog))
    releases = []
    for index, heading in enumerate(headings):
        name = heading["name"]
        if name == "Unreleased":
            continue
        end = headings[index + 1].start() if index + 1 < len(headings) else len(changelog)
        section = changelog[heading.end() : end]
        if not RELEASE_REST.fullmatch(heading["rest"]):
            raise ChangelogError(f"## [{name}]: write the heading as '## [{name}] - YYYY-MM-DD'")
        cut_from = CUT_FROM.search(section)
        if cut_from is None:
            raise ChangelogError(f"## [{name}]: add the line 'Cut from commit <full hash>.'")
        releases.append(Release(str(Version(name)), cut_from["commit"]))
    return releases


def update_sources() -> list[Release]:
    """Where an existing project may come from: the pre-release commit and every release."""
    return [
        PRE_RELEASE,
        *sorted(recorded_releases(CHANGELOG.read_text(encoding="utf-8")), key=_key),
    ]


def next_version(releases: list[Release]) -> str:
    """The version the working tree would be released as (the next minor)."""
    newest = max((Version(release.version) for release in releases), default=Version("0.0.0"))
    return f"{newest.major}.{newest.minor + 1}.0"


def _key(release: Release) -> Version:
    return Version(release.version)


@dataclass(frozen=True)
class TemplateHistory:
    """A scratch clone of the template: one tag per release, the working tree as the newest."""

    path: Path
    releases: tuple[Release, ...]
    head: Release

    @classmethod
    def create(cls, destination: Path, snapshot: Path, releases: list[Release]) -> TemplateHistory:
        """Clone the repository to ``destination`` and tag it.

        ``snapshot`` is a copy of the working tree (see rendering.py); it is
        committed on top of the current commit and tagged as the next version.
        """
        missing = [release for release in releases if not _has_commit(release.commit)]
        if missing:
            raise RuntimeError(
                f"this clone lacks the commits of {', '.join(r.tag for r in missing)}: "
                "the update tests need the repository's history (git fetch --unshallow)"
            )
        subprocess.run(
            [
                "git",
                "clone",
                "--quiet",
                "--no-checkout",
                "--no-tags",
                str(TEMPLATE_ROOT),
                str(destination),
            ],
            check=True,
            capture_output=True,
        )
        for release in releases:
            git(destination, "tag", release.tag, release.commit)
        # The clone's index is empty (nothing checked out), so adding the
        # snapshot as the work tree stages exactly the snapshot's files.
        git(destination, f"--work-tree={snapshot}", "add", "-A")
        git(destination, "commit", "-q", "--allow-empty", "-m", "The template as it is now")
        git(destination, "checkout", "-q", "--", ".")
        head = Release(next_version(releases), git(destination, "rev-parse", "HEAD").strip())
        git(destination, "tag", head.tag)
        return cls(destination, tuple(releases), head)

    def commit_change(self, message: str) -> Release:
        """Commit the clone's work tree as one more version, after the others."""
        commit_all(self.path, message)
        release = Release(
            next_version([*self.releases, self.head]), git(self.path, "rev-parse", "HEAD").strip()
        )
        git(self.path, "tag", release.tag)
        return release


def _has_commit(commit: str) -> bool:
    result = subprocess.run(
        ["git", "cat-file", "-e", f"{commit}^{{commit}}"],
        cwd=TEMPLATE_ROOT,
        capture_output=True,
        check=False,
    )
    return result.returncode == 0
