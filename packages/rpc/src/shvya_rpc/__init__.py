"""gRPC server bootstrap, client channels, auth and rich errors shared by Shvya services."""
