"""The theme tree: plan -> themes -> areas -> objectives, each with its ref, a short title and counts.

Counts are symbols with numbers (`✖2 ▲1 ●4`), never colour alone. Each node's `data` is its ref (the
plan root's is ""), so moving onto a node tells the screen which actions to show.

Drawn with Textual's line API, like the action table: only the lines in view are drawn, each node's
line is kept until that node changes, a cursor step repaints two lines and a saved change repaints the
lines of the action's objective, area, theme and the plan, nothing else. (Textual's stock Tree
repaints a node with everything under it, which for the plan's root is the whole tree.)
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import ClassVar

from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual import events
from textual.binding import Binding, BindingType
from textual.geometry import Region, Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from plantui.domain.refs import ancestors, parent
from plantui.domain.text import visible
from plantui.tui import presentation as p
from plantui.tui.plan_model import PLAN_SCOPE, PlanModel
from plantui.tui.widgets.line_cursor import CURSOR_BINDINGS, LineCursor

_MIN_TITLE = 4
_OPEN, _CLOSED = "▼ ", "▶ "


@dataclass(eq=False)
class PlanNode:
    """One line of the tree: the plan, a theme, an area or an objective."""

    tree: PlanTree = field(repr=False)
    ref: str
    parent: PlanNode | None
    expandable: bool
    expanded: bool = False
    children: list[PlanNode] = field(default_factory=list)
    line: int = -1  # its line while shown, else -1

    @property
    def data(self) -> str:
        return self.ref

    @property
    def label(self) -> Text:
        """Ref, short title and counts, fitted to the tree's width."""
        return self.tree.label_of(self)

    @property
    def depth(self) -> int:
        return 0 if self.parent is None else self.parent.depth + 1

    @property
    def is_last(self) -> bool:
        return self.parent is None or self.parent.children[-1] is self


