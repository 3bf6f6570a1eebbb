"""The theme tree: plan -> themes -> areas -> objectives, each with its ref, a short title and counts.

Counts are symbols with numbers (`✖2 ▲1 ●4`), never colour alone. Each node's data is its ref (the
plan root's is ""), so moving onto a node tells the screen which actions to show. After a change only
the labels of the changed action's ancestors are redrawn.
"""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import events
from textual.binding import Binding, BindingType
from textual.widgets import Tree
from textual.widgets.tree import TreeNode

from plantui.domain.refs import ancestors, parent
from plantui.domain.text import visible
from plantui.tui import presentation as p
from plantui.tui.plan_model import PLAN_SCOPE, PlanModel

_MIN_TITLE = 4


class PlanTree(Tree[str]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("k", "cursor_up", "Up", show=False),
        Binding("j", "cursor_down", "Down", show=False),
        Binding("space", "toggle_node", "Open/close", show=False, tooltip="Open or close the node"),
        Binding("left,h", "close_or_parent", "Close", show=False),
        Binding("right,l", "open_node", "Open", show=False),
    ]

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__("Plan", data=PLAN_SCOPE, id=id)
        self.show_root = True
        self.guide_depth = 2
        self.auto_expand = True  # Enter opens and closes, as space does
        self.model: PlanModel | None = None
        self._by_ref: dict[str, TreeNode[str]] = {}
        self._label_width = 0

    def load(self, model: PlanModel) -> None:
        """Build the tree from the plan's nodes; themes open, areas closed."""
        self.model = model
        self.clear()
        self._by_ref = {PLAN_SCOPE: self.root}
        self.root.data = PLAN_SCOPE
        for node in model.nodes:
            owner = self._by_ref[parent(node.ref) or PLAN_SCOPE]
            leaf = node.kind == "objective"
            child = owner.add("", data=node.ref, expand=node.kind == "theme", allow_expand=not leaf)
            self._by_ref[node.ref] = child
        self.root.expand()
        self.relabel()
        self.call_after_refresh(self.relabel)  # again once laid out, at the width the tree really has

    def node_for(self, ref: str) -> TreeNode[str] | None:
        return self._by_ref.get(ref)

    def relabel(self, refs: list[str] | None = None) -> None:
        """Redraw the labels of these nodes (all when None)."""
        if self.model is None:
            return
        self._label_width = max(self.scrollable_content_region.width, 20)
        for ref in self._by_ref if refs is None else refs:
            node = self._by_ref.get(ref)
            if node is not None:
                node.set_label(self._label(ref, node))

    def counts_changed(self, action_ref: str) -> None:
        self.relabel([PLAN_SCOPE, *ancestors(action_ref)])

    def _label(self, ref: str, node: TreeNode[str]) -> Text:
        assert self.model is not None
        if ref == PLAN_SCOPE:
            title = "Whole plan"
            head = Text("", end="")
        else:
            info = self.model.node_by_ref[ref]
            title = visible(info.title)
            head = Text(f"{ref} ", style="bold", end="")
        depth = ref.count(".") + 1 if ref else 0
        width = self._label_width - (depth + 1) * self.guide_depth - head.cell_len
        counts = p.counts_text(self.model.counts[ref])
        if counts.cell_len > width:  # big plans: the symbols alone separate the numbers
            counts = p.counts_text(self.model.counts[ref], gap="")
        if counts.cell_len > width and ref != PLAN_SCOPE:
            # Never a clipped number that reads as a smaller one: cut visibly; the filter line
            # above the table gives the selected node's counts in full.
            counts.truncate(max(width, 1), overflow="ellipsis")
        if ref == PLAN_SCOPE and counts.cell_len + len(title) + 1 > width:
            title = "All"
            if counts.cell_len + len(title) + 1 > width:
                counts = Text("(totals above)", style="dim", end="")  # the totals line has them in full
        # The counts must stay in view; the title gives way (the filter line shows it in full).
        room = width - counts.cell_len - 1
        label = head
        if room >= _MIN_TITLE or ref == PLAN_SCOPE:
            short = Text(title, end="")
            short.truncate(max(room, 3), overflow="ellipsis")
            label.append_text(short)
            label.append(" ")
        label.append_text(counts)
        return label

    def select_ref(self, ref: str) -> bool:
        """Open the way to a node and put the cursor on it."""
        node = self._by_ref.get(ref)
        if node is None:
            return False
        for ancestor in ancestors(ref):
            owner = self._by_ref.get(ancestor)
            if owner is not None:
                owner.expand()
        self.root.expand()
        self.call_after_refresh(self._move_to, node)
        return True

    def _move_to(self, node: TreeNode[str]) -> None:
        self.move_cursor(node)
        self.scroll_to_node(node, animate=False)

    def action_close_or_parent(self) -> None:
        node = self.cursor_node
        if node is None:
            return
        if node.is_expanded and node.allow_expand:
            node.collapse()
        elif node.parent is not None:
            self.move_cursor(node.parent)

    def action_open_node(self) -> None:
        node = self.cursor_node
        if node is not None and node.allow_expand:
            node.expand()

    def on_resize(self, _event: events.Resize) -> None:
        if self.model is not None and self.scrollable_content_region.width != self._label_width:
            self.relabel()
