"""`make bench`: the speed figures of DESIGN.md §7, measured on this machine against a floor."""
