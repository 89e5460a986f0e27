"""Google Drive connections of an organization: OAuth grants or service-account keys, stored encrypted."""
