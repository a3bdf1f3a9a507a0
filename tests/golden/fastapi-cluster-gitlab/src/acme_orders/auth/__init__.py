"""Authentication: password hashing and tokens (security.py), users
(models.py, service.py) and the login rate limit (ratelimit.py). The web
layer's dependencies, such as the current user, are in dependencies.py."""
