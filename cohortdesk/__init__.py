"""cohortdesk: track access, motivation and contribution of online cohorts."""

__version__ = "0.1.0"

# The reverse-DNS application id: the desktop entry, the AppStream metainfo and the icons are
# named after it (packaging/), and the GUI announces it so Wayland shows the right icon.
APP_ID = "org.cohortdesk.CohortDesk"
