"""Migration scripts, applied in order by ``acme-orders migrate``."""
