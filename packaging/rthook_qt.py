"""Run-time hook of the bundle, in place of PyInstaller's PySide6 hook: tell Qt where its
plugins are without importing QtCore.

PyInstaller's own hook imports QtCore at every start to embed a qt.conf, so `--version` and
every headless command would load Qt and its 32 MB ICU data for nothing. Qt only needs to find
its plugins (platforms, image formats, icon engines), which QT_PLUGIN_PATH says.
"""

import os
import sys

bundle = getattr(sys, "_MEIPASS", "")
os.environ["QT_PLUGIN_PATH"] = f"{bundle}/PySide6/Qt/plugins"  # Linux and macOS layout
