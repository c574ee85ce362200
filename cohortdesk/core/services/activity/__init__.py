"""Activity: importing files, the daily rollups kept from the events, the roster's counts."""
