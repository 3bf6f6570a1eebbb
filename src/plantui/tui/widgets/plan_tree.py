"""The theme tree: plan -> themes -> areas -> objectives, each with its ref, a short title and counts.

Counts are symbols with numbers (`✖2 ▲1 ●4`), never colour alone. Each node's data is its ref (the
plan root's is ""), so moving onto a node tells the screen which actions to show.

Labels are made when a line is drawn, not when the tree is built: a plan of 40 themes has some 1,500
nodes, most of them inside closed areas, and making every label up front cost more than the rest of
the first frame. A made label is kept until its counts or the tree's width change; after a change
only the changed action's ancestors are made again.
"""

from __future__ import annotations

from collections import defaultdict
from typing import ClassVar

from rich.style import Style
from rich.text import Text
from textual import events
from textual.binding import Binding, BindingType
from textual.widgets import Tree
from textual.widgets.tree import TreeNode

from plantui.domain.refs import ancestors, parent
from plantui.domain.text import visible
from plantui.domain.views import NodeInfo
from plantui.tui import presentation as p
from plantui.tui.plan_model import PLAN_SCOPE, PlanModel

_MIN_TITLE = 4
_TOGGLE = Style.from_meta({"toggle": True})  # what Tree's click handler looks for on the open/close icon


class PlanTree(Tree[str]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("k", "cursor_up", "Up", show=False),
        Binding("j", "cursor_down", "Down", show=False),
        Binding("space", "toggle_node", "Open/close", show=False, tooltip="Open or close the node"),
        Binding("left,h", "close_or_parent", "Close", show=False),
        Binding("right,l", "open_node", "Open", show=False),
    ]

    def __init__(self, *, id: str | None = None) -> None:
        # Before the reactive settings below, whose watchers already draw labels.
        self.model: PlanModel | None = None
        self._by_ref: dict[str, TreeNode[str]] = {}
        self._labels: dict[str, Text] = {}  # made labels by ref, at `_label_width`
        self._waiting: dict[str, list[NodeInfo]] = defaultdict(list)  # by ref: children not yet added
        self._label_width = 0
        super().__init__("Plan", data=PLAN_SCOPE, id=id)
        self.show_root = True
        self.guide_depth = 2
        self.auto_expand = True  # Enter opens and closes, as space does

    def load(self, model: PlanModel) -> None:
        """Build the tree from the plan's nodes; themes open, areas closed.

        The nodes inside a closed area join the tree when it first opens (or when something goes to
        one of them): most of a big plan's nodes are objectives nobody has opened yet."""
        self.model = model
        self._labels.clear()
        self._waiting.clear()
        self.clear()
        self._by_ref = {PLAN_SCOPE: self.root}
        self.root.data = PLAN_SCOPE
        for node in model.nodes:
            self._waiting[parent(node.ref) or PLAN_SCOPE].append(node)
        self.root.expand()
        self._add_waiting(PLAN_SCOPE)

    def _add(self, owner: TreeNode[str], node: NodeInfo) -> None:
        leaf = node.kind == "objective"
        child = owner.add("", data=node.ref, expand=node.kind == "theme", allow_expand=not leaf)
        self._by_ref[node.ref] = child
        if child.is_expanded:
            self._add_waiting(node.ref)

    def _add_waiting(self, ref: str) -> None:
        """Put the nodes under `ref` into the tree, if they are still waiting."""
        owner = self._by_ref.get(ref)
        if owner is not None:
            for node in self._waiting.pop(ref, ()):
                self._add(owner, node)

    def on_tree_node_expanded(self, event: Tree.NodeExpanded[str]) -> None:
        if event.node.data is not None:
            self._add_waiting(event.node.data)

    def node_for(self, ref: str) -> TreeNode[str] | None:
        for ancestor in ancestors(ref):
            self._add_waiting(ancestor)
        return self._by_ref.get(ref)

    def label_of(self, ref: str) -> Text:
        """The label the node of `ref` shows (its ref, short title and counts), without styles."""
        node = self.node_for(ref)
        assert node is not None, ref
        return self._made_label(ref, node).copy()

    def relabel(self, refs: list[str] | None = None) -> None:
        """Make the labels of these nodes again when next drawn (all when None)."""
        if refs is None:
            self._labels.clear()
            self._invalidate()
            return
        for ref in refs:
            self._labels.pop(ref, None)
            node = self._by_ref.get(ref)
            if node is not None:
                node.refresh()

    def counts_changed(self, action_ref: str) -> None:
        self.relabel([PLAN_SCOPE, *ancestors(action_ref)])

    def get_label_width(self, node: TreeNode[str]) -> int:
        # Labels are made to fit the tree's width (see `_label`), so the tree never scrolls sideways,
        # and a rebuild of its lines need not make every label to measure it.
        return 1

    def render_label(self, node: TreeNode[str], base_style: Style, style: Style) -> Text:
        ref = node.data
        if self.model is None or ref is None:
            return super().render_label(node, base_style, style)
        label = self._made_label(ref, node).copy()
        label.stylize(style)
        if node.allow_expand:
            icon = self.ICON_NODE_EXPANDED if node.is_expanded else self.ICON_NODE
            return Text.assemble((icon, base_style + _TOGGLE), label)
        return label

    def _made_label(self, ref: str, node: TreeNode[str]) -> Text:
        """The node's label at the tree's width now: made once, kept until its counts or the width
        change."""
        width = max(self.scrollable_content_region.width, 20)
        if width != self._label_width:
            self._labels.clear()
            self._label_width = width
        label = self._labels.get(ref)
        if label is None:
            label = self._labels[ref] = self._label(ref, node)
        return label

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
        node = self.node_for(ref)
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
        if self.model is not None and max(self.scrollable_content_region.width, 20) != self._label_width:
            self.relabel()
