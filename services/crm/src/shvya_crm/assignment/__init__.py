"""Who works a lead: counsellors' availability, assignment by rule and round robin, reassignment, take over."""
