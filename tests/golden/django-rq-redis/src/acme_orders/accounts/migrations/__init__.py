"""The accounts app's migrations, shipped by the template."""
