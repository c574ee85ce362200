"""How the nudge dialog words a message that uses a stand-in for a missing fact."""

from __future__ import annotations

from cohortdesk.core.schemas import RenderedMessage


def fallback_warning(message: RenderedMessage | None) -> str:
    """A warning when the message uses a stand-in ('[date]', 'the course space')."""
    if message is None or not message.fallback_fields:
        return ""
    tokens = ", ".join("{" + name + "}" for name in message.fallback_fields)
    return (
        f"⚠ Uses a stand-in for {tokens}: check the wording, or fill in the cohort's message "
        "settings (Cohort ▸ Attention and message settings…)."
    )
