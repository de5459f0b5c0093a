"""JSON pointer -> (line, column) in a composed YAML node tree.

Falls back to the nearest parent that exists, so a finding about a missing or merged key
still lands on a real line.
"""

from __future__ import annotations

from ruamel.yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from svqm_cli.base.findings import Finding, Target


def split_pointer(pointer: str) -> list[str]:
    if not pointer:
        return []
    return [p.replace("~1", "/").replace("~0", "~") for p in pointer.lstrip("/").split("/")]


def placed(finding: Finding, root: Node | None) -> Finding:
    """FINDING with its line and column, from the node tree of its file (the one place a
    finding is given its position: per file in the scan, pack-wide after the rules)."""
    if finding.location.line:
        return finding
    return finding.with_location(*locate(root, finding.location.pointer, finding.target))


def locate(root: Node | None, pointer: str, target: Target = "value") -> tuple[int, int]:
    """1-based (line, column) of the node the pointer names (or of its key)."""
    if root is None:
        return (1, 1)
    node: Node = root
    key_node: Node | None = None
    for part in split_pointer(pointer):
        child, child_key = _child(node, part)
        if child is None:
            key_node = None
            break
        node, key_node = child, child_key
    chosen = key_node if (target == "key" and key_node is not None) else node
    if target == "value" and key_node is not None and _is_empty(node):
        chosen = key_node  # an empty value has no text of its own: point at its key
    return (chosen.start_mark.line + 1, chosen.start_mark.column + 1)


def _is_empty(node: Node) -> bool:
    return isinstance(node, ScalarNode) and node.value == "" and not node.style


def _child(node: Node, part: str) -> tuple[Node | None, Node | None]:
    if isinstance(node, MappingNode):
        found: tuple[Node | None, Node | None] = (None, None)
        for key, value in node.value:
            if isinstance(key, ScalarNode) and key.value == part:
                found = (value, key)  # the last one wins, as in the loaded data
                break
        return found
    if isinstance(node, SequenceNode) and part.isdigit():
        index = int(part)
        if index < len(node.value):
            item: Node = node.value[index]
            return (item, None)
    return (None, None)


def escape_pointer(part: str | int) -> str:
    return str(part).replace("~", "~0").replace("/", "~1")
