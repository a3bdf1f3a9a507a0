"""A pyenv of its own, for running the READMEs' commands the way a pyenv user's shell does.

With pyenv, `python3`, `uv` and every other command are shims that pick a
Python by folder: the nearest `.python-version`, else the global version. A
`uv` installed by pip belongs to one of those Pythons only. The sandbox has
copies of the machine's Pythons as its versions (hard links: a second and
no disk space), so what the commands install there (`python3 -m pip install
uv` writes new files only) never changes the machine's pyenv, and every run
starts from the machine's state. Virtual environments would not do: uv does
not take one for the Python of a new project.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path


def machine_pyenv_root() -> Path | None:
    """The machine's pyenv folder, or None on a machine without pyenv."""
    if shutil.which("pyenv") is None:
        return None
    root = subprocess.run(["pyenv", "root"], capture_output=True, text=True, check=True)
    return Path(root.stdout.strip())


def pyenv_folders(root: Path) -> set[str]:
    """PATH entries of a pyenv installation that a user's shell does not have.

    `pyenv exec` (any shim, `uv run` included) puts the selected version's
    bin folder and pyenv's own folders first on PATH; a shell has only the
    shims and the `pyenv` command.
    """
    folders = {str(root / "libexec")}
    folders |= {str(folder) for folder in root.glob("versions/*/bin")}
    folders |= {str(folder) for folder in root.glob("plugins/*/bin")}
    return folders


@dataclass(frozen=True)
class PyenvSandbox:
    root: Path
    pyenv_command: Path

    @classmethod
    def create(cls, root: Path, global_version: str, *other_versions: str) -> PyenvSandbox | None:
        """A sandbox with the given versions (prefixes such as "3.11"), ``global_version`` global.

        None when the machine has no pyenv or lacks one of the versions.
        """
        machine = machine_pyenv_root()
        pyenv = shutil.which("pyenv")
        if machine is None or pyenv is None:
            return None
        installed = sorted(p.name for p in (machine / "versions").iterdir())
        chosen = {}
        for prefix in (global_version, *other_versions):
            version = next((v for v in installed if v.startswith(prefix + ".")), None)
            if version is None:
                return None
            chosen[prefix] = version
        for version in chosen.values():
            try:
                shutil.copytree(
                    machine / "versions" / version,
                    root / "versions" / version,
                    symlinks=True,
                    copy_function=os.link,
                )
            except OSError:  # e.g. another file system: hard links impossible
                return None
        (root / "version").write_text(chosen[global_version] + "\n", encoding="utf-8")
        sandbox = cls(root, Path(pyenv).resolve().parent.parent / "bin")
        subprocess.run(["pyenv", "rehash"], env=sandbox.shell_env(dict(os.environ)), check=True)
        return sandbox

    def shell_env(self, env: dict[str, str]) -> dict[str, str]:
        """``env`` as a shell with this pyenv set up: its shims first, no version forced."""
        machine = machine_pyenv_root()
        left_out = pyenv_folders(machine) | {str(machine / "shims")} if machine else set()
        path = [p for p in env["PATH"].split(os.pathsep) if p not in left_out]
        shell = {key: value for key, value in env.items() if key != "PYENV_VERSION"}
        shell["PYENV_ROOT"] = str(self.root)
        shell["PATH"] = os.pathsep.join([str(self.root / "shims"), str(self.pyenv_command), *path])
        return shell
