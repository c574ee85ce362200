"""The dashboard's charts (pyqtgraph), their shared theme, and how they export."""