class PlanTree(LineCursor, ScrollView, can_focus=True):
    BINDINGS: ClassVar[list[BindingType]] = [
        *CURSOR_BINDINGS,
        Binding("space,enter", "toggle_node", "Open/close", show=False, tooltip="Open or close the node"),
        Binding("left,h", "close_or_parent", "Close", show=False),
        Binding("right,l", "open_node", "Open", show=False),
    ]

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "plan-tree--guides",
        "plan-tree--cursor",
        "plan-tree--cursor-blurred",
    }

    DEFAULT_CSS = """
    PlanTree { overflow-x: hidden; overflow-y: auto; }
    """

    guide_depth = 2  # cells of indent per level

    cursor_line: reactive[int] = reactive(0, always_update=True, repaint=False, init=False)

    class NodeHighlighted(Message):
        """The cursor is on another node."""

        def __init__(self, tree: PlanTree, node: PlanNode) -> None:
            super().__init__()
            self.tree = tree
            self.node = node

        @property
        def control(self) -> PlanTree:
            return self.tree

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.model: PlanModel | None = None
        self.root = PlanNode(self, PLAN_SCOPE, None, expandable=True, expanded=True)
        self._by_ref: dict[str, PlanNode] = {PLAN_SCOPE: self.root}
        self._shown: list[PlanNode] = [self.root]  # the nodes on lines, top to bottom
        # Labels are worked out when a line is first drawn (or asked for), at the width it is drawn.
        self._labels: dict[str, Text] = {}
        self._strips: dict[tuple[str, bool], Strip] = {}
        self._label_width = 0
        self._base: Style | None = None
        self._last_reported: PlanNode | None = None
        self.root.line = 0

    # --- the plan -------------------------------------------------------------------------------------

    def load(self, model: PlanModel) -> None:
        """Build the tree from the plan's nodes; themes open, areas closed."""
        self.model = model
        self.root = PlanNode(self, PLAN_SCOPE, None, expandable=True, expanded=True)
        self._by_ref = {PLAN_SCOPE: self.root}
        for info in model.nodes:
            owner = self._by_ref[parent(info.ref) or PLAN_SCOPE]
            leaf = info.kind == "objective"
            node = PlanNode(self, info.ref, owner, expandable=not leaf, expanded=info.kind == "theme")
            owner.children.append(node)
            self._by_ref[info.ref] = node
        self._last_reported = None
        self._labels.clear()
        self._strips.clear()
        self._show_lines()
        self._move(0)

    def node_for(self, ref: str) -> PlanNode | None:
        return self._by_ref.get(ref)

    @property
    def cursor_node(self) -> PlanNode | None:
        return self._shown[self.cursor_line] if 0 <= self.cursor_line < len(self._shown) else None

    def relabel(self, refs: list[str] | None = None) -> None:
        """Forget the labels of these nodes (all when None) and repaint the ones in view."""
        if refs is None:
            self._labels.clear()
            self._strips.clear()
            self.refresh()
            return
        for ref in refs:
            node = self._by_ref.get(ref)
            if node is not None:
                self._labels.pop(ref, None)
                self._strips.pop((ref, False), None)
                self._strips.pop((ref, True), None)
                self._refresh_node(node)

    def counts_changed(self, action_ref: str) -> None:
        self.relabel([PLAN_SCOPE, *ancestors(action_ref)])

    def label_of(self, node: PlanNode) -> Text:
        self._fit_to(self.scrollable_content_region.width)
        label = self._labels.get(node.ref)
        if label is None:
            label = self._labels[node.ref] = self._label(node) if self.model is not None else Text()
        return label

    def _fit_to(self, width: int) -> None:
        """Labels and lines are made for one width; a new width (a scrollbar came or went) remakes them."""
        width = max(width, 20)
        if width != self._label_width:
            self._label_width = width
            self._labels.clear()
            self._strips.clear()

    def _label(self, node: PlanNode) -> Text:
        assert self.model is not None
        ref = node.ref
        if ref == PLAN_SCOPE:
            title = "Whole plan"
            head = Text("", end="")
        else:
            title = visible(self.model.node_by_ref[ref].title)
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

    # --- opening and closing --------------------------------------------------------------------------

    def _show_lines(self) -> None:
        """Lay out the lines again after a node opened or closed."""
        for node in self._shown:
            node.line = -1
        shown: list[PlanNode] = []

        def add(node: PlanNode) -> None:
            node.line = len(shown)
            shown.append(node)
            if node.expanded:
                for child in node.children:
                    add(child)

        add(self.root)
        self._shown = shown
        self.virtual_size = Size(0, len(shown))
        self.refresh()

    def _set_expanded(self, node: PlanNode, expanded: bool) -> None:
        if node.expandable and node.expanded != expanded:
            current = self.cursor_node
            node.expanded = expanded
            self._strips.pop((node.ref, False), None)
            self._strips.pop((node.ref, True), None)
            self._show_lines()
            if current is not None:
                # Closing a node above the cursor with the cursor inside it puts the cursor on it.
                while current.line < 0 and current.parent is not None:
                    current = current.parent
                self._move(current.line)

    def select_ref(self, ref: str) -> bool:
        """Open the way to a node and put the cursor on it."""
        node = self._by_ref.get(ref)
        if node is None:
            return False
        owner = node.parent
        opened = False
        while owner is not None:
            if not owner.expanded:
                owner.expanded = opened = True
                self._strips.pop((owner.ref, False), None)
                self._strips.pop((owner.ref, True), None)
            owner = owner.parent
        if opened:
            self._show_lines()
        self._move(node.line, center=True)
        return True

    def action_toggle_node(self) -> None:
        node = self.cursor_node
        if node is not None:
            self._set_expanded(node, not node.expanded)

    def action_open_node(self) -> None:
        node = self.cursor_node
        if node is not None:
            self._set_expanded(node, True)

    def action_close_or_parent(self) -> None:
        node = self.cursor_node
        if node is None:
            return
        if node.expanded and node.expandable:
            self._set_expanded(node, False)
        elif node.parent is not None:
            self._move(node.parent.line)

    # --- cursor ---------------------------------------------------------------------------------------

    def _move(self, line: int, *, center: bool = False) -> None:
        old = self.cursor_node
        line = max(0, min(line, len(self._shown) - 1))
        self.set_reactive(PlanTree.cursor_line, line)
        new = self.cursor_node
        if old is not new:
            if old is not None:
                self._refresh_node(old)
            if new is not None:
                self._refresh_node(new)
        self._scroll_to_cursor(center)
        if new is not None and new is not self._last_reported:
            self._last_reported = new
            self.post_message(self.NodeHighlighted(self, new))

    def move_cursor(self, node: PlanNode) -> None:
        if node.line >= 0:
            self._move(node.line)

    def cursor_at(self) -> int:
        return self.cursor_line

    def line_count(self) -> int:
        return len(self._shown)

    def _rows_in_view(self) -> int:
        return max(self.scrollable_content_region.height, 1)

    def _refresh_node(self, node: PlanNode) -> None:
        y = node.line - round(self.scroll_y)
        if node.line >= 0 and 0 <= y < self.size.height:
            self.refresh(Region(0, y, self.size.width, 1))

    def on_click(self, event: events.Click) -> None:
        offset = event.get_content_offset(self)
        if offset is None:
            return
        line = round(self.scroll_y) + offset.y
        if not 0 <= line < len(self._shown):
            return
        node = self._shown[line]
        self._move(line)
        icon_at = node.depth * self.guide_depth
        if node.expandable and (icon_at <= offset.x < icon_at + len(_OPEN) or event.chain >= 2):
            self._set_expanded(node, not node.expanded)

    # --- drawing --------------------------------------------------------------------------------------

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._strips.clear()
        self._base = None

    def on_resize(self, _event: events.Resize) -> None:
        self._scroll_to_cursor()

    def on_focus(self) -> None:
        self._redraw_cursor()

    def on_blur(self) -> None:
        self._redraw_cursor()

    def _redraw_cursor(self) -> None:
        node = self.cursor_node
        if node is not None:
            self._strips.pop((node.ref, True), None)
            self._refresh_node(node)

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        self._fit_to(width)
        if self._base is None:
            self._base = self.rich_style
        line = round(self.scroll_y) + y
        if not 0 <= line < len(self._shown):
            return Strip.blank(width, self._base)
        node = self._shown[line]
        on_cursor = line == self.cursor_line
        key = (node.ref, on_cursor)
        strip = self._strips.get(key)
        if strip is None or strip.cell_length != width:
            strip = self._strips[key] = self._node_line(node, on_cursor, width, self._base)
        return strip

    def _node_line(self, node: PlanNode, on_cursor: bool, width: int, base: Style) -> Strip:
        guides = ""
        ancestor = node.parent
        while ancestor is not None and ancestor.parent is not None:
            guides = ("  " if ancestor.is_last else "│ ") + guides
            ancestor = ancestor.parent
        if node.parent is not None:
            guides += "└ " if node.is_last else "├ "
        icon = (_OPEN if node.expanded else _CLOSED) if node.expandable else ""
        if on_cursor:
            name = "plan-tree--cursor" if self.has_focus else "plan-tree--cursor-blurred"
            style = base + self.get_component_rich_style(name)
            segments = [Segment(guides + icon + self.label_of(node).plain, style)]
        else:
            guide_style = base + self.get_component_rich_style("plan-tree--guides")
            segments = [Segment(guides, guide_style), Segment(icon, base)]
            console = self.app.console
            segments += [
                Segment(s.text, base + s.style if s.style else base)
                for s in self.label_of(node).render(console)
                if s.text != "\n"
            ]
        return Strip(segments).adjust_cell_length(width, style if on_cursor else base)
