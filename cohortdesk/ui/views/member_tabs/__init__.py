"""The parts of the member panel: header, one widget per tab, and the writer they share."""
