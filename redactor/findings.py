"""What analysis produces and what reports carry: positions, types, scores — never values."""
from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

REPLACE, KEEP = "replace", "keep"

# Overlap resolution: higher wins, then longer, then higher score.
PRIORITY_SENSITIVE = 3   # structured patterns, profile lists, propagation
PRIORITY_INDICATOR = 2   # kept indicators (hashes, CVEs, external IPs/domains/URLs)
PRIORITY_NER = 1         # statistical NER


@dataclass(frozen=True, slots=True)
class Finding:
    entity_type: str
    start: int
    end: int
    score: float
    recognizer: str
    decision: str                 # "replace" or "keep"
    priority: int = PRIORITY_SENSITIVE
    replacement: str | None = None

    def overlaps(self, other: Finding) -> bool:
        return self.start < other.end and other.start < self.end

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d.pop("priority")
        return d


def resolve_overlaps(findings: list[Finding]) -> list[Finding]:
    """Greedy: the strongest finding wins each overlapping region; result sorted by start.

    Linear in the covered length (an occupancy map), so a log with 10^5 findings stays fast.
    """
    if not findings:
        return []
    ranked = sorted(findings, key=lambda f: (-f.priority, -(f.end - f.start), -f.score, f.start))
    occupied = bytearray(max(f.end for f in findings) + 1)
    chosen: list[Finding] = []
    for f in ranked:
        if f.end <= f.start or occupied.find(1, f.start, f.end) != -1:
            continue
        occupied[f.start:f.end] = b"\x01" * (f.end - f.start)
        chosen.append(f)
    return sorted(chosen, key=lambda f: f.start)
