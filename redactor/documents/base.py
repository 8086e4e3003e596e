"""A document is an ordered list of text segments, each with a locator back into its file.

Analysis runs on the joined text (segments separated by a newline) so NER sees context;
`split()` maps findings on the joined text back to per-segment edits.
"""
from __future__ import annotations

import bisect
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

SEPARATOR = "\n"


def replacement_spans(edits: list[tuple[int, int, str]]) -> list[tuple[int, int]]:
    """Where each non-empty replacement of sorted (start, end, replacement) edits sits in the
    edited text."""
    spans, shift = [], 0
    for s, e, repl in edits:
        if repl:
            spans.append((s + shift, s + shift + len(repl)))
        shift += len(repl) - (e - s)
    return spans


@dataclass
class Segment:
    text: str
    locator: str


@dataclass
class Document:
    path: Path
    format: str
    segments: list[Segment]
    meta: dict[str, Any] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)   # report lines (never values)
    output_suffix: str | None = None                 # e.g. ".md" for PDF input

    @property
    def text(self) -> str:
        return SEPARATOR.join(s.text for s in self.segments)

    def offsets(self) -> list[int]:
        out, pos = [], 0
        for s in self.segments:
            out.append(pos)
            pos += len(s.text) + len(SEPARATOR)
        return out

    def segment_edits(self, edits: list[tuple[int, int, str]]) -> list[list[tuple[int, int, str]]]:
        """Split (start, end, replacement) edits on the joined text into per-segment edits.

        An edit that crosses a segment boundary writes its replacement in the first segment
        and removes the rest of the span from the following ones.
        """
        starts = self.offsets()
        per_segment: list[list[tuple[int, int, str]]] = [[] for _ in self.segments]
        for start, end, repl in edits:
            first = True
            i = max(0, bisect.bisect_right(starts, start) - 1)
            while i < len(starts) and starts[i] < end:
                seg_start = starts[i]
                seg_end = seg_start + len(self.segments[i].text)
                s, e = max(start, seg_start), min(end, seg_end)
                if s < e:
                    per_segment[i].append((s - seg_start, e - seg_start, repl if first else ""))
                    first = False
                i += 1
        return per_segment

    def output_spans(self, per_segment: list[list[tuple[int, int, str]]]) -> list[tuple[int, int]]:
        """Where the replacements sit in the joined output text (sorted): what verification
        leaves alone when it re-scans exactly that text."""
        spans: list[tuple[int, int]] = []
        pos = 0
        for seg, seg_edits in zip(self.segments, per_segment):
            edits = sorted(seg_edits)
            spans.extend((pos + s, pos + e) for s, e in replacement_spans(edits))
            pos += len(seg.text) + sum(len(r) - (e - s) for s, e, r in edits) + len(SEPARATOR)
        return spans

    def apply(self, per_segment: list[list[tuple[int, int, str]]]) -> list[str]:
        """New segment texts after per-segment edits."""
        out = []
        for seg, seg_edits in zip(self.segments, per_segment):
            parts, pos = [], 0
            for s, e, repl in sorted(seg_edits):
                parts.append(seg.text[pos:s])
                parts.append(repl)
                pos = e
            parts.append(seg.text[pos:])
            out.append("".join(parts))
        return out
