"""Leads: intake, the people and companies behind them, consent, delivery reports and unsubscribes."""
