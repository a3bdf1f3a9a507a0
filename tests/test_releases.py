"""Releases are recorded in CHANGELOG.md in a form the update tests can use.

test_release_updates.py updates a project from every recorded release; a
release recorded in another form, or cut from a commit this repository does
not have, would silently drop out of that proof, so it fails here.
"""

from __future__ import annotations

import subprocess

import pytest

from tests.combinations import TEMPLATE_ROOT
from tests.releases import (
    CHANGELOG,
    PRE_RELEASE,
    ChangelogError,
    Release,
    next_version,
    recorded_releases,
)

pytestmark = pytest.mark.render

COMMIT = "0123456789abcdef0123456789abcdef01234567"
OTHER_COMMIT = "89abcdef0123456789abcdef0123456789abcdef"


def test_release_headings_are_read_with_their_commits() -> None:
    changelog = f"""# Changelog

## [Unreleased]

- Something new.

## [0.2.0] - 2027-01-15

Cut from commit {OTHER_COMMIT}.

### Fixed

## [0.1.0] - 2026-12-01

Cut from commit `{COMMIT}`.
"""
    assert recorded_releases(changelog) == [
        Release("0.2.0", OTHER_COMMIT),
        Release("0.1.0", COMMIT),
    ]


@pytest.mark.parametrize(
    ("section", "complaint"),
    [
        ("## [0.1.0] - 2026-12-01\n\n### Added\n", "Cut from commit"),
        (f"## [0.1.0]\n\nCut from commit {COMMIT}.\n", "YYYY-MM-DD"),
        (f"## [0.1.0] - 2026-12-01\n\nCut from commit {COMMIT[:7]}.\n", "Cut from commit"),
    ],
    ids=["no-commit", "no-date", "short-hash"],
)
def test_a_release_recorded_incompletely_is_refused(section: str, complaint: str) -> None:
    with pytest.raises(ChangelogError, match=complaint):
        recorded_releases(f"# Changelog\n\n## [Unreleased]\n\n{section}")


def test_the_working_tree_is_tagged_as_the_next_minor_version() -> None:
    assert next_version([]) == "0.1.0"
    assert next_version([PRE_RELEASE, Release("0.3.1", COMMIT)]) == "0.4.0"


def test_every_recorded_release_is_in_this_repository_history() -> None:
    releases = [PRE_RELEASE, *recorded_releases(CHANGELOG.read_text(encoding="utf-8"))]
    versions = [release.version for release in releases]
    assert len(set(versions)) == len(versions), versions

    for release in releases:
        ancestor = subprocess.run(
            ["git", "merge-base", "--is-ancestor", release.commit, "HEAD"],
            cwd=TEMPLATE_ROOT,
            capture_output=True,
            text=True,
            check=False,
        )
        assert ancestor.returncode == 0, (
            f"{release.tag} was cut from {release.commit}, which is not in this clone's history "
            f"(a shallow clone? git fetch --unshallow): {ancestor.stderr}"
        )
