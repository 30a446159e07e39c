"""Finding protocol files by id and version, to resolve a variant's ``extends``."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from engine.errors import ProtocolNotFound
from engine.protocol.yamlsource import read_yaml

BUNDLED = Path(__file__).resolve().parent.parent / "protocols"


class ProtocolFiles:
    """Looks in the given folders (in order) for a YAML file with that id and version."""

    def __init__(self, folders: Iterable[Path]) -> None:
        self.folders = [f for f in dict.fromkeys(Path(f).resolve() for f in folders) if f.is_dir()]

    def __call__(self, protocol_id: str, version: int) -> tuple[str, str]:
        for folder in self.folders:
            for path in sorted(folder.glob("*.yaml")):
                text = path.read_text(encoding="utf-8")
                located, problems = read_yaml(text, str(path))
                data = located.data
                if (
                    not problems
                    and isinstance(data, dict)
                    and (data.get("id"), data.get("version"))
                    == (
                        protocol_id,
                        version,
                    )
                ):
                    return text, str(path)
        raise ProtocolNotFound(protocol_id, version)
