"""Items: the example app, with CRUD and pagination, owned by users."""
