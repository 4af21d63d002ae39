"""The gRPC surface of the crm: thin servicers, one per service of the contract, and conversions."""
