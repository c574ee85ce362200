"""The few style rules the window adds to the platform's look (light and dark palettes)."""

STYLE = """
QLabel#cohortTitle { font-size: 20px; font-weight: 600; }
QLabel#welcomeTitle { font-size: 26px; font-weight: 600; }
QLabel#sectionHeading { font-weight: 600; padding: 2px 4px 6px 4px; }
QLabel#muted { color: palette(placeholder-text); }
QLabel#error { color: #c62828; }
QTableView { selection-background-color: palette(highlight); }
QSplitter::handle { background: palette(mid); }
QSplitter::handle:horizontal { width: 1px; }
"""
