"""The tasks app's migrations: the template's history of the receipts table."""
