"""The jobs ledger: the durable timers and transactional outbox the conductor runs."""
