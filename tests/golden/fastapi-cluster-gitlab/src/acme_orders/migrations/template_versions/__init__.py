"""The template's own migrations, for the tables its features own (e.g. users).

A history of its own (Alembic branch ``template``): `copier update` adds
scripts here, and they never collide with the revisions in ``versions/``,
which are yours. Do not edit these scripts; they are managed by the template.
"""
