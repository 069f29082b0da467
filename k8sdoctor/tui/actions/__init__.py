"""Action screens opened from the main screen: describe (`d`), logs (`l`, `p` for previous) and
debug (`x`). The main app calls these three factories with the pod's namespace and name; each returns
a Textual `Screen` that the app pushes, and that dismisses itself (esc) back to the main screen.

    describe_screen(ctx: ActionContext, namespace: str, name: str) -> Screen
    logs_screen(ctx: ActionContext, namespace: str, name: str, previous: bool) -> Screen
    debug_screen(ctx: ActionContext, namespace: str, name: str) -> Screen
"""
