"""Model versions kept under the data dir: each ``.npz`` model file with its figures in one JSON
index, which of them is in force, and restoring any earlier one.

``DATA_DIR/models/index.json`` is ``{"active": VERSION | null, "versions": [entry, ...]}``; an
entry holds ``version``, ``file`` (null for a refused candidate, whose file is not kept),
``created_at``, ``status`` (``promoted``, ``refused``, ``restored``), ``reason`` and ``figures``.
No active version means the model shipped with Schoolwatch.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from classifiers.learned import MODEL_PATH, LearnedModel

SHIPPED = "shipped"


class RegistryError(ValueError):
    """An unknown version, or one whose file is not kept."""


@dataclass(frozen=True)
class Registry:
    data_dir: Path

    @property
    def folder(self) -> Path:
        return self.data_dir / "models"

    @property
    def index_path(self) -> Path:
        return self.folder / "index.json"

    def read(self) -> dict[str, Any]:
        try:
            data = json.loads(self.index_path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return {"active": None, "versions": []}
        except (OSError, json.JSONDecodeError) as exc:
            raise RegistryError(f"cannot read {self.index_path}: {exc}") from None
        return dict(data)

    def _write(self, data: dict[str, Any]) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        partial = self.index_path.with_suffix(".json.partial")
        partial.write_text(json.dumps(data, indent=2, ensure_ascii=False), encoding="utf-8")
        os.replace(partial, self.index_path)  # a reader never sees half an index

    def entries(self) -> list[dict[str, Any]]:
        return list(self.read()["versions"])

    def active(self) -> str:
        return str(self.read().get("active") or SHIPPED)

    def active_path(self) -> Path | None:
        """The model file in force, or None for the shipped model."""
        version = self.read().get("active")
        if not version:
            return None
        return self.path_of(str(version))

    def path_of(self, version: str) -> Path:
        if version == SHIPPED:
            return MODEL_PATH
        for entry in self.entries():
            if entry["version"] == version:
                if not entry.get("file"):
                    raise RegistryError(f"version {version} was refused and its file was not kept")
                return self.folder / str(entry["file"])
        raise RegistryError(f"no model version {version}; `schoolwatch model list` shows them")

    def record(
        self,
        version: str,
        status: str,
        reason: str,
        figures: dict[str, Any],
        created_at: str,
        model: LearnedModel | None = None,
    ) -> dict[str, Any]:
        """Adds an entry (saving ``model``'s file when given); a promoted one comes into force."""
        data = self.read()
        entry: dict[str, Any] = {"version": version, "file": None, "created_at": created_at,
                                 "status": status, "reason": reason, "figures": figures,
                                 "replaced": data.get("active") or SHIPPED}  # fmt: skip
        if model is not None:
            self.folder.mkdir(parents=True, exist_ok=True)
            entry["file"] = f"{version}.npz"
            partial = self.folder / f"{version}.npz.partial"
            model.save(partial)
            os.replace(partial, self.folder / entry["file"])
        data["versions"] = [*data["versions"], entry]
        if status == "promoted":
            data["active"] = version
        self._write(data)
        return entry

    def restore(self, version: str, when: str) -> str:
        """Puts ``version`` (or ``shipped``) back in force; the version it replaced."""
        path = self.path_of(version)
        if not path.is_file():
            raise RegistryError(f"the file of version {version} ({path}) is missing")
        data = self.read()
        before = str(data.get("active") or SHIPPED)
        data["active"] = None if version == SHIPPED else version
        data.setdefault("restores", []).append({"version": version, "replaced": before,
                                                "at": when})  # fmt: skip
        self._write(data)
        return before
