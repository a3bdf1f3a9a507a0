"""Items: the example resource, with CRUD and pagination, owned by users."""
