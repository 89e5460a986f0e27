"""Local servers that speak external providers' wire protocols, for SDK-level tests."""
