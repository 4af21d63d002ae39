"""`make bench`: the speed targets of docs/performance.md, measured on this machine against a floor."""
