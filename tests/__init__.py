"""The template's own test suite: render tier, planted-defect gates, helpers."""
